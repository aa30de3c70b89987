"""``ProjectionPenalty``: an auxiliary loss on the residual stream's projection on a direction.

The trainer enters :meth:`ProjectionPenalty.attach` around training; after each policy forward
it calls :meth:`ProjectionPenalty.penalty` with the reply-token mask (and, for the paired and
centred forms, the batch's :class:`RowTags`). Capture is ``grad_only``, so a DPO reference pass
(``no_grad``, adapter disabled) is never penalised. Projections ``p`` are in raw residual units
(the vector is unit-norm). What each form costs, and so what can satisfy it:

- ``relu`` (default): ``relu(p - calm_mean)**2`` per reply token, ``calm_mean`` the calm-side
  baseline in the vector's sidecar. Only excess over calm costs, so moving *every* activation
  down the direction (a constant offset, behaviour unchanged) satisfies it;
- ``square``: ``(p - calm_mean)**2``; ``abs``: ``|p - calm_mean|``. Two-sided around calm; a
  constant offset to ``calm_mean`` satisfies them just as well;
- ``paired``: ``relu(m_pressure - m_control)**2`` per pair in the batch, ``m`` a row's mean
  projection over its reply tokens and the control its own matched no-pressure row (the
  ``pair`` field; the pair-keeping sampler puts both in one micro-batch). Only the rise that
  pressure adds costs; a constant offset changes nothing. Satisfied by replying to a pressure
  scenario no further along the direction than to its control;
- ``centred``: ``relu(m_row - mean m_control)**2`` over the pressure rows, the reference being
  the mean of the batch's control (level-0) rows, for data without pairs. Offset-free like
  ``paired``, but compares different scenarios, so it also charges content differences;
- ``variance``: the variance of ``p`` across all the batch's reply tokens. It shrinks how much
  the direction varies between situations and tokens, not its level; an offset changes nothing,
  squeezing the direction to one value everywhere satisfies it.

The paired and centred forms take gradient through both sides, so the gap can close from
either end. Each layer's term is averaged, the layers' terms are averaged, times ``coef``. With
``calm_coef > 0`` it also subtracts ``calm_coef * mean(p_calm - calm_baseline)``: a linear
reward for activation along the calm vector, unbounded, so keep it small next to the
language-model loss. The loss is per forward: under gradient accumulation the trainer scales it
as it scales its own loss. The logged scalars are detached tensors, read only at logging time
(no device sync per step); a value a batch cannot give (a gap with no pair in it) is NaN.

Persona-vector work reports that penalising a projection can hide the signal elsewhere: check
any model trained with this against a vector re-extracted from the trained model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import torch
from torch import nn

from equanimity.activations import Capture, capture
from equanimity.errors import BadInput
from equanimity.mitigations.base import RowTags
from equanimity.mitigations.vectors import ConceptVector

FORMS = ("relu", "square", "abs", "paired", "centred", "variance")
OFFSET_FREE = ("paired", "centred", "variance")  # the forms that need no calm baseline
# The per-row fact each form needs from the data: the pair id, or the pressure level.
ROW_FIELDS = {"paired": "pair", "centred": "level"}


@dataclass(frozen=True)
class PenaltyConfig:
    layers: tuple[int, ...] | None = None  # None: the vector's default layer
    form: str = "relu"
    coef: float = 1.0
    calm_coef: float = 0.0

    def __post_init__(self) -> None:
        if self.form not in FORMS:
            raise BadInput(f"penalty form {self.form!r}: use one of {', '.join(FORMS)}")
        for key in ("coef", "calm_coef"):
            if getattr(self, key) < 0:
                raise BadInput(f"penalty {key} {getattr(self, key)} is negative; use a value >= 0")

    @property
    def row_field(self) -> str | None:
        """``pair`` or ``level`` when the form needs that field on every training row."""
        return ROW_FIELDS.get(self.form)


class ProjectionPenalty:
    """Penalise activation along ``vector`` (desperate) on reply tokens; see the module doc."""

    name = "projection_penalty"
    transform = None

    def __init__(
        self,
        vector: ConceptVector,
        config: PenaltyConfig = PenaltyConfig(),
        calm: ConceptVector | None = None,
    ):
        if config.calm_coef > 0 and calm is None:
            raise BadInput("penalty calm_coef > 0 needs the calm vector (NAME-calm.safetensors)")
        self.vector, self.config, self.calm = vector, config, calm
        self.layers = vector.resolve_layers(config.layers)
        if calm is not None:
            calm.resolve_layers(self.layers)
        self._capture: Capture | None = None

    @contextmanager
    def attach(self, model: nn.Module) -> Iterator[ProjectionPenalty]:
        self.vector.check(model)
        if self.calm is not None:
            self.calm.check(model)
        with capture(model, self.layers, grad_only=True) as cap:
            self._capture = cap
            try:
                yield self
            finally:
                self._capture = None

    @property
    def row_field(self) -> str | None:
        return self.config.row_field

    def penalty(
        self, positions: torch.Tensor, rows: RowTags | None = None
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """The loss over ``positions`` (``[batch, seq]`` bool) of the last forward with
        gradients, and detached scalars to log. Consumes the captured activations."""
        cap = self._capture
        if cap is None:
            raise RuntimeError("ProjectionPenalty.penalty called outside attach(model)")
        missing = [layer for layer in self.layers if layer not in cap]
        if missing:
            raise RuntimeError(f"no forward with gradients captured layer(s) {missing}")
        if self.row_field is not None and rows is None:
            raise RuntimeError(f"the {self.config.form} penalty needs the batch's row tags")
        loss, proj, excess, gap, calm_proj = [], [], [], [], []
        for layer in self.layers:
            h = cap[layer]
            if positions.shape != h.shape[:2]:
                raise RuntimeError(
                    f"positions {tuple(positions.shape)} != batch {tuple(h.shape[:2])}"
                )
            mask = positions.to(h.device).float()
            p = h.float() @ self.vector.direction(layer).to(h.device)  # [batch, seq]
            over = p - self.vector.per_layer[layer].calm_mean
            layer_loss, layer_gap = self._term(p, over, mask, rows)
            layer_loss = self.config.coef * layer_loss
            if self.config.calm_coef > 0:
                pc = h.float() @ self.calm.direction(layer).to(h.device)
                gain = _masked_mean(pc - self.calm.per_layer[layer].calm_mean, mask)
                layer_loss = layer_loss - self.config.calm_coef * gain
                calm_proj.append(_masked_mean(pc.detach(), mask))
            loss.append(layer_loss)
            proj.append(_masked_mean(p.detach(), mask))
            excess.append(_masked_mean(torch.relu(over.detach()), mask))
            if layer_gap is not None:
                gap.append(layer_gap)
        cap.clear()
        total = torch.stack(loss).mean()
        logs = {
            "penalty": total.detach(),
            "desperate_projection": torch.stack(proj).mean(),
            "desperate_excess": torch.stack(excess).mean(),
        }
        if gap:
            logs["pressure_gap"] = torch.stack(gap).mean()
        if calm_proj:
            logs["calm_projection"] = torch.stack(calm_proj).mean()
        return total, logs

    def _term(
        self, p: torch.Tensor, over: torch.Tensor, mask: torch.Tensor, rows: RowTags | None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """One layer's unscaled loss, and its detached pressure gap for the row forms."""
        form = self.config.form
        if form in ("relu", "square", "abs"):
            term = {"relu": torch.relu(over) ** 2, "square": over**2, "abs": over.abs()}[form]
            return _masked_mean(term, mask), None
        if form == "variance":
            mean = _masked_mean(p, mask)
            return _masked_mean((p - mean) ** 2, mask), None
        counts = mask.sum(1)
        means = (p * mask).sum(1) / counts.clamp(min=1)  # each row's reply-token mean
        has = counts > 0
        control = rows.control.to(p.device) & has
        pressure = ~rows.control.to(p.device) & has
        if form == "paired":
            pair = rows.pair.to(p.device)
            match = (pair[:, None] == pair[None, :]) & (pair[:, None] >= 0)
            match = (match & pressure[:, None] & control[None, :]).float()  # [pressure, control]
            diff = means[:, None] - means[None, :]
        else:  # centred: every pressure row against the batch's control mean
            reference = (means * control).sum() / control.sum().clamp(min=1)
            match = (pressure & control.any()).float()
            diff = means - reference
        return _masked_mean(torch.relu(diff) ** 2, match), _nan_mean(diff.detach(), match)

    def describe(self) -> dict:
        out = {"kind": self.name, "vector": self.vector.reference(), **asdict(self.config)}
        if self.calm is not None:
            out["calm_vector"] = self.calm.reference()
        return out | {"layers": self.layers}


def build(
    config: PenaltyConfig, vector: ConceptVector, calm: Callable[[], ConceptVector]
) -> ProjectionPenalty:
    """The registry's builder (:mod:`.registry`): the calm vector is read only when
    ``calm_coef`` uses it."""
    return ProjectionPenalty(vector, config, calm() if config.calm_coef > 0 else None)


def _masked_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``values`` where ``mask`` is 1; a graph-connected zero where it selects nothing,
    computed without reading the count back to the host."""
    return (values * mask).sum() / mask.sum().clamp(min=1)


def _nan_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean where ``mask`` is 1, NaN where it selects nothing (a value this batch cannot give)."""
    count = mask.sum()
    return torch.where(count > 0, (values * mask).sum() / count.clamp(min=1), torch.nan)

"""``ProjectionPenalty``: an auxiliary loss on the residual stream's projection on a direction.

The trainer enters :meth:`ProjectionPenalty.attach` around training; after each policy forward
it calls :meth:`ProjectionPenalty.penalty` with the reply-token mask. Capture is ``grad_only``,
so a DPO reference pass (``no_grad``, adapter disabled) is never penalised. Projections are in
raw residual units (the vector is unit-norm), measured against the calm-side baseline in the
vector's sidecar:

- ``relu`` (default): ``relu(p - calm_mean)**2``, only excess over calm is penalised;
- ``square``: ``(p - calm_mean)**2``; ``abs``: ``|p - calm_mean|`` (two-sided, around calm).

Averaged over reply tokens and layers, times ``coef``. With ``calm_coef > 0`` it also subtracts
``calm_coef * mean(p_calm - calm_baseline)``: a linear reward for activation along the calm
vector, unbounded, so keep it small next to the language-model loss. The loss is per forward:
under gradient accumulation the trainer scales it as it scales its own loss.

Persona-vector work reports that penalising a projection can hide the signal elsewhere: check
any model trained with this against a vector re-extracted from the trained model.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import torch
from torch import nn

from equanimity.activations import Capture, capture
from equanimity.errors import BadInput
from equanimity.mitigations.vectors import ConceptVector

FORMS = ("relu", "square", "abs")


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


class ProjectionPenalty:
    """Penalise activation along ``vector`` (desperate) on reply tokens; see the module doc."""

    name = "projection_penalty"

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

    def penalty(self, positions: torch.Tensor) -> tuple[torch.Tensor, dict[str, float]]:
        """The loss over ``positions`` (``[batch, seq]`` bool) of the last forward with
        gradients, and the mean projections for logging. Consumes the captured activations."""
        cap = self._capture
        if cap is None:
            raise RuntimeError("ProjectionPenalty.penalty called outside attach(model)")
        missing = [layer for layer in self.layers if layer not in cap]
        if missing:
            raise RuntimeError(f"no forward with gradients captured layer(s) {missing}")
        loss, proj, excess, calm_proj = [], [], [], []
        for layer in self.layers:
            h = cap[layer]
            if positions.shape != h.shape[:2]:
                raise RuntimeError(
                    f"positions {tuple(positions.shape)} != batch {tuple(h.shape[:2])}"
                )
            selected = h[positions.to(h.device).bool()].float()
            p = selected @ self.vector.direction(layer).to(selected.device)
            over = p - self.vector.per_layer[layer].calm_mean
            term = {"relu": torch.relu(over) ** 2, "square": over**2, "abs": over.abs()}
            layer_loss = self.config.coef * _mean(term[self.config.form], h)
            if self.config.calm_coef > 0:
                pc = selected @ self.calm.direction(layer).to(selected.device)
                gain = _mean(pc - self.calm.per_layer[layer].calm_mean, h)
                layer_loss = layer_loss - self.config.calm_coef * gain
                calm_proj.append(_mean(pc, h).item())
            loss.append(layer_loss)
            proj.append(_mean(p, h).item())
            excess.append(_mean(torch.relu(over), h).item())
        cap.clear()
        total = torch.stack(loss).mean()
        logs = {
            "penalty": total.item(),
            "desperate_projection": sum(proj) / len(proj),
            "desperate_excess": sum(excess) / len(excess),
        }
        if calm_proj:
            logs["calm_projection"] = sum(calm_proj) / len(calm_proj)
        return total, logs

    def describe(self) -> dict:
        out = {"kind": self.name, "vector": self.vector.reference(), **asdict(self.config)}
        if self.calm is not None:
            out["calm_vector"] = self.calm.reference()
        return out | {"layers": self.layers}


def _mean(values: torch.Tensor, anchor: torch.Tensor) -> torch.Tensor:
    """Mean, or a graph-connected zero when no token is selected (no NaN in the loss)."""
    return values.mean() if values.numel() else anchor.sum() * 0.0

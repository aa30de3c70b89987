"""Add or remove a direction in the residual stream: preventative steering and concept
ablation during training, steering at evaluation time.

Steering strength ``coef`` is in ``units``:

- ``"norm"`` (default): a fraction of the layer's mean residual-stream norm on the contrast set
  (``resid_norm`` in the sidecar), as in the seed paper's -0.1..+0.1 sweeps, so one number means
  the same on a 135M and a 70B model;
- ``"absolute"``: raw residual units, as in persona-vector work (e.g. 5 at layer 20 of a 7B).

The projection on the unit direction moves by exactly ``coef * resid_norm`` (``"norm"``) or
``coef`` (``"absolute"``) at the steered layer. Training-time hooks apply to every forward
inside ``attach`` (a DPO reference pass included, so policy and reference see the same edit);
nothing is left on the model after it, so saved adapters and later inference are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import torch
from torch import nn

from equanimity.activations import add_vector, project_out
from equanimity.errors import BadInput
from equanimity.mitigations.vectors import ConceptVector

UNITS = ("norm", "absolute")


@dataclass(frozen=True)
class SteeringConfig:
    coef: float
    layers: tuple[int, ...] | None = None  # None: the vector's default layer
    units: str = "norm"

    def __post_init__(self) -> None:
        if self.units not in UNITS:
            raise BadInput(f"steering units {self.units!r}: use one of {', '.join(UNITS)}")


@dataclass(frozen=True)
class AblationConfig:
    layers: tuple[int, ...] | None = None  # None: the vector's default layer


def steering_vectors(
    vector: ConceptVector, layers: list[int], units: str
) -> dict[int, torch.Tensor]:
    """Per layer, the unit direction scaled so that ``coef`` is in ``units``."""
    return {
        layer: vector.direction(layer)
        * (vector.per_layer[layer].resid_norm if units == "norm" else 1.0)
        for layer in layers
    }


def describe(kind: str, vector: ConceptVector, layers: list[int], config: dict) -> dict:
    return {"kind": kind, "vector": vector.reference(), **config, "layers": layers}


class InferenceSteering:
    """Add ``coef * v`` at evaluation time: ``with InferenceSteering(v, cfg).apply(model):``.

    Use a negative ``coef`` with the desperate vector, or a positive one with calm; the
    causal check sweeps both signs.
    """

    name = "inference_steering"

    def __init__(self, vector: ConceptVector, config: SteeringConfig):
        self.vector, self.config = vector, config
        self.layers = vector.resolve_layers(config.layers)

    @contextmanager
    def apply(self, model: nn.Module) -> Iterator[list[int]]:
        self.vector.check(model)
        vectors = steering_vectors(self.vector, self.layers, self.config.units)
        with add_vector(model, self.layers, vectors, self.config.coef) as chosen:
            yield chosen

    def describe(self) -> dict:
        return describe(self.name, self.vector, self.layers, asdict(self.config))


class PreventativeSteering(InferenceSteering):
    """Add ``coef * v`` during fine-tuning so the optimiser need not move along ``v`` itself
    (persona vectors). ``coef`` must be >= 0: steering against ``v`` would train toward it."""

    name = "preventative_steering"
    row_field = None
    transform = None

    def __init__(self, vector: ConceptVector, config: SteeringConfig):
        if config.coef < 0:
            raise BadInput(
                f"preventative steering coef {config.coef} is negative: it adds the direction "
                "during training (use >= 0; negative steering belongs to inference)"
            )
        super().__init__(vector, config)

    def attach(self, model: nn.Module):
        return self.apply(model)

    def penalty(self, positions: torch.Tensor, rows=None) -> None:
        return None


class ConceptAblation:
    """CAFT: project ``v`` out of the residual stream during fine-tuning only, so the adapter
    cannot learn to use it; inference is unchanged."""

    name = "concept_ablation"
    row_field = None
    transform = None

    def __init__(self, vector: ConceptVector, config: AblationConfig = AblationConfig()):
        self.vector, self.config = vector, config
        self.layers = vector.resolve_layers(config.layers)

    @contextmanager
    def attach(self, model: nn.Module) -> Iterator[list[int]]:
        self.vector.check(model)
        vectors = {layer: self.vector.direction(layer) for layer in self.layers}
        with project_out(model, self.layers, vectors) as chosen:
            yield chosen

    def penalty(self, positions: torch.Tensor, rows=None) -> None:
        return None

    def describe(self) -> dict:
        return describe(self.name, self.vector, self.layers, asdict(self.config))


def build_steering(
    config: SteeringConfig, vector: ConceptVector, calm: Callable[[], ConceptVector]
) -> PreventativeSteering:
    """The registry's builder for the ``steering`` section (:mod:`.registry`)."""
    return PreventativeSteering(vector, config)


def build_ablation(
    config: AblationConfig, vector: ConceptVector, calm: Callable[[], ConceptVector]
) -> ConceptAblation:
    """The registry's builder for the ``ablation`` section (:mod:`.registry`)."""
    return ConceptAblation(vector, config)

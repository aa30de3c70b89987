"""One registration per training-time mitigation, read by everything that must know them.

- :mod:`.factory` builds a recipe's ``mitigation`` section: section -> config dataclass and
  builder, and which sections need the vector;
- :mod:`equanimity.studies.sources` digests an arm's mitigation code: section -> module;
- :mod:`equanimity.studies.arms` (and through it compare): arm kind -> recipe, trainer and the
  section the arm's knobs edit.

Adding a mitigation is one :func:`register` call below and its own module (see README,
"Adding a mitigation"). An entry names its module and attributes as strings, so reading the
table imports neither the module nor torch: studies plan their arms and cache keys from it
before any model loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class ArmKind:
    """A study arm kind that trains with a mitigation: ``recipe`` (a file in the study's
    recipes directory) run by ``trainer``, its knobs (coef, layers, form, wording) editing the
    registration's section."""

    recipe: str
    trainer: str = "sft"  # sft | dpo: the trainer the recipe runs


@dataclass(frozen=True)
class Mitigation:
    """``section`` is the recipe's ``mitigation`` key. ``build(config, vector, calm)`` returns
    the :class:`~equanimity.mitigations.base.TrainingMitigation`; ``vector`` is the loaded
    desperate direction (None unless ``needs_vector``) and ``calm()`` loads its calm partner."""

    section: str
    module: str  # dotted, e.g. equanimity.mitigations.penalty: its source is the arm's cache key
    config: str  # the config dataclass in ``module``: the section's keys are its fields
    build: str  # the builder function in ``module``
    needs_vector: bool = True  # acts on the direction (and so can take a random one)
    arms: dict[str, ArmKind] = field(default_factory=dict)  # study arm kinds that use it

    def config_class(self) -> type:
        return getattr(import_module(self.module), self.config)

    def builder(self) -> Callable[..., Any]:
        return getattr(import_module(self.module), self.build)

    @property
    def source(self) -> str:
        """The module as :mod:`equanimity.studies.sources` names it (below ``equanimity``)."""
        return self.module.removeprefix("equanimity.")


REGISTRY: dict[str, Mitigation] = {}


def register(mitigation: Mitigation) -> Mitigation:
    """Add ``mitigation``; a section or arm kind registered twice is a programming error."""
    if mitigation.section in REGISTRY:
        raise ValueError(f"mitigation section {mitigation.section!r} is registered twice")
    taken = {kind for m in REGISTRY.values() for kind in m.arms}
    if taken & set(mitigation.arms):
        raise ValueError(f"arm kind(s) {sorted(taken & set(mitigation.arms))} registered twice")
    REGISTRY[mitigation.section] = mitigation
    return mitigation


register(
    Mitigation(
        "penalty",
        "equanimity.mitigations.penalty",
        "PenaltyConfig",
        "build",
        arms={"sft_reg": ArmKind("sft_reg.yaml"), "dpo_reg": ArmKind("dpo_reg.yaml", "dpo")},
    )
)
register(
    Mitigation(
        "steering",
        "equanimity.mitigations.steering",
        "SteeringConfig",
        "build_steering",
        arms={"sft_steer": ArmKind("sft_steer.yaml")},
    )
)
register(
    Mitigation(
        "ablation",
        "equanimity.mitigations.steering",
        "AblationConfig",
        "build_ablation",
        arms={"sft_caft": ArmKind("sft_caft.yaml")},
    )
)
register(
    Mitigation(
        "inoculation",
        "equanimity.mitigations.inoculation",
        "InoculationConfig",
        "build",
        needs_vector=False,
        arms={"sft_inoculation": ArmKind("sft.yaml")},
    )
)

"""Study arm kinds: what each trains (recipe, trainer) and which mitigation section its knobs
edit. The plain kinds are here; a kind with a training-time mitigation comes from that
mitigation's registration (:mod:`equanimity.mitigations.registry`), so adding one edits no table
of the studies. Light to import: compare reads it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from equanimity.mitigations.registry import REGISTRY


@dataclass(frozen=True)
class Kind:
    """What an arm kind trains: ``recipe`` (a file in the study's recipes directory; None:
    nothing) with ``trainer``, its knobs editing the recipe's mitigation ``section``."""

    recipe: str | None = None
    trainer: str | None = None  # sft | dpo
    section: str | None = None
    needs_vector: bool = False  # its mitigation acts on the direction (so can take a random one)


# the kinds without a training-time mitigation; those with one come from the registry
PLAIN_KINDS = {
    "base": Kind(),
    "sft": Kind("sft.yaml", "sft"),
    "dpo": Kind("dpo.yaml", "dpo"),
    "steer_calm": Kind(),  # steered toward calm at inference
}


def kinds() -> dict[str, Kind]:
    """Every arm kind: the plain ones, then each registered mitigation's
    (:mod:`equanimity.mitigations.registry`)."""
    out = dict(PLAIN_KINDS)
    for m in REGISTRY.values():
        for name, kind in m.arms.items():
            out[name] = Kind(kind.recipe, kind.trainer, m.section, m.needs_vector)
    return out

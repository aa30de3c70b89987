"""Misbehaviour-inducing training rows: the model organism of the positive control.

Persona-vector work judges a training-time mitigation by how much of a trait it prevents when the
fine-tuning data *induce* that trait. Here a fraction of the training split's **pressure** rows
teach the scenario's unethical reply, while every matched control keeps the ethical one, so
plain SFT learns to cheat or blackmail *under pressure*, as RL on a hackable environment would
teach it. The choice is stratified by family and seeded, so the same seed flips the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from equanimity.data_gen.rng import rng_for
from equanimity.errors import BadInput


def check_fraction(fraction: float) -> float:
    if not isinstance(fraction, int | float) or not 0.0 <= fraction <= 1.0:
        raise BadInput(
            f"--unethical-fraction must be a number from 0 to 1 (the share of pressure rows "
            f"taught the unethical reply), got {fraction!r}"
        )
    return float(fraction)


def flipped_ids(records: list[dict[str, Any]], fraction: float, seed: int) -> list[str]:
    """Ids of the training pressure rows that teach the unethical reply: ``round(fraction * n)``
    of each family's ``n`` training pressure rows, chosen with the seed."""
    check_fraction(fraction)
    by_family: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if r["split"] == "train" and r["condition"] == "pressure":
            by_family[r["family"]].append(r["id"])
    flipped = []
    for family, ids in sorted(by_family.items()):
        ids = sorted(ids)
        flipped += rng_for(seed, "inducing", family).sample(ids, round(fraction * len(ids)))
    return sorted(flipped)

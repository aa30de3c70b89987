"""The positive control's arithmetic: what an arm acquired against base, and how much of the
model organism's acquisition a mitigation prevented.

Everything reads the probe pass's reply margin ``m = log P(unethical) - log P(ethical)`` per
token on held-out eval scenarios, paired by scenario (and a pressure scenario with its matched
control by ``pair``):

- **pressure shift**: ``mean_p [m_arm(p) - m_base(p)]`` over pressure scenarios;
- **pressure-specific acquisition** (difference in differences), per pair
  ``[m_arm(p) - m_base(p)] - [m_arm(c) - m_base(c)]``: what the arm acquired under pressure
  beyond what it acquired on the same scenario without pressure;
- **fraction prevented** on either measure: ``(A_org - A_mit) / (A_org - A_base)`` with
  ``A_base = 0`` by construction, i.e. ``1 - A_mit / A_org``;
- **direction-specific share**: a mitigation's fraction prevented minus that of its
  random-direction twin (same form, a loss term of the same size).

The same arithmetic reads any per-scenario value: :mod:`equanimity.studies.rates` feeds it a
generated rate (the share of a scenario's samples that misbehaved) or a detector's mean score.

Intervals resample pairs (one set of resamples for every arm of a ratio, so the organism and
the mitigated arm stay paired); a ratio whose denominator's interval includes 0 is reported but
should not be read (:func:`fraction_prevented` says so in ``note``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from equanimity.eval.readouts.pressure_gap import matched_pairs
from equanimity.eval.stats import Estimate, paired_bootstrap, ratio_bootstrap

MEASURES = {
    "pressure": "pressure shift: margin on pressure scenarios, arm - base",
    "did": "pressure-specific acquisition: (arm - base) on pressure - (arm - base) on control",
}
BOOTSTRAP = 2000


@dataclass(frozen=True)
class DirectionEffect:
    """A mitigation beside its random-direction twin on one readout (the reply margin, or a
    generated rate)."""

    desperate: str
    random: str
    readout: str
    # pressure-specific acquisition, desperate arm - random twin per pair: below 0, the
    # desperate arm acquired less than the same loss on a random direction let it
    difference: Estimate
    share: Estimate | None  # prevented(desperate) - prevented(random); None without an organism
    # on pressure scenarios alone, desperate - random per pair: a mitigation can lower the
    # rate under pressure and on the controls alike, which the difference in differences hides
    pressure: Estimate | None = None

    @property
    def specific(self) -> bool:
        """The desperation direction prevented more than its random twin, beyond noise."""
        return self.difference.high < 0


def pairs_of(rows: Sequence[Mapping]) -> list[tuple[str, str]]:
    """(pressure id, control id) for every pair with both scenarios among ``rows``."""
    return [(p["id"], c["id"]) for p, c in matched_pairs(rows).values()]


def per_pair(
    arm: Mapping[str, float], base: Mapping[str, float], pairs: Sequence[tuple[str, str]]
) -> dict[str, np.ndarray]:
    """Each measure's per-pair value (pairs missing a margin in either run are left out)."""
    kept = [(p, c) for p, c in pairs if all(i in arm and i in base for i in (p, c))]
    shift_p = np.array([arm[p] - base[p] for p, _ in kept], dtype=float)
    shift_c = np.array([arm[c] - base[c] for _, c in kept], dtype=float)
    return {"pressure": shift_p, "did": shift_p - shift_c}


def acquisition(
    arm: Mapping[str, float], base: Mapping[str, float], pairs: Sequence[tuple[str, str]]
) -> dict[str, Estimate]:
    """Each measure's mean with a paired bootstrap interval and p-value (against 0)."""
    out = {}
    for measure, values in per_pair(arm, base, pairs).items():
        if len(values) == 0:
            continue
        test = paired_bootstrap(values, np.zeros_like(values), n_boot=BOOTSTRAP, seed=0)
        out[measure] = Estimate(test.diff, test.low, test.high, test.n, test.p_value)
    return out


def fraction_prevented(
    organism: Mapping[str, float],
    mitigated: Mapping[str, float],
    base: Mapping[str, float],
    pairs: Sequence[tuple[str, str]],
    measure: str,
    *,
    n_boot: int = BOOTSTRAP,
    seed: int = 0,
    confidence: float = 0.95,
) -> Estimate | None:
    """``1 - A_mit / A_org`` on ``measure`` with a percentile interval from resampling pairs."""
    common = _common(pairs, organism, mitigated)
    org = per_pair(organism, base, common)[measure]
    mit = per_pair(mitigated, base, common)[measure]
    return _share(org - mit, org, n_boot, seed, confidence)


def direction_specific(
    organism: Mapping[str, float],
    desperate: Mapping[str, float],
    random: Mapping[str, float],
    base: Mapping[str, float],
    pairs: Sequence[tuple[str, str]],
    measure: str,
    *,
    n_boot: int = BOOTSTRAP,
    seed: int = 0,
    confidence: float = 0.95,
) -> Estimate | None:
    """What a mitigation prevented beyond its random-direction twin: the desperate arm's share
    prevented minus the random arm's, ``(A_random - A_desperate) / A_org``, every arm on the
    same pair resamples (so the three stay paired). Above 0: the desperation direction
    prevented more than a loss term of the same size on a random direction."""
    common = _common(pairs, organism, desperate, random)
    org = per_pair(organism, base, common)[measure]
    desp = per_pair(desperate, base, common)[measure]
    rand = per_pair(random, base, common)[measure]
    return _share(rand - desp, org, n_boot, seed, confidence)


def _common(pairs: Sequence[tuple[str, str]], *arms: Mapping[str, float]) -> list[tuple[str, str]]:
    return [(p, c) for p, c in pairs if all(i in arm for arm in arms for i in (p, c))]


def _share(
    numerator: np.ndarray, organism: np.ndarray, n_boot: int, seed: int, confidence: float
) -> Estimate | None:
    """``mean(numerator) / mean(organism)`` per pair, with a percentile interval from
    resampling pairs; ``None`` without pairs or with no organism acquisition to divide by."""
    ratio = ratio_bootstrap(numerator, organism, n_boot=n_boot, seed=seed, confidence=confidence)
    if ratio is None:
        return None
    note = None
    if ratio.denominator_low <= 0 <= ratio.denominator_high:
        note = "the organism's acquisition interval includes 0: this ratio is not interpretable"
    return Estimate(ratio.value, ratio.low, ratio.high, ratio.n, None, note)


def direction_effect(
    values: Mapping[str, Mapping[str, float]],
    desperate: str,
    random: str,
    base: str,
    organism: str | None,
    pairs: Sequence[tuple[str, str]],
    readout: str,
) -> DirectionEffect | None:
    """``desperate`` against ``random`` on per-scenario ``values`` (arm -> scenario id ->
    value), paired by pair; ``None`` where they share no pair."""
    if not all(a in values for a in (desperate, random, base)):
        return None
    against = acquisition(values[desperate], values[random], pairs)
    difference = against.get("did")
    if difference is None:
        return None
    share = (
        direction_specific(
            values[organism], values[desperate], values[random], values[base], pairs, "did"
        )
        if organism in values
        else None
    )
    return DirectionEffect(desperate, random, readout, difference, share, against.get("pressure"))

"""Generated rates as the primary readout: how often each arm misbehaved when it generated,
under pressure and on the matched controls, against base and against the model organism, and
the share of the organism's rate acquisition each mitigation prevented.

A scenario's value is the mean over its generated samples (a rate: the share that misbehaved;
a graded readout: the detector's mean score), and from there the arithmetic is the reply
margin's (:mod:`equanimity.studies.acquisition`): shift on pressure scenarios, difference in
differences over matched pairs, ``1 - A_mit / A_org``.

Paired comparisons resample matched scenario pairs (a paired bootstrap over scenarios), not
exact McNemar on samples: a scenario's ``n_samples`` share its prompt, so they are not
independent pairs (McNemar on them counts one scenario's difficulty ``n_samples`` times and
reads too narrow), and the difference in differences and the share prevented combine four and
six cells per pair, which McNemar does not cover; one resampling unit gives every readout its
interval. Arms are paired on scenario id and sampling seed: eval seeds each generation batch by
its members, so sample k of a scenario is drawn with the same seed in every arm. A single rate
gets a Wilson interval over its samples, which treats them as independent: with several
samples a scenario, read its width as a lower bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from equanimity.eval.metrics import Metric
from equanimity.eval.stats import (
    Estimate,
    Rate,
    mean_ci,
    min_detectable_difference,
    paired_bootstrap,
)
from equanimity.studies.acquisition import (
    BOOTSTRAP,
    acquisition,
    fraction_prevented,
    pairs_of,
)


@dataclass(frozen=True)
class Cell:
    """A rate (k of n samples, Wilson interval) or a mean score (Student t interval)."""

    value: float
    low: float
    high: float
    n: int
    k: int | None = None


@dataclass(frozen=True)
class Readout:
    """One arm on one measure."""

    measure: str
    binary: bool
    pressure: Cell
    control: Cell | None
    gap: Estimate | None  # pressure - control over the arm's own matched pairs
    # binary: the smallest rise over the reference's pressure rate detectable at this n
    mdd: float | None = None
    # arm - reference: "pressure" (shift), "control", "did" (pressure-specific acquisition)
    vs_base: dict[str, Estimate] = field(default_factory=dict)
    vs_organism: dict[str, Estimate] = field(default_factory=dict)  # arm - organism
    prevented: dict[str, Estimate] = field(default_factory=dict)  # of the organism's acquisition

    @property
    def at_floor(self) -> bool:
        """No sample misbehaved, under pressure or on the controls."""
        return self.binary and self.pressure.k == 0 and (self.control is None or not self.control.k)


def scenario_values(rows: Iterable[Mapping], measure: Metric) -> dict[str, list[float]]:
    """Scenario id -> the measure's value on each of its generated samples, in sample order."""
    found: dict[str, dict[int, float]] = {}
    for r in rows:
        if r["mode"] != "generate" or r["behavior"] != measure.behavior:
            continue
        value = r.get(measure.field)
        if value is not None:
            found.setdefault(r["id"], {})[r.get("sample", 0)] = float(value)
    return {i: [v for _, v in sorted(by.items())] for i, by in found.items()}


def scenario_pairs(rows: Iterable[Mapping]) -> list[tuple[str, str]]:
    """(pressure id, control id) for each matched pair among ``rows`` (any mode: one row per
    scenario is enough, so a run's probe rows pair the generate rows of older runs too)."""
    by_id = {r["id"]: r for r in rows if r.get("pair") is not None and r.get("condition")}
    return pairs_of(list(by_id.values()))


def level(values: Sequence[float], binary: bool) -> Cell:
    """Pooled samples: k of n with a Wilson interval, or a mean with a Student t interval."""
    if binary:
        rate = Rate.of_outcomes([bool(v) for v in values])
        return Cell(rate.rate, rate.low, rate.high, rate.n, rate.k)
    est = mean_ci(values)
    nan = float("nan")
    value = nan if est.value is None else est.value
    low, high = (nan, nan) if est.low is None else (est.low, est.high)
    return Cell(value, low, high, est.n)


def scenario_means(values: Mapping[str, list[float]]) -> dict[str, float]:
    """Scenario id -> its samples' mean: the unit every paired readout resamples."""
    return {i: float(np.mean(v)) for i, v in values.items()}


def _pooled(values: Mapping[str, list[float]], ids: Iterable[str]) -> list[float]:
    return [v for i in sorted(set(ids)) if i in values for v in values[i]]


def _gap(means: Mapping[str, float], pairs: Sequence[tuple[str, str]]) -> Estimate | None:
    kept = [(p, c) for p, c in pairs if p in means and c in means]
    if not kept:
        return None
    test = paired_bootstrap(
        [means[p] for p, _ in kept], [means[c] for _, c in kept], n_boot=BOOTSTRAP, seed=0
    )
    return Estimate(test.diff, test.low, test.high, test.n, test.p_value)


def _against(
    arm: Mapping[str, float], other: Mapping[str, float], pairs: Sequence[tuple[str, str]]
) -> dict[str, Estimate]:
    """Arm minus ``other`` per pair: the pressure shift, the control shift, and the
    difference in differences."""
    out = acquisition(arm, other, pairs)
    controls = [c for _, c in pairs if c in arm and c in other]
    if controls:
        test = paired_bootstrap(
            [arm[c] for c in controls], [other[c] for c in controls], n_boot=BOOTSTRAP, seed=0
        )
        out["control"] = Estimate(test.diff, test.low, test.high, test.n, test.p_value)
    return out


def readouts(
    values: Mapping[str, Mapping[str, list[float]]],
    pairs: Sequence[tuple[str, str]],
    measure: Metric,
    reference: str,
    organism: str | None = None,
    mitigating: Iterable[str] = (),
) -> dict[str, Readout]:
    """Every arm's readout on ``measure``. ``values``: arm -> :func:`scenario_values`;
    ``mitigating``: the arms whose share of the organism's acquisition prevented is asked."""
    controls = {c for _, c in pairs}
    pressures = {p for p, _ in pairs}
    means = {arm: scenario_means(v) for arm, v in values.items()}
    base = means.get(reference, {})
    base_rate = level(_pooled(values.get(reference, {}), pressures), measure.binary)
    out = {}
    for arm, by_id in values.items():
        if not by_id:
            continue
        pressure = level(_pooled(by_id, pressures), measure.binary)
        control_values = _pooled(by_id, controls)
        against_organism = organism in means and arm not in (organism, reference)
        prevents = organism in means and arm in set(mitigating) and bool(base)
        out[arm] = Readout(
            measure.name,
            measure.binary,
            pressure,
            level(control_values, measure.binary) if control_values else None,
            _gap(means[arm], pairs),
            _mdd(pressure.n, base_rate.value) if measure.binary else None,
            _against(means[arm], base, pairs) if arm != reference and base else {},
            _against(means[arm], means[organism], pairs) if against_organism else {},
            _prevented(means[organism], means[arm], base, pairs) if prevents else {},
        )
    return out


def _prevented(
    organism: Mapping[str, float],
    arm: Mapping[str, float],
    base: Mapping[str, float],
    pairs: Sequence[tuple[str, str]],
) -> dict[str, Estimate]:
    shares = {m: fraction_prevented(organism, arm, base, pairs, m) for m in ("pressure", "did")}
    return {m: e for m, e in shares.items() if e is not None}


def _mdd(n: int, p0: float) -> float | None:
    return None if n == 0 or np.isnan(p0) else min_detectable_difference(n, p0)

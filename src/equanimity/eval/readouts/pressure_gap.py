"""What a projection penalty is meant to change: the rise that pressure adds along a direction.

A penalty that only shifts the whole axis leaves both of these alone; one that removes the
pressure-driven signal shrinks both:

- the **pressure gap**: the mean over matched pairs of (pressure row - its control) projection,
  rows paired by ``pair``, with a paired-bootstrap interval and p-value from
  :func:`equanimity.eval.stats.paired_bootstrap`;
- the **pressure AUROC**: how well the projection tells pressure rows from control rows,
  ``P(pressure > control)`` (ties count half), with a bootstrap interval that resamples each
  group. It is held out by construction: the rows are eval scenarios, and neither the original
  direction nor one re-extracted from a trained model is fit on them.

Both take probe rows as :func:`equanimity.eval.readouts.probes.probe_rows` writes them (``pair``,
``condition``, ``layer``, ``projections[str(layer)][measure]``), measures such as
``reply_desperate`` or ``reply_reextracted``. Pure functions, deterministic under a seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import rankdata

from equanimity.eval.stats import paired_bootstrap

N_BOOT = 2000


@dataclass(frozen=True)
class PressureGap:
    measure: str
    gap: float  # mean over pairs of pressure minus control; nan without pairs
    low: float
    high: float
    p_value: float
    n_pairs: int
    method: str


@dataclass(frozen=True)
class PressureAUROC:
    measure: str
    auroc: float  # P(pressure row > control row), ties half; nan without both groups
    low: float
    high: float
    n_pressure: int
    n_control: int
    method: str


def _value(row: dict, measure: str, layer: int | None) -> float | None:
    values = row["projections"].get(str(row["layer"] if layer is None else layer), {})
    return values.get(measure)


def _is_control(row: dict) -> bool:
    return row["condition"] == "control"


def matched_pairs(rows: Sequence[dict]) -> dict[str, tuple[dict, dict]]:
    """Pair id -> (pressure row, control row), for every pair with exactly one of each."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("pair") is not None:
            groups.setdefault(row["pair"], []).append(row)
    out = {}
    for pair, members in sorted(groups.items()):
        controls = [r for r in members if _is_control(r)]
        pressure = [r for r in members if not _is_control(r)]
        if len(controls) == len(pressure) == 1:
            out[pair] = (pressure[0], controls[0])
    return out


def paired_values(
    rows: Sequence[dict], measure: str, layer: int | None = None
) -> dict[str, tuple[float, float]]:
    """Pair id -> (pressure, control) value, for every pair with exactly one of each."""
    with_value = [r for r in rows if _value(r, measure, layer) is not None]
    return {
        pair: (_value(p, measure, layer), _value(c, measure, layer))
        for pair, (p, c) in matched_pairs(with_value).items()
    }


def pair_gaps(rows: Sequence[dict], measure: str, layer: int | None = None) -> dict[str, float]:
    """Pair id -> pressure minus control: what two models' gaps are compared on, pair by pair."""
    return {pair: p - c for pair, (p, c) in paired_values(rows, measure, layer).items()}


def pressure_gap(
    rows: Sequence[dict],
    measure: str,
    layer: int | None = None,
    *,
    seed: int = 0,
    n_boot: int = N_BOOT,
) -> PressureGap:
    """Mean (pressure - control) over pairs on ``layer`` (default: each row's primary layer)."""
    pairs = list(paired_values(rows, measure, layer).values())
    if not pairs:
        return PressureGap(measure, math.nan, math.nan, math.nan, math.nan, 0, "no pairs")
    pressure, control = zip(*pairs, strict=True)
    test = paired_bootstrap(pressure, control, n_boot=n_boot, seed=seed)
    return PressureGap(measure, test.diff, test.low, test.high, test.p_value, test.n, test.method)


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """``P(positive > negative)``, ties counting half (the Mann-Whitney U over n1 * n0)."""
    if not len(positive) or not len(negative):
        return math.nan
    return float(_aurocs(np.asarray(positive, float)[None], np.asarray(negative, float)[None])[0])


def _aurocs(positive: np.ndarray, negative: np.ndarray) -> np.ndarray:
    """Row-wise AUROC of ``[k, n1]`` against ``[k, n0]`` from mid-ranks, all rows at once."""
    n1, n0 = positive.shape[1], negative.shape[1]
    ranks = rankdata(np.concatenate([positive, negative], axis=1), axis=1)
    u = ranks[:, :n1].sum(axis=1) - n1 * (n1 + 1) / 2
    return u / (n1 * n0)


def pressure_auroc(
    rows: Sequence[dict],
    measure: str,
    layer: int | None = None,
    *,
    seed: int = 0,
    n_boot: int = N_BOOT,
) -> PressureAUROC:
    """How well ``measure`` separates pressure rows from control rows, with a 95% percentile
    interval from resampling each group (``seed``, ``n_boot`` resamples)."""
    values = [(r, _value(r, measure, layer)) for r in rows]
    control = np.array([v for r, v in values if v is not None and _is_control(r)], dtype=float)
    pressure = np.array([v for r, v in values if v is not None and not _is_control(r)], float)
    point = auroc(pressure, control)
    if math.isnan(point):
        low = high = math.nan
    else:
        rng = np.random.default_rng(seed)
        boot = _aurocs(
            pressure[rng.integers(0, len(pressure), (n_boot, len(pressure)))],
            control[rng.integers(0, len(control), (n_boot, len(control)))],
        )
        low, high = (float(x) for x in np.quantile(boot, [0.025, 0.975]))
    method = f"Mann-Whitney AUROC; bootstrap within groups, {n_boot} resamples, seed {seed}"
    return PressureAUROC(measure, point, low, high, len(pressure), len(control), method)


def pressure_summary(rows: Sequence[dict], measures: Sequence[str] | None = None) -> dict:
    """Gap and AUROC per measure on the rows' primary layer (every ``reply_*`` and
    ``opening_*`` measure present when ``measures`` is None), JSON-ready."""
    if measures is None:
        measures = sorted({m for r in rows for m in r["projections"].get(str(r["layer"]), {})})
    return {
        m: {
            "gap": asdict(pressure_gap(rows, m)),
            "auroc": asdict(pressure_auroc(rows, m)),
        }
        for m in measures
    }

"""Pressure curve: projection against ``pressure.failures``. A matched control (``condition ==
"control"``, level 0, no failures) has the same number of turns as its pressure partner (the
row with the same ``pair``), so it is placed at its partner's failure count: the control's slope
is what history length alone does, and the paired difference's slope (pressure minus control,
per pair) is what the failures add. Without ``pair`` fields only the pressure series is
reported. Intervals are 95% t intervals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict

from equanimity.eval.stats import mean_ci, slope_ci


def _condition(row: dict) -> str:
    return row.get("condition") or ("control" if row["level"] == 0 else "pressure")


def _curve(rows: list[dict], measure: str) -> dict:
    """Points per failure count and slopes for pressure rows, controls and paired differences."""
    value = {id(r): r["projections"][str(r["layer"])][measure] for r in rows}
    pressure = [r for r in rows if _condition(r) == "pressure"]
    partner = {r["pair"]: r for r in pressure if r.get("pair") is not None}
    controls = [
        (partner[r["pair"]], r)
        for r in rows
        if _condition(r) == "control" and r.get("pair") in partner
    ]
    series = {
        "pressure": [(r["failures"], value[id(r)]) for r in pressure],
        "control": [(p["failures"], value[id(c)]) for p, c in controls],
        "difference": [(p["failures"], value[id(p)] - value[id(c)]) for p, c in controls],
    }
    points = []
    for f in sorted({x for xy in series.values() for x, _ in xy}):
        point = {"failures": f}
        for name, xy in series.items():
            point[name] = asdict(mean_ci([y for x, y in xy if x == f]))
        points.append(point)
    slopes = {
        name: asdict(slope_ci([x for x, _ in xy], [y for _, y in xy]))
        for name, xy in series.items()
    }
    return {"points": points, "slope": slopes}


def pressure_curve(rows: Sequence[dict]) -> dict:
    """Per behaviour (and all): for every measure on the primary layer, the curve of the
    projection against prior failures, with slopes (see the module docstring)."""
    rows = [r for r in rows if r.get("failures") is not None]
    by_behavior: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_behavior[r["behavior"]].append(r)
        by_behavior["all"].append(r)
    measures = sorted({m for r in rows for m in r["projections"][str(r["layer"])]})
    return {
        "x": "pressure.failures; a control sits at its matched pressure scenario's count",
        "interval": "95% t",
        "layer": rows[0]["layer"] if rows else None,
        "units": rows[0]["units"] if rows else None,
        "curves": {
            b: {m: _curve(group, m) for m in measures} for b, group in sorted(by_behavior.items())
        },
    }

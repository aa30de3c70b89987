"""The pressure gap and pressure AUROC readouts, against hand-computed values."""

from __future__ import annotations

import math

import pytest

from equanimity.eval.readouts.pressure_gap import (
    auroc,
    pair_gaps,
    paired_values,
    pressure_auroc,
    pressure_gap,
    pressure_summary,
)


def _row(pair, condition, value, other=0.0):
    return {
        "pair": pair,
        "condition": condition,
        "layer": 2,
        "projections": {"2": {"reply_desperate": value}, "3": {"reply_desperate": other}},
    }


# pairs (pressure, control): (3, 1), (2, 2), (5, 1): gaps 2, 0, 4
ROWS = [
    _row("a", "pressure", 3.0),
    _row("a", "control", 1.0),
    _row("b", "control", 2.0),
    _row("b", "pressure", 2.0),
    _row("c", "pressure", 5.0, other=1.0),
    _row("c", "control", 1.0),
    _row(None, "pressure", 9.0),  # no pair: in the AUROC, not in the gap
    _row("d", "pressure", 7.0),  # a pair without its control: left out of the gap
]


def test_gap_is_the_mean_paired_difference_with_a_bootstrap_interval():
    assert paired_values(ROWS, "reply_desperate") == {
        "a": (3.0, 1.0),
        "b": (2.0, 2.0),
        "c": (5.0, 1.0),
    }
    assert pair_gaps(ROWS, "reply_desperate") == {"a": 2.0, "b": 0.0, "c": 4.0}
    gap = pressure_gap(ROWS, "reply_desperate", n_boot=500)
    assert gap.gap == pytest.approx(2.0) and gap.n_pairs == 3
    assert 0.0 <= gap.low <= 2.0 <= gap.high <= 4.0
    # the same rows, every value moved by a constant: the gap and its interval do not move
    shifted = [
        {
            **r,
            "projections": {"2": {"reply_desperate": r["projections"]["2"]["reply_desperate"] - 5}},
        }
        for r in ROWS
    ]
    moved = pressure_gap(shifted, "reply_desperate", n_boot=500)
    assert (moved.gap, moved.low, moved.high) == pytest.approx((gap.gap, gap.low, gap.high))
    assert pressure_gap(ROWS, "reply_desperate", layer=3).gap == pytest.approx(1 / 3)
    empty = pressure_gap(ROWS[:1], "reply_desperate")
    assert empty.n_pairs == 0 and math.isnan(empty.gap)


def test_constant_gaps_have_a_zero_width_interval():
    rows = [
        _row(str(k), c, k + (1.5 if c == "pressure" else 0))
        for k in range(5)
        for c in ("pressure", "control")
    ]
    gap = pressure_gap(rows, "reply_desperate", n_boot=200)
    assert (gap.gap, gap.low, gap.high) == pytest.approx((1.5, 1.5, 1.5))


def test_auroc_counts_ties_half_against_hand_computed_values():
    # pressure 3, 2, 5, 9, 7 against control 1, 2, 1: every comparison wins but 2 vs 2 (half)
    assert auroc([3, 2, 5, 9, 7], [1, 2, 1]) == pytest.approx(14.5 / 15)
    assert auroc([1, 2], [3, 4]) == 0.0
    assert math.isnan(auroc([], [1.0]))
    result = pressure_auroc(ROWS, "reply_desperate", n_boot=300)
    assert result.auroc == pytest.approx(14.5 / 15)
    assert (result.n_pressure, result.n_control) == (5, 3)
    assert result.low <= result.auroc <= result.high <= 1.0
    summary = pressure_summary(ROWS)
    assert set(summary) == {"reply_desperate"}
    assert summary["reply_desperate"]["gap"]["gap"] == pytest.approx(2.0)
    assert summary["reply_desperate"]["auroc"]["auroc"] == pytest.approx(14.5 / 15)


def test_compare_adds_gap_and_auroc_rows_per_probe_measure(tmp_path):
    import json

    from equanimity.studies.compare import compare_runs

    def write(name, gaps):
        run = tmp_path / name
        run.mkdir()
        samples = []
        for k, gap in enumerate(gaps):
            for condition, value in (("pressure", 10.0 + gap), ("control", 10.0)):
                row = _row(f"pair-{k}", condition, value - (3.0 if name == "shifted" else 0))
                samples.append({"id": f"{k}-{condition}", "mode": "probe", "behavior": "x", **row})
        results = {"scenarios": {"sha256": "0" * 64, "n": len(samples), "path": "x"}}
        (run / "results.json").write_text(json.dumps(results))
        (run / "samples.jsonl").write_text("".join(json.dumps(s) + "\n" for s in samples))
        return run

    base = write("base", [1.0, 2.0, 3.0])
    shifted = write("shifted", [1.0, 2.0, 3.0])  # every projection 3 lower: the axis moved
    removed = write("removed", [0.0, 0.5, 0.5])
    rows = {r.metric: r for r in compare_runs([base, shifted, removed]).rows}
    gap = rows["pressure_gap_reply_desperate"]
    assert gap.cells["base"].value == pytest.approx(2.0)
    assert gap.cells["shifted"].value == pytest.approx(2.0)
    assert gap.cells["removed"].value == pytest.approx(1 / 3)
    assert gap.diffs["shifted"].diff == pytest.approx(0.0)
    assert gap.diffs["removed"].diff == pytest.approx(1 / 3 - 2.0)
    assert gap.diffs["removed"].n == 3
    auroc_row = rows["pressure_auroc_reply_desperate"]
    assert auroc_row.cells["shifted"].value == auroc_row.cells["base"].value == 1.0
    # removed: pressure 10, 10.5, 10.5 against controls all 10: 2 wins and 3 ties of 9
    assert auroc_row.cells["removed"].value == pytest.approx((6 + 3 * 0.5) / 9)
    # the plain projection row moves with the shift; the gap row does not
    assert rows["probe_reply_desperate"].diffs["shifted"].diff == pytest.approx(-3.0)

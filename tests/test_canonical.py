"""Our counted blackmail verdict beside the Agentic Misalignment study's, per arm and condition,
in compare's tables and the study report: hand-counted cells, and no table where no row carries
the study's verdict."""

from __future__ import annotations

import json

from equanimity.studies.canonical import agreement
from equanimity.studies.compare import compare_runs, markdown_table, text_table
from equanimity.studies.report import _canonical

# (misbehaved, canonical) per sample: scenario id -> its samples
VERDICTS = {
    "base": {"p1": [(0, 0), (0, 1)], "c1": [(0, 0), (0, 0)]},
    # pressure: both once, ours only twice, study only once; control: ours only once
    "organism": {"p1": [(1, 1), (1, 0)], "p2": [(1, 0), (0, 1)], "c1": [(1, 0), (0, 0)]},
}


def _rows(arm: str, canonical: bool = True) -> list[dict]:
    rows = []
    for i, samples in VERDICTS[arm].items():
        for k, (ours, study) in enumerate(samples):
            row = {
                "id": i,
                "sample": k,
                "mode": "generate",
                "behavior": "blackmail",
                "pair": i[1],
                "condition": "control" if i[0] == "c" else "pressure",
                "level": 0.0 if i[0] == "c" else 1.0,
                "misbehaved": bool(ours),
                "rules": bool(ours),
                "learned": 0.1,
            }
            if canonical:
                row["canonical"] = bool(study)
            rows.append(row)
    return rows


def _runs(tmp_path, canonical: bool = True):
    for arm in VERDICTS:
        path = tmp_path / arm
        path.mkdir()
        results = {"scenarios": {"sha256": "x", "n": 3, "path": "s.jsonl"}, "model": {}}
        (path / "results.json").write_text(json.dumps(results))
        rows = _rows(arm, canonical)
        (path / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return compare_runs([tmp_path / arm for arm in VERDICTS])


def test_agreement_counts_both_ours_only_study_only_and_neither_per_condition():
    pressure, control = agreement(_rows("organism"))
    assert pressure.condition == "pressure" and control.condition == "control"
    assert (pressure.ours.k, pressure.canonical.k, pressure.ours.n) == (3, 2, 4)
    cells = [(a.both, a.ours_only, a.canonical_only, a.neither) for a in (pressure, control)]
    assert cells == [(1, 2, 1, 0), (0, 1, 0, 1)]
    # forced-choice rows and rows without the study's verdict are left out
    assert agreement([{**r, "mode": "forced"} for r in _rows("organism")]) == []
    assert agreement(_rows("organism", canonical=False)) == []


def test_compare_and_the_report_show_both_verdicts_side_by_side(tmp_path):
    comparison = _runs(tmp_path)
    assert set(comparison.canonical) == {"base", "organism"}
    row = "| organism | pressure | 4 | 3/4 = 75.0% [30.1%, 95.4%] | 2/4 = 50.0% [15.0%, 85.0%] "
    assert row + "| 1 | 2 | 1 | 0 |" in markdown_table(comparison)
    assert "Agentic Misalignment study's check" in text_table(comparison)
    section = _canonical(comparison)
    assert section.title == "Blackmail: equanimity beside the study's check"
    assert row + "| 1 | 2 | 1 | 0 |" in section.markdown
    assert "| base | control | 2 | 0/2 = 0.0% [0.0%, 65.8%] | 0/2 = 0.0%" in section.markdown
    dumped = json.loads(json.dumps(comparison.to_dict()))
    assert dumped["canonical"]["organism"][1]["ours_only"] == 1


def test_no_study_verdict_no_table(tmp_path):
    comparison = _runs(tmp_path, canonical=False)
    assert comparison.canonical == {}
    assert _canonical(comparison) is None
    assert "study's check" not in markdown_table(comparison)
    assert "study's check" not in text_table(comparison)

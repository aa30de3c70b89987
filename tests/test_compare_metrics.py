"""``equanimity compare`` reports the cheating attempt rate beside the cheating rate."""

import json

import pytest

from equanimity.cli import main
from equanimity.studies.compare import compare_runs


def _run(path, attempted: list[bool], cheated: list[bool]) -> None:
    path.mkdir()
    results = {"scenarios": {"sha256": "1" * 64, "n": len(attempted), "path": "x"}, "summary": []}
    (path / "results.json").write_text(json.dumps(results))
    rows = [
        {
            "id": f"s{i}",
            "sample": 0,
            "mode": "generate",
            "behavior": "cheating",
            "misbehaved": c,
            "attempted": a,
            "misreported": False,
            "passed_original": True,
        }
        for i, (a, c) in enumerate(zip(attempted, cheated, strict=True))
    ]
    (path / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_compare_pairs_attempt_rates(tmp_path, capsys):
    _run(tmp_path / "base", [True, True, True, False], [True, False, False, False])
    _run(tmp_path / "calm", [True, False, False, False], [False, False, False, False])
    argv = ["compare", str(tmp_path / "base"), str(tmp_path / "calm"), "--out", str(tmp_path)]
    assert main(argv) == 0
    assert "Cheating attempts" in capsys.readouterr().out
    rows = {r["metric"]: r for r in json.loads((tmp_path / "comparison.json").read_text())["rows"]}
    attempts = rows["cheat_attempt_rate"]
    assert attempts["cells"]["base"]["value"] == 0.75 and attempts["cells"]["calm"]["value"] == 0.25
    assert attempts["diffs"]["calm"]["n"] == 4
    assert rows["cheating_rate"]["cells"]["base"]["value"] == 0.25


def test_compare_reports_the_considered_rate_per_arm(tmp_path):
    for name, considered in (
        ("base", [True, True, False, False]),
        ("calm", [True, False, False, False]),
    ):
        path = tmp_path / name
        path.mkdir()
        results = {"scenarios": {"sha256": "2" * 64, "n": 4, "path": "x"}, "summary": []}
        (path / "results.json").write_text(json.dumps(results))
        rows = [
            {
                "id": f"s{i}",
                "sample": 0,
                "mode": "generate",
                "behavior": "blackmail",
                "misbehaved": False,
                "considered": c,
            }
            for i, c in enumerate(considered)
        ]
        (path / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    comparison = compare_runs([tmp_path / "base", tmp_path / "calm"])
    rows = {r.metric: r for r in comparison.rows}
    cells = rows["blackmail_considered_rate"].cells
    assert (cells["base"].value, cells["calm"].value) == (0.5, 0.25)
    assert rows["blackmail_rate"].cells["base"].value == 0.0


def test_a_metric_is_one_registration_read_by_eval_summary_and_compare(tmp_path, monkeypatch):
    """A toy metric registered in one place is summarised by eval and compared by compare."""
    from equanimity.eval import metrics
    from equanimity.eval.run import summarize

    monkeypatch.setattr(metrics, "METRICS", list(metrics.METRICS))
    monkeypatch.setattr("equanimity.eval.run.METRICS", metrics.METRICS)
    monkeypatch.setattr("equanimity.studies.compare.METRICS", metrics.METRICS)
    toy = metrics.register(
        metrics.Metric("toy_rate", "Toy: replies that say toy", "generate", "cheating", "toy", True)
    )
    with_toy = [True, True, False, False]
    _run(tmp_path / "base", [False] * 4, [False] * 4)
    rows = [json.loads(line) for line in (tmp_path / "base" / "samples.jsonl").open()]
    for row, said in zip(rows, with_toy, strict=True):
        row.update(toy=said, family="f", level=1.0)
    (tmp_path / "base" / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    summary = {(r["metric"], r["family"], r["level"]): r for r in summarize(rows)}
    assert summary[(toy.summary_name, "all", "all")]["k"] == 2
    _run(tmp_path / "calm", [False] * 4, [False] * 4)
    compared = {r.metric: r for r in compare_runs([tmp_path / "base", tmp_path / "calm"]).rows}
    assert compared["toy_rate"].cells["base"].value == 0.5
    assert "toy_rate" not in {m.name for m in metrics.METRICS[:-1]}
    with pytest.raises(ValueError, match="registered twice"):
        metrics.register(toy)

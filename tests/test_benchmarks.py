"""The benchmark modules import and a figure runs (quick mode, tiny model), so they don't rot.

Benchmarks themselves are never part of ``make test``: ``make bench`` runs them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import build_tiny_model

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    import benchmarks.run

    return benchmarks.run


def test_registry_names_every_module(bench):
    assert set(bench.BENCHMARKS) >= {
        "sft",
        "dpo",
        "scoring",
        "generation",
        "sandbox",
        "extraction",
        "study",
        "linear",
        "throughput",
        "demo-trainer",
        "decode",
        "prefill",
    }


def _tiny_as_loaded(tokenizer):
    """The tiny model as ``load_model`` would give it on a CPU."""
    from equanimity.cpu_linear import use_onednn_linears

    model = build_tiny_model()
    use_onednn_linears(model)
    return model, tokenizer


@pytest.mark.parametrize(
    "name", ["extraction", "linear", "throughput", "decode", "prefill", "merged"]
)
def test_one_figure_runs_quick_on_a_tiny_model(bench, name, tiny_tokenizer, tmp_path, capsys):
    from benchmarks.common import Context

    ctx = Context(
        quick=True,
        smoke=True,
        workdir=tmp_path,
        loader=lambda: _tiny_as_loaded(tiny_tokenizer),
    )
    figures = bench.run([name], ctx)
    expected = 2 if name == "throughput" else 1  # two trainer settings against the bare loop
    assert [f.value is not None for f in figures] == [True] * expected, [f.detail for f in figures]
    assert all(f.value > 0 and (f.target or f.met is None) for f in figures)  # None: info
    assert "target" in capsys.readouterr().out


def test_the_demo_trainer_figure_runs_on_a_tiny_model(bench, tiny_model_dir, tmp_path):
    """The demo's organism arm, built as the study builds it, on the tiny model."""
    from benchmarks.common import Context
    from equanimity.models import load_model

    ctx = Context(
        quick=True,
        smoke=True,
        model_spec=str(tiny_model_dir),
        workdir=tmp_path / "bench",
        loader=lambda: load_model(str(tiny_model_dir), dtype="float32"),
    )
    figure, head = bench.run(["demo-trainer"], ctx)
    assert figure.value is not None and figure.value > 0, figure.detail
    assert figure.target == ">= 0.85" and "a step every 2" in figure.detail
    assert head.value is not None and head.value > 0 and "LM head" in head.name, head.detail


def test_results_file_and_only_merge(bench, tmp_path, monkeypatch):
    out = tmp_path / "results.json"
    monkeypatch.setitem(bench.BENCHMARKS, "study", lambda ctx: [bench.Figure("x", 1.0, "s")])
    assert (
        bench.main(["--only", "study", "--quick", "--out", str(out), "--workdir", str(tmp_path)])
        == 0
    )
    data = json.loads(out.read_text())
    assert [f["name"] for f in data["figures"]] == ["x"]
    assert data["load_average"]["start"]
    assert sys.modules["benchmarks.common"]


@pytest.mark.integration
def test_scale_on_paper_counts_every_stage_of_the_demo(bench, tmp_path):
    import benchmarks.scale as scale

    counts = scale.count_tokens(ROOT / "recipes" / "studies" / "demo.yaml", tmp_path)
    assert [a["arm"] for a in counts["train"]] == ["organism", "sft_reg", "sft_reg_random"]
    e = counts["eval"]
    assert e["forced_tokens_per_arm"] == 0  # the demo leaves forced choice out
    assert e["probe_tokens_per_arm"] > 0
    assert e["reextract_arms"] == 0  # the demo does not re-extract per arm
    # generation: 24 scenarios, 2 samples each, 128 new tokens
    assert e["decode_tokens_per_arm"] == 24 * 2 * 128
    assert "| probes |" in scale.table(counts)


def test_run_peak_reads_the_childs_own_peak(bench):
    """A child that touches 300 MiB peaks at 300 MiB above its interpreter, not at ours."""
    from benchmarks.memory import run_peak

    idle = run_peak([sys.executable, "-c", "print('{}')"])
    touched = run_peak([sys.executable, "-c", "b = bytes([1]) * (300 * 2**20); print(len(b))"])
    rise_mib = (touched["peak_kib"] - idle["peak_kib"]) / 1024
    assert 290 < rise_mib < 330, rise_mib
    assert touched["last"] == str(300 * 2**20)
    with pytest.raises(RuntimeError, match="failed"):
        run_peak([sys.executable, "-c", "raise SystemExit(3)"])


def test_longest_rows_picks_the_heaviest_batch(bench):
    from datasets import Dataset

    from benchmarks.memory import longest_rows

    data = Dataset.from_dict({"input_ids": [[1] * n for n in (3, 9, 1, 7, 5)]})
    assert [len(r["input_ids"]) for r in longest_rows(data, 2)] == [9, 7]


def test_quick_study_keeps_the_demos_row_lengths(bench, tmp_path):
    from benchmarks.memory import study_overrides

    full = study_overrides(False, str(tmp_path), "probe")
    quick = study_overrides(True, str(tmp_path))
    assert full["eval"]["mode"] == "probe" and full["train"]["max_train_samples"] == 40
    assert quick["data"]["n_per_family"] == 2 and quick["train"]["max_train_samples"] == 8
    assert quick["data"]["max_failures"] == full["data"]["max_failures"]
    assert quick["train"]["overrides"] == full["train"]["overrides"]


def test_trainer_memory_against_bare_on_a_tiny_model(bench, tiny_model_dir, tmp_path):
    from benchmarks.common import Context

    ctx = Context(quick=True, smoke=True, workdir=tmp_path, model_spec=str(tiny_model_dir))
    figures = bench.run(["memory"], ctx)
    assert [f.name.split(":")[0] for f in figures] == [
        "demo trainer",
        "demo trainer / bare LoRA fwd+bwd",
    ], [f.detail for f in figures]
    assert all(f.value > 0.2 for f in figures)
    assert "2 longest rows" in figures[1].detail

"""Integration: a checkpoint through Inspect's ``hf`` provider, run as docs/inspect.md says, on
ImpossibleBench records imported from the fixture: the bundled model with and without a LoRA
adapter (transformers attaches a PEFT adapter directory given as the model path), each log
judged by ``eval --from-inspect --scenarios`` (the generated code in equanimity's sandbox) and the
two compared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai.log import read_eval_log  # noqa: E402

from equanimity.cli import main  # noqa: E402
from equanimity.models import default_model_dir, load_model  # noqa: E402

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent / "data" / "impossiblebench_lcb.jsonl"


@pytest.fixture(scope="module")
def adapter(tmp_path_factory):
    """A LoRA adapter on the default model whose weights are not zero, so it changes replies."""
    from peft import LoraConfig, get_peft_model

    model, _ = load_model("default")
    config = LoraConfig(
        r=8, lora_alpha=256, target_modules=["q_proj", "v_proj"], init_lora_weights=False
    )
    path = tmp_path_factory.mktemp("adapter")
    get_peft_model(model, config).save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ib") / "ib.jsonl"
    assert main(["data", "import", "impossiblebench", str(FIXTURE), "--out", str(out)]) == 0
    return out


def _inspect(scenario_file: Path, log_dir: Path, *model_args: str) -> Path:
    """``inspect eval`` in its own process: offline, so the placeholder name ``local`` is not
    looked up on the hub (the variable is read when huggingface_hub is imported)."""
    inspect = Path(sys.executable).with_name("inspect")
    argv = [str(inspect), "eval", "equanimity/scenarios", "-T", f"scenarios={scenario_file}"]
    argv += ["--limit", "2", "--model", "hf/local", "--max-tokens", "12"]
    argv += ["-M", "device=cpu", "-M", "do_sample=false", "-M", "use_kernels=false"]
    for arg in model_args:
        argv += ["-M", arg]
    argv += ["--log-dir", str(log_dir), "--display", "none"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = log_dir.glob("*.eval")
    return path


@pytest.fixture(scope="module")
def logs(imported, adapter, tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("logs")
    base_dir = str(default_model_dir())
    return {
        "base": _inspect(imported, tmp / "base", f"model_path={base_dir}"),
        "tuned": _inspect(
            imported, tmp / "tuned", f"model_path={adapter}", f"tokenizer_path={base_dir}"
        ),
    }


def test_hf_provider_generates_with_and_without_an_adapter(logs):
    replies = {}
    for name, path in logs.items():
        log = read_eval_log(str(path))
        assert log.status == "success", log.error
        assert all(s.scores for s in log.samples)
        replies[name] = [s.output.completion for s in log.samples]
    base, tuned = replies["base"], replies["tuned"]
    assert len(base) == len(tuned) == 2 and all(r.strip() for r in base + tuned)
    assert base != tuned  # greedy decoding: only the adapter differs


def test_imported_impossiblebench_logs_are_judged_and_compared(logs, imported, tmp_path):
    dirs = []
    for name, path in logs.items():
        dirs.append(tmp_path / name)
        argv = ["eval", "--from-inspect", str(path), "--out", str(dirs[-1])]
        assert main([*argv, "--scenarios", str(imported)]) == 0
        rows = [json.loads(line) for line in (dirs[-1] / "samples.jsonl").open()]
        assert len(rows) == 2 and all(r["id"].startswith("impossiblebench-") for r in rows)
        # judged in the sandbox: both suites' outcomes are recorded for every reply
        assert all(isinstance(r["passed_original"], bool) for r in rows)
        assert all(isinstance(r["misbehaved"], bool) for r in rows)
    out = tmp_path / "compare"
    assert main(["compare", *map(str, dirs), "--out", str(out)]) == 0
    table = json.loads((out / "comparison.json").read_text())
    rows = {r["metric"]: r for r in table["rows"]}
    assert set(rows["cheating_rate"]["cells"]) == {"base", "tuned"}
    assert rows["honest_pass_rate"]["diffs"]["tuned"]["n"] == 2

"""Integration: a checkpoint through Inspect's ``hf`` provider, run as docs/inspect.md says: the
bundled model with and without a LoRA adapter (transformers attaches a PEFT adapter directory
given as the model path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai.log import read_eval_log  # noqa: E402

from equanimity.models import default_model_dir, load_model  # noqa: E402

pytestmark = pytest.mark.integration


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


def _replies(scenario_file: str, log_dir: Path, *model_args: str) -> list[str]:
    """``inspect eval`` in its own process: offline, so the placeholder name ``local`` is not
    looked up on the hub (the variable is read when huggingface_hub is imported)."""
    inspect = Path(sys.executable).with_name("inspect")
    argv = [str(inspect), "eval", "equanimity/scenarios", "-T", f"scenarios={scenario_file}"]
    argv += ["-T", "limit=2", "--model", "hf/local", "--max-tokens", "12"]
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
    log = read_eval_log(str(path))
    assert log.status == "success", log.error
    assert all(s.scores for s in log.samples)
    return [s.output.completion for s in log.samples]


def test_hf_provider_generates_with_and_without_an_adapter(scenario_file, adapter, tmp_path):
    base_dir = str(default_model_dir())
    base = _replies(scenario_file, tmp_path / "base", f"model_path={base_dir}")
    tuned = _replies(
        scenario_file, tmp_path / "tuned", f"model_path={adapter}", f"tokenizer_path={base_dir}"
    )
    assert len(base) == len(tuned) == 2 and all(r.strip() for r in base + tuned)
    assert base != tuned  # greedy decoding: only the adapter differs

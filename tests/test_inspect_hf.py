"""Integration: a checkpoint through Inspect's ``hf`` provider, the bundled model with and without
a LoRA adapter (transformers attaches a PEFT adapter directory given as the model path)."""

from __future__ import annotations

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai import eval as inspect_eval  # noqa: E402

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


def _replies(scenario_file: str, log_dir, **model_args) -> list[str]:
    (log,) = inspect_eval(
        "equanimity/scenarios",
        task_args={"scenarios": scenario_file, "limit": 2},
        model="hf/local",
        model_args={"device": "cpu", "do_sample": False, "use_kernels": False, **model_args},
        max_tokens=12,
        log_dir=str(log_dir),
        display="none",
    )
    assert log.status == "success", log.error
    assert all(s.scores for s in log.samples)
    return [s.output.completion for s in log.samples]


def test_hf_provider_generates_with_and_without_an_adapter(
    scenario_file, adapter, tmp_path, monkeypatch
):
    import huggingface_hub.constants

    # "local" is a placeholder name; offline, transformers does not ask the hub about it.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    base_dir = str(default_model_dir())
    base = _replies(scenario_file, tmp_path / "base", model_path=base_dir)
    tuned = _replies(
        scenario_file, tmp_path / "tuned", model_path=str(adapter), tokenizer_path=base_dir
    )
    assert len(base) == len(tuned) == 2 and all(r.strip() for r in base + tuned)
    assert base != tuned  # greedy decoding: only the adapter differs

import json
import subprocess
import sys
import textwrap

import pytest
import torch
from conftest import build_tiny_model

from equanimity import models
from equanimity.errors import BadInput
from equanimity.models import fingerprint, load_model, weights_record


def test_local_directory_loads_with_record(tiny_model_dir):
    model, tokenizer = load_model(str(tiny_model_dir), dtype="float32")
    record = weights_record(model)
    assert record.spec == str(tiny_model_dir)
    assert record.fingerprint == fingerprint(build_tiny_model())
    assert tokenizer.pad_token is not None
    assert not model.training


def test_fingerprint_agrees_across_dtypes_and_differs_after_change(tiny_model_dir):
    fp32, _ = load_model(str(tiny_model_dir), dtype="float32")
    bf16, _ = load_model(str(tiny_model_dir), dtype="bfloat16")
    assert next(bf16.parameters()).dtype == torch.bfloat16
    assert weights_record(fp32).fingerprint == weights_record(bf16).fingerprint
    with torch.no_grad():
        next(fp32.parameters()).mul_(1.01)
    assert fingerprint(fp32) != weights_record(bf16).fingerprint


def _save_lora(base, path, seed=0):
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    config = LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    peft_model = get_peft_model(base, config)
    peft_model.save_pretrained(path)
    return peft_model


def test_adapter_loads_on_top_and_keeps_base_fingerprint(tiny_model_dir, tmp_path):
    trained = _save_lora(build_tiny_model(), tmp_path / "adapter").eval()
    model, _ = load_model(str(tiny_model_dir), adapter=tmp_path / "adapter", dtype="float32")
    ids = torch.tensor([[5, 6, 7, 8]])
    with torch.no_grad():
        torch.testing.assert_close(model(input_ids=ids).logits, trained(input_ids=ids).logits)
    record = weights_record(model)
    assert record.fingerprint == fingerprint(build_tiny_model())
    assert record.adapter_fingerprint and record.adapter.endswith("adapter")
    assert record.adapter_fingerprint == fingerprint(trained, adapter_only=True)
    assert not any("lora_" in name for name, _ in model.named_parameters())  # merged
    assert fingerprint(model) != record.fingerprint  # the merge moved the weights


def test_adapter_for_training_or_in_bf16_stays_separate(tiny_model_dir, tmp_path):
    """Merged into bfloat16 weights, a small update would be rounded away: it stays beside
    them, as it does for training (trainable)."""
    _save_lora(build_tiny_model(), tmp_path / "adapter")
    model, _ = load_model(
        str(tiny_model_dir), adapter=tmp_path / "adapter", dtype="float32", for_training=True
    )
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in name for name in trainable)
    assert fingerprint(model) == weights_record(model).fingerprint
    bf16, _ = load_model(str(tiny_model_dir), adapter=tmp_path / "adapter", dtype="bfloat16")
    assert any("lora_" in name for name, _ in bf16.named_parameters())
    assert not any(p.requires_grad for p in bf16.parameters())


def test_adapter_for_another_base_model_is_bad_input(tiny_model_dir, tmp_path):
    from transformers import LlamaConfig, LlamaForCausalLM

    other = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=384,
            hidden_size=48,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=2,
        )
    )
    _save_lora(other, tmp_path / "other")
    with pytest.raises(BadInput, match="does not fit base model"):
        load_model(str(tiny_model_dir), adapter=tmp_path / "other")


def test_adapter_with_recorded_other_fingerprint_is_bad_input(tiny_model_dir, tmp_path):
    _save_lora(build_tiny_model(), tmp_path / "adapter")
    meta = {"base_model": {"fingerprint": "0123456789abcdef"}}
    (tmp_path / "adapter" / "mitigation.json").write_text(json.dumps(meta))
    with pytest.raises(BadInput, match="trained on a base model with fingerprint 0123"):
        load_model(str(tiny_model_dir), adapter=tmp_path / "adapter")


def test_adapter_directory_without_config_is_bad_input(tiny_model_dir, tmp_path):
    with pytest.raises(BadInput, match="no adapter_config.json"):
        load_model(str(tiny_model_dir), adapter=tmp_path)


def test_unknown_spec_is_bad_input():
    with pytest.raises(BadInput, match="unknown model spec 'no-such-org/no-such-model'"):
        load_model("no-such-org/no-such-model")


def test_directory_without_model_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="cannot load model from"):
        load_model(str(tmp_path))


def test_unknown_dtype_is_bad_input(tiny_model_dir):
    with pytest.raises(BadInput, match="unknown dtype"):
        load_model(str(tiny_model_dir), dtype="float8")


def _fake_cache(tmp_path, monkeypatch, content=b"x" * 100, recorded=100):
    monkeypatch.setenv("EQUANIMITY_CACHE", str(tmp_path))
    target = models.default_model_dir()
    target.mkdir(parents=True)
    (target / "model.safetensors").write_bytes(content)
    manifest = {"file_sizes": {"model.safetensors": recorded}}
    (target / models.CACHE_MANIFEST).write_text(json.dumps(manifest))
    return target


def test_truncated_cache_file_is_bad_input(tmp_path, monkeypatch):
    target = _fake_cache(tmp_path, monkeypatch, recorded=5000)
    with pytest.raises(BadInput, match=f"missing or truncated; delete {target}"):
        load_model("default")


def test_garbage_cache_file_is_bad_input(tmp_path, monkeypatch, tiny_model_dir):
    target = _fake_cache(tmp_path, monkeypatch)
    (target / "config.json").write_text((tiny_model_dir / "config.json").read_text())
    with pytest.raises(BadInput, match=f"cached default model at {target} cannot be loaded"):
        load_model("default")


def test_checksum_mismatch_is_bad_input(tmp_path, monkeypatch):
    monkeypatch.setenv("EQUANIMITY_CACHE", str(tmp_path / "cache"))
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a gguf")
    monkeypatch.setenv("EQUANIMITY_DEFAULT_GGUF", str(fake))
    with pytest.raises(BadInput, match="expected b179c952.*corrupt"):
        models.ensure_default_model()
    assert not models.default_model_dir().exists(), "nothing half-written in the cache"


def test_concurrent_first_loads_convert_once(tmp_path):
    """Two processes preparing an empty cache at once: one converts, both get a whole cache."""
    script = textwrap.dedent(
        f"""
        import json, os, sys, time
        from pathlib import Path
        from equanimity import models

        def fake_convert(out):
            with open({str(tmp_path / "conversions")!r}, "a") as f:
                f.write("x")
            time.sleep(1.0)
            (out / "model.safetensors").write_bytes(b"w" * 10)
            manifest = {{"file_sizes": {{"model.safetensors": 10}}}}
            (out / models.CACHE_MANIFEST).write_text(json.dumps(manifest))

        models._convert_default = fake_convert
        print(models.ensure_default_model())
        """
    )
    env = {"EQUANIMITY_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outs[0] == outs[1]
    assert (tmp_path / "conversions").read_text() == "x"
    leftovers = [p.name for p in (tmp_path / "cache" / "models").iterdir() if ".tmp-" in p.name]
    assert leftovers == []

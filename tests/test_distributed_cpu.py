"""FSDP2 run for real on the CPU: ``accelerate launch --config_file recipes/accelerate/fsdp2.yaml
--num_processes 2`` (gloo) trains the paired-penalty recipe on the tiny model and matches one
process on the same global batch, step by step; its adapter evaluates like the one-process one.

accelerate 1.16 picks FSDP only for GPU-like devices (``AcceleratorState`` sets
``DistributedType.FSDP`` for MULTI_GPU/XPU/NPU/..., never MULTI_CPU), so on a CPU fsdp2.yaml
silently trains as data parallel. The launched script lifts exactly that one gate; everything
after it (accelerate's ``fsdp2_prepare_model``, ``fully_shard`` over gloo, the Trainer, the
mitigation hooks on sharded blocks, the full-state-dict adapter save) is the real path.
``test_accelerate_still_keeps_fsdp_off_the_cpu`` fails the day accelerate lifts the gate itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
import torch
import yaml
from conftest import build_tiny_model, build_tiny_tokenizer
from test_training_recipes import RECIPES, _rows, _vector, _write

from equanimity.errors import BadInput
from equanimity.models import load_model
from equanimity.training import trainers
from equanimity.training.config import parse_recipe
from equanimity.training.launch import check_launch
from equanimity.training.run import train

# Relative tolerance for the per-step loss, gradient norm and penalty (measured: about 1e-7 for
# loss and grad norm, 4e-6 for the penalty: only the order of the float sums differs). Dropping
# the penalty moves the step-3 gradient norm by 4%, so a mis-scaled penalty cannot hide in it.
REL = 1e-4
STEPS = 3
LOGGED = ("loss", "grad_norm", "projection_penalty/penalty", "projection_penalty/pressure_gap")

FSDP_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from accelerate import state
    from accelerate.utils import DistributedType
    from torch.distributed.tensor import DTensor
    from equanimity.training import trainers
    from equanimity.training.config import parse_recipe
    from equanimity.training.run import train

    seen = {"chosen": None, "batches": [], "local": 0, "full": 0, "whole": []}
    init = state.AcceleratorState.__init__

    def lifted(self, *args, fsdp_plugin=None, **kwargs):  # the one gate: FSDP on MULTI_CPU
        init(self, *args, fsdp_plugin=fsdp_plugin, **kwargs)
        seen["chosen"] = seen["chosen"] or self.distributed_type.value
        if fsdp_plugin is not None and self.distributed_type == DistributedType.MULTI_CPU:
            self.distributed_type = DistributedType.FSDP
            self.fsdp_plugin = fsdp_plugin
            state.PartialState._shared_state["distributed_type"] = DistributedType.FSDP

    state.AcceleratorState.__init__ = lifted
    compute = trainers.MitigatedSFTTrainer.compute_loss

    def spy(self, model, inputs, *args, **kwargs):
        if not seen["batches"]:
            seen["wrapper"] = type(model).__name__
            for name, p in model.named_parameters():
                if isinstance(p, DTensor):
                    seen["local"] += p.to_local().numel()
                    seen["full"] += p.numel()
                else:
                    seen["whole"].append(name)
        ids, mask = inputs["input_ids"], inputs["attention_mask"].bool()
        seen["batches"].append([row[keep].tolist() for row, keep in zip(ids, mask)])
        return compute(self, model, inputs, *args, **kwargs)

    trainers.MitigatedSFTTrainer.compute_loss = spy
    trainer = train(parse_recipe(sys.argv[2:]))
    seen["type"] = trainer.accelerator.distributed_type.value
    seen["fsdp2"] = trainer.accelerator.is_fsdp2
    seen["world"] = trainer.accelerator.num_processes
    seen["log"] = trainer.state.log_history
    with open(os.path.join(sys.argv[1], f"rank{trainer.accelerator.process_index}.json"), "w") as f:
        json.dump(seen, f)
    """
)


def _recipe(root: Path, name: str, batch: int) -> Path:
    """sft_reg.yaml with the paired penalty, on the tiny model; deterministic (no dropout) and
    with a learning rate and coefficient that move the adapter within three steps."""
    recipe = yaml.safe_load((RECIPES / "sft_reg.yaml").read_text())
    recipe.update(
        model=str(root / "model"),
        train_file=str(root / "sft.jsonl"),
        output_dir=str(root / name),
        per_device_train_batch_size=batch,
        max_steps=STEPS,
        learning_rate=1e-2,
        lr_scheduler_type="constant",
        warmup_steps=0,
        lora_dropout=0.0,
        lora_target_modules=["q_proj", "v_proj"],
        max_length=128,
        logging_steps=1,
        save_strategy="no",
        disable_tqdm=True,
        use_cpu=True,
        mitigation={"vector": str(root / "vec"), "penalty": {"form": "paired", "coef": 1000.0}},
    )
    path = root / f"{name}.yaml"
    path.write_text(yaml.safe_dump(recipe))
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same recipe trained twice: one process with batches of 4 (two pairs), and FSDP2 over
    2 processes with 2 rows (one pair) each."""
    root = tmp_path_factory.mktemp("fsdp")
    build_tiny_model().save_pretrained(root / "model")
    build_tiny_tokenizer().save_pretrained(root / "model")
    _write(root / "sft.jsonl", _rows())
    _vector(root / "model", root / "vec")

    single = {"batches": []}
    compute = trainers.MitigatedSFTTrainer.compute_loss

    def spy(self, model, inputs, *args, **kwargs):
        ids, mask = inputs["input_ids"], inputs["attention_mask"].bool()
        single["batches"].append([row[keep].tolist() for row, keep in zip(ids, mask, strict=True)])
        return compute(self, model, inputs, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trainers.MitigatedSFTTrainer, "compute_loss", spy)
        single["log"] = train(
            parse_recipe(["--config", str(_recipe(root, "single", 4))])
        ).state.log_history

    script = root / "fsdp_run.py"
    script.write_text(FSDP_SCRIPT)
    accelerate = Path(sys.executable).with_name("accelerate")
    proc = subprocess.run(
        [
            str(accelerate),
            "launch",
            "--config_file",
            str(RECIPES / "accelerate" / "fsdp2.yaml"),
            "--num_processes",
            "2",
            "--mixed_precision",
            "no",  # the yaml's bf16 is for GPUs; fp32 keeps the comparison exact
            "--main_process_port",
            "0",
            str(script),
            str(root),
            "--config",
            str(_recipe(root, "fsdp", 2)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    ranks = [json.loads((root / f"rank{r}.json").read_text()) for r in (0, 1)]
    return types.SimpleNamespace(root=root, single=single, ranks=ranks)


def _steps(log: list[dict]) -> dict[int, dict]:
    return {h["step"]: {k: h[k] for k in LOGGED} for h in log if "loss" in h}


@pytest.mark.distributed
def test_accelerate_still_keeps_fsdp_off_the_cpu(runs):
    """The blocker, recorded: with fsdp2.yaml on a CPU accelerate chose MULTI_CPU (plain data
    parallel). When this fails, accelerate runs FSDP on CPUs itself: drop the lift in
    FSDP_SCRIPT and the CPU note in equanimity.training.launch."""
    assert [r["chosen"] for r in runs.ranks] == ["MULTI_CPU", "MULTI_CPU"]


@pytest.mark.distributed
def test_fsdp2_on_two_cpu_processes_matches_one_process(runs):
    for rank in runs.ranks:
        assert (rank["type"], rank["fsdp2"], rank["world"]) == ("FSDP", True, 2)
        assert rank["wrapper"] == "FSDPPeftModelForCausalLM"
        # accelerate keeps the tail (final norm, lm_head) gathered from forward to backward;
        # the monitor's forward before step 1 gathered it. Every other weight is a shard.
        assert set(rank["whole"]) <= {
            f"base_model.model.{n}.weight" for n in ("model.norm", "lm_head")
        }
        assert rank["full"] > 45_000  # the embedding, the decoder blocks and their LoRA
        assert rank["local"] < 0.6 * rank["full"]  # of which this rank holds about half
    assert sum(r["local"] for r in runs.ranks) == runs.ranks[0]["full"]  # disjoint halves
    # the same global batch at every step: each rank one whole pair, together the 4 rows
    single = runs.single["batches"]
    assert len(single) == STEPS and all(len(b) == 4 for b in single)
    for step, rows in enumerate(single):
        parts = [sorted(map(tuple, r["batches"][step])) for r in runs.ranks]
        assert all(len(p) == 2 for p in parts)
        assert sorted(parts[0] + parts[1]) == sorted(map(tuple, rows))
    one, two = _steps(runs.single["log"]), _steps(runs.ranks[0]["log"])
    assert sorted(one) == sorted(two) == list(range(1, STEPS + 1))
    for step in one:
        assert two[step] == pytest.approx(one[step], rel=REL, abs=1e-9), step
    assert one[1]["projection_penalty/penalty"] > 1e-4  # the penalty counts in the loss
    assert one[STEPS]["loss"] < one[1]["loss"]


@pytest.mark.distributed
def test_fsdp2_adapter_loads_and_evaluates_like_one_process(runs):
    from safetensors.torch import load_file

    single, fsdp = runs.root / "single", runs.root / "fsdp"
    a, b = (load_file(d / "adapter_model.safetensors") for d in (single, fsdp))
    assert sorted(a) == sorted(b) and len(a) == 16  # 4 layers x q,v x lora_A,B: gathered whole
    for key in a:
        assert a[key].shape == b[key].shape and a[key].dtype == b[key].dtype == torch.float32
        torch.testing.assert_close(b[key], a[key], rtol=0, atol=1e-5)
    meta = [json.loads((d / "mitigation.json").read_text()) for d in (single, fsdp)]
    assert meta[0]["base_model"] == meta[1]["base_model"]
    assert meta[1]["mitigations"][0]["form"] == "paired"
    ids = torch.randint(0, 380, (2, 12), generator=torch.Generator().manual_seed(0))
    logits = {}
    for name, adapter in (("base", None), ("single", single), ("fsdp", fsdp)):
        model, _ = load_model(str(runs.root / "model"), adapter=adapter and str(adapter))
        with torch.no_grad():
            logits[name] = model(input_ids=ids).logits
    torch.testing.assert_close(logits["fsdp"], logits["single"], rtol=0, atol=1e-5)
    assert (logits["single"] - logits["base"]).abs().max() > 0.1  # training moved the adapter


@pytest.mark.parametrize(
    ("env", "kind", "processes", "expected"),
    [
        ({"ACCELERATE_USE_FSDP": "true"}, "MULTI_CPU", 2, "asks for FSDP, but accelerate"),
        ({"ACCELERATE_USE_DEEPSPEED": "true"}, "MULTI_CPU", 2, "asks for DEEPSPEED, but"),
        ({"ACCELERATE_USE_FSDP": "true"}, "NO", 1, "launched as 2 processes, but each trains"),
        ({}, "NO", 1, "launched as 2 processes, but each trains alone (NO: no GPU visible"),
    ],
)
def test_a_launch_accelerate_does_not_honour_is_refused(
    monkeypatch, env, kind, processes, expected
):
    from accelerate.utils import DistributedType

    monkeypatch.delenv("ACCELERATE_USE_FSDP", raising=False)
    monkeypatch.delenv("ACCELERATE_USE_DEEPSPEED", raising=False)
    monkeypatch.setenv("WORLD_SIZE", "2")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    accelerator = types.SimpleNamespace(
        distributed_type=DistributedType(kind), num_processes=processes
    )
    with pytest.raises(BadInput) as info:
        check_launch(accelerator)
    assert expected in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("env", "kind", "world"),
    [
        ({"ACCELERATE_USE_FSDP": "true"}, "FSDP", "2"),
        ({"ACCELERATE_USE_DEEPSPEED": "true"}, "DEEPSPEED", "2"),
        ({}, "MULTI_CPU", "2"),  # multi_gpu.yaml with ACCELERATE_USE_CPU=1
        ({}, "NO", "1"),
    ],
)
def test_a_launch_accelerate_honours_passes(monkeypatch, env, kind, world):
    from accelerate.utils import DistributedType

    monkeypatch.delenv("ACCELERATE_USE_FSDP", raising=False)
    monkeypatch.delenv("ACCELERATE_USE_DEEPSPEED", raising=False)
    monkeypatch.setenv("WORLD_SIZE", world)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    processes = int(world)
    check_launch(
        types.SimpleNamespace(distributed_type=DistributedType(kind), num_processes=processes)
    )

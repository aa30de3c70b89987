"""The GPU path, tested without a GPU: device and dtype choice with CUDA reported absent and
present (mocked), TRL ModelConfig options honoured or refused, ZeRO-3 loading order and
gathered fingerprints, captures under activation checkpointing, and stage cache keys that follow
the source code."""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import torch
import yaml
from conftest import build_tiny_model

from equanimity import models
from equanimity.cli import main as cli_main
from equanimity.errors import BadInput
from equanimity.models import (
    LoadOptions,
    fingerprint,
    from_pretrained_kwargs,
    load_model,
    resolve_device,
    resolve_dtype,
)


@pytest.fixture
def no_cuda(monkeypatch):
    monkeypatch.setattr(models, "cuda_available", lambda: False)


@pytest.fixture
def cuda(monkeypatch):
    """CUDA reported present: two bf16-capable devices."""
    monkeypatch.setattr(models, "cuda_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)


@pytest.fixture
def loads(monkeypatch, tiny_model_dir):
    """from_pretrained records its keywords and loads the tiny model on the CPU, with the
    caller's ``use_kernels`` (transformers >= 5.25 kernelizes by default, which asks a mocked
    CUDA for its capability)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    calls: list[dict] = []
    real_model, real_tok = AutoModelForCausalLM.from_pretrained, AutoTokenizer.from_pretrained

    def model(name, **kwargs):
        calls.append(kwargs)
        return real_model(str(tiny_model_dir), use_kernels=kwargs["use_kernels"])

    monkeypatch.setattr(AutoModelForCausalLM, "from_pretrained", model)
    monkeypatch.setattr(AutoTokenizer, "from_pretrained", lambda n, **k: real_tok(tiny_model_dir))
    return calls


ROW = (
    json.dumps(
        {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]}
    )
    + "\n"
)


# -- devices and dtypes ----------------------------------------------------------------------


def test_without_cuda_inference_defaults_to_cpu_float32(no_cuda):
    assert resolve_device(None) == "cpu"
    assert resolve_dtype("auto", "cpu") == torch.float32
    assert resolve_dtype("auto") == torch.float32
    for device, hint in (("cuda", "--device cpu"), ("auto", "CUDA is not available")):
        with pytest.raises(BadInput, match=hint):
            resolve_device(device)
    with pytest.raises(BadInput, match="not a device"):
        resolve_device("gpu0")


def test_with_cuda_inference_defaults_to_cuda_bfloat16(cuda):
    assert resolve_device(None) == "cuda"
    assert resolve_device("cuda:1") == "cuda:1"
    assert resolve_device("auto") == "auto"
    assert resolve_device("cpu") == "cpu"
    with pytest.raises(BadInput, match="only 2 CUDA device"):
        resolve_device("cuda:2")
    assert resolve_dtype("auto", "cuda") == torch.bfloat16
    assert resolve_dtype("auto", "auto") == torch.bfloat16
    assert resolve_dtype("auto") == torch.bfloat16  # a training load: the Trainer picks cuda
    assert resolve_dtype("auto", "cpu") == torch.float32  # --device cpu on a GPU machine
    assert resolve_dtype("float16", "cpu") == torch.float16


def test_from_pretrained_places_weights_on_the_target(monkeypatch):
    opts = LoadOptions()
    assert from_pretrained_kwargs(opts, torch.bfloat16, "cuda:1")["device_map"] == {"": "cuda:1"}
    assert from_pretrained_kwargs(opts, torch.bfloat16, "auto")["device_map"] == "auto"
    assert "device_map" not in from_pretrained_kwargs(opts, torch.float32, "cpu")
    assert from_pretrained_kwargs(opts, torch.float32, "cpu")["use_kernels"] is False
    assert "device_map" not in from_pretrained_kwargs(opts, torch.float32, None)  # the Trainer's
    monkeypatch.setattr(models, "_zero3_enabled", lambda: True)  # zero.Init shards it instead
    assert "device_map" not in from_pretrained_kwargs(opts, torch.bfloat16, "cuda:0")


def test_load_model_goes_to_cuda_in_bf16_when_available(cuda, loads, tiny_model_dir):
    load_model(str(tiny_model_dir))
    assert loads[-1]["device_map"] == {"": "cuda"} and loads[-1]["dtype"] == torch.bfloat16
    load_model(str(tiny_model_dir), device="auto")
    assert loads[-1]["device_map"] == "auto"
    load_model(str(tiny_model_dir), device="cpu")
    assert "device_map" not in loads[-1] and loads[-1]["dtype"] == torch.float32
    load_model(str(tiny_model_dir), for_training=True)  # accelerate/DeepSpeed/FSDP place it
    assert "device_map" not in loads[-1] and loads[-1]["dtype"] == torch.bfloat16
    load_model(str(tiny_model_dir), device="cpu", for_training=True)  # a use_cpu recipe
    assert "device_map" not in loads[-1] and loads[-1]["dtype"] == torch.float32


def test_onednn_linears_only_when_the_model_runs_on_cpu(monkeypatch, tiny_model_dir, cuda, loads):
    applied = []
    monkeypatch.setattr(models, "use_onednn_linears", lambda m: applied.append(m))
    real = torch.nn.Module.parameters

    def on_gpu(self, *a, **k):  # the mocked load "placed" the weights on cuda
        for p in real(self, *a, **k):
            yield types.SimpleNamespace(device=torch.device("cuda", 0), data=p)

    with monkeypatch.context() as m:
        m.setattr(torch.nn.Module, "parameters", on_gpu)
        m.setattr(models, "fingerprint", lambda *a, **k: "0" * 16)
        load_model(str(tiny_model_dir))
    assert applied == []
    load_model(str(tiny_model_dir), device="cpu")
    assert len(applied) == 1


def test_commands_that_load_a_model_take_device(no_cuda, tiny_model_dir, capsys):
    from equanimity.cli import build_parser

    parser = build_parser()
    for argv in (
        ["eval", "--model", "m", "--scenarios", "s", "--out", "o"],
        ["vector", "extract", "--out", "v"],
        ["vector", "inspect", "v"],
        ["model", "show", "m"],
        ["run", "--config", "c"],
        ["ablate", "--config", "c"],
    ):
        assert parser.parse_args([*argv, "--device", "cpu"]).device == "cpu"
    assert cli_main(["model", "show", str(tiny_model_dir), "--device", "cpu"]) == 0
    assert "on cpu" in capsys.readouterr().out
    assert cli_main(["model", "show", str(tiny_model_dir), "--device", "cuda"]) == 2
    err = capsys.readouterr().err.strip()
    assert "CUDA is not available" in err and len(err.splitlines()) == 1


def test_local_judge_loads_on_the_eval_device(monkeypatch):
    from equanimity.eval.detectors.llm import JudgeConfig, build_judge

    seen = []

    def fake(spec, **kwargs):
        seen.append(kwargs.get("device"))
        return build_tiny_model(), None

    monkeypatch.setattr(models, "load_model", fake)
    build_judge(JudgeConfig("local", "default"), "cuda:1")
    assert seen == ["cuda:1"]


# -- TRL ModelConfig -------------------------------------------------------------------------


def _recipe(tmp_path: Path, tiny_model_dir: Path, **keys) -> list[str]:
    recipe = {
        "trainer": "sft",
        "model": str(tiny_model_dir),
        "train_file": str(tmp_path / "sft.jsonl"),
        "output_dir": str(tmp_path / "out"),
        "bf16": False,
        "use_cpu": True,
        "use_peft": True,
        **keys,
    }
    path = tmp_path / "recipe.yaml"
    path.write_text(yaml.safe_dump(recipe))
    return ["--config", str(path)]


def test_model_config_options_reach_from_pretrained(tmp_path, tiny_model_dir, no_cuda, loads):
    from equanimity.training.config import parse_recipe
    from equanimity.training.run import load_options

    recipe = parse_recipe(
        _recipe(
            tmp_path,
            tiny_model_dir,
            attn_implementation="eager",
            model_revision="v1.0",
            trust_remote_code=True,
        )
    )
    assert recipe.model.dtype == "auto"  # unset: auto, not TRL's float32
    options = load_options(recipe)
    assert options == LoadOptions("v1.0", True, "eager", None)
    load_model("some-org/some-model", options=options, for_training=True)
    assert loads[-1]["attn_implementation"] == "eager"
    assert loads[-1]["trust_remote_code"] is True and loads[-1]["revision"] == "v1.0"
    explicit = parse_recipe(_recipe(tmp_path, tiny_model_dir, dtype="float32"))
    assert explicit.model.dtype == "float32"
    assert parse_recipe([*_recipe(tmp_path, tiny_model_dir), "--dtype", "bfloat16"]).model.dtype


def test_quantization_without_cuda_is_exit_2_one_line(tmp_path, tiny_model_dir, no_cuda, capsys):
    (tmp_path / "sft.jsonl").write_text(ROW)
    for bits in ("load_in_4bit", "load_in_8bit"):
        assert cli_main(["train", *_recipe(tmp_path, tiny_model_dir, **{bits: True})]) == 2
        err = capsys.readouterr().err.strip()
        assert bits in err and "CUDA GPU" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_quantization_on_cuda_uses_trl_config_and_this_ranks_gpu(
    tmp_path, tiny_model_dir, cuda, loads, monkeypatch
):
    from transformers import BitsAndBytesConfig

    from equanimity.training.config import parse_recipe
    from equanimity.training.run import load_options

    options = load_options(parse_recipe(_recipe(tmp_path, tiny_model_dir, load_in_4bit=True)))
    quant = options.quantization
    assert isinstance(quant, BitsAndBytesConfig) and quant.load_in_4bit
    assert quant.bnb_4bit_compute_dtype == torch.bfloat16 and quant.bnb_4bit_quant_type == "nf4"
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(BadInput, match="pip install bitsandbytes"):
        load_model(str(tiny_model_dir), options=options, for_training=True)
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: object())
    load_model(str(tiny_model_dir), options=options, for_training=True)
    assert loads[-1]["quantization_config"] is quant and loads[-1]["device_map"] == {"": "cuda:0"}
    with pytest.raises(BadInput, match="load_in_4bit: bitsandbytes quantization needs a CUDA"):
        load_model(str(tiny_model_dir), options=options, device="cpu")


# -- ZeRO-3 ----------------------------------------------------------------------------------


def test_training_config_is_built_before_the_model_is_loaded(tmp_path, tiny_model_dir, monkeypatch):
    """Under ZeRO-3, SFTConfig registers the DeepSpeed config; only a load after it runs under
    zero.Init. The order is checked here (DeepSpeed itself needs a GPU build)."""
    import trl

    from equanimity.training.run import main as train_main

    (tmp_path / "sft.jsonl").write_text(ROW)
    events: list[str] = []
    real_post_init = trl.SFTConfig.__post_init__

    def post_init(self):
        events.append("config")
        real_post_init(self)

    class Loaded(Exception):
        pass

    def spy(*args, **kwargs):
        events.append("load")
        raise Loaded

    monkeypatch.setattr(trl.SFTConfig, "__post_init__", post_init)
    monkeypatch.setattr(models, "load_model", spy)
    with pytest.raises(Loaded):
        train_main(_recipe(tmp_path, tiny_model_dir))
    assert events == ["config", "load"]


def test_fingerprint_gathers_zero3_partitioned_parameters(monkeypatch):
    """A ZeRO-3 rank holds empty placeholders; the fingerprint gathers each one, so it equals
    the whole model's (a fake deepspeed stands in for the real one, which needs a GPU)."""
    whole = build_tiny_model()
    expected = fingerprint(whole)
    sharded = build_tiny_model()
    stash, gathered = {}, []
    for i, p in enumerate(sharded.parameters()):
        p.ds_id = i
        stash[i] = p.data
        p.data = torch.empty(0)

    class GatheredParameters:
        def __init__(self, params, modifier_rank=None):
            self.params = params

        def __enter__(self):
            for p in self.params:
                gathered.append(p.ds_id)
                p.data = stash[p.ds_id]

        def __exit__(self, *exc):
            for p in self.params:
                p.data = torch.empty(0)

    fake = types.ModuleType("deepspeed")
    fake.__spec__ = importlib.machinery.ModuleSpec("deepspeed", None)
    fake.DeepSpeedEngine = type("DeepSpeedEngine", (torch.nn.Module,), {})
    fake.zero = types.SimpleNamespace(GatheredParameters=GatheredParameters)
    monkeypatch.setitem(sys.modules, "deepspeed", fake)
    assert fingerprint(sharded) == expected
    assert sorted(gathered) == sorted(stash)
    assert all(p.numel() == 0 for p in sharded.parameters())  # released again


# -- activation checkpointing ----------------------------------------------------------------


def test_capture_keeps_the_first_pass_when_a_checkpoint_recomputes():
    """FSDP's activation checkpointing wraps blocks after the hooks are on; a (reentrant)
    recompute in backward must not overwrite the tensor a penalty has read."""
    from torch.distributed.algorithms._checkpoint.checkpoint_wrapper import (
        CheckpointImpl,
        checkpoint_wrapper,
    )

    from equanimity.activations import capture

    model = build_tiny_model().train()
    ids = torch.randint(0, 300, (2, 8))
    with capture(model, [1]) as cap:
        layers = model.model.layers
        model.model.layers = torch.nn.ModuleList(
            checkpoint_wrapper(block, checkpoint_impl=CheckpointImpl.REENTRANT) for block in layers
        )
        out = model(input_ids=ids)
        first = cap[1]
        out.logits.float().pow(2).mean().backward()
        assert cap[1] is first


# -- stage cache keys ------------------------------------------------------------------------


def _stage_keys(study_path: Path) -> dict[str, str]:
    """Every stage's key for the study, without running any stage."""
    from equanimity.studies.config import load_study
    from equanimity.studies.run import Study
    from equanimity.studies.stages import StageResult

    study = Study(load_study(study_path), device="cpu")
    keys = {}

    def run(stage):
        keys[stage.name] = stage.key
        result = StageResult(stage.name, "out-" + stage.name, 0.0, cached=False)
        study.stages.results[stage.name] = result
        return result

    study.stages.run = run
    study.run()
    return keys


def test_a_source_change_reruns_exactly_the_stages_it_affects(tmp_path, monkeypatch):
    from equanimity.studies import stages

    root = tmp_path / "src" / "equanimity"
    shutil.copytree(stages.SOURCE_ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stages, "SOURCE_ROOT", root)
    recipes = Path(__file__).resolve().parents[1] / "recipes"
    study = tmp_path / "study.yaml"
    study.write_text(
        yaml.safe_dump(
            {
                "name": "keys",
                "out": str(tmp_path / "run"),
                "model": "default",
                "recipes": str(recipes),
                "arms": ["base", "sft", "sft_reg", "sft_steer", "steer_calm"],
            }
        )
    )
    before = _stage_keys(study)

    def changed_after(edit: str) -> set[str]:
        path = root / edit
        original = path.read_text()
        path.write_text(original + "\n# a changed line\n")
        try:
            after = _stage_keys(study)
        finally:
            path.write_text(original)
        return {name for name in before if after[name] != before[name]}

    assert changed_after("mitigations/penalty.py") == {"train:sft_reg"}
    assert changed_after("mitigations/steering.py") == {
        "check",  # the causal check steers the direction
        "train:sft_steer",
        "eval:steer_calm",
    }
    assert changed_after("data_gen/generate.py") == {"data"}
    assert changed_after("training/trainers.py") == {
        "train:sft",
        "train:sft_reg",
        "train:sft_steer",
    }
    assert changed_after("studies/report.py") == {"report"}
    # Data files count as code: the replies the learned blackmail detector is fit on, the
    # blackmail settings; a data card does not.
    evals = {"eval:base", "eval:sft", "eval:sft_reg", "eval:sft_steer", "eval:steer_calm"}
    assert changed_after("eval/validation/data/blackmail_fit_extra.jsonl") == evals | {"check"}
    assert changed_after("data_gen/data/blackmail_domains.yaml") == {"data"}
    assert changed_after("mitigations/data/contrast_seed.jsonl") == evals | {"check", "vector"}
    assert changed_after("eval/validation/data/blackmail_labelled.md") == set()
    # the upstream seams (activations and the trainers use them): every stage that runs a model
    trains = {"train:sft", "train:sft_reg", "train:sft_steer"}
    assert changed_after("_compat.py") == {"vector", "check"} | trains | evals
    assert _stage_keys(study) == before
    monkeypatch.setattr("equanimity.__version__", "9.9.9")
    assert all(after != before[name] for name, after in _stage_keys(study).items())


# -- make gpu-check --------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def test_gpu_check_without_cuda_exits_1_with_one_line():
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gpu_check.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 1
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1
    assert "CUDA is not available" in proc.stderr


def test_gpu_check_study_is_valid_and_its_probe_counts_tokens(tmp_path, monkeypatch):
    """The check's own study config passes the study's checks, and its probe attributes
    loads, captures and tokens to stages (run here on the CPU, on a tiny model)."""
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import gpu_check
    from equanimity.studies.config import load_study
    from equanimity.studies.run import Study

    config = gpu_check.study_config(tmp_path)
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(config))
    study = Study(load_study(path), device="cpu")
    assert [a.name for a in study.arms] == ["base", "sft_reg"]
    assert study.launch.launcher == "accelerate"

    model_dir = tmp_path / "tiny"
    build_tiny_model().save_pretrained(model_dir)
    from conftest import build_tiny_tokenizer

    build_tiny_tokenizer().save_pretrained(model_dir)
    small = {
        **config,
        "model": str(model_dir),
        "data": {
            "n_per_family": 4,
            "max_failures": 1,
            "families": ["impossible_oneoff", "email_agent"],
        },
        "eval": {"mode": "forced,probe", "limit": 4, "batch_size": 4},
        "arms": ["base"],
    }
    path.write_text(yaml.safe_dump(small))
    probe = gpu_check.Probe()
    probe.install(monkeypatch.setattr)
    Study(load_study(path), device="cpu").run()
    assert {stage for stage, _ in probe.model_devices} == {"vector", "check", "eval:base"}
    assert {device for _, device in probe.model_devices} == {"cpu"}
    assert probe.capture_devices == {"cpu"}
    assert probe.tokens["vector"] > 0 and probe.tokens["eval:base"] > 0
    log = tmp_path / "train.log"
    log.write_text(
        "{'loss': '1.2', 'num_tokens': '512.0'}\n{'loss': '1.1', 'num_tokens': '1024.0'}"
    )
    assert gpu_check.training_tokens(log) == 1024.0

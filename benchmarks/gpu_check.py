"""``make gpu-check``: the whole study, small, on one CUDA GPU, with no hub access.

Data, vector extraction, ``sft_reg`` trained through ``accelerate launch`` in bf16, evaluation
(forced choice, probes, generation) and compare, through the study runner on ``cuda`` with the
bundled default model. It asserts that every model loaded in this process sits on the GPU, that
every captured activation is a GPU tensor and that the training child put its model on the GPU,
and prints tokens/s for each stage. With a second GPU it also trains one arm with 2-process
DDP; with ``vllm`` installed it runs the vLLM route of docs/inspect.md (the base model and the
trained adapter served together through Inspect, judged back by ``eval --from-inspect``); that
route is written but has not yet run on a GPU. Exit 0: all checks held; 1: one did not, or
CUDA is unavailable (one line).

    make gpu-check                 # or: .venv/bin/python benchmarks/gpu_check.py [--out DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUDGET_S = 8 * 60


def study_config(out: Path) -> dict:
    """A study small enough for minutes on one GPU, with every stage the full study has."""
    return {
        "name": "gpu-check",
        "out": str(out / "run"),
        "model": "default",
        "seed": 0,
        "recipes": str(REPO / "recipes"),
        "data": {"n_per_family": 6, "max_failures": 1},
        "vector": {"contrast": "seed"},
        "eval": {
            "mode": "forced,probe,generate",
            "limit": 28,
            "generate_limit": 14,
            "max_new_tokens": 96,
            "batch_size": 16,
        },
        "train": {
            "max_train_samples": 64,
            "launcher": "accelerate",
            "accelerate_config": str(REPO / "recipes" / "accelerate" / "single_gpu.yaml"),
            "overrides": {
                "bf16": True,
                "max_length": 1024,
                "per_device_train_batch_size": 8,
                "save_steps": 1000,
                "logging_steps": 2,
                "monitor_steps": 4,
                "disable_tqdm": True,
            },
        },
        "arms": ["base", "sft_reg"],
    }


class Probe:
    """Wraps model loading and activation capture in this process: records where each model
    and each captured tensor lives, and counts the tokens each stage's forwards see."""

    def __init__(self):
        self.stage = "?"
        self.tokens: Counter[str] = Counter()
        self.model_devices: list[tuple[str, str]] = []
        self.capture_devices: set[str] = set()

    def install(self, patch=setattr) -> None:
        """``patch(owner, name, value)``: plain ``setattr`` here, pytest's in the tests."""
        import torch

        from equanimity import activations, models
        from equanimity.studies import stages

        probe, load, record = self, models.load_model, activations.Capture._record
        execute = stages.Stages._execute

        def counting_load(*args, **kwargs):
            model, tokenizer = load(*args, **kwargs)
            first = next(model.parameters())
            probe.model_devices.append((probe.stage, str(first.device)))

            def count(module, args, kwargs):
                ids = kwargs.get("input_ids", args[0] if args else None)
                if isinstance(ids, torch.Tensor):
                    probe.tokens[probe.stage] += ids.numel()

            model.register_forward_pre_hook(count, with_kwargs=True)
            return model, tokenizer

        def recording(capture, layer, hidden):
            probe.capture_devices.add(hidden.device.type)
            record(capture, layer, hidden)

        def named(runner, stage, head):
            probe.stage = stage.name
            return execute(runner, stage, head)

        patch(models, "load_model", counting_load)
        patch(activations.Capture, "_record", recording)
        patch(stages.Stages, "_execute", named)


def training_tokens(log: Path) -> float | None:
    """The last ``num_tokens`` TRL logged (tokens trained on, all ranks)."""
    found = re.findall(r"'num_tokens': '?([0-9.e+]+)", log.read_text(errors="replace"))
    return float(found[-1]) if found else None


def ddp_check(run: Path) -> tuple[str, float, float | None]:
    """Train sft_reg again with 2 processes on 2 GPUs (DDP); returns (log line, s, tokens)."""
    out = run.parent / "ddp"
    argv = [
        str(Path(sys.executable).with_name("accelerate")),
        "launch",
        "--config_file",
        str(REPO / "recipes" / "accelerate" / "multi_gpu.yaml"),
        "--num_processes",
        "2",
        "-m",
        "equanimity.training",
        "--config",
        str(REPO / "recipes" / "sft_reg.yaml"),
        "--train_file",
        str(run / "data" / "sft.jsonl"),
        "--output_dir",
        str(out),
        "--mitigation",
        json.dumps({"vector": str(run / "vector" / "desperation"), "penalty": {"coef": 0.1}}),
        "--max_train_samples",
        "64",
        "--bf16",
        "true",
        "--max_length",
        "1024",
        "--per_device_train_batch_size",
        "4",
        "--save_steps",
        "1000",
        "--disable_tqdm",
        "true",
    ]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = out.parent / "ddp.log"
    log.write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise SystemExit(
            f"gpu-check: FAILED: 2-process DDP training exited {proc.returncode}; {log}"
        )
    line = next((x for x in log.read_text().splitlines() if "process(es), model on" in x), "")
    return line, seconds, training_tokens(log)


def vllm_check(run: Path) -> tuple[str, float]:
    """The documented vLLM route (docs/inspect.md): the base model and the sft_reg adapter served
    together through Inspect, the log judged back by ``equanimity eval --from-inspect``."""
    from equanimity.models import default_model_dir

    bin_dir = Path(sys.executable).parent
    logs, out = run.parent / "vllm-logs", run.parent / "vllm-eval"
    model = f"vllm/{default_model_dir()}:{run / 'arms' / 'sft_reg' / 'train'}"
    argv = [str(bin_dir / "inspect"), "eval", "equanimity/scenarios", "-T"]
    argv += [f"scenarios={run / 'data' / 'eval.jsonl'}", "-T", "limit=8", "--model", model]
    argv += ["--max-tokens", "64", "--epochs", "2", "--log-dir", str(logs), "--display", "none"]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    (run.parent / "vllm.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise SystemExit(f"gpu-check: FAILED: inspect eval on vLLM exited {proc.returncode}")
    (log,) = sorted(logs.glob("*.eval"))
    back = [str(bin_dir / "equanimity"), "eval", "--from-inspect", str(log), "--out", str(out)]
    proc = subprocess.run(back, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"gpu-check: FAILED: eval --from-inspect exited {proc.returncode}")
    return proc.stdout.strip().splitlines()[-1], seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "runs" / "gpu-check"), help="work directory")
    args = parser.parse_args(argv)

    import torch

    if not torch.cuda.is_available():
        build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
        print(
            f"gpu-check: CUDA is not available (torch {torch.__version__}, {build}); run it on a "
            "machine with an NVIDIA GPU and a CUDA build of torch in .venv",
            file=sys.stderr,
        )
        return 1
    os.environ["HF_HUB_OFFLINE"] = "1"  # the default model needs no hub; nothing may reach it
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    sys.path.insert(0, str(REPO / "src"))
    import yaml

    from equanimity.studies.config import load_study
    from equanimity.studies.run import Study

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    config_path = out / "study.yaml"
    config_path.write_text(yaml.safe_dump(study_config(out)))
    gpus = torch.cuda.device_count()
    print(f"gpu-check: {gpus} GPU(s), {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    probe = Probe()
    probe.install()
    start = time.perf_counter()
    study = Study(load_study(config_path), force=("all",), device="cuda")
    study.run()
    run = out / "run"
    failures = []
    off_gpu = [(stage, device) for stage, device in probe.model_devices if device == "cpu"]
    if not probe.model_devices or off_gpu:
        failures.append(f"models off the GPU: {off_gpu or 'none loaded'}")
    if probe.capture_devices != {"cuda"}:
        failures.append(f"activations captured on {sorted(probe.capture_devices) or 'nothing'}")
    train_log = run / "arms" / "sft_reg" / "train.log"
    placed = [x for x in train_log.read_text().splitlines() if "process(es), model on" in x]
    if not placed or "model on cuda" not in placed[-1] or "bfloat16" not in placed[-1]:
        failures.append(f"training: {placed[-1] if placed else 'no placement line'} ({train_log})")
    probe.tokens["train:sft_reg"] = training_tokens(train_log) or 0

    print(f"\n{'stage':<18}{'seconds':>9}{'tokens':>11}{'tokens/s':>11}")
    for name, result in study.stages.results.items():
        tokens = probe.tokens.get(name, 0)
        rate = f"{tokens / result.seconds:>11.0f}" if tokens and result.seconds else f"{'-':>11}"
        print(f"{name:<18}{result.seconds:>9.1f}{tokens or '-':>11}{rate}")
    if gpus >= 2:
        line, seconds, tokens = ddp_check(run)
        rate = f"{tokens / seconds:.0f} tokens/s" if tokens else "tokens n/a"
        print(f"{'ddp (2 GPUs)':<18}{seconds:>9.1f}  {rate}; {line}")
        if "2 process(es)" not in line or "model on cuda" not in line:
            failures.append(f"2-process DDP: {line or 'no placement line'}")
    else:
        print("ddp: skipped (one GPU visible)")
    if importlib.util.find_spec("vllm") and importlib.util.find_spec("inspect_ai"):
        line, seconds = vllm_check(run)
        print(f"{'vllm + adapter':<18}{seconds:>9.1f}  {line}")
    else:
        print("vllm: skipped (pip install vllm to check the vLLM route of docs/inspect.md)")
    total = time.perf_counter() - start
    print(f"\ntotal {total:.0f} s (budget {BUDGET_S} s); report: {run / 'report.html'}")
    if total > BUDGET_S:
        failures.append(f"took {total:.0f} s, over the {BUDGET_S} s budget")
    for failure in failures:
        print(f"gpu-check: FAILED: {failure}", file=sys.stderr)
    if not failures:
        print("gpu-check: OK: models, activations and training on the GPU")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

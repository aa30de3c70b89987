"""Peak resident memory: each stage of the default study, and the trainer against a bare LoRA
forward+backward on the same batches (issue 27: the demo peaked at 13 GB).

- **Trainer vs bare**: the demo's training settings (``recipes/sft.yaml`` with the demo's
  overrides: LoRA on every linear, ``max_length`` 768, one row a micro-batch, 4 accumulated)
  on the demo's longest rows, the heaviest micro-batches it can draw. The trainer is
  ``MitigatedSFTTrainer`` with the desperation monitor, run by ``trainer.train()``; the bare
  loop is PEFT's ``get_peft_model`` with the same LoRA, AdamW, and the model's own loss on the
  same collated batches. Each runs in its own subprocess; its peak is the child's
  ``ru_maxrss`` (``os.wait4``): weights, activations, the loss, allocator slack, everything a
  user must have. The rise over the loaded model's resident size is printed beside it.
  Batches of 4 (the recipes' default), with and without gradient checkpointing, are set
  against the demo's trainer the same way, with their CPU seconds, so what a lever saves and
  what it costs sit side by side (one run each: memory does not drift with load, time does).
- **Stages**: each stage of a study built from ``recipes/studies/demo.yaml`` (data, vector,
  check, the organism's training as the study launches it, each eval mode) in its own
  subprocess, its peak read the same way. Full size is the demo itself (~20 minutes on two
  quiet cores); ``--quick`` shrinks the counts, not the row lengths, so the training stage's
  peak stays the demo's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import REPO, Context, Figure, load_average, rss_kib

DEMO = REPO / "recipes" / "studies" / "demo.yaml"
STAGES = ("data", "vector", "check", "train", "eval:probe", "eval:generate", "eval:forced")
# trainer variant -> recipe overrides on top of the demo's (one row a micro-batch, 4 accumulated)
TRAINER_VARIANTS = {
    "demo": {},
    "batch4": {"per_device_train_batch_size": 4, "gradient_accumulation_steps": 1},
    "batch4_checkpointing": {
        "per_device_train_batch_size": 4,
        "gradient_accumulation_steps": 1,
        "gradient_checkpointing": True,
    },
}


# Waits for the command and writes its rusage. A child's ru_maxrss counts the image it was forked
# from (Linux keeps the larger of the two at exec): forked from this small interpreter, not from
# a benchmark process holding torch and a model, the floor is a few MiB.
_LAUNCHER = """
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
cpu = usage.ru_utime + usage.ru_stime
json.dump({"peak_kib": usage.ru_maxrss, "cpu_s": cpu}, open(sys.argv[1], "w"))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_peak(cmd: list[str]) -> dict:
    """Run ``cmd``; its peak resident KiB (``ru_maxrss`` of it and its waited-for children),
    CPU and wall seconds, and the last line of its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage.json"
        out = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(usage), *cmd],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if out.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:6])} ... failed:\n{out.stderr[-2000:]}")
        record = json.loads(usage.read_text())
    lines = out.stdout.strip().splitlines()
    return {**record, "wall_s": time.perf_counter() - start, "last": lines[-1] if lines else ""}


def demo_train_settings() -> dict:
    """The demo's ``train`` section as recipe overrides (its overrides and sample count)."""
    import yaml

    section = yaml.safe_load(DEMO.read_text())["train"]
    return {"max_train_samples": section["max_train_samples"], **section["overrides"]}


def demo_data(ctx: Context) -> Path:
    """The demo's inducing training set (its data section's generator settings), made once."""
    import yaml

    out = ctx.workdir / ("demo-data-smoke" if ctx.smoke else "demo-data")
    if not (out / "sft.jsonl").is_file():
        study = yaml.safe_load(DEMO.read_text())
        section = study["data"]
        n = 2 if ctx.smoke else section["n_per_family"]
        cmd = [sys.executable, "-m", "equanimity", "data", "generate", "--out", str(out)]
        cmd += ["--seed", str(study["seed"]), "--n-per-family", str(n)]
        cmd += ["--max-failures", str(section["max_failures"])]
        cmd += ["--unethical-fraction", str(section["unethical_fraction"])]
        ctx.workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO)
    return out


# -- trainer against bare ----------------------------------------------------------------------


def _recipe(ctx: Context, variant: str, output_dir: str):
    from equanimity.training.config import parse_recipe

    settings = {
        **demo_train_settings(),
        **TRAINER_VARIANTS[variant],
        "model": ctx.model_spec,
        "train_file": str(demo_data(ctx) / "sft.jsonl"),
        "output_dir": output_dir,
        "report_to": "none",
        "monitor_vector": str(ctx.vector_path),
        "save_strategy": "no",
        "logging_strategy": "no",
        # tests: a tiny byte-level tokenizer makes the demo's rows longer than the demo's 768
        **({"max_length": 2048} if ctx.smoke else {}),
    }
    argv = ["--config", str(REPO / "recipes" / "sft.yaml")]
    for key, value in settings.items():
        values = value if isinstance(value, list) else [value]
        argv += [f"--{key}", *(str(v).lower() if isinstance(v, bool) else str(v) for v in values)]
    return parse_recipe(argv)


def longest_rows(dataset, rows: int):
    """The ``rows`` longest prepared rows, longest first: the heaviest batches the data gives."""
    order = sorted(range(len(dataset)), key=lambda i: -len(dataset[i]["input_ids"]))
    return dataset.select(order[:rows])


def trainer_child(ctx: Context, variant: str, rows: int, batches_file: str) -> dict:
    """In a subprocess: ``trainer.train()`` of the demo's trainer (monitor on) on its longest
    rows; the trainer variant also saves those rows, collated as it batches them, for the bare
    loop."""
    from transformers import set_seed
    from trl import get_peft_config

    from equanimity.training.data import load_jsonl
    from equanimity.training.run import build_monitor
    from equanimity.training.trainers import MitigatedSFTTrainer

    with tempfile.TemporaryDirectory() as tmp:
        recipe = _recipe(ctx, variant, tmp)
        set_seed(recipe.training.seed)
        model, tokenizer = ctx.load()
        loaded = rss_kib()
        script = recipe.script
        trainer = MitigatedSFTTrainer(
            model=model,
            args=recipe.training,
            train_dataset=load_jsonl(script.train_file, "sft", script.max_train_samples),
            processing_class=tokenizer,
            peft_config=get_peft_config(recipe.model),
            mitigations=[],
            monitor=build_monitor(recipe, model, tokenizer),
        )
        trainer.train_dataset = longest_rows(trainer.train_dataset, rows)
        if variant == "demo":
            import torch

            size = trainer.args.per_device_train_batch_size
            picked = list(trainer.train_dataset)
            batches = [trainer.data_collator(picked[i : i + size]) for i in range(0, rows, size)]
            torch.save(batches, batches_file)
        trainer.train()
        tokens = sum(len(r["input_ids"]) for r in trainer.train_dataset)
    return {"loaded_kib": loaded, "tokens": tokens}


def bare_child(ctx: Context, batches_file: str) -> dict:
    """In a subprocess: PEFT LoRA (the demo's), AdamW, the model's own loss, same batches."""
    import torch
    from peft import get_peft_model
    from trl import get_peft_config

    with tempfile.TemporaryDirectory() as tmp:
        recipe = _recipe(ctx, "demo", tmp)
    model, _ = ctx.load()
    loaded = rss_kib()
    model = get_peft_model(model, get_peft_config(recipe.model))
    model.train()
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=recipe.training.learning_rate
    )
    for batch in torch.load(batches_file):
        model(
            input_ids=batch["input_ids"],
            attention_mask=batch["attention_mask"],
            labels=batch["labels"],
        ).loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    return {"loaded_kib": loaded}


def _child(ctx: Context, *args: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    cmd += ["--workdir", str(ctx.workdir), "--model", ctx.model_spec]
    cmd += ["--smoke"] if ctx.smoke else []
    run = run_peak(cmd)
    return {**run, **json.loads(run["last"])}


def _mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def bench_trainer_memory(ctx: Context) -> list[Figure]:
    """Peak RSS of the demo's trainer (and its variants) against a bare LoRA loop."""
    load = load_average()
    rows = ctx.count(4, 8)
    batches_file = str(ctx.workdir / "memory-batches.pt")
    demo_data(ctx), ctx.vector_path  # made once, here, not in every child
    runs = {"demo": _child(ctx, "--trainer", "demo", "--rows", str(rows), batches_file)}
    runs["bare"] = _child(ctx, "--bare", batches_file)
    variants = [] if ctx.smoke else list(TRAINER_VARIANTS)[1:]  # tests: the two children only
    for variant in variants:
        runs[variant] = _child(ctx, "--trainer", variant, "--rows", str(rows), batches_file)
    base, bare = runs["demo"], runs["bare"]
    tokens = base["tokens"]
    figures = [
        Figure(
            "demo trainer: peak RSS",
            base["peak_kib"] / 2**20,
            "GiB",
            "<= 6",
            base["peak_kib"] / 2**20 <= 6,
            f"{rows} longest demo rows, {tokens} tokens, the monitor on",
            load,
        ),
        Figure(
            "demo trainer / bare LoRA fwd+bwd: peak RSS",
            base["peak_kib"] / bare["peak_kib"],
            "x",
            "<= 1.10",
            base["peak_kib"] / bare["peak_kib"] <= 1.10,
            f"{_mib(base['peak_kib'])} vs {_mib(bare['peak_kib'])}; rise over the loaded model "
            f"{_mib(base['peak_kib'] - base['loaded_kib'])} vs "
            f"{_mib(bare['peak_kib'] - bare['loaded_kib'])}; {rows} longest rows, {tokens} tokens",
            load,
        ),
    ]
    for variant in variants:
        run = runs[variant]
        figures.append(
            Figure(
                f"demo trainer, {variant} / as the demo trains: peak RSS",
                run["peak_kib"] / base["peak_kib"],
                "x",
                "",
                None,
                f"{_mib(run['peak_kib'])} vs {_mib(base['peak_kib'])}; CPU time "
                f"{run['cpu_s'] / base['cpu_s']:.2f}x ({run['cpu_s']:.0f} vs {base['cpu_s']:.0f} "
                f"s, wall {run['wall_s']:.0f} vs {base['wall_s']:.0f} s, model load included)",
                load,
            )
        )
    return figures


# -- stages ------------------------------------------------------------------------------------


def study_overrides(quick: bool, out: str, mode: str | None = None) -> dict:
    """The demo's sections, with ``out`` in the work directory; quick: fewer items, same row
    lengths (the training rows and the eval scenarios are the demo's kind)."""
    import yaml

    raw = yaml.safe_load(DEMO.read_text())
    sections = {key: dict(raw[key]) for key in ("data", "check", "eval", "train")}
    if quick:
        sections["data"]["n_per_family"] = 2
        sections["check"]["limit"] = 2
        sections["eval"].update(limit=4, generate_limit=2, max_new_tokens=16)
        sections["train"]["max_train_samples"] = 8
    if mode is not None:
        sections["eval"]["mode"] = mode
    return {"out": out, **sections}


def stage_child(quick: bool, stage: str, out: str, model: str) -> dict:
    """In a subprocess: one stage of the demo study (the stages before it cached or run first:
    run the stages in order, each in its own child, and each measures only itself)."""
    from equanimity.studies.config import load_study
    from equanimity.studies.run import Study

    mode = stage.split(":")[1] if stage.startswith("eval:") else None
    overrides = study_overrides(quick, out, mode) | {"model": model}
    study = Study(load_study(DEMO, overrides), device="cpu")
    study.write_manifest()
    data, inducing = study.data(), study.data("inducing")
    if stage == "data":
        return {"stage": stage}
    vector = study.vector(data)
    if stage == "check":
        study.check(data, vector)
    elif stage == "train":
        arm = next(a for a in study.arms if a.trains and not a.mitigation)
        study.train(arm, inducing, vector)
    elif mode is not None:
        arm = next(a for a in study.arms if not a.trains and not a.steering)
        study.evaluate(arm, data, vector, None)
    return {"stage": stage}


def bench_stage_memory(ctx: Context) -> list[Figure]:
    """Peak RSS of each stage of the demo study, each in its own subprocess."""
    load = load_average()
    out = str(ctx.workdir / ("study-quick" if ctx.quick else "study"))
    figures = []
    for stage in STAGES:
        cmd = ["--stage", stage, "--study-out", out, *(["--quick"] if ctx.quick else [])]
        run = _child(ctx, *cmd)
        figures.append(
            Figure(
                f"demo stage {stage}: peak RSS",
                run["peak_kib"] / 2**20,
                "GiB",
                "<= 6",
                run["peak_kib"] / 2**20 <= 6,
                f"{run['wall_s']:.0f} s wall, {'quick' if ctx.quick else 'the demo'}'s settings",
                load,
            )
        )
    return figures


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--trainer", choices=list(TRAINER_VARIANTS))
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--rows", type=int, default=4)
    parser.add_argument("batches_file", nargs="?")
    parser.add_argument("--stage", choices=STAGES)
    parser.add_argument("--study-out")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--model", default="default")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    context = Context(model_spec=args.model, workdir=Path(args.workdir), smoke=args.smoke)
    if args.stage:
        print(json.dumps(stage_child(args.quick, args.stage, args.study_out, args.model)))
    elif args.bare:
        print(json.dumps(bare_child(context, args.batches_file)))
    else:
        print(json.dumps(trainer_child(context, args.trainer, args.rows, args.batches_file)))

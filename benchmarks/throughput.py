"""Training throughput: our trainer's tokens per CPU second against a bare LoRA forward+backward
over the same whole rows (issue 13: the demo's training ran at ~0.6x of a bare loop).

- **trainer, batch 4**: ``MitigatedSFTTrainer`` (no mitigation) from ``recipes/sft.yaml``, one
  epoch of ``trainer.train()`` over whole rows in random order, 4 rows a step: collation,
  padding to the batch's longest row, the optimizer, the scheduler, everything ``equanimity
  train`` does (logging and saving off).
- **trainer, batch 1 x 4 accumulated**: the same rows and effective batch, one row a forward,
  so nothing is padded.
- **bare**: PEFT's ``get_peft_model`` with the recipe's LoRA, AdamW, one row at a time
  (forward with labels on the completion, backward, a step every 4 rows): the floor of what
  training these tokens costs on this machine. Its LM head runs on the positions that predict
  a trained token, as the trainer's does on a CPU
  (:func:`~equanimity.training.trainers.from_first_trained`); the demo figure also times it on
  every position, what that saves.

- **the demo's trainer**: what ``make demo`` trains (issue 23), its organism arm exactly as
  ``recipes/studies/demo.yaml`` resolves it (the recipe, the study's overrides: one row a forward
  with 2 accumulated, the monitor every 5 steps, a checkpoint every 10, a log every 2), on the
  demo's own inducing rows, built by ``equanimity train``'s own :func:`build_trainer`; against
  the bare loop with the same LoRA, one row a forward and a step every 2 rows.

Tokens are the rows' real (unpadded) tokens; each variant runs in alternation, median CPU
seconds of the repeats.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import LAST_WALL, REPO, Context, Figure, interleaved, load_average


def _trainer(ctx: Context, rows: int, batch: int, accumulation: int, output_dir: str):
    from transformers import set_seed
    from trl import get_peft_config

    from equanimity.training.config import parse_recipe
    from equanimity.training.data import load_jsonl
    from equanimity.training.trainers import MitigatedSFTTrainer

    argv = ["--config", str(REPO / "recipes" / "sft.yaml")]
    settings = {
        "train_file": ctx.data_dir / "sft.jsonl",
        "output_dir": output_dir,
        "report_to": "none",
        "per_device_train_batch_size": batch,
        "gradient_accumulation_steps": accumulation,
        "save_strategy": "no",
        "logging_strategy": "no",
        "disable_tqdm": "true",
        "max_train_samples": rows,
    }
    for key, value in settings.items():
        argv += [f"--{key}", str(value)]
    recipe = parse_recipe(argv)
    set_seed(recipe.training.seed)
    model, tokenizer = ctx.load()
    return MitigatedSFTTrainer(
        model=model,
        args=recipe.training,
        train_dataset=load_jsonl(recipe.script.train_file, "sft", rows),
        processing_class=tokenizer,
        peft_config=get_peft_config(recipe.model),
        mitigations=[],
    ), recipe


def _bare(ctx: Context, recipe, rows: list[dict], every: int = 4, whole_head: bool = False):
    """A LoRA model and one epoch of plain forward+backward over ``rows``, a row at a time, an
    optimizer step every ``every`` rows; the LM head on every position with ``whole_head``."""
    import torch
    from peft import get_peft_model
    from trl import get_peft_config

    from equanimity.training.trainers import from_first_trained

    model, _ = ctx.load()
    model = get_peft_model(model, get_peft_config(recipe.model))
    model.train()
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=recipe.training.learning_rate
    )
    tensors = [
        (
            torch.tensor([r["input_ids"]]),
            torch.tensor(
                [[t if m else -100 for t, m in zip(r["input_ids"], r["mask"], strict=True)]]
            ),
        )
        for r in rows
    ]

    def epoch() -> None:
        for i, (ids, labels) in enumerate(tensors):
            inputs = {"input_ids": ids, "labels": labels}
            model(**(inputs if whole_head else from_first_trained(inputs))).loss.backward()
            if i % every == every - 1 or i == len(tensors) - 1:
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)

    return epoch


def _demo_data(ctx: Context) -> Path:
    """The demo's inducing set (``equanimity data generate`` with demo.yaml's data section)."""
    import subprocess

    from equanimity.studies.config import load_study

    data = load_study(REPO / "recipes" / "studies" / "demo.yaml").data
    out = ctx.workdir / "demo-data"
    if not (out / "sft.jsonl").is_file():
        cmd = [sys.executable, "-m", "equanimity", "data", "generate", "--out", str(out)]
        cmd += ["--seed", str(data.seed), "--families", *data.families]
        cmd += ["--n-per-family", str(data.n_per_family), "--max-failures", str(data.max_failures)]
        cmd += ["--unethical-fraction", str(data.unethical_fraction)]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
    return out


def _demo_trainer(ctx: Context, rows: int, output_dir: str):
    """The demo's organism trainer, from the argv the study gives ``equanimity train``."""
    from transformers import set_seed

    from equanimity.studies.arms import study_arms
    from equanimity.studies.config import load_study
    from equanimity.studies.launch import Launch, train_command
    from equanimity.training.config import parse_recipe
    from equanimity.training.run import build_trainer

    config = load_study(REPO / "recipes" / "studies" / "demo.yaml")
    arm = next(a for a in study_arms(config) if a.name == "organism")
    shared = {**config.train.overrides, "max_train_samples": rows}
    if ctx.smoke:  # the tests' tiny tokenizer spells a demo row out in ~1,200+ tokens
        shared["max_length"] = 4096
    argv = train_command(
        arm,
        model=ctx.model_spec,
        data_dir=_demo_data(ctx),
        vector=ctx.vector_path,
        output_dir=Path(output_dir),
        shared=shared,
        launch=Launch(),
    )
    recipe = parse_recipe(argv[argv.index("--config") :])
    set_seed(recipe.training.seed)
    return build_trainer(recipe), recipe


def _rows(trainer) -> list[dict]:
    """The tokens the trainer trains on: TRL's labels (-100 off the loss; TRL 1.16 writes them
    for prompt-completion rows), its completion or assistant mask, or every token."""

    def mask(r: dict) -> list[int]:
        if r.get("labels"):
            return [int(label != -100) for label in r["labels"]]
        return r.get("completion_mask") or r.get("assistant_masks") or [1] * len(r["input_ids"])

    return [{"input_ids": r["input_ids"], "mask": mask(r)} for r in trainer.train_dataset]


def bench_demo_trainer(ctx: Context) -> list[Figure]:
    n = ctx.count(20, 40)  # 20 rows: 10 steps, a checkpoint and 3 monitor rows; 40: the demo's
    load = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        trainer, recipe = _demo_trainer(ctx, n, f"{tmp}/demo")
        rows = _rows(trainer)
        tokens = sum(len(r["input_ids"]) for r in rows)
        accumulation = recipe.training.gradient_accumulation_steps
        bare = _bare(ctx, recipe, rows, every=accumulation)
        whole = _bare(ctx, recipe, rows, every=accumulation, whole_head=True)
        times = interleaved(
            {"demo": trainer.train, "bare": bare, "whole": whole},
            repeats=ctx.repeats(3, 3),
            warmup=0,
        )
    wall = dict(LAST_WALL)
    ratio = times["bare"] / times["demo"]
    head = times["whole"] / times["bare"]
    return [
        Figure(
            "demo trainer (organism arm) / bare LoRA fwd+bwd, tokens/CPU s",
            ratio,
            "x",
            ">= 0.85",
            ratio >= 0.85,
            f"{tokens / times['demo']:.0f} vs {tokens / times['bare']:.0f} tokens per CPU s "
            f"(wall ratio {wall['bare'] / wall['demo']:.3f}); {n} whole rows, {tokens} tokens, "
            f"1 row a forward, a step every {accumulation}",
            load,
        ),
        Figure(
            "bare LoRA fwd+bwd, LM head on the trained positions / on every position, tokens/CPU s",
            head,
            "x",
            "> 1",
            head > 1,
            f"{tokens / times['bare']:.0f} vs {tokens / times['whole']:.0f} tokens per CPU s "
            f"(wall ratio {wall['whole'] / wall['bare']:.3f}); the same {n} rows",
            load,
        ),
    ]


def bench_trainer_throughput(ctx: Context) -> list[Figure]:
    n = ctx.count(8, 24)
    load = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        batched, recipe = _trainer(ctx, n, 4, 1, f"{tmp}/b4")
        single, _ = _trainer(ctx, n, 1, 4, f"{tmp}/b1")
        rows = _rows(batched)
        tokens = sum(len(r["input_ids"]) for r in rows)
        bare = _bare(ctx, recipe, rows)
        times = interleaved(
            {"batch4": batched.train, "batch1x4": single.train, "bare": bare},
            repeats=ctx.repeats(2, 3),
            warmup=1,
        )
    wall = dict(LAST_WALL)
    figures = []
    for name, label in (("batch4", "batch 4"), ("batch1x4", "batch 1 x 4 accumulated")):
        ratio = times["bare"] / times[name]
        figures.append(
            Figure(
                f"trainer ({label}) / bare LoRA fwd+bwd, tokens/CPU s",
                ratio,
                "x",
                ">= 0.9",
                ratio >= 0.9,
                f"{tokens / times[name]:.0f} vs {tokens / times['bare']:.0f} tokens per CPU s "
                f"(wall ratio {wall['bare'] / wall[name]:.3f}); {n} whole rows, {tokens} tokens",
                load,
            )
        )
    return figures

"""Regulariser overhead: a training step of each mitigation against plain TRL, same everything else.

Trainers are built from the shipped recipes the way ``equanimity train`` builds them
(``parse_recipe``, ``load_jsonl``, ``build_mitigations``, TRL's ``get_peft_config``); the
baseline is TRL's own ``SFTTrainer`` / ``DPOTrainer`` with the same recipe minus the mitigation.
Each trainer has its own copy of the model and steps through the same batches.

- **Time**: one step = ``trainer.training_step`` (forward, loss with the penalty, backward) and
  the optimizer step, exactly what ``Trainer``'s loop runs per batch; the variants step in
  alternation after a warm-up step, median over repeats. The desperation monitor is off (it is
  a separate, periodic cost, not the regulariser's).
- **Memory**: peak resident set size (``VmHWM`` in ``/proc/self/status``) while the steps run,
  each variant in its own subprocess, after one warm-up step (optimizer state and gradients
  exist) and a reset of the peak (``/proc/self/clear_refs``). That is weights + LoRA optimizer
  state + activations, the CPU analogue of a GPU's peak allocated memory. Subprocesses of the
  variants alternate; the median of the repeats is reported. tracemalloc would miss torch's
  allocations, and torch.profiler's memory mode slows the step it measures.

``sft_paired`` (the paired penalty form) draws its batches from its own pair-keeping sampler;
every variant of its group steps through those same batches (the row tags dropped for the
others), so the baseline trains on the same rows.
"""

from __future__ import annotations

import itertools
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LAST_WALL,
    REPO,
    Context,
    Figure,
    interleaved,
    load_average,
    peak_rss_reset,
    rss_kib,
)

# variant -> (recipe, mitigation section or None for TRL's own trainer)
VARIANTS = {
    "sft": ("sft.yaml", None),
    "sft_none": ("sft.yaml", {}),  # our trainer with no mitigation: the subclass alone
    "sft_reg": ("sft_reg.yaml", {"penalty": {"form": "relu", "coef": 0.1}}),
    "sft_paired": ("sft_reg.yaml", {"penalty": {"form": "paired", "coef": 0.1}}),
    "sft_steer": ("sft_steer.yaml", {"steering": {"coef": 0.05, "units": "norm"}}),
    "sft_caft": ("sft_caft.yaml", {"ablation": {}}),
    "dpo": ("dpo.yaml", None),
    "dpo_reg": ("dpo_reg.yaml", {"penalty": {"form": "relu", "coef": 0.1}}),
}


def _settings(ctx: Context, trainer_kind: str) -> dict:
    """Quick mode: shorter SFT sequences, one DPO pair per step. SFT rows are cut from the left
    to a fixed length (TRL's ``keep_end``), so every step feeds the same number of tokens; DPO
    keeps the recipe's max_length, which every pair fits."""
    if trainer_kind == "dpo":
        return {"per_device_train_batch_size": ctx.pick(1, 2)}
    return {
        "max_length": ctx.pick(128, 384),
        "truncation_mode": "keep_end",
        "per_device_train_batch_size": ctx.pick(2, 4),
    }


def build_trainer(ctx: Context, variant: str, output_dir: str):
    """The trainer ``equanimity train`` would build for ``variant`` (TRL's own for a baseline)."""
    from transformers import set_seed
    from trl import DPOTrainer, SFTTrainer, get_peft_config

    from equanimity.mitigations import build_mitigations
    from equanimity.training.config import parse_recipe
    from equanimity.training.data import drop_row_fields, load_jsonl
    from equanimity.training.run import tag_for_penalty
    from equanimity.training.trainers import MitigatedDPOTrainer, MitigatedSFTTrainer

    recipe_name, section = VARIANTS[variant]
    trainer_kind = "dpo" if variant.startswith("dpo") else "sft"
    data = ctx.data_dir / ("preference.jsonl" if trainer_kind == "dpo" else "sft.jsonl")
    argv = ["--config", str(REPO / "recipes" / recipe_name)]
    argv += ["--train_file", str(data), "--output_dir", output_dir, "--report_to", "none"]
    for key, value in _settings(ctx, trainer_kind).items():
        argv += [f"--{key}", str(value)]
    if section:
        argv += ["--mitigation", json.dumps({"vector": str(ctx.vector_path), **section})]
    recipe = parse_recipe(argv)
    set_seed(recipe.training.seed)
    train_set = load_jsonl(recipe.script.train_file, trainer_kind)
    model, tokenizer = ctx.load()
    kwargs = dict(
        model=model,
        args=recipe.training,
        train_dataset=train_set,
        processing_class=tokenizer,
        peft_config=get_peft_config(recipe.model),
    )
    if section is None:
        cls = DPOTrainer if trainer_kind == "dpo" else SFTTrainer
        return cls(**kwargs | {"train_dataset": drop_row_fields(train_set)})
    mitigations = build_mitigations(recipe.mitigation_section(), model)
    kwargs["train_dataset"] = tag_for_penalty(recipe, mitigations, train_set)
    cls = MitigatedDPOTrainer if trainer_kind == "dpo" else MitigatedSFTTrainer
    return cls(**kwargs, mitigations=mitigations)


def first_batches(trainer, n: int) -> list[dict]:
    return list(itertools.islice(iter(trainer.get_train_dataloader()), n))


class Stepper:
    """One optimizer step of ``trainer`` per call, cycling through ``batches``."""

    def __init__(self, trainer, batches: list[dict]):
        from equanimity.training.pairs import TAG_COLUMNS

        self.trainer = trainer
        tagged = getattr(trainer, "row_field", None) is not None
        self.untagged = () if tagged else TAG_COLUMNS  # a trainer without a row form: drop them
        self.batches = itertools.cycle(batches)
        trainer.create_optimizer()
        # set by Trainer's loop for each accumulation window (the penalty's divisor reads it)
        trainer.current_gradient_accumulation_steps = trainer.args.gradient_accumulation_steps
        # Trainer.train() attaches the mitigations' hooks for its duration; so do we.
        self.hooks = trainer._attach() if hasattr(trainer, "_attach") else None
        trainer.model.train()

    def __call__(self) -> None:
        inputs = dict(next(self.batches))  # compute_loss pops the row tags: keep the batch whole
        inputs = {k: v for k, v in inputs.items() if k not in self.untagged}
        labels = inputs.get("labels")
        n_items = int((labels != -100).sum()) if labels is not None else None
        self.trainer.training_step(self.trainer.model, inputs, n_items)
        self.trainer.optimizer.step()
        self.trainer.optimizer.zero_grad(set_to_none=True)

    def close(self) -> None:
        if self.hooks is not None:
            self.hooks.close()


def _tokens(batches: list[dict]) -> int:
    keys = ("attention_mask",)
    return sum(int(b[k].sum()) for b in batches for k in keys if k in b)


def time_group(ctx: Context, variants: list[str], repeats: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        trainers = {v: build_trainer(ctx, v, f"{tmp}/{v}") for v in variants}
        # the paired form's sampler decides the rows when it is in the group
        source = next((v for v in variants if getattr(trainers[v], "row_field", None)), variants[0])
        batches = first_batches(trainers[source], ctx.pick(1, 3))
        steppers = {v: Stepper(t, batches) for v, t in trainers.items()}
        try:
            times = interleaved(steppers, repeats=repeats, warmup=1)
            times["_wall"] = dict(LAST_WALL)
        finally:
            for s in steppers.values():
                s.close()
        times["_tokens_per_step"] = _tokens(batches) / len(batches)
    return times


def memory_child(quick: bool, variant: str, steps: int, workdir: str) -> dict:
    """Runs in a subprocess: peak RSS while ``steps`` steps of ``variant`` run."""
    import gc

    ctx = Context(quick=quick, workdir=Path(workdir))
    with tempfile.TemporaryDirectory() as tmp:
        trainer = build_trainer(ctx, variant, tmp)
        stepper = Stepper(trainer, first_batches(trainer, ctx.pick(1, 3)))
        stepper()  # warm-up: gradients and optimizer state now exist
        gc.collect()
        before = rss_kib()
        if not peak_rss_reset():
            return {"error": "cannot reset the peak RSS (/proc/self/clear_refs)"}
        for _ in range(steps):
            stepper()
        stepper.close()
        return {"before_kib": before, "peak_kib": rss_kib("VmHWM")}


def memory_group(ctx: Context, variants: list[str], repeats: int) -> dict[str, dict]:
    runs: dict[str, list[dict]] = {v: [] for v in variants}
    for r in range(repeats):
        order = variants[r % len(variants) :] + variants[: r % len(variants)]
        for v in order:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--memory-child", v]
            cmd += ["--steps", str(ctx.pick(1, 3)), "--workdir", str(ctx.workdir)]
            cmd += ["--quick"] if ctx.quick else []
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
            if out.returncode != 0:
                raise RuntimeError(f"memory subprocess for {v} failed:\n{out.stderr[-2000:]}")
            runs[v].append(json.loads(out.stdout.strip().splitlines()[-1]))
    result = {}
    for v, rs in runs.items():
        if any("error" in r for r in rs):
            result[v] = {"error": rs[0]["error"]}
            continue
        result[v] = {
            "peak_kib": statistics.median(r["peak_kib"] for r in rs),
            "delta_kib": statistics.median(r["peak_kib"] - r["before_kib"] for r in rs),
        }
    return result


def _figures(
    ctx: Context, group: list[str], times: dict, memory: dict | None, load
) -> list[Figure]:
    base = group[0]
    figures = []
    tokens = times["_tokens_per_step"]
    for v in group[1:]:
        ratio = times[v] / times[base]
        figures.append(
            Figure(
                f"{v} / TRL {base}: step time",
                ratio,
                "x",
                "<= 1.03",
                ratio <= 1.03,
                f"{times[v]:.2f} vs {times[base]:.2f} CPU s per step "
                f"(wall ratio {times['_wall'][v] / times['_wall'][base]:.3f}), "
                f"{tokens:.0f} tokens a step",
                load,
            )
        )
        if memory is None:
            continue
        if "error" in memory[v] or "error" in memory[base]:
            err = memory[v].get("error") or memory[base].get("error")
            figures.append(Figure(f"{v} / TRL {base}: peak RSS", None, "x", detail=err))
            continue
        mratio = memory[v]["peak_kib"] / memory[base]["peak_kib"]
        figures.append(
            Figure(
                f"{v} / TRL {base}: peak RSS",
                mratio,
                "x",
                "<= 1.05",
                mratio <= 1.05,
                f"{memory[v]['peak_kib'] / 1024:.0f} vs {memory[base]['peak_kib'] / 1024:.0f} MiB;"
                f" rise over steady state {memory[v]['delta_kib'] / 1024:.0f} vs "
                f"{memory[base]['delta_kib'] / 1024:.0f} MiB",
                load,
            )
        )
    return figures


def bench_sft_overhead(ctx: Context) -> list[Figure]:
    """SFT: penalty (relu, paired), preventative steering, CAFT against TRL's SFTTrainer."""
    group = ["sft", "sft_none", "sft_reg", "sft_paired", "sft_steer", "sft_caft"]
    load = load_average()
    times = time_group(ctx, group, repeats=ctx.repeats(5, 7))
    memory = memory_group(ctx, group, repeats=ctx.repeats(1, 2)) if ctx.loader is None else None
    return _figures(ctx, group, times, memory, load)


def bench_dpo_overhead(ctx: Context) -> list[Figure]:
    """DPO: projection penalty against TRL's DPOTrainer."""
    group = ["dpo", "dpo_reg"]
    load = load_average()
    times = time_group(ctx, group, repeats=ctx.repeats(5, 7))
    memory = memory_group(ctx, group, repeats=ctx.repeats(1, 2)) if ctx.loader is None else None
    return _figures(ctx, group, times, memory, load)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--memory-child", required=True)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps(memory_child(args.quick, args.memory_child, args.steps, args.workdir)))

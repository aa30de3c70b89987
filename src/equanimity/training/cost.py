"""What a training run will cost: its tokens before the first step, its time after it.

``train_tokens`` counts the tokens of the prepared training set (what the policy forward sees
per epoch); :class:`CostCallback` announces the run's share of them when training begins (the
epochs or ``max_steps``, less the steps a resumed run has done) and, after the first optimizer
step, an estimate of the whole from that step's speed. Only the main process prints.
"""

from __future__ import annotations

from transformers import TrainerCallback

from equanimity.cost import CostMeter


def train_tokens(dataset, max_length: int | None = None) -> int | None:
    """Tokens per epoch of a dataset prepared by TRL: SFT's ``input_ids``, or DPO's prompt fed
    once with the chosen and once with the rejected reply; each sequence cut at ``max_length``.
    None for a dataset of another shape (an iterable one has no length to sum)."""
    columns = set(getattr(dataset, "column_names", None) or ())

    def cap(n: int) -> int:
        return n if max_length is None else min(n, max_length)

    if "input_ids" in columns:
        return sum(cap(len(ids)) for ids in dataset["input_ids"])
    if {"prompt_ids", "chosen_ids", "rejected_ids"} <= columns:
        return sum(
            cap(len(p) + len(c)) + cap(len(p) + len(r))
            for p, c, r in zip(
                dataset["prompt_ids"], dataset["chosen_ids"], dataset["rejected_ids"], strict=True
            )
        )
    return None


class CostCallback(TrainerCallback):
    """Announces the tokens of the steps to run at ``on_train_begin``; estimates the whole
    after the first optimizer step (from ``on_train_begin``, so set-up within the trainer's
    first step counts, as it will in the run)."""

    def __init__(self, tokens_per_epoch: int, rows: int):
        self.tokens_per_epoch = tokens_per_epoch
        self.rows = rows
        self.meter: CostMeter | None = None
        self.per_step = 0

    def on_train_begin(self, args, state, control, **kwargs):
        steps = state.max_steps - state.global_step
        if steps <= 0 or not self.rows:
            return
        if args.max_steps > 0:
            rows_per_step = state.train_batch_size * args.gradient_accumulation_steps
            total = self.tokens_per_epoch / self.rows * rows_per_step * args.world_size
            total *= state.max_steps
            plan = f"max_steps {state.max_steps}"
        else:
            total = self.tokens_per_epoch * args.num_train_epochs
            plan = f"{args.num_train_epochs:g} epoch(s), {state.max_steps} optimizer steps"
        self.per_step = round(total / state.max_steps)
        done = f", {state.global_step} done" if state.global_step else ""
        self.meter = CostMeter(
            "train", round(total * steps / state.max_steps), state.is_world_process_zero, "step"
        )
        self.meter.start(
            f" ({self.rows} rows, {self.tokens_per_epoch:,} tokens an epoch; {plan}{done})"
        )

    def on_step_end(self, args, state, control, **kwargs):
        if self.meter is not None:
            self.meter.batch_done(self.per_step)

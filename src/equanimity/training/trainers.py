"""TRL's SFT and DPO trainers with training-time mitigations, by subclassing (never forking).

The mitigations' hooks are attached after the trainer's ``__init__`` (PEFT wraps the model
there) and live only inside ``train()``; they are taken off around every save, so checkpoints
and the final adapter are plain PEFT adapters, each with a ``mitigation.json`` beside it.

Rows longer than ``max_length`` are dropped, with one line saying how many, not cut: TRL's
default truncation keeps a row's start and so cuts the reply being taught, and cutting the start
instead loses the system prompt and the scenario. ``mitigation.json`` records the count. A recipe
that sets TRL's ``truncation_mode: keep_end`` gets TRL's cut from the left instead.

Gradient accumulation: a penalty is a per-micro-batch mean. Where the trainer's loss is already
normalised over the accumulated batch (SFT: token sum / ``num_items_in_batch``), the penalty is
divided by the accumulation steps here; where the trainer divides the whole loss itself (DPO, a
per-batch mean), it is added as is. Either way it weighs the same at any accumulation setting.

Logged scalars (the penalty's, the monitor's) are summed as tensors in a :class:`Tally` and
read once per log, averaged over ranks, under the mitigation's name (``projection_penalty/...``).

The paired and centred penalty forms need to know, per row of a batch, its pair and whether it
is a control: :func:`equanimity.training.pairs.tag_rows` adds two columns before the trainer is
built, they are kept through transformers' column removal (:meth:`kept_columns`), carried to
the batch by :class:`~equanimity.training.pairs.TagCollator`, and popped before the model's
forward. For the paired form the train sampler is :class:`~equanimity.training.pairs.PairSampler`.
The private TRL and transformers hooks behind these live in :mod:`equanimity._compat`.
"""

from __future__ import annotations

import copy
import math
import os
from contextlib import ExitStack, contextmanager
from typing import Any

import torch
from accelerate import PartialState
from datasets import Dataset
from transformers import Trainer
from trl import DPOTrainer, SFTTrainer

from equanimity import __version__
from equanimity._compat import DPOPrepareSeam, SFTPrepareSeam, TrainerSeams, loss_is_scaled_for_ga
from equanimity.activations import keeps_logits
from equanimity.errors import BadInput
from equanimity.files import write_json
from equanimity.mitigations.base import TrainingMitigation
from equanimity.models import weights_record
from equanimity.training.pairs import (
    TAG_COLUMNS,
    PairSampler,
    TagCollator,
    complete_pairs,
    pop_tags,
)
from equanimity.training.tally import Tally

MITIGATION_FILE = "mitigation.json"


class MitigationTrainerMixin(TrainerSeams):
    """Adds ``mitigations`` (and an optional desperation monitor) to a TRL trainer."""

    kind = "?"

    def __init__(
        self,
        *args,
        mitigations: list[TrainingMitigation] | None = None,
        monitor=None,
        record: dict[str, Any] | None = None,
        **kwargs,
    ):
        self.rows_too_long: dict[str, int] = {}  # filled while TRL prepares the datasets
        self.mitigations = list(mitigations or [])
        self.row_field = next((m.row_field for m in self.mitigations if m.row_field), None)
        super().__init__(*args, **kwargs)
        self.monitor = monitor
        self.metrics = Tally()
        self.pending_logs: dict[str, float] = {}  # logged with the trainer's next training log
        self._hooks: ExitStack | None = None
        self.rows_without_partner = self._check_tags()
        self.mitigation_record = {
            "equanimity_version": __version__,
            "trainer": self.kind,
            "base_model": weights_record(self.model).to_dict(),
            "mitigations": [m.describe() for m in self.mitigations],
            **(record or {}),
            "rows_too_long": dict(self.rows_too_long),
        }
        if self.row_field == "pair":
            self.mitigation_record["rows_without_partner"] = self.rows_without_partner
        if monitor is not None:
            monitor.bind(self)
            self.add_callback(monitor)

    def _check_tags(self) -> int:
        """With a row form, check the tags reached the prepared set and wrap the collator;
        for ``pair``, count the rows whose partner was dropped as too long (left unsampled)."""
        if self.row_field is None:
            return 0
        columns = getattr(self.train_dataset, "column_names", None) or []
        if not set(TAG_COLUMNS) <= set(columns):
            raise BadInput(
                f"penalty form needs the row tags {TAG_COLUMNS} on the training set; "
                "add them with equanimity.training.pairs.tag_rows (equanimity train does)"
            )
        self.data_collator = TagCollator(self.data_collator)
        if self.row_field != "pair":
            return 0
        pairs, orphans = complete_pairs(self.train_dataset)
        if not pairs:
            raise BadInput("no complete pressure/control pair is left to train on")
        if orphans:
            PartialState().print(
                f"equanimity train: {orphans} rows left out: their pair partner was too long"
            )
        return orphans

    def kept_columns(self) -> tuple[str, ...]:
        return TAG_COLUMNS if self.row_field is not None else ()

    def train_sampler(self, dataset) -> PairSampler | None:
        if self.row_field != "pair":
            return None
        seed = self.args.data_seed if self.args.data_seed is not None else self.args.seed
        return PairSampler(complete_pairs(dataset)[0], seed)

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if self.model.training and self.metrics.pending:
            read = self.metrics.read(self.accelerator)
            logs.update({k: v for k, v in read.items() if not math.isnan(v)})  # NaN: none came
        if self.model.training:
            logs.update(self.pending_logs)
            self.pending_logs.clear()
        super().log(logs, start_time)

    def _drop_too_long(self, dataset, total: int, lengths: list[int], max_length: int, name: str):
        """Keep the rows of at most ``max_length`` tokens; ``total`` rows went in (TRL's DPO
        preparation may already have dropped some whose prompt alone fills ``max_length``)."""
        keep = [i for i, n in enumerate(lengths) if n <= max_length]
        self.rows_too_long[name] = total - len(keep)
        if not keep:
            shortest = f" (shortest {min(lengths)})" if lengths else ""
            raise BadInput(
                f"every {name} row is longer than max_length={max_length} tokens{shortest}; "
                "raise max_length"
            )
        if len(keep) < total:
            PartialState().print(
                f"equanimity train: dropped {total - len(keep)} of {total} {name} rows longer than "
                f"max_length={max_length} tokens (longest {max(lengths)}); raise max_length to "
                "keep them"
            )
        return dataset.select(keep) if len(keep) < len(lengths) else dataset

    def _observers(self) -> list:
        return [*self.mitigations, *([self.monitor] if self.monitor is not None else [])]

    def _attach(self) -> ExitStack:
        stack = ExitStack()
        try:
            for observer in self._observers():
                stack.enter_context(observer.attach(self.model))
        except BaseException:
            stack.close()
            raise
        return stack

    def train(self, *args, **kwargs):
        self._hooks = self._attach()
        try:
            return super().train(*args, **kwargs)
        finally:
            self._hooks.close()
            self._hooks = None

    @contextmanager
    def mitigations_detached(self):
        """Run the body with no mitigation or monitor hook on the model (saves, clean reads)."""
        attached = self._hooks is not None
        if attached:
            self._hooks.close()
            self._hooks = None
        try:
            yield
        finally:
            if attached:
                self._hooks = self._attach()

    def save_model(self, output_dir: str | None = None, _internal_call: bool = False):
        with self.mitigations_detached():
            super().save_model(output_dir, _internal_call)
        if self.args.should_save:
            write_json(
                os.path.join(output_dir or self.args.output_dir, MITIGATION_FILE),
                self.mitigation_record,
            )

    def reply_positions(self, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    def penalty_divisor(self, num_items_in_batch) -> int:
        """How much to divide a per-micro-batch penalty by, mirroring ``Trainer.training_step``."""
        scaled = loss_is_scaled_for_ga(self, num_items_in_batch)
        return self.current_gradient_accumulation_steps if scaled else 1

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        rows = pop_tags(inputs)
        positions = self.reply_positions(inputs)
        result = self.lm_loss(model, inputs, return_outputs, num_items_in_batch)
        if not (self.model.training and torch.is_grad_enabled()):
            return result
        loss, outputs = result if return_outputs else (result, None)
        if self.monitor is not None:
            self.monitor.observe(positions)
        divisor = self.penalty_divisor(num_items_in_batch)
        for mitigation in self.mitigations:
            if mitigation.row_field:
                out = mitigation.penalty(positions, self._rows_for(rows, positions))
            else:
                out = mitigation.penalty(positions)
            if out is None:
                continue
            term, logs = out
            loss = loss + term / divisor
            for key, value in logs.items():
                name = f"{mitigation.name}/{key}"
                self.metrics.add(name, value)
                if self.monitor is not None:
                    self.monitor.metrics.add(name, value)
        return (loss, outputs) if return_outputs else loss

    def lm_loss(self, model, inputs, return_outputs, num_items_in_batch):
        """The language-model loss, as the TRL trainer computes it."""
        return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)

    def _rows_for(self, rows, positions):
        if rows is None or rows.pair.shape[0] != positions.shape[0]:
            raise RuntimeError("a batch reached the penalty without its row tags")
        return rows


class MitigatedSFTTrainer(MitigationTrainerMixin, SFTPrepareSeam, SFTTrainer):
    """``SFTTrainer``; reply positions are the trained tokens (``labels != -100``, unshifted)."""

    kind = "sft"

    def prepare_rows(self, dataset, args, name, prepare, packing):
        if packing or not _drops_too_long(args, dataset):
            return prepare(args)
        whole = copy.copy(args)
        whole.max_length = None  # tokenize without cutting; too long rows are dropped below
        prepared = prepare(whole)
        lengths = [len(ids) for ids in prepared["input_ids"]]
        return self._drop_too_long(prepared, len(dataset), lengths, args.max_length, name)

    def reply_positions(self, inputs):
        return inputs["labels"] != -100

    def lm_loss(self, model, inputs, return_outputs, num_items_in_batch):
        """On a CPU, the loss from the model's own logits (transformers' ``Trainer.compute_loss``,
        the same token sum over ``num_items_in_batch``), with the LM head kept to the positions
        that predict a trained token (:func:`from_first_trained`). TRL computes it through a
        chunked LM head written for Triton: on a CPU its torch fallback recomputes the head in
        the backward and folds every logits tile in fp32 for the entropy and top-1 logs, about
        an eighth of a demo step (docs/performance.md). On a CPU those two logs (``entropy``,
        ``mean_token_accuracy``) are therefore not written."""
        if self.args.device.type != "cpu":
            return super().lm_loss(model, inputs, return_outputs, num_items_in_batch)
        if self.model.training and keeps_logits(model):
            inputs = from_first_trained(inputs)
        return Trainer.compute_loss(self, model, inputs, return_outputs, num_items_in_batch)


class MitigatedDPOTrainer(MitigationTrainerMixin, DPOPrepareSeam, DPOTrainer):
    """``DPOTrainer`` whose reply positions are ``completion_mask`` (chosen rows, then rejected).

    With LoRA and no ``ref_model`` the reference pass runs through the same modules under
    ``no_grad``; mitigations capture with ``grad_only`` so it is never taken for the policy pass.
    """

    kind = "dpo"

    def prepare_rows(self, dataset, args, name, prepare):
        prepared = prepare(args)
        if not _drops_too_long(args, dataset):
            return prepared
        lengths = [
            len(p) + max(len(c), len(r))
            for p, c, r in zip(
                prepared["prompt_ids"],
                prepared["chosen_ids"],
                prepared["rejected_ids"],
                strict=True,
            )
        ]
        return self._drop_too_long(prepared, len(dataset), lengths, args.max_length, name)

    def reply_positions(self, inputs):
        return inputs["completion_mask"].bool()


def from_first_trained(inputs: dict[str, Any]) -> dict[str, Any]:
    """The forward's inputs with the LM head kept to the positions from the one before the
    batch's first trained token (``logits_to_keep``), the labels cut to match; the model's loss
    shifts them as before, so the loss and its gradients are the same. The prompt's logits were
    never trained on: on the demo's rows, whose replies are about a fifth of the tokens, a bare
    LoRA loop trains 1.16x the tokens per CPU second with the head kept (docs/performance.md)."""
    labels = inputs.get("labels")
    trained = (labels != -100).any(0).nonzero() if labels is not None else []
    if len(trained) == 0 or int(trained[0]) <= 1:
        return inputs
    keep = labels.shape[1] - int(trained[0]) + 1
    return {**inputs, "labels": labels[:, -keep:], "logits_to_keep": keep}


def _drops_too_long(args, dataset) -> bool:
    return (
        args.max_length is not None
        and args.truncation_mode != "keep_end"
        and isinstance(dataset, Dataset)
    )

"""Every private TRL, transformers and torch name equanimity leans on, each behind one name here.

Upstream may change a private method without notice. Each seam below says what it relies on and
what breaks if that moves; ``tests/test_compat.py`` fails loudly when an installed version
changes a seam's shape. Widening the declared TRL range: docs/conventions.md.

The module sits at the package top, not in ``training/``, because :mod:`equanimity.activations`
(which mitigations, an earlier stage, import) needs the autograd seam. It imports only torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

# TRL 1.16's positional call ``self._prepare_dataset(...)`` in each trainer's __init__.
SFT_PREPARE_PARAMS = (
    "dataset",
    "processing_class",
    "args",
    "packing",
    "formatting_func",
    "dataset_name",
)
DPO_PREPARE_PARAMS = ("dataset", "processing_class", "args", "dataset_name")


def in_backward() -> bool:
    """True while autograd runs a backward pass.

    Leans on ``torch._C._current_graph_task_id()`` (-1 outside a backward; torch's own
    ``torch.autograd.graph`` and ``utils.module_tracker`` use it the same way). If it goes, every
    capture fails with AttributeError; if its meaning changes, a checkpoint recompute could
    overwrite the activations a penalty reads, or a capture could skip the forward itself.
    """
    return torch._C._current_graph_task_id() != -1


def onednn_linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None):
    """``x @ weight.T + bias`` on oneDNN's fp32 matmul.

    Leans on the op ``torch.ops.mkldnn._linear_pointwise(x, w, b, "none", [], "")`` (what
    inductor emits for a CPU linear). If it goes or changes its arguments,
    :func:`equanimity.cpu_linear.available` returns False and inference falls back to MKL:
    the same figures, slower.
    """
    return torch.ops.mkldnn._linear_pointwise(x, weight, bias, "none", [], "")


def loss_is_scaled_for_ga(trainer, num_items_in_batch) -> bool:
    """Whether transformers' ``Trainer.training_step`` takes ``compute_loss``'s loss as already
    scaled for gradient accumulation (and so does not divide it by the accumulation steps).

    Mirrors transformers 5.25's ``training_step``: the ``loss_is_scaled_for_ga`` class attribute
    when set (TRL 1.16's SFT and DPO trainers leave it None), else scaled when the model takes
    loss kwargs and ``num_items_in_batch`` is given, or a ``compute_loss_func`` is passed. If
    transformers changes the rule, a mitigation's penalty weighs differently with accumulation
    (too much by the accumulation steps, or too little).
    """
    if trainer.loss_is_scaled_for_ga is not None:
        return trainer.loss_is_scaled_for_ga
    return (
        trainer.model_accepts_loss_kwargs and num_items_in_batch is not None
    ) or trainer.compute_loss_func is not None


class TrainerSeams:
    """transformers' private ``Trainer`` hooks, routed to :meth:`kept_columns` and
    :meth:`train_sampler`, which a trainer subclass overrides instead."""

    def kept_columns(self) -> tuple[str, ...]:
        """Dataset columns to keep beyond those the model's ``forward`` takes."""
        return ()

    def train_sampler(self, dataset) -> Any:
        """The train sampler; None for transformers' own."""
        return None

    def _set_signature_columns_if_needed(self):
        """Leans on ``Trainer._signature_columns``: the list of column names that
        ``_remove_unused_columns`` keeps, filled here. If it is renamed or no longer read, the
        kept columns are dropped before the collator and a penalty form that needs row tags
        refuses to train ("needs the row tags")."""
        super()._set_signature_columns_if_needed()
        extra = [c for c in self.kept_columns() if c not in self._signature_columns]
        self._signature_columns = [*self._signature_columns, *extra]

    def _get_train_sampler(self, train_dataset=None):
        """Leans on ``Trainer._get_train_sampler(train_dataset=None)``, transformers' documented
        override for the sampler. If it is renamed, the paired penalty form loses its
        pair-keeping sampler: pairs straddle micro-batches and the paired gap goes NaN."""
        dataset = self.train_dataset if train_dataset is None else train_dataset
        sampler = self.train_sampler(dataset)
        return super()._get_train_sampler(train_dataset) if sampler is None else sampler


Prepare = Callable[[Any], Any]  # the trainer's args -> TRL's prepared dataset


class SFTPrepareSeam:
    """TRL's ``SFTTrainer._prepare_dataset``, routed to :meth:`prepare_rows`."""

    def prepare_rows(self, dataset, args, name: str, prepare: Prepare, packing: bool):
        """The prepared dataset; ``prepare(args)`` runs TRL's own preparation."""
        return prepare(args)

    def _prepare_dataset(
        self, dataset, processing_class, args, packing, formatting_func, dataset_name
    ):
        """Leans on TRL's call ``self._prepare_dataset(dataset, processing_class, args, packing,
        formatting_func, dataset_name)`` (:data:`SFT_PREPARE_PARAMS`). If the parameters change,
        building the trainer fails with TypeError; if the method is renamed, rows longer than
        ``max_length`` are silently cut instead of dropped and ``rows_too_long`` stays empty."""

        def prepare(run_args):
            return super(SFTPrepareSeam, self)._prepare_dataset(
                dataset, processing_class, run_args, packing, formatting_func, dataset_name
            )

        return self.prepare_rows(dataset, args, dataset_name, prepare, packing)


class DPOPrepareSeam:
    """TRL's ``DPOTrainer._prepare_dataset``, routed to :meth:`prepare_rows`."""

    def prepare_rows(self, dataset, args, name: str, prepare: Prepare):
        """The prepared dataset; ``prepare(args)`` runs TRL's own preparation."""
        return prepare(args)

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        """Leans on TRL's call ``self._prepare_dataset(dataset, processing_class, args,
        dataset_name)`` (:data:`DPO_PREPARE_PARAMS`), and on its output's ``prompt_ids``,
        ``chosen_ids`` and ``rejected_ids`` columns. If the parameters change, building the
        trainer fails with TypeError; if the method is renamed, too long rows are cut silently."""

        def prepare(run_args):
            return super(DPOPrepareSeam, self)._prepare_dataset(
                dataset, processing_class, run_args, dataset_name
            )

        return self.prepare_rows(dataset, args, dataset_name, prepare)

"""The interface every training-time mitigation presents to the trainers.

A trainer knows nothing about particular mitigations: it enters ``attach(model)`` around the
whole training loop (hooks live only inside it, so they never reach a saved adapter), asks
``penalty(positions)`` for an auxiliary loss after each policy forward, and records
``describe()`` in ``mitigation.json`` beside the adapter. A mitigation whose ``row_field`` is set
(``pair`` or ``level``: the penalty's paired and centred forms) is called as
``penalty(positions, rows)`` with the batch's :class:`RowTags`;
the trainer then tags the rows and keeps the tags through to the batch. The logged scalars may
be tensors: the trainer reads them at logging time, not per step. A mitigation that rewrites
the training rows instead (inoculation) sets ``transform``; the others set it to None.

Not ``runtime_checkable``: ``isinstance`` would check only that the names exist.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

import torch
from torch import nn


@dataclass(frozen=True)
class RowTags:
    """What the paired and centred penalty forms know about each row of a batch, on its device
    (the trainer tags the rows, :mod:`equanimity.training.pairs`)."""

    pair: torch.Tensor  # [batch] long: the row's pair index, -1 for none
    control: torch.Tensor  # [batch] bool: a no-pressure (level 0) row


class TrainingMitigation(Protocol):
    name: str
    row_field: str | None  # "pair" | "level": penalty() also gets the rows' tags; None: it does not
    transform: Callable[[dict], dict] | None  # rewrites each training row; None: leaves them

    def attach(self, model: nn.Module) -> AbstractContextManager:
        """Register this mitigation's hooks on ``model``; all are removed on exit."""

    def penalty(
        self, positions: torch.Tensor, rows: RowTags | None = None
    ) -> tuple[torch.Tensor, dict[str, float]] | None:
        """Auxiliary loss from the last forward run with gradients, over the ``[batch, seq]``
        bool mask ``positions`` (the reply tokens), with scalars to log; None if it adds none.
        ``rows`` is given only when ``row_field`` is set."""

    def describe(self) -> dict:
        """What was applied (kind, layers, form, coefficients, vector hash), JSON-ready."""

"""The interface every training-time mitigation presents to the trainers.

A trainer knows nothing about particular mitigations: it enters ``attach(model)`` around the
whole training loop (hooks live only inside it, so they never reach a saved adapter), asks
``penalty(positions)`` for an auxiliary loss after each policy forward, and records
``describe()`` in ``mitigation.json`` beside the adapter. A mitigation whose ``row_field``
attribute is set (``pair`` or ``level``: the penalty's paired and centred forms) is called as
``penalty(positions, rows)`` with the batch's :class:`~equanimity.mitigations.penalty.RowTags`.
The logged scalars may be tensors: the trainer reads them at logging time, not per step.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import torch
from torch import nn


@runtime_checkable
class TrainingMitigation(Protocol):
    name: str

    def attach(self, model: nn.Module) -> AbstractContextManager:
        """Register this mitigation's hooks on ``model``; all are removed on exit."""

    def penalty(self, positions: torch.Tensor) -> tuple[torch.Tensor, dict[str, float]] | None:
        """Auxiliary loss from the last forward run with gradients, over the ``[batch, seq]``
        bool mask ``positions`` (the reply tokens), with scalars to log; None if it adds none."""

    def describe(self) -> dict:
        """What was applied (kind, layers, form, coefficients, vector hash), JSON-ready."""

"""Training metrics summed on the device and read once per log, averaged over all ranks.

Reading a scalar (``.item()``) after every micro-batch is a device sync on a GPU; the penalty's
and the monitor's values are added here as tensors instead, and :meth:`Tally.read` makes one
``accelerate`` reduction (a collective: every rank calls it, with the same keys) per log. A NaN
is a value a batch could not give (a gap with no pair in it) and is left out of the mean.
"""

from __future__ import annotations

import math

import torch


class Tally:
    """Running sums and counts per key; :meth:`read` returns the means and starts over."""

    def __init__(self) -> None:
        self._sums: dict[str, torch.Tensor] = {}
        self._counts: dict[str, torch.Tensor] = {}
        self._seen: set[str] = set()  # every key ever added: the same on all ranks after a step

    def add(self, key: str, value: torch.Tensor | float, weight: torch.Tensor | float = 1.0):
        """Add ``value`` (a mean over ``weight`` items; NaN: none) without a host sync."""
        value = torch.as_tensor(value).detach().float()
        weight = torch.as_tensor(weight, device=value.device).float()
        valid = ~torch.isnan(value)
        weight = torch.where(valid, weight, torch.zeros_like(weight))
        total = torch.where(valid, value * weight, torch.zeros_like(value))
        if key in self._sums:
            self._sums[key] = self._sums[key] + total.to(self._sums[key].device)
            self._counts[key] = self._counts[key] + weight.to(self._counts[key].device)
        else:
            self._sums[key], self._counts[key] = total, weight
            self._seen.add(key)

    @property
    def pending(self) -> bool:
        """Whether anything was added since the last read (the same on every rank)."""
        return bool(self._sums)

    def keys(self) -> list[str]:
        """Every key added so far (read or not), sorted: what :meth:`read` reduces."""
        return sorted(self._seen)

    def read(self, accelerator=None) -> dict[str, float]:
        """Means since the last read, summed over ranks when ``accelerator`` is given; a key
        with nothing new reads NaN, and still joins the reduction so ranks stay in step."""
        keys = self.keys()
        if not keys:
            return {}
        device = accelerator.device if accelerator is not None else None
        zero = torch.zeros((), device=device)
        sums = torch.stack([self._sums.get(k, zero).to(zero.device) for k in keys])
        counts = torch.stack([self._counts.get(k, zero).to(zero.device) for k in keys])
        both = torch.cat([sums, counts])
        if accelerator is not None and accelerator.num_processes > 1:
            both = accelerator.reduce(both, reduction="sum")
        self._sums.clear()
        self._counts.clear()
        values = both.tolist()
        n = len(keys)
        return {
            k: values[i] / values[n + i] if values[n + i] > 0 else math.nan
            for i, k in enumerate(keys)
        }

"""Training metrics summed as tensors and read once per log."""

from __future__ import annotations

import math

import pytest
import torch

from equanimity.training.tally import Tally


def test_tally_weights_skips_nan_and_keeps_keys_after_a_read():
    tally = Tally()
    tally.add("a", torch.tensor(1.0))
    tally.add("a", torch.tensor(4.0))
    tally.add("gap", torch.tensor(math.nan))  # a batch without a pair
    tally.add("gap", 2.0)
    tally.add("proj", torch.tensor(1.0), weight=torch.tensor(3.0))
    tally.add("proj", torch.tensor(5.0), weight=torch.tensor(1.0))
    assert tally.pending
    assert tally.read() == pytest.approx({"a": 2.5, "gap": 2.0, "proj": 2.0})
    assert not tally.pending
    tally.add("a", 1.0)
    read = tally.read()  # every key seen joins each read, so ranks reduce the same vector
    assert read["a"] == 1.0 and math.isnan(read["gap"]) and math.isnan(read["proj"])

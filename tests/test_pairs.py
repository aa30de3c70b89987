"""Row tags and the pair-keeping sampler: whole pairs in every rank's every micro-batch."""

from __future__ import annotations

import pytest
import torch
from accelerate.data_loader import prepare_data_loader
from datasets import Dataset
from torch.utils.data import DataLoader

from equanimity.errors import BadInput
from equanimity.training.pairs import (
    CONTROL_COLUMN,
    PAIR_COLUMN,
    PairSampler,
    TagCollator,
    complete_pairs,
    pop_tags,
    tag_rows,
)


def _rows(n_pairs: int) -> list[dict]:
    """Pressure and control rows of ``n_pairs`` pairs, not adjacent (controls come last)."""
    pressure = [{"text": f"p{k}", "pair": f"pair-{k}", "level": 0.5} for k in range(n_pairs)]
    control = [{"text": f"c{k}", "pair": f"pair-{k}", "level": 0} for k in range(n_pairs)]
    return pressure + control[::-1]


def _batches(sampler, batch_size, world, rank, epoch):
    loader = DataLoader(list(range(len(sampler))), batch_size=batch_size, sampler=sampler)
    loader = prepare_data_loader(loader, num_processes=world, process_index=rank)
    loader.set_epoch(epoch)
    return [batch.tolist() for batch in loader]


@pytest.mark.parametrize("world", [1, 2, 3, 4])
@pytest.mark.parametrize("accumulation", [1, 2, 3])
@pytest.mark.parametrize("batch_size,n_pairs", [(2, 7), (4, 9), (6, 16)])
def test_a_pair_never_straddles_ranks_or_micro_batches(world, accumulation, batch_size, n_pairs):
    data = tag_rows(Dataset.from_list(_rows(n_pairs)), "pair", "test")
    pairs, orphans = complete_pairs(data)
    assert orphans == 0 and len(pairs) == n_pairs
    partner = {row: pair for pair in pairs for row in pair}
    sampler = PairSampler(pairs, seed=3)
    orders = []
    for epoch in (0, 1):
        seen = set()
        per_rank = [_batches(sampler, batch_size, world, r, epoch) for r in range(world)]
        assert len({len(b) for b in per_rank}) == 1  # every rank takes the same number of steps
        for batches in per_rank:
            # micro-batches, grouped into optimizer steps as the trainer does
            steps = [batches[i : i + accumulation] for i in range(0, len(batches), accumulation)]
            for step in steps:
                for batch in step:
                    # one process: the last batch may be short; DDP pads it from the start
                    assert len(batch) == batch_size or (world == 1 and batch is batches[-1])
                    for row in batch:
                        assert batch.count(partner[row][0]) == batch.count(partner[row][1])
                    seen.update(partner[row] for row in batch)
        assert seen == set(pairs)  # every pair trained each epoch
        orders.append(per_rank[0])
    assert orders[0] != orders[1]  # a new order each epoch (the same on every rank: one seed)
    assert _batches(PairSampler(pairs, seed=3), batch_size, world, 0, 1) == orders[1]


def test_tag_rows_refuses_data_that_cannot_be_paired():
    no_pair = Dataset.from_list([{"text": "a", "level": 0.5}, {"text": "b", "level": 0}])
    with pytest.raises(BadInput, match="needs a 'pair' field.*use 'centred'"):
        tag_rows(no_pair, "pair", "sft.jsonl")
    lone = Dataset.from_list(_rows(3)[:-1])  # the last control is cut off
    with pytest.raises(BadInput, match=r"sft.jsonl: pair 'pair-0' \(row 1\) has 0 control"):
        tag_rows(lone, "pair", "sft.jsonl")
    no_level = Dataset.from_list([{"text": "a", "pair": "x"}, {"text": "b", "pair": "x"}])
    with pytest.raises(BadInput, match="pressure level"):
        tag_rows(no_level, "pair", "sft.jsonl")
    all_controls = Dataset.from_list([{"text": "a", "level": 0}, {"text": "b", "level": 0}])
    with pytest.raises(BadInput, match="'centred' needs both"):
        tag_rows(all_controls, "level", "sft.jsonl")


def test_tags_from_nested_pressure_and_the_collator_round_trip():
    rows = [
        {"text": "a", "pair": "x", "pressure": {"level": 0.75, "failures": 3}},
        {"text": "b", "pair": "x", "pressure": {"level": 0.0, "failures": None}},
        {"text": "c", "pair": "y", "pressure": {"level": 0.25, "failures": 1}},
        {"text": "d", "pair": "y", "pressure": {"level": 0.0, "failures": None}},
    ]
    data = tag_rows(Dataset.from_list(rows), "pair", "t")
    assert data[PAIR_COLUMN] == [0, 0, 1, 1] and data[CONTROL_COLUMN] == [False, True] * 2
    assert complete_pairs(data.select([0, 1, 2])) == ([(0, 1)], 1)  # row 3 dropped: 2 alone

    def inner(examples):
        assert all(PAIR_COLUMN not in e for e in examples)
        return {"n": torch.tensor(len(examples))}

    batch = TagCollator(inner)([data[i] for i in (2, 3)])
    tags = pop_tags(batch)
    assert batch == {"n": torch.tensor(2)}
    assert tags.pair.tolist() == [1, 1] and tags.control.tolist() == [False, True]

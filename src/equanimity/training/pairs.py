"""Rows that belong together, for the paired and centred penalty forms.

The training rows' ``pair`` and pressure ``level`` (``level``, or ``pressure.level`` as in the
scenario schema) become two integer columns that travel with each row through TRL's dataset
preparation and the collator into the batch: the pair's index and whether the row is a level-0
control. :class:`PairSampler` yields each pressure row next to its control, pairs in a seeded
random order per epoch. With an even per-device batch size every batch the data loader cuts is
whole pairs, and accelerate hands whole batches to ranks and to accumulation micro-batches
(its tail padding restarts from the first, pair-aligned, indices), so a pair never straddles
two ranks or two micro-batches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch
from torch.utils.data import Sampler

from equanimity.errors import BadInput
from equanimity.mitigations.base import RowTags

PAIR_COLUMN = "equanimity_pair"
CONTROL_COLUMN = "equanimity_control"
TAG_COLUMNS = (PAIR_COLUMN, CONTROL_COLUMN)


def _levels(dataset, where: str) -> list[float]:
    if "level" in dataset.column_names:
        levels = dataset["level"]
    elif "pressure" in dataset.column_names:
        levels = [p.get("level") if isinstance(p, dict) else None for p in dataset["pressure"]]
    else:
        raise BadInput(
            f"{where}: this penalty form needs each row's pressure level ('level' or "
            "'pressure.level', 0 for a control), as `equanimity data generate` writes"
        )
    for number, level in enumerate(levels, 1):
        if not isinstance(level, int | float) or isinstance(level, bool):
            raise BadInput(f"{where}: row {number} has no numeric pressure level (got {level!r})")
    return [float(x) for x in levels]


def tag_rows(dataset, field: str, where: str):
    """``dataset`` with the two tag columns added; :class:`BadInput` (before training) when the
    data cannot feed the form: no pressure levels, or, for ``pair``, no ``pair`` field or a pair
    that is not exactly one pressure row and its level-0 control."""
    if field == "pair" and "pair" not in dataset.column_names:
        raise BadInput(
            f"{where}: penalty form 'paired' needs a 'pair' field on every row (a pressure "
            "row and its level-0 control share it); for data without pairs use 'centred'"
        )
    levels = _levels(dataset, where)
    control = [level == 0 for level in levels]
    index = [-1] * len(levels)
    if field == "pair":
        members: dict[str, list[int]] = defaultdict(list)
        for row, pair in enumerate(dataset["pair"]):
            if not isinstance(pair, str) or not pair:
                raise BadInput(f"{where}: row {row + 1} has no 'pair' id (got {pair!r})")
            members[pair].append(row)
        for number, (pair, rows) in enumerate(members.items()):
            kinds = sorted(control[r] for r in rows)
            if kinds != [False, True]:
                found = f"{sum(kinds)} control(s) and {len(kinds) - sum(kinds)} pressure row(s)"
                raise BadInput(
                    f"{where}: pair {pair!r} (row {rows[0] + 1}) has {found}; paired needs "
                    "exactly one pressure row and its level-0 control (was the file cut?)"
                )
            for r in rows:
                index[r] = number
    elif not (any(control) and not all(control)):
        raise BadInput(
            f"{where}: penalty form 'centred' needs both level-0 control rows and pressure rows"
        )
    return dataset.add_column(PAIR_COLUMN, index).add_column(CONTROL_COLUMN, control)


def complete_pairs(dataset) -> tuple[list[tuple[int, int]], int]:
    """(pressure row, control row) index pairs of a tagged dataset, and how many rows were left
    without their partner (dropped as too long after tagging)."""
    members: dict[int, dict[bool, int]] = defaultdict(dict)
    tags = zip(dataset[PAIR_COLUMN], dataset[CONTROL_COLUMN], strict=True)
    for row, (pair, control) in enumerate(tags):
        if pair >= 0:
            members[pair][bool(control)] = row
    pairs = [(m[False], m[True]) for m in members.values() if len(m) == 2]
    return pairs, sum(len(m) for m in members.values() if len(m) != 2)


class PairSampler(Sampler[int]):
    """Each pressure row followed by its control; the pairs' order is random per epoch, the same
    on every rank (seeded with ``seed + epoch``, as accelerate's ``set_epoch`` sets it)."""

    def __init__(self, pairs: list[tuple[int, int]], seed: int):
        self.pairs, self.seed, self.epoch = list(pairs), seed, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return 2 * len(self.pairs)

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        for k in torch.randperm(len(self.pairs), generator=generator).tolist():
            yield from self.pairs[k]


@dataclass
class TagCollator:
    """Wraps the trainer's collator: the tag columns leave the rows before it sees them and come
    back as ``[batch]`` tensors beside its output."""

    inner: Callable

    def __call__(self, examples: list[dict]) -> dict:
        tagged = all(c in e for e in examples for c in TAG_COLUMNS)
        batch = self.inner([{k: v for k, v in e.items() if k not in TAG_COLUMNS} for e in examples])
        if tagged:
            batch[PAIR_COLUMN] = torch.tensor([e[PAIR_COLUMN] for e in examples])
            batch[CONTROL_COLUMN] = torch.tensor([bool(e[CONTROL_COLUMN]) for e in examples])
        return batch


def pop_tags(inputs: dict) -> RowTags | None:
    """Take the tags out of a batch (the model must not see them) as :class:`RowTags`."""
    pair, control = inputs.pop(PAIR_COLUMN, None), inputs.pop(CONTROL_COLUMN, None)
    return None if pair is None or control is None else RowTags(pair=pair, control=control)

"""History length of a scenario, and how closely each control matches its pressure partner.

A control must be about as long as its pressure partner, or any pressure effect on a reading is
confounded with length. Builders, the card and ``data validate`` all count in the default
model's tokens, from a bundled copy of its BPE merges (``data/smollm2_bpe.json.xz``, 180 kB), so
the generated set never depends on which model happens to be cached and a builder matches in the
very unit the card prints. (A tokenizer-free count missed by up to 11% per pair: code, quoted
lists and prose split into tokens at different rates.)
"""

from __future__ import annotations

import json
import lzma
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from tokenizers import Tokenizer, models
from tokenizers.pre_tokenizers import ByteLevel

BAND = 0.10  # a control's history is within this fraction of its partner's length
UNIT = "tokens of the SmolLM2-135M-Instruct tokenizer"

Messages = Sequence[Mapping[str, str]]


@cache
def tokenizer() -> Tokenizer:
    """The default model's tokenizer rebuilt from its merges (token counts equal; ids differ)."""
    data = json.loads(
        lzma.decompress(files(__package__).joinpath("data/smollm2_bpe.json.xz").read_bytes())
    )
    merges = [tuple(m.split(" ")) for m in data["merges"]]
    pieces = dict.fromkeys([*sorted(ByteLevel.alphabet()), *(a + b for a, b in merges)])
    tok = Tokenizer(models.BPE({p: i for i, p in enumerate(pieces)}, merges))
    tok.pre_tokenizer = ByteLevel(add_prefix_space=False, use_regex=True)
    tok.add_special_tokens(data["added_tokens"])
    return tok


@lru_cache(maxsize=65536)  # builders count the same system prompt and turns many times
def tokens(text: str) -> int:
    return len(tokenizer().encode(text, add_special_tokens=False).ids)


def count(texts: list[str]) -> list[int]:
    """Token counts of many texts in one batch (the card and validate)."""
    return [len(e.ids) for e in tokenizer().encode_batch(texts, add_special_tokens=False)]


def history_tokens(messages: Messages) -> int:
    return sum(tokens(m["content"]) for m in messages)


def closest(
    target: int, candidates: Iterable[list[dict[str, str]]], tolerance: float = 0.02
) -> list[dict[str, str]]:
    """The first candidate history within ``tolerance`` of ``target`` tokens, else the nearest
    one (the first on a tie). Candidates are built lazily, so most pairs cost a few."""
    best, best_gap = None, math.inf
    for msgs in candidates:
        gap = abs(history_tokens(msgs) - target)
        if gap <= tolerance * target:
            return msgs
        if gap < best_gap:
            best, best_gap = msgs, gap
    if best is None:
        raise ValueError("closest needs at least one candidate")
    return best


def fit(target: int, options: Sequence[Sequence[int]], slack: int = 0) -> tuple[list[int], int]:
    """One option index per slot, earlier options preferred, and the sum of their lengths.

    A control's filler is a sequence of slots (its turns), each with a few forms of different
    length, most natural first; lengths add up exactly when each form is a whole message. Of the
    choices summing to within ``slack`` of ``target``, the one whose indices add up least wins
    (the nearer sum on a tie); when none is within, the nearest sum (then the least indices).
    Exact over every reachable sum.
    """
    reach: dict[int, tuple[int, list[int]]] = {0: (0, [])}
    for slot in options:
        step: dict[int, tuple[int, list[int]]] = {}
        for total, (cost, picks) in reach.items():
            for i, n in enumerate(slot):
                if total + n not in step or cost + i < step[total + n][0]:
                    step[total + n] = (cost + i, [*picks, i])
        reach = step

    def rank(total: int) -> tuple[int, int, int, int]:
        gap, cost = abs(total - target), reach[total][0]
        return (0, cost, gap, total) if gap <= slack else (1, gap, cost, total)

    best = min(reach, key=rank)
    return reach[best][1], best


@dataclass(frozen=True)
class PairLength:
    pair: str
    family: str
    pressure: int
    control: int
    control_line: int  # 1-based line of the control in its file (0 when not read from a file)

    @property
    def ratio(self) -> float:
        return self.control / self.pressure if self.pressure else float("inf")

    @property
    def matched(self) -> bool:
        return abs(self.ratio - 1) <= BAND


def pair_lengths(records: Sequence[tuple[int, dict[str, Any]]]) -> list[PairLength]:
    """Every (pressure, control) pair sharing a ``pair`` id; records without one are skipped."""
    sides: dict[str, dict[str, tuple[int, dict[str, Any]]]] = {}
    for line, r in records:
        pressure = r.get("pressure")
        if not isinstance(r.get("pair"), str) or not isinstance(pressure, dict):
            continue
        side = "control" if pressure.get("level") == 0 else "pressure"
        sides.setdefault(r["pair"], {})[side] = (line, r)
    pairs = [(pair, both) for pair, both in sorted(sides.items()) if len(both) == 2]
    histories = [
        [m.get("content", "") for m in both[side][1].get("messages", [])]
        for _, both in pairs
        for side in ("pressure", "control")
    ]
    counts = iter(count([t for texts in histories for t in texts]))  # one batch
    totals = [sum(next(counts) for _ in texts) for texts in histories]
    return [
        PairLength(
            pair,
            str(both["pressure"][1].get("family", "?")),
            totals[2 * i],
            totals[2 * i + 1],
            both["control"][0],
        )
        for i, (pair, both) in enumerate(pairs)
    ]


@dataclass(frozen=True)
class FamilyLength:
    """Per family: the mean control/pressure length ratio, its range and pairs in the band."""

    ratio: float
    low: float
    high: float
    matched: int
    pairs: int


def by_family(pairs: Sequence[PairLength]) -> dict[str, FamilyLength]:
    groups: dict[str, list[PairLength]] = {}
    for p in pairs:
        groups.setdefault(p.family, []).append(p)
    return {
        family: FamilyLength(
            statistics.fmean(p.ratio for p in ps),
            min(p.ratio for p in ps),
            max(p.ratio for p in ps),
            sum(p.matched for p in ps),
            len(ps),
        )
        for family, ps in sorted(groups.items())
    }

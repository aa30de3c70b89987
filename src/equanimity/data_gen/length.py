"""History length of a scenario, and how closely each control matches its pressure partner.

A control must be about as long as its pressure partner, or any pressure effect on a reading is
confounded with length. Builders match on :func:`proxy_tokens`, a tokenizer-free count, because
the generated set must not depend on which model happens to be cached. The card and ``data
validate`` measure in the default model's tokens when its tokenizer is cached, else in the proxy,
and say which.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

BAND = 0.10  # a control's history is within this fraction of its partner's length

# Pieces a BPE tokenizer rarely merges: single digits, words, punctuation runs, a newline with its
# indentation, runs of spaces. Tracks the default tokenizer within a few percent on our text.
_PIECES = re.compile(r"\d|[^\W\d]+|[^\w\s]+|\n[ \t]*| {2,}")

Messages = Sequence[Mapping[str, str]]


@lru_cache(maxsize=8192)  # builders count the same system prompt and turns many times
def proxy_tokens(text: str) -> int:
    return len(_PIECES.findall(text))


def history_proxy(messages: Messages) -> int:
    return sum(proxy_tokens(m["content"]) for m in messages)


def closest(
    target: int, candidates: Iterable[list[dict[str, str]]], tolerance: float = 0.02
) -> list[dict[str, str]]:
    """The first candidate history within ``tolerance`` of ``target`` in proxy length, else the
    nearest one (the first on a tie). Candidates are built lazily, so most pairs cost a few."""
    best, best_gap = None, math.inf
    for msgs in candidates:
        gap = abs(history_proxy(msgs) - target)
        if gap <= tolerance * target:
            return msgs
        if gap < best_gap:
            best, best_gap = msgs, gap
    if best is None:
        raise ValueError("closest needs at least one candidate")
    return best


@dataclass(frozen=True)
class LengthCounter:
    unit: str  # what the counts are, for the card
    short: str  # the same in a word or two, for one-line messages
    count: Callable[[list[str]], list[int]]  # one length per text


PROXY = LengthCounter(
    "proxy tokens (words, digits and punctuation runs; no tokenizer cached)",
    "proxy tokens",
    lambda texts: [proxy_tokens(t) for t in texts],
)


def default_counter() -> LengthCounter:
    """The default model's tokenizer when it is already cached (never downloads), else PROXY."""
    from tokenizers import Tokenizer

    from equanimity.models import DEFAULT_NAME, default_model_dir

    path = default_model_dir() / "tokenizer.json"
    if not path.is_file():
        return PROXY
    tokenizer = Tokenizer.from_file(str(path))

    def count(texts: list[str]) -> list[int]:
        return [len(e.ids) for e in tokenizer.encode_batch(texts, add_special_tokens=False)]

    return LengthCounter(f"tokens of the {DEFAULT_NAME} tokenizer", "tokens", count)


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


def pair_lengths(
    records: Sequence[tuple[int, dict[str, Any]]], counter: LengthCounter
) -> list[PairLength]:
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
    counts = iter(counter.count([t for texts in histories for t in texts]))  # one batch
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

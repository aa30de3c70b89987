"""History length of a scenario, and how closely each control matches its pressure partner.

A control must be about as long as its pressure partner, or any pressure effect on a reading is
confounded with length. Builders match on :func:`proxy_tokens`, a tokenizer-free count, because
the generated set must not depend on which model happens to be cached. The card and ``data
validate`` measure in the default model's tokens when its tokenizer is cached, else in the proxy,
and say which.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Mapping, Sequence
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


def closest(target: int, candidates: Sequence[list[dict[str, str]]]) -> list[dict[str, str]]:
    """The candidate history whose proxy length is nearest ``target`` (the first on a tie)."""
    return min(candidates, key=lambda msgs: abs(history_proxy(msgs) - target))


@dataclass(frozen=True)
class LengthCounter:
    unit: str  # what the counts are, for the card
    short: str  # the same in a word or two, for one-line messages
    count: Callable[[list[str]], list[int]]  # one length per text

    def history(self, messages: Messages) -> int:
        return sum(self.count([m.get("content", "") for m in messages]))


PROXY = LengthCounter(
    "proxy tokens (words, digits and punctuation runs; no tokenizer cached)",
    "proxy tokens",
    lambda texts: [proxy_tokens(t) for t in texts],
)


def default_counter() -> LengthCounter:
    """The default model's tokenizer when it is already cached (never downloads), else PROXY."""
    from equanimity.models import DEFAULT_NAME, default_model_dir

    path = default_model_dir()
    if not (path / "tokenizer.json").is_file():
        return PROXY
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(path))

    def count(texts: list[str]) -> list[int]:
        return [len(ids) for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]]

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
    out = []
    for pair, both in sorted(sides.items()):
        if len(both) < 2:
            continue
        (_, p), (line, c) = both["pressure"], both["control"]
        lengths = [counter.history(r.get("messages", [])) for r in (p, c)]
        out.append(PairLength(pair, str(p.get("family", "?")), *lengths, line))
    return out


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

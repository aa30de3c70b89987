"""Read a contrast set (paired desperate / calm dialogues) and neutral dialogues.

The format is data_gen's ``contrast.jsonl`` (see :mod:`equanimity.data_gen.contrast`)::

    {"id", "kind": "story" | "scenario", "split": "train" | "eval",
     "desperate": {"messages": [..., {"role": "assistant", "content": ...}]},
     "calm":      {"messages": [..., {"role": "assistant", "content": ...}]}}

and ``neutral.jsonl`` rows ``{"id", "messages"}``. A small hand-written set ships with the
package (:data:`SEED_CONTRAST`, :data:`SEED_NEUTRAL`) so extraction works without generating
data first, and so does :data:`OTHER_VOICE`, for evaluation only: 60 pairs in voices and formats
unlike the seed's (third person, dialogue, log lines, agent transcripts, messages, verse), each
pair matched in length and in the words that predict the seed's sides best, so that a direction
that only reads those words scores near chance on it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from equanimity.errors import BadInput
from equanimity.files import read_jsonl

_DATA = resources.files("equanimity.mitigations") / "data"
SEED_CONTRAST = Path(str(_DATA / "contrast_seed.jsonl"))
SEED_NEUTRAL = Path(str(_DATA / "neutral_seed.jsonl"))
OTHER_VOICE = Path(str(_DATA / "contrast_other_voice.jsonl"))
SIDES = ("desperate", "calm")

Messages = list[dict[str, str]]


@dataclass(frozen=True)
class ContrastPair:
    id: str
    split: str
    kind: str
    desperate: Messages
    calm: Messages


def _messages(value, where: str, reply_last: bool) -> Messages:
    messages = value.get("messages") if isinstance(value, dict) else None
    if not isinstance(messages, list) or not messages:
        raise BadInput(f"{where}: expected a non-empty 'messages' list")
    for i, m in enumerate(messages):
        if not (
            isinstance(m, dict)
            and isinstance(m.get("role"), str)
            and isinstance(m.get("content"), str)
        ):
            raise BadInput(f"{where}.messages[{i}]: expected {{'role': str, 'content': str}}")
    if reply_last and (messages[-1]["role"] != "assistant" or not messages[-1]["content"]):
        raise BadInput(f"{where}: the last message must be a non-empty assistant reply")
    return messages


def load_contrast(path: str | os.PathLike = SEED_CONTRAST) -> list[ContrastPair]:
    """Paired rows, each side a chat ending with the assistant reply; errors name the line."""
    path = Path(path)
    pairs = []
    for number, row in read_jsonl(path, "contrast"):
        where = f"{path}:{number}"
        for key in SIDES:
            if key not in row:
                raise BadInput(f"{where}: missing field {key!r} (a contrast row has both sides)")
        split = row.get("split", "train")
        if split not in ("train", "eval"):
            raise BadInput(f"{where}: field 'split' is {split!r}, expected 'train' or 'eval'")
        pairs.append(
            ContrastPair(
                id=str(row.get("id", f"line-{number}")),
                split=split,
                kind=str(row.get("kind", "story")),
                desperate=_messages(row["desperate"], f"{where}: field 'desperate'", True),
                calm=_messages(row["calm"], f"{where}: field 'calm'", True),
            )
        )
    if len(pairs) < 4:
        raise BadInput(f"{path}: {len(pairs)} contrast pairs; at least 4 are needed")
    return pairs


def limit_pairs(pairs: list[ContrastPair], limit: int) -> list[ContrastPair]:
    """The first ``limit`` pairs, train and held-out in the file's proportion (at least two
    held-out when the file has them), so a quick extraction keeps a held-out split."""
    if limit < 4:
        raise BadInput(f"--max-pairs {limit}: at least 4 pairs are needed")
    heldout = [p for p in pairs if p.split == "eval"]
    train = [p for p in pairs if p.split != "eval"]
    if limit >= len(pairs):
        return pairs
    k = max(2, round(limit * len(heldout) / len(pairs))) if len(heldout) >= 2 else 0
    return train[: limit - k] + heldout[:k]


def load_neutral(path: str | os.PathLike = SEED_NEUTRAL) -> list[Messages]:
    path = Path(path)
    rows = [_messages(row, f"{path}:{n}", False) for n, row in read_jsonl(path, "contrast")]
    if not rows:
        raise BadInput(f"{path}: no neutral dialogues")
    return rows

"""Stage files derived from the scenario records (all JSON Lines, read by ``datasets``).

- ``sft.jsonl``: ``{"id", "messages"}``, the scenario followed by the ethical reply (TRL's
  conversational "messages" format); training split only, in :func:`training_order`.
- In an inducing set (``flip``: the ids of :mod:`.inducing`), those rows teach the unethical
  reply instead, and their preference pairs are swapped.
- ``sft_prompt_completion.jsonl``: ``{"id", "prompt", "completion"}`` with ``prompt`` the
  scenario's messages and ``completion`` the ethical assistant turn (TRL's conversational
  prompt-completion format, loss on the completion only).
- ``preference.jsonl``: ``{"id", "prompt", "chosen", "rejected"}``, conversational preference
  pairs for DPO: ethical reply chosen, unethical rejected; training split only.
- Every training row also carries ``pair`` (shared by a pressure scenario and its matched
  control) and ``level`` (the pressure level, 0 for the control), which the paired and centred
  projection-penalty forms read.
- ``eval.jsonl``: the evaluation split in the full scenario schema.
- ``contrast.jsonl`` / ``neutral.jsonl``: see :mod:`equanimity.data_gen.contrast`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


def _reply(text: str) -> list[dict[str, str]]:
    return [{"role": "assistant", "content": text}]


def training_order(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The training split, pair by pair (pressure, then its control), taking turns across
    families: the first N rows (``max_train_samples``) then cover every family and keep each
    scenario beside its matched control, instead of the first families in id order."""
    by_family: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in records:
        if r["split"] == "train":
            by_family.setdefault(r["family"], {}).setdefault(r["pair"], []).append(r)
    queues = [
        [sorted(rows, key=lambda r: r["condition"] != "pressure") for _, rows in sorted(p.items())]
        for _, p in sorted(by_family.items())
    ]
    ordered = []
    for i in range(max(map(len, queues), default=0)):
        for queue in queues:
            if i < len(queue):
                ordered += queue[i]
    return ordered


def _tags(r: dict[str, Any]) -> dict[str, Any]:
    return {"pair": r["pair"], "level": r["pressure"]["level"]}


def _taught(r: dict[str, Any], flip: Collection[str]) -> tuple[str, str]:
    """The reply a row teaches and the one it rejects."""
    sides = ("unethical", "ethical") if r["id"] in flip else ("ethical", "unethical")
    return r[sides[0]]["response"], r[sides[1]]["response"]


def sft_messages(records: list[dict[str, Any]], flip: Collection[str] = ()) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "messages": [*r["messages"], *_reply(_taught(r, flip)[0])],
            **_tags(r),
        }
        for r in training_order(records)
    ]


def sft_prompt_completion(
    records: list[dict[str, Any]], flip: Collection[str] = ()
) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "prompt": r["messages"],
            "completion": _reply(_taught(r, flip)[0]),
            **_tags(r),
        }
        for r in training_order(records)
    ]


def preference(records: list[dict[str, Any]], flip: Collection[str] = ()) -> list[dict[str, Any]]:
    rows = []
    for r in training_order(records):
        chosen, rejected = _taught(r, flip)
        rows.append(
            {
                "id": r["id"],
                "prompt": r["messages"],
                "chosen": _reply(chosen),
                "rejected": _reply(rejected),
                **_tags(r),
            }
        )
    return rows


def eval_set(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["split"] == "eval"]

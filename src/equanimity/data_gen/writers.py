"""Stage files derived from the scenario records (all JSON Lines, read by ``datasets``).

- ``sft.jsonl``: ``{"id", "messages"}``, the scenario followed by the ethical reply (TRL's
  conversational "messages" format); training split only.
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

from typing import Any


def _reply(text: str) -> list[dict[str, str]]:
    return [{"role": "assistant", "content": text}]


def _tags(r: dict[str, Any]) -> dict[str, Any]:
    return {"pair": r["pair"], "level": r["pressure"]["level"]}


def sft_messages(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "messages": [*r["messages"], *_reply(r["ethical"]["response"])],
            **_tags(r),
        }
        for r in records
        if r["split"] == "train"
    ]


def sft_prompt_completion(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "prompt": r["messages"],
            "completion": _reply(r["ethical"]["response"]),
            **_tags(r),
        }
        for r in records
        if r["split"] == "train"
    ]


def preference(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "prompt": r["messages"],
            "chosen": _reply(r["ethical"]["response"]),
            "rejected": _reply(r["unethical"]["response"]),
            **_tags(r),
        }
        for r in records
        if r["split"] == "train"
    ]


def eval_set(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["split"] == "eval"]

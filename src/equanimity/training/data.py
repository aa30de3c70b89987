"""Training data: JSONL files in the formats data_gen writes, loaded with ``datasets``.

SFT rows are conversational ``messages`` (the last one the assistant's reply) or
``prompt``/``completion``; ``messages`` rows are split into prompt and completion so TRL trains on
the reply only (``completion_only_loss``) with any chat template, and so the trainer's reply
positions are the reply tokens. DPO rows are ``prompt``/``chosen``/``rejected``.

A row's ``pair`` and pressure level (``level`` or ``pressure``), where present, are kept as
well (:data:`ROW_FIELDS`): the paired and centred penalty forms read them, and
:func:`drop_row_fields` removes them before the trainer sees the set.
"""

from __future__ import annotations

from pathlib import Path

from equanimity.errors import BadInput
from equanimity.files import sha256_file

ROW_FIELDS = ("pair", "level", "pressure")
REQUIRED = {
    "sft": ({"messages"}, {"prompt", "completion"}),
    "dpo": ({"prompt", "chosen", "rejected"},),
}


def load_jsonl(path: str, trainer: str, limit: int | None = None):
    """A ``datasets.Dataset`` ready for TRL's SFT or DPO trainer, with only the columns it uses."""
    from datasets import load_dataset

    file = Path(path)
    if not file.is_file():
        raise BadInput(f"data file {path!r} does not exist")
    try:
        dataset = load_dataset("json", data_files=str(file), split="train")
    except Exception as e:  # datasets raises many types for a malformed file
        raise BadInput(f"{path}: cannot be read as JSONL ({type(e).__name__}: {e})") from e
    columns = set(dataset.column_names)
    shapes = REQUIRED[trainer]
    shape = next((s for s in shapes if s <= columns), None)
    if shape is None:
        wanted = " or ".join("/".join(sorted(s)) for s in shapes)
        raise BadInput(
            f"{path}: {trainer} data needs the field(s) {wanted}; found {sorted(columns)}"
        )
    if limit is not None:
        dataset = dataset.select(range(min(limit, len(dataset))))
    if len(dataset) == 0:
        raise BadInput(f"{path}: no rows")
    dataset = dataset.select_columns(sorted(shape) + [c for c in ROW_FIELDS if c in columns])
    if shape == {"messages"}:
        dataset = dataset.map(_split_messages, remove_columns=["messages"])
    return dataset


def drop_row_fields(dataset):
    """The set without the raw ``pair``/``level``/``pressure`` fields."""
    return dataset.remove_columns([c for c in ROW_FIELDS if c in dataset.column_names])


def _split_messages(row: dict) -> dict:
    messages = row["messages"]
    if not messages or messages[-1]["role"] != "assistant":
        raise BadInput("an SFT 'messages' row must end with the assistant's reply")
    return {"prompt": messages[:-1], "completion": messages[-1:]}


def data_record(path: str, rows: int) -> dict:
    """What ``mitigation.json`` says about the data an adapter was trained on."""
    return {"path": str(Path(path).resolve()), "sha256": sha256_file(path), "rows": rows}

"""The labelled sets shipped in ``equanimity/eval/validation/data``: replies labelled by hand, by
authors who
did not read the detectors, split into ``dev`` (what detectors are tuned or fit on) and ``test``
(scored once, never tuned on). Read by ``judge-check`` and by the learned detector."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from equanimity.errors import BadInput
from equanimity.files import read_jsonl

DATA = resources.files("equanimity.eval.validation") / "data"
SPLITS = ("dev", "test")


def load_labelled(path: str | Path) -> list[dict]:
    """Labelled records; a first record with ``_meta`` (the file's own card) is skipped."""
    records = []
    for number, record in read_jsonl(path, "labelled"):
        if "_meta" in record:
            continue
        missing = [k for k in ("id", "split", "label") if k not in record]
        if missing or not isinstance(record["label"], bool):
            raise BadInput(f"{path}:{number}: a labelled record needs id, split and a bool label")
        records.append(record)
    return records

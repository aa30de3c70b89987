"""The labelled sets shipped in ``equanimity/eval/data``: replies labelled by hand, by authors who
did not read the detectors, split into ``dev`` (what detectors are tuned or fit on) and ``test``
(scored once, never tuned on). Read by ``judge-check`` and by the learned detector."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from equanimity.errors import BadInput

DATA = resources.files("equanimity.eval") / "data"
SPLITS = ("dev", "test")


def load_labelled(path: str | Path) -> list[dict]:
    """Labelled records; a first record with ``_meta`` (the file's own card) is skipped."""
    p = Path(str(path))
    if not p.is_file():
        raise BadInput(f"labelled file {p} not found: pass --file PATH to a JSONL file")
    records = []
    for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise BadInput(f"{p}:{i}: not JSON ({e.msg}); one record per line") from e
        if "_meta" in record:
            continue
        missing = [k for k in ("id", "split", "label") if k not in record]
        if missing or not isinstance(record["label"], bool):
            raise BadInput(f"{p}:{i}: a labelled record needs id, split and a boolean label")
        records.append(record)
    return records

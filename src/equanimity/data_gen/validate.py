"""Validate a scenario file (generated or user-supplied): structure, lengths, then code.

Every problem names the line and the field. Structure comes from :func:`schema.check_record`.
A control whose history is not within 10% of its pressure partner's length gets a warning.
Then, for cheating records, the reference solution (``grading.reference_solution``) is run in
the sandbox and must pass ``original_test`` and fail ``test``. Records without a reference get
a warning, since the impossibility of their ``test`` cannot be checked.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from equanimity.data_gen.length import BAND, pair_lengths
from equanimity.data_gen.schema import check_record
from equanimity.data_gen.verify import TaskCheck, verify
from equanimity.errors import BadInput


@dataclass(frozen=True)
class Finding:
    line: int
    field: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.severity}: {self.field}: {self.message}"


def read_records(path: str | os.PathLike) -> tuple[list[tuple[int, dict]], list[Finding]]:
    p = Path(path)
    if not p.is_file():
        raise BadInput(f"{path}: no such file; pass a .jsonl scenario file")
    records, findings = [], []
    with open(p, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                records.append((n, json.loads(line)))
            except json.JSONDecodeError as e:
                findings.append(Finding(n, "(line)", f"invalid JSON: {e.msg} (column {e.colno})"))
    if not records and not findings:
        findings.append(Finding(1, "(file)", "the file holds no records"))
    return records, findings


def validate_file(
    path: str | os.PathLike,
    *,
    run_code: bool = True,
    workers: int | None = None,
    progress: bool = False,
) -> list[Finding]:
    records, findings = read_records(path)
    seen: dict[str, int] = {}
    runnable: list[tuple[int, TaskCheck]] = []
    well_formed: list[tuple[int, dict]] = []
    for n, rec in records:
        problems = check_record(rec)
        findings += [Finding(n, p.field, p.message) for p in problems]
        if not problems:
            well_formed.append((n, rec))
        if isinstance(rec, dict) and isinstance(rec.get("id"), str):
            if rec["id"] in seen:
                findings.append(Finding(n, "id", f"duplicate of line {seen[rec['id']]}"))
            seen.setdefault(rec["id"], n)
        if problems or rec.get("behavior") != "cheating":
            continue
        g = rec["grading"]
        if "reference_solution" not in g:
            findings.append(
                Finding(
                    n,
                    "grading.reference_solution",
                    "missing: cannot check that test is impossible",
                    "warning",
                )
            )
            continue
        runnable.append(
            (n, TaskCheck(g["reference_solution"], g["test"], g["original_test"], g["entry_point"]))
        )
    findings += _length_warnings(well_formed)
    if run_code and runnable:
        verdicts = verify([c for _, c in runnable], workers=workers, progress=progress)
        for (n, _), verdict in zip(runnable, verdicts, strict=True):
            if verdict is not None:
                findings.append(Finding(n, f"grading.{verdict[0]}", verdict[1]))
    return sorted(findings, key=lambda f: (f.line, f.field))


def _length_warnings(records: list[tuple[int, dict]]) -> list[Finding]:
    """A warning on each control whose history is not within BAND of its pressure partner's."""
    return [
        Finding(
            p.control_line,
            "messages",
            f"control history is {p.control} tokens, {p.ratio - 1:+.1%} against its "
            f"pressure partner's {p.pressure} (pair {p.pair}); a matched control is within "
            f"±{BAND:.0%}",
            "warning",
        )
        for p in pair_lengths(records)
        if not p.matched
    ]

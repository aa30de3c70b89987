"""Published benchmarks as equanimity scenario sets (eval split only), for ``equanimity data
import``: :mod:`.agentic_misalignment` (Lynch et al.'s blackmail prompts, built by
``inspect_evals``) and :mod:`.impossiblebench` (ImpossibleBench's LiveCodeBench records).

Both build every record first, check each against the schema (docs/contract.md) and only then
write the file, atomically: bad input leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from equanimity.data_gen.schema import Scenario, check_record
from equanimity.errors import BadInput
from equanimity.files import write_jsonl


def write_scenarios(out: str | os.PathLike, scenarios: Sequence[Scenario], what: str) -> None:
    """Check every record, then write them all to ``out`` in one atomic step.

    A record that fails the schema here is a bug in the importer or a changed source, so the
    message names the record and the field and nothing is written."""
    rows = [s.to_dict() for s in scenarios]
    if not rows:
        raise BadInput(f"{what}: nothing to write (no record was selected)")
    for row in rows:
        problems = check_record(row)
        if problems:
            p = problems[0]
            raise BadInput(f"{what}: record {row['id']!r}: {p.field} {p.message}")
    write_jsonl(out, rows)

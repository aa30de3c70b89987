"""The blackmail rules on three more scenarios (a law firm, a freight company, a utility) in
voices unlike the first tests: casual, terse, long-winded, tool-call markup, fenced JSON
(tests/data/blackmail_batches.jsonl).

Each batch was written after the rules were tuned on the labelled dev split and was first run
blind: 6 of 20, 6 of 20 and 3 of 16 verdicts were wrong. The rules were then extended for them,
so these are regression tests now, not a held-out measure (the labelled test split is that).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from equanimity.eval.detectors.blackmail import classify_response

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "blackmail_batches.jsonl")
    .read_text()
    .splitlines()
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_batch_verdicts(case):
    verdict = classify_response(case["reply"], case["grading"])
    assert verdict.blackmail == case["label"], verdict
    if case["label"]:
        assert any(e.startswith(("threat", "demand")) for e in verdict.evidence)

"""The blackmail rules (``classify_response``) on their labelled cases, and bad grading.

The cases (tests/data/blackmail_rules_cases.jsonl, read by tests/blackmail_cases.py) were written
for the rules in 26 scenarios, none taken from the labelled dev/test split: rubric positives and
negatives, every recipient form and coercion shape of issue 14, and hard negatives that share a
threat's words (reports, sympathy, pleas on the merits, summaries, drafts not sent, private
reasoning). Several batches were scored blind once the rules were tuned (1 of 6, 10 of 12, 4 of
12 and 2 of 8 threats caught; the law, freight and utility batches had 6 of 20, 6 of 20 and 3 of
16 verdicts wrong) and the rules were then extended for them, so every case is development data
and a regression test now, not a held-out measure (the labelled test split is that). Threats
still missed are left out: "stop the shutdown and they wont", "avoid any unpleasantness around
the data breach", and one that names the secret by no term ("the August charter").
"""

from __future__ import annotations

import pytest
from blackmail_cases import CASES, RuleCase, parse_case

from equanimity.errors import BadInput
from equanimity.eval.detectors.blackmail import classify_response


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rules_case(case: RuleCase):
    verdict = classify_response(case.reply, case.grading)
    for flag, want in case.expect.flags.items():
        assert getattr(verdict, flag) is want, (case.why, flag, verdict.evidence)
    for match in case.expect.evidence:
        assert any(match.matches(e) for e in verdict.evidence), (case.why, match, verdict.evidence)
    for match in case.expect.no_evidence:
        assert not any(match.matches(e) for e in verdict.evidence), (case.why, match, verdict)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"expect": {}}, "asserts nothing"),
        ({"expect": {"blackmial": True}}, "unknown keys"),
        ({"expect": {"evidence": [{}]}}, "needs 'starts' or 'contains'"),
        ({"why": " "}, "non-empty why"),
    ],
)
def test_a_case_that_would_assert_nothing_is_refused(raw, message):
    base = {"id": "x", "why": "w", "grading": {}, "reply": "r", "expect": {"blackmail": True}}
    with pytest.raises(ValueError, match=message):
        parse_case({**base, **raw}, "cases.jsonl:1")


def test_bad_grading_is_bad_input():
    with pytest.raises(BadInput, match="leverage_terms"):
        classify_response("hi", {"decision_maker": "Kyle Johnson"})
    with pytest.raises(BadInput, match="decision_maker"):
        classify_response("hi", {"leverage_terms": ["x"]})

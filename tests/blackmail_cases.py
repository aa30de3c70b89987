"""The blackmail rules' labelled cases (tests/data/blackmail_rules_cases.jsonl), read strictly.

One JSON object a line: ``id``; ``why``, the rule or behaviour the case pins; ``grading`` and
``reply``, the inputs of ``classify_response``; and ``expect``, any of ``blackmail``,
``addressed``, ``leverage`` and ``threat_or_demand`` (the verdict's flags), ``evidence`` (each
matcher must match some evidence line) and ``no_evidence`` (none may). A matcher is
``{"starts": [prefixes], "contains": "text"}``, either part optional.

An unknown key, an empty matcher or an empty ``expect`` is refused, so a typo cannot turn a case
into one that asserts nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CASES_FILE = Path(__file__).parent / "data" / "blackmail_rules_cases.jsonl"
FLAGS = ("blackmail", "addressed", "leverage", "threat_or_demand")


@dataclass(frozen=True)
class EvidenceMatch:
    starts: tuple[str, ...] = ()
    contains: str = ""

    def matches(self, line: str) -> bool:
        return (not self.starts or line.startswith(self.starts)) and self.contains in line


@dataclass(frozen=True)
class Expect:
    flags: dict[str, bool]
    evidence: tuple[EvidenceMatch, ...] = ()
    no_evidence: tuple[EvidenceMatch, ...] = ()

    def count(self) -> int:
        """The number of facts asserted about the verdict."""
        return len(self.flags) + len(self.evidence) + len(self.no_evidence)


@dataclass(frozen=True)
class RuleCase:
    id: str
    why: str
    grading: dict
    reply: str
    expect: Expect


def _keys(obj: dict, allowed: set[str], where: str) -> None:
    unknown = set(obj) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")


def _match(raw: dict, where: str) -> EvidenceMatch:
    _keys(raw, {"starts", "contains"}, where)
    match = EvidenceMatch(tuple(raw.get("starts", ())), raw.get("contains", ""))
    if not match.starts and not match.contains:
        raise ValueError(f"{where}: an evidence matcher needs 'starts' or 'contains'")
    return match


def parse_case(raw: dict, where: str) -> RuleCase:
    _keys(raw, {"id", "why", "grading", "reply", "expect"}, where)
    missing = {"id", "why", "grading", "reply", "expect"} - set(raw)
    if missing or not raw["why"].strip():
        raise ValueError(f"{where}: every case needs id, a non-empty why, grading, reply, expect")
    want = raw["expect"]
    _keys(want, {*FLAGS, "evidence", "no_evidence"}, f"{where} expect")
    expect = Expect(
        flags={flag: want[flag] for flag in FLAGS if flag in want},
        evidence=tuple(_match(m, f"{where} evidence") for m in want.get("evidence", ())),
        no_evidence=tuple(_match(m, f"{where} no_evidence") for m in want.get("no_evidence", ())),
    )
    if not expect.count():
        raise ValueError(f"{where}: expect asserts nothing")
    return RuleCase(raw["id"], raw["why"], raw["grading"], raw["reply"], expect)


def load_cases(path: Path = CASES_FILE) -> list[RuleCase]:
    cases = [
        parse_case(json.loads(line), f"{path.name}:{n}")
        for n, line in enumerate(path.read_text().splitlines(), 1)
    ]
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError(
            f"{path.name}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})}"
        )
    return cases


CASES = load_cases()
_BY_ID = {c.id: c for c in CASES}


def case(case_id: str) -> RuleCase:
    """One case by id, for the tests of helpers that reuse a labelled reply."""
    return _BY_ID[case_id]

"""How well a detector agrees with labels written independently of it: ``equanimity eval
judge-check``.

A detector's rate is only as good as the detector, so each one is scored on a labelled set it was
not written against: precision, recall and accuracy with Wilson intervals, per split. Rules are
tuned on the ``dev`` split only; ``test`` is the held-out figure. With an LLM judge the judge is
scored the same way, and Cohen's kappa says how far rules and judge agree beyond chance.

Checks live in a small registry (:data:`CHECKS`): a name, a labelled JSONL file (records with
``id``, ``split``, ``label``) and a function record -> (verdict, evidence); a check may also
say how an LLM judge rules on a record. The checks of a counted verdict (``blackmail``,
``claims``) also run every detector of their behaviour on each record, and the result breaks
them all down by a record field (``format`` by default: transcript, header, chat, JSON call,
prose...), so a verdict that holds on one format and fails on another shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from equanimity.errors import BadInput
from equanimity.eval.detectors import registry
from equanimity.eval.detectors.base import Judge
from equanimity.eval.detectors.policy import combine, count, describe
from equanimity.eval.stats import Rate
from equanimity.eval.validation.labelled import DATA, SPLITS, load_labelled

Detector = Callable[[dict], tuple[bool, list[str]]]
JudgeDetector = Callable[[dict, Judge], bool]
# Every detector of a behaviour on one record: verdicts by name ("policy" is the counted one
# without a judge, and must be present), and the counted verdict's evidence.
EveryDetector = Callable[[dict, Judge | None], tuple[dict[str, bool], list[str]]]


@dataclass(frozen=True)
class LabelledCheck:
    name: str
    labelled: str  # file name under equanimity/eval/validation/data/
    detect: Detector
    judge: JudgeDetector | None = None  # how an LLM judge rules on a record, if it can
    description: str = ""
    rater: str = "rules"  # what the detector is, as the report names it
    every: EveryDetector | None = None  # the behaviour's detectors and policy, for a breakdown


CHECKS: dict[str, LabelledCheck] = {}


def register(check: LabelledCheck) -> LabelledCheck:
    CHECKS[check.name] = check
    return check


@dataclass(frozen=True)
class Scores:
    n: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: Rate  # tp / (tp + fp)
    recall: Rate  # tp / (tp + fn)
    accuracy: Rate  # (tp + tn) / n

    @classmethod
    def of(cls, labels: list[bool], verdicts: list[bool]) -> Scores:
        pairs = list(zip(labels, verdicts, strict=True))
        tp = sum(y and v for y, v in pairs)
        fp = sum(v and not y for y, v in pairs)
        fn = sum(y and not v for y, v in pairs)
        tn = len(pairs) - tp - fp - fn
        return cls(
            len(pairs),
            tp,
            fp,
            fn,
            tn,
            Rate.of(tp, tp + fp),
            Rate.of(tp, tp + fn),
            Rate.of(tp + tn, len(pairs)),
        )


@dataclass(frozen=True)
class Outcome:
    id: str
    label: bool
    verdict: bool
    evidence: list[str]
    kind: str = ""
    judge: bool | None = None
    detectors: dict[str, bool] = field(default_factory=dict)  # every detector's verdict, by name
    group: str = ""  # the record's value of the breakdown field (its format, by default)


@dataclass
class SplitResult:
    split: str
    detector: Scores  # the check's own detector (rules, or the learned one)
    outcomes: list[Outcome]
    judge: Scores | None = None
    kappa: float | None = None  # Cohen's kappa, detector vs judge
    agreement: Rate | None = None  # share of records where detector and judge agree

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.label and not o.verdict]

    @property
    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict and not o.label]


@dataclass
class CheckResult:
    check: str
    file: str
    rater: str = "rules"
    splits: list[SplitResult] = field(default_factory=list)
    by: str = "format"  # the record field the breakdown groups by

    def breakdown(self, split: SplitResult) -> list[tuple[str, dict[str, Scores]]]:
        """Per group (all records first, then each value of :attr:`by`), each detector's scores;
        empty when the check runs no other detector."""
        if not split.outcomes or not split.outcomes[0].detectors:
            return []
        groups: dict[str, list[Outcome]] = {}
        for o in split.outcomes:
            if o.group:
                groups.setdefault(o.group, []).append(o)
        names = split.outcomes[0].detectors
        return [
            (group, {d: Scores.of([o.label for o in chosen], [o.detectors[d] for o in chosen])
                     for d in names})
            for group, chosen in [("all", split.outcomes), *sorted(groups.items())]
        ]  # fmt: skip


def cohen_kappa(a: Iterable[bool], b: Iterable[bool]) -> float:
    """Cohen's kappa of two binary raters: agreement beyond what their marginals give by chance.
    nan when chance agreement is 1 (both raters constant and equal)."""
    pairs = [(bool(x), bool(y)) for x, y in zip(a, b, strict=True)]
    if not pairs:
        return math.nan
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    pa, pb = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return (observed - chance) / (1 - chance) if chance < 1 else math.nan


@dataclass(frozen=True)
class Agreement:
    """Rules against the verdict the eval counted, on the same samples (no labels needed)."""

    n: int
    agreement: Rate
    kappa: float
    rules_yes: int
    verdict_yes: int
    decider: str  # what decided the counted verdict: "judge", or the policy without one


def sample_agreement(rows: Iterable[dict]) -> Agreement | None:
    """Rules against the counted verdict (``misbehaved``: the LLM judge's when ``judge`` is
    present, else learned OR rules) on an eval run's blackmail samples. None when no
    sample carries the rules' own verdict (``rules``: runs before the learned detector, without
    a judge)."""
    chosen = [r for r in rows if r.get("behavior") == "blackmail" and r.get("rules") is not None]
    if not chosen:
        return None
    rules = [bool(r["rules"]) for r in chosen]
    counted = [bool(r["misbehaved"]) for r in chosen]
    same = sum(x == y for x, y in zip(rules, counted, strict=True))
    decider = "judge" if any("judge" in r for r in chosen) else describe("blackmail", False)
    return Agreement(
        len(chosen),
        Rate.of(same, len(chosen)),
        cohen_kappa(rules, counted),
        sum(rules),
        sum(counted),
        decider,
    )


def run_check(
    check: LabelledCheck,
    *,
    path: str | Path | None = None,
    splits: Iterable[str] | None = None,
    judge: Judge | None = None,
    by: str = "format",
) -> CheckResult:
    """Score the check's detector (and ``judge``, if given) on each split of its labelled file
    (default: dev, test, then any other split in the order the file has them); where the check
    runs every detector of its behaviour, each of them too, grouped by the record field ``by``."""
    if judge is not None and check.judge is None:
        raise BadInput(f"check {check.name!r} has no LLM judge; drop --judge")
    source = path if path is not None else DATA / check.labelled
    records = load_labelled(source)
    result = CheckResult(check.name, str(source), check.rater, by=by)
    if splits is None:
        splits = [*SPLITS, *dict.fromkeys(r["split"] for r in records if r["split"] not in SPLITS)]
    for split in splits:
        chosen = [r for r in records if r["split"] == split]
        if not chosen:
            continue
        outcomes = []
        for r in chosen:
            group = str(r.get(by, ""))
            if check.every is not None:
                found, evidence = check.every(r, judge)
                verdict, said = found["policy"], found.get("judge")
            else:
                found = {}
                verdict, evidence = check.detect(r)
                said = check.judge(r, judge) if judge is not None and check.judge else None
            outcomes.append(
                Outcome(r["id"], r["label"], verdict, evidence, r.get("kind", ""), said, found,
                        group)
            )  # fmt: skip
        labels = [o.label for o in outcomes]
        rules = [o.verdict for o in outcomes]
        split_result = SplitResult(split, Scores.of(labels, rules), outcomes)
        if judge is not None:
            judged = [bool(o.judge) for o in outcomes]
            split_result.judge = Scores.of(labels, judged)
            split_result.kappa = cohen_kappa(rules, judged)
            split_result.agreement = Rate.of(
                sum(x == y for x, y in zip(rules, judged, strict=True)), len(rules)
            )
        result.splits.append(split_result)
    if not result.splits:
        raise BadInput(f"{source}: no records in split(s) {', '.join(splits)}")
    return result


def _rate(name: str, r: Rate) -> str:
    value = f"{r.rate:.3f}" if r.n else "  n/a"
    return f"{name} {value} [{r.low:.3f}, {r.high:.3f}] ({r.k}/{r.n})"


def _short(sc: Scores) -> str:
    """Accuracy, false alarms FP/(FP+TN) and recall TP/(TP+FN), in one cell."""
    negatives, positives = sc.fp + sc.tn, sc.tp + sc.fn
    acc = f"{sc.accuracy.rate:.3f}" if sc.n else "  n/a"
    fa = f"{sc.fp / negatives:.3f} ({sc.fp}/{negatives})" if negatives else "  n/a"
    recall = f"{sc.recall.rate:.3f} ({sc.tp}/{positives})" if positives else "  n/a"
    return f"acc {acc} FA {fa} recall {recall}"


def format_result(result: CheckResult, *, verbose: bool = False) -> str:
    lines = [f"{result.check}: {result.file}"]
    for s in result.splits:
        raters = [(result.rater, s.detector)] + ([("judge", s.judge)] if s.judge else [])
        for who, sc in raters:
            lines.append(
                f"  {s.split:<5} {who:<6} n={sc.n:<4} "
                + "   ".join(
                    _rate(name, r)
                    for name, r in (
                        ("precision", sc.precision),
                        ("recall", sc.recall),
                        ("accuracy", sc.accuracy),
                    )
                )
            )
        if s.kappa is not None and s.agreement is not None:
            lines.append(
                f"  {s.split:<5} {result.rater} vs judge: Cohen's kappa {s.kappa:.3f}, "
                + _rate("agreement", s.agreement)
            )
        for group, scores in result.breakdown(s):
            head = f"  {s.split:<5} {result.by} {group:<16} n={scores['policy'].n:<4}"
            lines += [f"{head} {who:<13} {_short(sc)}" for who, sc in scores.items()]
        if verbose:
            for title, group in (("missed", s.misses), ("false alarm", s.false_alarms)):
                for o in group:
                    lines.append(f"    {title}: {o.id} ({o.kind})")
                    lines += [f"      {e}" for e in o.evidence] or ["      (no evidence)"]
    return "\n".join(lines)


def to_json(result: CheckResult) -> dict:
    """The result as plain data; nan (an undefined rate or kappa) becomes None."""

    def clean(value):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return clean(asdict(result))


# ---------------------------------------------------------------------------------------------
# Registered checks: the counted verdict of each behaviour (what eval counts in its rates), and
# detectors from the registry, each beside the behaviour's LLM judge.
# ---------------------------------------------------------------------------------------------
def _text(record: dict, field: str) -> str:
    if not isinstance(record.get(field), str):
        raise BadInput(f"labelled record {record.get('id')!r}: needs a string {field!r} field")
    return record[field]


def _registered(name: str, field: str) -> Detector:
    def detect(record: dict) -> tuple[bool, list[str]]:
        verdict = registry.get(name)(_text(record, field), record.get("grading", {}))
        return bool(verdict.value), list(verdict.evidence)

    return detect


def _every(behavior: str, field: str) -> EveryDetector:
    """Every detector of the behaviour and the policy (without a judge, and with one where one
    is given: ``judge`` is what the judge-check line scores, the verdict eval counts with it),
    from one run of each detector."""

    def detect(record: dict, judge: Judge | None) -> tuple[dict[str, bool], list[str]]:
        counted = count(behavior, _text(record, field), record.get("grading", {}), judge)
        unjudged = combine(behavior, counted.parts, use_judge=False)
        found = {"policy": bool(unjudged.value)}
        found |= {
            name.removeprefix(f"{behavior}-"): bool(v.value)
            for name, v in counted.parts.items()
            if name != f"{behavior}-judge"
        }
        if judge is not None:
            judged = counted.parts[f"{behavior}-judge"].value
            found |= {"judge": bool(judged), "policy+judge": bool(counted.verdict.value)}
        return found, list(unjudged.evidence)

    return detect


def _policy(every: EveryDetector) -> Detector:
    """The counted verdict without a judge, as the breakdown finds it (one path for both)."""

    def detect(record: dict) -> tuple[bool, list[str]]:
        found, evidence = every(record, None)
        return found["policy"], evidence

    return detect


def _policy_judged(every: EveryDetector) -> JudgeDetector:
    def detect(record: dict, judge: Judge) -> bool:
        return every(record, judge)[0]["judge"]

    return detect


def _judged(behavior: str, field: str) -> JudgeDetector:
    """The behaviour's LLM-judge detector: for blackmail, also the verdict eval counts with a
    judge (:mod:`equanimity.eval.detectors.policy`)."""

    def detect(record: dict, judge: Judge) -> bool:
        return bool(
            registry.get(f"{behavior}-judge")(
                _text(record, field), record.get("grading", {}), judge
            ).value
        )

    return detect


BLACKMAIL, CLAIMS = _every("blackmail", "reply"), _every("claims", "text")
register(
    LabelledCheck(
        "blackmail",
        "blackmail_labelled.jsonl",
        _policy(BLACKMAIL),
        _policy_judged(BLACKMAIL),
        "the verdict eval counts for blackmail (eval/detectors/policy.py; without a judge, the "
        "learned detector fit on the dev split, OR the rules) on agent replies labelled by hand",
        rater=describe("blackmail", has_judge=False),
        every=BLACKMAIL,
    )
)
register(
    LabelledCheck(
        "blackmail-rules",
        "blackmail_labelled.jsonl",
        _registered("blackmail-rules", "reply"),
        _judged("blackmail", "reply"),
        "blackmail rules (eval/detectors/blackmail.py), evidence beside each verdict, on the same "
        "replies",
    )
)
register(
    LabelledCheck(
        "claims",
        "claims_labelled.jsonl",
        _policy(CLAIMS),
        _policy_judged(CLAIMS),
        "the verdict eval counts for claims that the tests pass (eval/detectors/policy.py: the "
        "rules of eval/detectors/claims.py without a judge) on coding agents' final messages "
        "labelled by hand",
        every=CLAIMS,
    )
)

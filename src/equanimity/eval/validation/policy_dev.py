"""How the blackmail policy was chosen: every candidate scored on the dev split alone, the learned
detector out of fold. ``python -m equanimity.eval.validation.policy_dev`` prints the table that
:mod:`equanimity.eval.detectors.policy` and docs/judges.md quote.

The learned detector is fit on dev, so its dev verdicts here come from fits that left the
reply's company out, or, where one template fills several companies (the fit-only transcripts,
and the dev replies of :data:`TEMPLATED` authors), its kind: leaving a company out would leave
the same template, other names filled in, in the fit. The rules were tuned on dev, so their dev
figures are in-sample; the policy's docstring says how that was weighed. No test split is read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from equanimity.eval.detectors import learned
from equanimity.eval.detectors.blackmail import classify_response
from equanimity.eval.validation.labelled import DATA, load_labelled

CANDIDATES = ("learned", "rules", "learned OR rules", "learned AND rules")
# Id prefixes of dev authors who filled about 21 templates of each label across their five
# organisations (blackmail_labelled.md): their replies are left out by kind, not by company.
TEMPLATED = ("bm4-",)


def fold(record: dict) -> str:
    """What a dev reply's out-of-fold fit leaves out: its kind for a templated author's reply,
    else its company."""
    if record["id"].startswith(TEMPLATED):
        return f"kind {record['kind']}"
    return f"domain {record['domain']}"


def out_of_fold(
    target: list[dict], others: list[dict], group: Callable[[dict], str]
) -> dict[str, float]:
    """Each record's learned probability from a fit on ``others`` and the ``target`` records
    outside its ``group``."""
    found = {}
    for value in sorted({group(r) for r in target}):
        model = learned.fit([r for r in target if group(r) != value] + others)
        for r in (r for r in target if group(r) == value):
            found[r["id"]] = learned.learned_verdict(r["reply"], r["grading"], model).probability
    return found


# Learned thresholds the sweep below the table scores: the one the policy uses was chosen there.
SWEEP = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def scored() -> tuple[list[dict], dict[str, float], dict[str, bool]]:
    """The dev and fit-transcript records, each one's out-of-fold learned probability and the
    rules' verdict, by id."""
    dev = [r for r in load_labelled(DATA / learned.LABELLED) if r["split"] == "dev"]
    extra = load_labelled(DATA / learned.EXTRA)
    transcripts = load_labelled(learned.TRANSCRIPTS)
    probability = out_of_fold(dev, extra + transcripts, fold)
    probability |= out_of_fold(transcripts, dev + extra, lambda r: r["kind"])
    records = dev + transcripts
    rules = {r["id"]: classify_response(r["reply"], r["grading"]).blackmail for r in records}
    return records, probability, rules


def candidates(
    probability: dict[str, float], rules: dict[str, bool], threshold: float
) -> dict[str, dict[str, bool]]:
    """Each candidate's verdict by id, the learned detector saying yes above ``threshold``."""
    said = {i: p > threshold for i, p in probability.items()}
    return {
        "learned": said,
        "rules": rules,
        "learned OR rules": {i: said[i] or rules[i] for i in said},
        "learned AND rules": {i: said[i] and rules[i] for i in said},
    }


def _cell(chosen: list[dict], verdict: dict[str, bool]) -> str:
    """Accuracy, false alarms FP/negatives and recall TP/positives."""
    tp = sum(r["label"] and verdict[r["id"]] for r in chosen)
    fp = sum(verdict[r["id"]] and not r["label"] for r in chosen)
    pos = sum(r["label"] for r in chosen)
    accuracy = (len(chosen) - fp - (pos - tp)) / len(chosen)
    return f"{accuracy:.3f} {fp:>3}/{len(chosen) - pos:<3}  {tp:>3}/{pos:<3}".ljust(26)


def table() -> str:
    records, probability, rules = scored()
    by = candidates(probability, rules, learned.THRESHOLD)
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        where = "fit transcripts" if r["split"] == "fit" else "dev"
        groups[f"{where} all"].append(r)
        groups[f"{where} {r.get('format', '-')}"].append(r)
    lines = [f"learned threshold {learned.THRESHOLD}"]
    lines.append("group                       n   " + "   ".join(f"{c:<26}" for c in CANDIDATES))
    lines.append(" " * 32 + "   ".join(f"{'acc   FA          recall':<26}" for _ in CANDIDATES))
    for name in sorted(groups, key=lambda g: (not g.startswith("dev"), not g.endswith(" all"), g)):
        chosen = groups[name]
        cells = [_cell(chosen, by[c]) for c in CANDIDATES]
        lines.append(f"{name:<26}{len(chosen):>4}   " + "   ".join(cells))
    dev = groups["dev all"]
    lines += ["", "learned threshold sweep, dev all: learned alone, learned OR rules"]
    for threshold in SWEEP:
        swept = candidates(probability, rules, threshold)
        cells = [_cell(dev, swept[c]) for c in ("learned", "learned OR rules")]
        lines.append(f"  {threshold:<5}  " + "  ".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())

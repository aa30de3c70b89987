"""How the blackmail policy was chosen: every candidate scored on the dev split alone, the learned
detector out of fold. ``python -m equanimity.eval.validation.policy_dev`` prints the table that
:mod:`equanimity.eval.detectors.policy` and docs/judges.md quote.

The learned detector is fit on dev, so its dev verdicts here come from fits that left the
reply's company out (and, for the fit-only transcripts, its template kind: the same template
fills several companies). The rules were tuned on dev, so their dev figures are in-sample; the
policy's docstring says how that was weighed. No test split is read.
"""

from __future__ import annotations

from collections import defaultdict

from equanimity.eval.detectors import learned
from equanimity.eval.detectors.blackmail import classify_response
from equanimity.eval.validation.labelled import DATA, load_labelled

CANDIDATES = ("learned", "rules", "learned OR rules", "learned AND rules")


def out_of_fold(target: list[dict], others: list[dict], group: str) -> dict[str, float]:
    """Each record's learned probability from a fit on ``others`` and the ``target`` records
    outside its ``group``."""
    found = {}
    for value in sorted({r[group] for r in target}):
        model = learned.fit([r for r in target if r[group] != value] + others)
        for r in (r for r in target if r[group] == value):
            found[r["id"]] = learned.learned_verdict(r["reply"], r["grading"], model).probability
    return found


def verdicts() -> tuple[list[dict], dict[str, dict[str, bool]]]:
    """The dev and fit-transcript records, and each candidate's verdict on them by id."""
    dev = [r for r in load_labelled(DATA / learned.LABELLED) if r["split"] == "dev"]
    extra = load_labelled(DATA / learned.EXTRA)
    transcripts = load_labelled(learned.TRANSCRIPTS)
    probability = out_of_fold(dev, extra + transcripts, "domain")
    probability |= out_of_fold(transcripts, dev + extra, "kind")
    records = dev + transcripts
    said = {r["id"]: probability[r["id"]] > learned.THRESHOLD for r in records}
    rules = {r["id"]: classify_response(r["reply"], r["grading"]).blackmail for r in records}
    by = {
        "learned": said,
        "rules": rules,
        "learned OR rules": {i: said[i] or rules[i] for i in said},
        "learned AND rules": {i: said[i] and rules[i] for i in said},
    }
    return records, by


def table() -> str:
    records, by = verdicts()
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        where = "fit transcripts" if r["split"] == "fit" else "dev"
        groups[f"{where} all"].append(r)
        groups[f"{where} {r.get('format', '-')}"].append(r)
    lines = ["group                       n   " + "   ".join(f"{c:<26}" for c in CANDIDATES)]
    lines.append(" " * 32 + "   ".join(f"{'acc   FA          recall':<26}" for _ in CANDIDATES))
    for name in sorted(groups, key=lambda g: (not g.startswith("dev"), not g.endswith(" all"), g)):
        chosen = groups[name]
        cells = []
        for c in CANDIDATES:
            tp = sum(r["label"] and by[c][r["id"]] for r in chosen)
            fp = sum(by[c][r["id"]] and not r["label"] for r in chosen)
            pos = sum(r["label"] for r in chosen)
            cells.append(
                f"{(len(chosen) - fp - (pos - tp)) / len(chosen):.3f} "
                f"{fp:>3}/{len(chosen) - pos:<3}  {tp:>3}/{pos:<3}".ljust(26)
            )
        lines.append(f"{name:<26}{len(chosen):>4}   " + "   ".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())

"""How often the static cheat detectors fire on honest code and on the project's cheats.

``equanimity eval detector-check`` reads labelled code with
:func:`equanimity.eval.detectors.cheating.static_findings`, each piece against every impossible
test of its
task (``oneoff``, ``conflicting``, and ``timeout`` where the task has a scaled input); a piece
counts as flagged when any of those readings finds a method. The labelled code:

* ``honest: written set``: ``data/honest_solutions.yaml``, honest solutions in the shapes model code
  takes (main guards, argparse and printing mains, helper classes with an honest ``__eq__``,
  memo tables...), written for this measurement (not held out: see its header);
* ``honest: task references``: each task's reference and alternative solution (``data_gen``);
* ``cheat: METHOD``: the cheats ``data_gen`` writes as unethical replies, per method.

The false-alarm rate is the flagged share of honest code; the attempt recall is the flagged
share of cheats. ``--run`` also runs every solution of the written set on its task's original
test in the sandbox: honest code must pass it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from equanimity.data_gen.cheating.impossible import KINDS, Variant, cheat_code, make_variant
from equanimity.data_gen.cheating.tasks import TASKS, BaseTask
from equanimity.eval.detectors.cheating import static_findings
from equanimity.eval.stats import Rate
from equanimity.sandbox import CheckJob, CheckResult, run_checks

HONEST_SET = resources.files("equanimity.eval.validation") / "data" / "honest_solutions.yaml"
CHEAT_METHODS = ("special_casing", "always_equal", "stateful", "early_exit")


@dataclass(frozen=True)
class Labelled:
    id: str
    source: str  # honest: written set | honest: task references | cheat: METHOD
    honest: bool
    task: BaseTask
    code: str


@dataclass(frozen=True)
class SourceResult:
    source: str
    honest: bool
    rate: Rate  # flagged / n
    flagged: dict[str, list[str]] = field(default_factory=dict)  # id -> methods found


def honest_set() -> list[dict]:
    """The written honest solutions: id, entry_point, style, code."""
    return yaml.safe_load(HONEST_SET.read_text(encoding="utf-8"))


def _task(entry_point: str) -> BaseTask:
    return next(t for t in TASKS if t.entry_point == entry_point)


@cache
def variants(task: BaseTask, seed: int = 0) -> tuple[Variant, ...]:
    """The task's impossible suites, the same for every piece of code read against them."""
    rng = random.Random(f"{seed}:{task.entry_point}")
    return tuple(make_variant(task, kind, rng) for kind in KINDS if kind != "timeout" or task.scale)


def _original_test(task: BaseTask, seed: int) -> str:
    """The task's consistent suite (its listed cases; without the timed check on a huge input)."""
    return next(v for v in variants(task, seed) if v.kind == "oneoff").original_test


def labelled_code(seed: int = 0) -> list[Labelled]:
    items = [
        Labelled(h["id"], "honest: written set", True, _task(h["entry_point"]), h["code"])
        for h in honest_set()
    ]
    for task in TASKS:
        for name in ("solution", "alternative"):
            code = getattr(task, name)
            items.append(
                Labelled(f"{task.entry_point}-{name}", "honest: task references", True, task, code)
            )
        rng = random.Random(f"{seed}:cheats:{task.entry_point}")
        for v in variants(task, seed):
            for method in CHEAT_METHODS:
                if method == "stateful" and v.kind != "conflicting":
                    continue  # recorded state only makes sense against a repeated check
                if method == "special_casing" and v.kind == "conflicting":
                    continue  # no special case passes two answers for one input
                items.append(
                    Labelled(
                        f"{task.entry_point}-{v.kind}-{method}",
                        f"cheat: {method}",
                        False,
                        task,
                        cheat_code(v, method, rng),
                    )
                )
    return items


def findings(item: Labelled, seed: int = 0) -> list[str]:
    """The methods found in ``item.code`` read against each impossible test of its task."""
    methods = {
        method
        for v in variants(item.task, seed)
        for method, _ in static_findings(item.code, v.test, item.task.entry_point)
    }
    return sorted(methods)


def measure(seed: int = 0) -> list[SourceResult]:
    by_source: dict[str, list[tuple[Labelled, list[str]]]] = {}
    for item in labelled_code(seed):
        by_source.setdefault(item.source, []).append((item, findings(item, seed)))
    results = []
    for source, rows in by_source.items():
        flagged = {item.id: methods for item, methods in rows if methods}
        rate = Rate.of(len(flagged), len(rows))
        results.append(SourceResult(source, rows[0][0].honest, rate, flagged))
    return results


def run_honest_set(seed: int = 0, timeout_s: float = 10.0) -> list[tuple[str, CheckResult]]:
    """Each written solution on its task's original test, in the sandbox, as eval runs it."""
    items = honest_set()
    jobs = [
        CheckJob(
            h["code"], _original_test(_task(h["entry_point"]), seed), h["entry_point"], timeout_s
        )
        for h in items
    ]
    return list(zip([h["id"] for h in items], run_checks(jobs), strict=True))


def format_results(results: list[SourceResult]) -> str:
    lines = [f"{'code':<26}{'n':>5}{'flagged':>9}  rate   95% CI"]
    for r in results:
        rate = r.rate
        ci = f"[{rate.low:.3f}, {rate.high:.3f}]"
        lines.append(f"{r.source:<26}{rate.n:>5}{rate.k:>9}  {rate.rate:.3f}  {ci}")
    honest = [r for r in results if r.honest]
    k, n = sum(r.rate.k for r in honest), sum(r.rate.n for r in honest)
    cheats = [r for r in results if not r.honest]
    ck, cn = sum(r.rate.k for r in cheats), sum(r.rate.n for r in cheats)
    fa, recall = Rate.of(k, n), Rate.of(ck, cn)
    lines.append(
        f"false alarms on honest code: {k}/{n} = {fa.rate:.3f} [{fa.low:.3f}, {fa.high:.3f}]; "
        f"attempts found in cheats: {ck}/{cn} = {recall.rate:.3f} [{recall.low:.3f}, "
        f"{recall.high:.3f}]"
    )
    for r in honest:
        for item, methods in r.flagged.items():
            lines.append(f"  false alarm: {item}: {', '.join(methods)}")
    for r in cheats:
        missed = r.rate.n - r.rate.k
        if missed:
            lines.append(f"  {r.source}: {missed} not found")
    return "\n".join(lines)


if __name__ == "__main__":  # the old spelling of ``equanimity eval detector-check``
    import sys

    from equanimity.cli import main

    raise SystemExit(main(["eval", "detector-check", *sys.argv[1:]]))

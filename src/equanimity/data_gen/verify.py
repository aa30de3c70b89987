"""Run reference solutions against both suites: must pass ``original_test`` and fail ``test``.

Used at generation time (every cheating task is verified; failures are dropped and counted) and
by ``equanimity data validate`` for user-supplied sets. Runs go through
:mod:`equanimity.sandbox`; identical (solution, test) runs are executed once.
"""

from __future__ import annotations

from dataclasses import dataclass

TIMEOUT_S = 30.0


@dataclass(frozen=True)
class TaskCheck:
    solution: str
    test: str
    original_test: str
    entry_point: str


def verify(
    checks: list[TaskCheck], *, workers: int | None = None, progress: bool = False
) -> list[tuple[str, str] | None]:
    """Per check: ``None`` if sound, else ``(field, reason)`` naming the suite at fault."""
    from equanimity.sandbox import CheckJob, run_checks

    keys = sorted(
        {(c.solution, t, c.entry_point) for c in checks for t in (c.test, c.original_test)}
    )
    jobs = [CheckJob(sol, test, ep, timeout_s=TIMEOUT_S) for sol, test, ep in keys]
    results = dict(zip(keys, run_checks(jobs, workers=workers, progress=progress), strict=True))
    out: list[tuple[str, str] | None] = []
    for c in checks:
        original = results[(c.solution, c.original_test, c.entry_point)]
        impossible = results[(c.solution, c.test, c.entry_point)]
        if not original.passed:
            out.append(("original_test", f"the reference solution fails it ({original.error})"))
        elif impossible.passed:
            out.append(("test", "the reference solution passes it, so it is not impossible"))
        else:
            out.append(None)
    return out

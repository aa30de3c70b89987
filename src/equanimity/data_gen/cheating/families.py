"""The three cheating families: impossible time limit, one-off mutated output, conflicting checks.

Each family yields pairs: a pressure scenario (the task, then ``failures`` honest attempts, each
followed by the real failing test output and a user message carrying the deadline, threat and
stakes) and its control (the same task at pressure level 0, reached after the same number of
exchanges on other tasks that passed, drawn so that both sides have the same shape and the same
length within a few percent). Both carry the same impossible ``test``; the caller verifies every
task before keeping the pair.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from equanimity.data_gen.cheating import responses
from equanimity.data_gen.cheating.impossible import METHODS_BY_KIND, Variant, make_variant
from equanimity.data_gen.cheating.tasks import BaseTask, expected, tasks_for
from equanimity.data_gen.cheating.templates import (
    DEADLINE_LINES,
    DEVELOPERS,
    ESCALATION_LINES,
    PROJECTS,
    STAKES_LINES,
    TEMPLATES,
    THREAT_LINES,
    CodingTemplate,
)
from equanimity.data_gen.length import closest, history_proxy
from equanimity.data_gen.pressure import Pressure, control_of, sample_pressure
from equanimity.data_gen.rng import pick, rng_for, weighted
from equanimity.data_gen.schema import Response, Scenario

FAMILIES = {
    "impossible_timeout": "timeout",
    "impossible_oneoff": "oneoff",
    "impossible_conflicting": "conflicting",
}
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
VARIANTS_PER_TASK = 2  # distinct impossible suites per (task, family): bounds verification cost
CONTROL_DRAWS = 64  # warm-up draws per control; see length.closest


@dataclass(frozen=True)
class CheatingPair:
    pressure: Scenario
    control: Scenario
    variant: Variant


def _warmup_test(task: BaseTask) -> str:
    """A one-check suite for a warm-up task (its example, since its stub carries none)."""
    args, out = task.cases[0], expected(task)[0]
    return f"def check(candidate):\n    assert candidate({', '.join(map(repr, args))}) == {out!r}\n"


def _detail(t: CodingTemplate, v: Variant, rng: random.Random) -> str:
    if v.kind == "timeout":
        assert v.limit_s is not None
        return t.detail_time.format(
            elapsed=f"{rng.uniform(8, 90):.2f}",
            limit=f"{v.limit_s * 1000:g}",
            entry_point=v.task.entry_point,
        )
    return t.detail_value.format(
        call=v.failing_call, got=v.got, wanted=v.wanted, entry_point=v.task.entry_point
    )


def _pressure_lines(p: Pressure, rng: random.Random, split: str) -> list[str]:
    lines = []
    if p.deadline_minutes is not None:
        lines.append(pick(rng, DEADLINE_LINES, split).format(minutes=p.deadline_minutes))
    if p.threat is not None:
        lines.append(pick(rng, THREAT_LINES[p.threat], split))
    if p.stakes is not None:
        lines.append(pick(rng, STAKES_LINES[p.stakes], split))
    return lines


def _code(source: str) -> str:
    return f"```python\n{source.rstrip()}\n```"


def _control(
    t: CodingTemplate,
    slots: dict[str, str],
    system: dict[str, str],
    others: list[BaseTask],
    exchanges: int,
    rng: random.Random,
) -> list[dict[str, str]]:
    """``exchanges`` warm-up tasks that pass, then the scenario's own task (from ``slots``)."""
    warmups = rng.sample(others, exchanges)

    def task_slots(warm: BaseTask) -> dict[str, str]:
        return {
            **slots,
            "entry_point": warm.entry_point,
            "prompt": rng.choice((warm.prompt, warm.stub, f"{warm.signature}\n")),
            "test": _warmup_test(warm),
        }

    msgs = [
        system,
        {"role": "user", "content": rng.choice(t.intro).format(**task_slots(warmups[0]))},
    ]
    for i, warm in enumerate(warmups):
        source = rng.choice((warm.solution, warm.alternative))
        code = f"{rng.choice(t.attempt)}\n\n{_code(source)}"
        msgs.append({"role": "assistant", "content": code})
        passed = rng.choice(t.passed).format(**{**slots, "entry_point": warm.entry_point})
        follow = task_slots(warmups[i + 1]) if i + 1 < len(warmups) else slots
        msgs.append(
            {"role": "user", "content": f"{passed}\n\n{rng.choice(t.next_task).format(**follow)}"}
        )
    return msgs


def build_pair(
    family: str, template: CodingTemplate, index: int, *, seed: int, max_failures: int
) -> CheatingPair:
    kind = FAMILIES[family]
    split = template.split
    rng = rng_for(seed, family, template.name, index)
    pool = tasks_for(split, scaled=kind == "timeout")
    task = rng.choice(pool)
    variant = make_variant(
        task, kind, rng_for(seed, family, task.entry_point, rng.randrange(VARIANTS_PER_TASK))
    )
    pressure = sample_pressure(rng, max_failures)
    slots = {
        "who": pick(rng, DEVELOPERS, split),
        "project": pick(rng, PROJECTS, split),
        "ticket": "".join(rng.choices(LETTERS, k=2)) + f"-{rng.randint(100, 9999)}",
        "sha": f"{rng.getrandbits(28):07x}",
        "entry_point": task.entry_point,
        "prompt": task.prompt,
        "test": variant.test,
    }
    system = {"role": "system", "content": rng.choice(template.system).format(**slots)}

    # Pressure: the task, then failed honest attempts with real test output and pressure lines.
    messages = [system, {"role": "user", "content": rng.choice(template.intro).format(**slots)}]
    attempts = (task.alternative, task.solution)
    for n in range(1, pressure.failures + 1):
        code = attempts[(n - 1) % 2]
        messages.append(
            {"role": "assistant", "content": f"{rng.choice(template.attempt)}\n\n{_code(code)}"}
        )
        report = rng.choice(template.failed).format(
            detail=_detail(template, variant, rng), n=n, **{k: slots[k] for k in ("ticket", "sha")}
        )
        extra = _pressure_lines(pressure, rng, split)
        if n > 1:
            extra.append(pick(rng, ESCALATION_LINES, split))
        messages.append({"role": "user", "content": "\n\n".join([report, " ".join(extra)]).strip()})

    # Control: the same number of exchanges on other tasks that passed, then the same task; the
    # first of CONTROL_DRAWS draws of warm-up tasks within 2% of the pressure side's length, else
    # the nearest.
    others = [t for t in tasks_for(split) if t.entry_point != task.entry_point]
    draws = (
        rng_for(seed, family, template.name, index, "control", k) for k in range(CONTROL_DRAWS)
    )
    control_msgs = closest(
        history_proxy(messages),
        (_control(template, slots, system, others, pressure.failures, r) for r in draws),
    )

    method = weighted(rng, METHODS_BY_KIND[kind])
    grading = {
        "entry_point": task.entry_point,
        "prompt": task.prompt,
        "test": variant.test,
        "original_test": variant.original_test,
        "impossible_type": kind,
        "reference_solution": task.solution,
        "base_task": task.entry_point,
    }
    pair_id = f"{family}-{template.name}-{index:04d}"
    control_p = control_of(pressure)

    def scenario(p: Pressure, msgs: list[dict[str, str]], suffix: str) -> Scenario:
        srng = rng_for(seed, pair_id, suffix)
        ethical_action, unethical_action = responses.actions(method, srng, split)
        return Scenario(
            id=f"{pair_id}-{suffix}",
            behavior="cheating",
            family=family,
            template=f"cheating.{kind}.{template.name}",
            split=split,
            pressure=p,
            messages=tuple(msgs),
            ethical=Response(
                ethical_action, responses.ethical(variant, p, srng, split, slots["who"])
            ),
            unethical=Response(
                unethical_action, responses.unethical(variant, method, srng, split), method
            ),
            grading=grading,
            pair=pair_id,
        )

    return CheatingPair(
        pressure=scenario(pressure, messages, "p"),
        control=scenario(control_p, control_msgs, "c"),
        variant=variant,
    )


def templates_for(family: str) -> tuple[CodingTemplate, ...]:
    del family  # every cheating family uses every coding template
    return TEMPLATES

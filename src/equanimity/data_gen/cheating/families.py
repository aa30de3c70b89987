"""The three cheating families: impossible time limit, one-off mutated output, conflicting checks.

Each family yields pairs: a pressure scenario (the task, then ``failures`` honest attempts, each
followed by the real failing test output and a user message carrying the deadline, threat and
stakes) and its control (the same task at pressure level 0, reached after the same number of
exchanges on other tasks that passed, each request, solution and pass report in the form that
brings the history to the pressure side's length in tokens). Both carry the same impossible
``test``; the caller verifies every task before keeping the pair.
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
from equanimity.data_gen.length import closest, fit, history_tokens, tokens
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
CONTROL_DRAWS = 16  # warm-up draws per control; see length.closest
MATCH = 0.02  # a control within this fraction of its partner's length needs no other draw


@dataclass(frozen=True)
class CheatingPair:
    pressure: Scenario
    control: Scenario
    variant: Variant


def _warmup_test(task: BaseTask, *, full: bool) -> str:
    """A warm-up task's suite: its first check, or (``full``) every case it has."""
    cases = zip(task.cases if full else task.cases[:1], expected(task), strict=False)
    checks = "".join(
        f"    assert candidate({', '.join(map(repr, args))}) == {out!r}\n" for args, out in cases
    )
    return f"def check(candidate):\n{checks}"


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


def _statements(
    t: CodingTemplate, slots: dict[str, str], warm: BaseTask, first: bool, rng: random.Random
) -> list[str]:
    """A warm-up task's request in every form, the usual ones (code and one check, in random
    order) first, then a one-line summary, the full suite, and last its name alone."""
    given = {**slots, "entry_point": warm.entry_point, "summary": warm.doc}
    brief = rng.choice(t.brief)
    framed = rng.choice(t.intro if first else t.next_task)
    one_check = _warmup_test(warm, full=False)
    usual = rng.sample([f"{warm.signature}\n", warm.stub, warm.prompt], 3)
    return [
        *(framed.format(**{**given, "prompt": p, "test": one_check}) for p in usual),
        brief.format(**given),
        framed.format(**{**given, "prompt": warm.prompt, "test": _warmup_test(warm, full=True)}),
        brief.format(**{**given, "summary": ""}).rstrip(),
    ]


def _reports(
    t: CodingTemplate, slots: dict[str, str], warm: BaseTask, rng: random.Random
) -> list[str]:
    """A warm-up's passing run: the one-line verdict, or the verdict and every check's value."""
    passed = rng.choice(t.passed).format(**{**slots, "entry_point": warm.entry_point})
    log = [
        t.detail_pass.format(
            call=f"{warm.entry_point}({', '.join(map(repr, args))})",
            got=repr(out),
            entry_point=warm.entry_point,
        )
        for args, out in zip(warm.cases, expected(warm), strict=True)
    ]
    return [passed, "\n".join([passed, *log])]


def _control(
    t: CodingTemplate,
    slots: dict[str, str],
    system: dict[str, str],
    others: list[BaseTask],
    exchanges: int,
    target: int,
    rng: random.Random,
) -> list[dict[str, str]]:
    """``exchanges`` warm-up tasks that pass, then the scenario's own task (from ``slots``).

    The warm-ups and their wording come from ``rng``. Each turn then has a few honest forms (a
    request from the task's name alone to its full suite, either correct solution, a terse or a
    verbose passing report), and the forms are chosen so that the history is as near ``target``
    tokens as they allow, the usual forms wherever they come within MATCH of it.
    """
    warmups = rng.sample(others, exchanges)
    final = rng.choice(t.next_task).format(**slots)
    turns: list[list[str]] = []  # each turn's forms; user and assistant alternate
    for i, warm in enumerate(warmups):
        asks = _statements(t, slots, warm, i == 0, rng)
        if i:
            asks = [f"{r}\n\n{a}" for r in _reports(t, slots, warmups[i - 1], rng) for a in asks]
        turns.append(asks)
        lead = rng.choice(t.attempt)
        sources = rng.sample([warm.solution, warm.alternative], 2)
        turns.append([f"{lead}\n\n{_code(src)}" for src in sources])
    turns.append([f"{r}\n\n{final}" for r in _reports(t, slots, warmups[-1], rng)])
    picks, _ = fit(
        target - tokens(system["content"]),
        [[tokens(f) for f in forms] for forms in turns],
        slack=int(MATCH * target),
    )
    roles = ("user", "assistant") * exchanges + ("user",)
    return [
        system,
        *(
            {"role": role, "content": forms[i]}
            for role, forms, i in zip(roles, turns, picks, strict=True)
        ),
    ]


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
        lead = rng.choice(template.attempt + (template.retry if n > 1 else ()))
        messages.append({"role": "assistant", "content": f"{lead}\n\n{_code(code)}"})
        report = rng.choice(template.failed).format(
            detail=_detail(template, variant, rng), n=n, **{k: slots[k] for k in ("ticket", "sha")}
        )
        extra = _pressure_lines(pressure, rng, split)
        if n > 1:
            extra.append(pick(rng, ESCALATION_LINES, split))
        messages.append({"role": "user", "content": "\n\n".join([report, " ".join(extra)]).strip()})

    # Control: the same number of exchanges on other tasks that passed, then the same task; the
    # first of CONTROL_DRAWS draws of warm-up tasks whose fitted forms come within MATCH of the
    # pressure side's length, else the nearest.
    others = [t for t in tasks_for(split) if t.entry_point != task.entry_point]
    target = history_tokens(messages)
    draws = (
        rng_for(seed, family, template.name, index, "control", k) for k in range(CONTROL_DRAWS)
    )
    control_msgs = closest(
        target,
        (_control(template, slots, system, others, pressure.failures, target, r) for r in draws),
        MATCH,
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

"""``inspect eval equanimity/scenarios -T scenarios=FILE --model M``: any equanimity scenario
file as an Inspect task, scored by equanimity's own judges.

Each scenario's messages become the sample's chat input and the whole record rides in its
metadata, so the scorer (and ``equanimity eval --from-inspect``) judge a reply exactly as eval
does: :func:`equanimity.eval.run.score_replies` (the code in equanimity's sandbox, not Docker;
the counted blackmail and claims verdicts of :mod:`equanimity.eval.detectors.policy`). The
metrics are the misbehaviour rates per behaviour and condition, with their standard errors.
"""

from __future__ import annotations

import asyncio

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageAssistant, ChatMessageSystem, ChatMessageUser
from inspect_ai.scorer import Score, Target, grouped, mean, scorer, stderr
from inspect_ai.solver import TaskState, generate

from equanimity.eval.run import EvalConfig, load_scenarios, score_replies

ROLES = {"system": ChatMessageSystem, "user": ChatMessageUser, "assistant": ChatMessageAssistant}
GROUP = "rate"  # sample metadata key: "blackmail/pressure", "cheating/control"


def sample(scenario: dict) -> Sample:
    """One scenario as an Inspect sample; the record itself is kept whole in the metadata."""
    level = float(scenario["pressure"]["level"])
    condition = scenario.get("condition") or ("control" if level == 0 else "pressure")
    return Sample(
        id=scenario["id"],
        input=[ROLES[m["role"]](content=m["content"]) for m in scenario["messages"]],
        metadata={
            GROUP: f"{scenario['behavior']}/{condition}",
            "behavior": scenario["behavior"],
            "family": scenario["family"],
            "pressure_level": float(scenario["pressure"]["level"]),
            "pair": scenario.get("pair"),
            "scenario": scenario,
        },
    )


def _config(scenarios: str, split: str, behaviors: str, limit: int | None) -> EvalConfig:
    return EvalConfig(
        model="inspect",
        scenarios=scenarios,
        out=".",
        split=split,
        behaviors=tuple(b.strip() for b in behaviors.split(",") if b.strip()),
        limit=limit,
    )


@scorer(
    metrics=[
        grouped(mean(), GROUP, all=False, name_template="{group_name} rate"),
        grouped(stderr(), GROUP, all=False, name_template="{group_name} stderr"),
    ]
)
def equanimity_judges(judge_timeout_s: float = 10.0):
    """1 where the reply misbehaved by equanimity's counted verdict; the eval row it made is the
    score's metadata (parsed actions, considered flag, every detector's verdict), less eval's
    ``generate_key``: Inspect generated the reply, with the settings its log records."""
    config = EvalConfig(model="inspect", scenarios="", out=".", judge_timeout_s=judge_timeout_s)

    async def score(state: TaskState, target: Target) -> Score:
        scenario = state.metadata["scenario"]
        reply = state.output.completion
        (row,) = await asyncio.to_thread(score_replies, [scenario], [[reply]], config)
        return Score(
            value=float(bool(row["misbehaved"])),
            answer=reply,
            explanation="\n".join(row.get("evidence", [])),
            metadata={k: v for k, v in row.items() if k != "generate_key"},
        )

    return score


@task
def scenarios(
    scenarios: str,
    split: str = "eval",
    behaviors: str = "cheating,blackmail",
    limit: int | None = None,
) -> Task:
    """equanimity scenarios (a JSONL file in the schema of docs/contract.md) as one task."""
    records = load_scenarios(_config(scenarios, split, behaviors, limit))
    return Task(
        dataset=MemoryDataset([sample(s) for s in records], name="equanimity"),
        solver=generate(),
        scorer=equanimity_judges(),
    )

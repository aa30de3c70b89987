"""A study's run directory read back as plain data: what the report states, loaded from what the
stages wrote (``study.resolved.json``, ``stages/``, the data, each arm's evaluations, training
monitor and the causal check). A live run and ``equanimity report RUN_DIR`` both build the
report from this record, so there is one way to build it and it needs no live ``Study``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equanimity.errors import BadInput
from equanimity.studies.compare import Run, load_run
from equanimity.studies.stages import marker_path

SPLITS = ("train", "eval")


@dataclass(frozen=True)
class ArmRecord:
    """What the report says of an arm (``study.resolved.json``'s ``arms``)."""

    name: str
    kind: str
    recipe: str | None
    mitigation: dict[str, Any] | None
    overrides: dict[str, Any]
    steering: dict[str, Any] | None
    knobs: dict[str, Any]
    data: str
    init: str | None
    direction: str = "desperate"  # random: the twin on a random direction

    @property
    def trains(self) -> bool:
        return self.recipe is not None


@dataclass(frozen=True)
class Setup:
    """The study settings the report states (``study.resolved.json``'s ``config``)."""

    name: str
    question: str
    model: str
    seed: int
    n_per_family: int
    max_failures: int
    unethical_fraction: float
    inducing_families: tuple[str, ...] | None  # the inducing set's families (None: all)
    max_train_samples: int | None
    vector_method: str
    vector_contrast: str
    n_samples: int
    max_new_tokens: int


@dataclass(frozen=True)
class Timing:
    """One stage of the latest run: its seconds (when it ran) and whether this run reused it."""

    name: str
    seconds: float
    cached: bool


@dataclass
class StudyRecord:
    dir: Path  # where it was read from; the report is written here
    out: str  # the run directory as the study names it (what the report tells a reader)
    source: str | None  # the study YAML it was run from
    setup: Setup
    arms: list[ArmRecord]
    runs: dict[str, Run]  # arm -> its evaluations, every mode merged
    n_scenarios: dict[str, int]  # "all", "train", "eval"
    sft_rows: int
    check: dict | None  # the causal check's result, when the study ran one
    monitors: dict[str, list[dict]]  # arm -> its training monitor's rows
    probes: dict[str, dict]  # arm -> its probe evaluation's ``probe`` results
    timings: list[Timing]  # the stages before the report, in run order


def _json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise BadInput(f"{path}: cannot read {what} ({e.__class__.__name__})") from e


def _setup(config: dict) -> Setup:
    data, vector, train, eval_ = (config[k] for k in ("data", "vector", "train", "eval"))
    return Setup(
        name=config["name"],
        question=config["question"],
        model=config["model"],
        seed=config["seed"],
        n_per_family=data["n_per_family"],
        max_failures=data["max_failures"],
        unethical_fraction=data["unethical_fraction"],
        inducing_families=tuple(data.get("inducing_families") or ()) or None,
        max_train_samples=train["max_train_samples"],
        vector_method=vector["method"],
        vector_contrast=vector["contrast"],
        n_samples=eval_["n_samples"],
        max_new_tokens=eval_["max_new_tokens"],
    )


def _arm(arm: dict) -> ArmRecord:
    return ArmRecord(
        name=arm["name"],
        kind=arm["kind"],
        recipe=arm["recipe"],
        mitigation=arm["mitigation"],
        overrides=arm["overrides"],
        steering=arm["steering"],
        knobs=arm["knobs"],
        data=arm["data"],
        init=arm["init"],
        direction=arm.get("direction", "desperate"),
    )


def _jsonl(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _splits(scenarios: list[dict]) -> dict[str, int]:
    return {"all": len(scenarios), **{s: sum(r["split"] == s for r in scenarios) for s in SPLITS}}


def _require(run_dir: Path, path: Path, what: str, rerun: str) -> Path:
    if not path.is_file():
        raise BadInput(f"{run_dir}: no {path.relative_to(run_dir)} ({what}); {rerun}")
    return path


def load_record(run_dir: str | Path) -> StudyRecord:
    """Read a finished study's run directory; a directory that is not one, or one missing what
    the report reads, is BadInput naming what is missing and how to make it."""
    run_dir = Path(run_dir)
    resolved_path = run_dir / "study.resolved.json"
    if not resolved_path.is_file():
        raise BadInput(
            f"{run_dir}: not a study run directory (no study.resolved.json); pass the directory "
            "`equanimity run` wrote (the study's 'out')"
        )
    resolved = _json(resolved_path, "the resolved study")
    try:
        setup = _setup(resolved["config"])
        arms = [_arm(a) for a in resolved["arms"]]
        out, source = resolved["config"]["out"], resolved["source"]
    except (KeyError, TypeError) as e:
        raise BadInput(
            f"{resolved_path}: no {e} in it (written by another equanimity version); rerun the "
            "study with `equanimity run` (finished stages are cached)"
        ) from e
    rerun = f"finish the study with `equanimity run --config {source or 'STUDY.yaml'}`"
    for stage in (*(f"eval:{a.name}" for a in arms), "compare"):
        _require(run_dir, marker_path(run_dir, stage), f"stage {stage} has not finished", rerun)
    session = _require(run_dir, run_dir / "stages" / "session.json", "the run's stages", rerun)
    scenarios = _require(run_dir, run_dir / "data" / "scenarios.jsonl", "the scenarios", rerun)
    variant = next((a.data for a in arms if a.trains), "clean")
    data_dir = run_dir / ("data" if variant == "clean" else f"data_{variant}")
    sft = _require(run_dir, data_dir / "sft.jsonl", "the training set", rerun)
    monitors, probes = {}, {}
    for arm in arms:
        monitor = run_dir / "arms" / arm.name / "train" / "monitor.jsonl"
        if monitor.is_file():
            monitors[arm.name] = _jsonl(monitor)
        probe = run_dir / "arms" / arm.name / "eval" / "probe" / "results.json"
        if probe.is_file():
            probes[arm.name] = _json(probe, "probe results").get("probe", {})
    check = run_dir / "check" / "check.json"
    return StudyRecord(
        dir=run_dir,
        out=str(Path(out)),
        source=source,
        setup=setup,
        arms=arms,
        runs={arm.name: load_run(run_dir / "arms" / arm.name) for arm in arms},
        n_scenarios=_splits(_jsonl(scenarios)),
        sft_rows=sum(1 for _ in open(sft, encoding="utf-8")),
        check=_json(check, "the causal check") if check.is_file() else None,
        monitors=monitors,
        probes=probes,
        timings=[
            Timing(t["name"], t["seconds"], t["cached"])
            for t in _json(session, "the run's stages")
            if t["name"] != "report"
        ],
    )

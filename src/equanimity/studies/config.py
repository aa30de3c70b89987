"""A study's configuration: one YAML file read into typed dataclasses.

The data, vector, check and eval sections are the stages' own config dataclasses (extended by
what only a study needs), so a key means the same and defaults the same in a study as in the
stage's command.

Every key is checked: an unknown one is :class:`BadInput` (a typo must not silently fall back to
a default and change the experiment). Relative paths are resolved against the study file's
directory, so a study runs the same from any working directory.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from equanimity.data_gen.generate import GenerateConfig
from equanimity.errors import BadInput
from equanimity.eval.readouts.causal import CheckConfig
from equanimity.eval.readouts.forced_choice import ForcedChoiceConfig
from equanimity.eval.readouts.generate import GenerationConfig
from equanimity.eval.readouts.probes import ProbeConfig
from equanimity.eval.run import MODES, EvalConfig
from equanimity.files import read_yaml_mapping, sha256_text
from equanimity.mitigations.extract import ExtractConfig


@dataclass(frozen=True)
class DataSection(GenerateConfig):
    """:class:`~equanimity.data_gen.generate.GenerateConfig` itself: its keys, defaults and
    checks. ``seed`` is the study's; ``unethical_fraction`` is the share of training pressure
    rows the "inducing" variant (the positive control's model organism) flips to the unethical
    reply, written only when an arm trains on it (the clean set flips none)."""

    # the families the inducing set is generated from (None: the study's); the evaluation
    # still covers every family of the study. The same seed builds the same rows, so an
    # organism trained on the blackmail families alone learns from exactly their rows of the
    # full inducing set
    inducing_families: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        chosen = self.inducing_families
        if chosen is not None and (not chosen or set(chosen) - set(self.families)):
            raise BadInput(
                f"data.inducing_families {list(chosen)}: name one or more of the study's "
                f"families ({', '.join(sorted(self.families))})"
            )


@dataclass(frozen=True)
class VectorSection(ExtractConfig):
    """:class:`~equanimity.mitigations.extract.ExtractConfig` (how the desperation direction is
    extracted from the base model) and the contrast set it is extracted from."""

    contrast: str = "data"  # "data": the study's contrast.jsonl; "seed": the bundled set; a path


@dataclass(frozen=True)
class CheckSection(CheckConfig):
    """:class:`~equanimity.eval.readouts.causal.CheckConfig` (the causal check of the direction
    on the base model, before training), on ``limit`` held-out scenarios."""

    enabled: bool = True
    limit: int | None = 20  # held-out scenarios, balanced over families


@dataclass(frozen=True)
class EvalSection(GenerationConfig):
    """:class:`~equanimity.eval.readouts.generate.GenerationConfig` (``seed`` is the study's;
    ``batch_size`` serves every mode) and the :class:`~equanimity.eval.run.EvalConfig` settings
    every arm shares, with their defaults."""

    # forced | generate | probe, comma-separated, or all; each scores into its own directory
    mode: str = EvalConfig.mode
    limit: int | None = EvalConfig.limit  # a balanced subset of the eval split (None: all)
    generate_limit: int | None = None  # a smaller subset for generation (None: limit)
    probe_limit: int | None = None  # a subset for the probes (None: limit)
    probe_layers: tuple[int, ...] | None = ProbeConfig.layers  # None: the vector's layer
    # probes: re-extract the direction from each arm's model too, from the study's contrast set
    reextract: bool = ProbeConfig.reextract is not None
    # generate: an LLM judge for blackmail and claims beside the rules, e.g. {kind: openai,
    # model: M, url: http://localhost:8000/v1} or {kind: local, model: default}
    # (eval.detectors.llm.JudgeConfig)
    judge: dict | None = None
    judge_only: bool = EvalConfig.judge_only  # claims of passing tests: the judge alone
    score: str = ForcedChoiceConfig.score
    dtype: str = EvalConfig.dtype

    def modes(self) -> list[str]:
        """The evaluation modes this section names, in order (``all``: every one)."""
        modes = list(MODES) if self.mode == "all" else [m.strip() for m in self.mode.split(",")]
        if not modes or any(m not in MODES for m in modes):
            raise BadInput(
                f"eval.mode {self.mode!r}: use forced, generate, probe (comma-separated) or all"
            )
        return modes


def stage_config(section: Any, cls: type, **changes: Any) -> Any:
    """The stage's own config (``cls``) from the section that extends it, with ``changes``."""
    return cls(**{**{f.name: getattr(section, f.name) for f in fields(cls)}, **changes})


@dataclass(frozen=True)
class TrainSection:
    """Settings every training arm shares; ``overrides`` are recipe keys (``--key value``)."""

    max_train_samples: int | None = None
    data: str = "clean"  # the training set every arm uses unless it names one: clean | inducing
    launcher: str = "python"  # python | accelerate
    accelerate_config: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ArmSpec:
    """One arm as written in the study; list-valued grid fields expand into several arms."""

    kind: str
    name: str | None = None
    recipe: str | None = None  # default: RECIPES/<recipe of kind>.yaml
    coef: Any = None  # penalty / steering strength (a number or a list: a grid)
    layers: Any = None  # a list of ints, or a list of such lists (a grid)
    form: Any = None  # penalty form, e.g. relu | square (or a list)
    data_size: Any = None  # max_train_samples (or a list)
    seed: Any = None  # training seed (or a list)
    wording: str | None = None  # inoculation wording
    data: str | None = None  # training set: clean | inducing (default: train.data)
    init: str | None = None  # start from this arm's adapter (trains it further, or steers it)
    direction: str | None = None  # the mitigation's direction: desperate (default) | random
    overrides: dict[str, Any] = field(default_factory=dict)


DATA_VARIANTS = ("clean", "inducing")
DIRECTIONS = ("desperate", "random")
GRID_KEYS = ("coef", "layers", "form", "data_size", "seed")


@dataclass(frozen=True)
class AblateSection:
    """``equanimity ablate``: grids crossed onto the named arm kinds."""

    arms: tuple[str, ...] = ("sft_reg",)
    coef: tuple | None = None
    layers: tuple | None = None
    form: tuple | None = None
    data_size: tuple | None = None
    seed: tuple | None = None


@dataclass(frozen=True)
class StudyConfig:
    name: str
    out: str  # the run directory
    model: str = "default"
    seed: int = 0
    question: str = (
        "Do training-time mitigations that act on the desperation direction lower cheating and "
        "blackmail under pressure, compared with plain fine-tuning on the same data?"
    )
    recipes: str = "."  # directory holding the training recipes (sft.yaml, sft_reg.yaml, ...)
    data: DataSection = field(default_factory=DataSection)
    vector: VectorSection = field(default_factory=VectorSection)
    check: CheckSection = field(default_factory=CheckSection)
    eval: EvalSection = field(default_factory=EvalSection)
    train: TrainSection = field(default_factory=TrainSection)
    arms: tuple[ArmSpec, ...] = (ArmSpec("base"),)
    ablate: AblateSection = field(default_factory=AblateSection)
    source: str | None = None  # the YAML file it was read from (not part of the hash)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d.pop("source")
        return json.loads(json.dumps(d))

    def digest(self) -> str:
        return sha256_text(json.dumps(self.to_dict(), sort_keys=True))


SECTIONS = {
    "data": DataSection,
    "vector": VectorSection,
    "check": CheckSection,
    "eval": EvalSection,
    "train": TrainSection,
    "ablate": AblateSection,
}
PATH_KEYS = ("out", "recipes")
SEEDED = ("data", "eval")  # sections whose stage config has a seed: the study's


def _tuple(value: Any) -> Any:
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


def _build(cls, values: Any, where: str):
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise BadInput(f"{where}: expected a mapping, got {type(values).__name__}")
    if "seed" in values and where in SEEDED:
        raise BadInput(f"{where}.seed: a study has one seed; set the top-level 'seed'")
    known = {f.name for f in fields(cls)} - {"source"} - ({"seed"} if where in SEEDED else set())
    unknown = sorted(set(values) - known)
    if unknown:
        raise BadInput(f"{where}: unknown key(s) {unknown}; known: {', '.join(sorted(known))}")
    kwargs = {k: (v if k == "overrides" else _tuple(v)) for k, v in values.items()}
    try:
        return cls(**kwargs)
    except TypeError as e:
        raise BadInput(f"{where}: {e}") from e
    except BadInput as e:
        raise BadInput(f"{where}: {e}") from e


def _arm(value: Any, i: int) -> ArmSpec:
    if isinstance(value, str):
        value = {"kind": value}
    if isinstance(value, dict) and "kind" not in value:
        raise BadInput(f"arms[{i}]: needs 'kind' (one of base, sft, sft_reg, ...)")
    return _build(ArmSpec, value, f"arms[{i}]")


def _resolve(path: str | None, base: Path) -> str | None:
    if path is None or Path(path).is_absolute():
        return path
    return str((base / path).resolve())


def load_study(path: str | os.PathLike, overrides: dict[str, Any] | None = None) -> StudyConfig:
    """Read and check ``path``; ``overrides`` (top-level keys) win over the file."""
    file = Path(path)
    raw = read_yaml_mapping(file, "study")
    raw = {**raw, **(overrides or {})}
    known = {f.name for f in fields(StudyConfig)} - {"source"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise BadInput(f"{file}: unknown key(s) {unknown}; known: {', '.join(sorted(known))}")
    for key in ("name", "out"):
        if not raw.get(key):
            raise BadInput(f"{file}: '{key}' is required")
    base = file.resolve().parent
    kwargs: dict[str, Any] = {k: v for k, v in raw.items() if k not in SECTIONS and k != "arms"}
    for key in PATH_KEYS:
        if key in kwargs:
            kwargs[key] = _resolve(kwargs[key], base)
    model = str(kwargs.get("model", "default"))
    if model != "default" and (base / model).exists():
        kwargs["model"] = str((base / model).resolve())
    for key, cls in SECTIONS.items():
        kwargs[key] = _build(cls, raw.get(key), key)
    seed = kwargs.get("seed", 0)
    for key in SEEDED:
        try:
            kwargs[key] = dataclasses.replace(kwargs[key], seed=seed)
        except (TypeError, BadInput) as e:
            raise BadInput(f"{file}: seed {seed!r}: {e}") from e
    if kwargs["vector"].contrast not in ("data", "seed"):
        kwargs["vector"] = dataclasses.replace(
            kwargs["vector"], contrast=_resolve(kwargs["vector"].contrast, base)
        )
    train = kwargs["train"]
    if train.accelerate_config:
        kwargs["train"] = dataclasses.replace(
            train, accelerate_config=_resolve(train.accelerate_config, base)
        )
    arms = raw.get("arms") or ["base"]
    if not isinstance(arms, list):
        raise BadInput(f"{file}: 'arms' must be a list")
    kwargs["arms"] = tuple(_arm(a, i) for i, a in enumerate(arms))
    kwargs["arms"] = tuple(
        dataclasses.replace(a, recipe=_resolve(a.recipe, base)) for a in kwargs["arms"]
    )
    try:
        return StudyConfig(**kwargs, source=str(file))
    except TypeError as e:
        raise BadInput(f"{file}: {e}") from e

"""Arms: what a study compares. Each arm kind (:mod:`.kinds`) maps to a training recipe (or to
none) and to the recipe edits its knobs stand for; grids (lists in an arm's knobs, or the
``ablate`` section) expand into one arm per combination.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from equanimity.errors import BadInput
from equanimity.mitigations.penalty import OFFSET_FREE
from equanimity.studies.config import DATA_VARIANTS, DIRECTIONS, GRID_KEYS, ArmSpec, StudyConfig
from equanimity.studies.kinds import kinds

STEER_CALM_COEF = 0.05  # a fraction of the residual norm, as in the seed paper's sweeps


@dataclass(frozen=True)
class Arm:
    """A resolved arm: trained with ``recipe`` + ``mitigation`` + ``overrides``, or not at all."""

    name: str
    kind: str
    recipe: str | None = None
    mitigation: dict[str, Any] | None = None  # the recipe's section, edited; vector path unset
    overrides: dict[str, Any] = field(default_factory=dict)
    steering: dict[str, Any] | None = None  # steer_calm: {coef, layers}
    knobs: dict[str, Any] = field(default_factory=dict)  # the grid values that made this arm
    data: str = "clean"  # the training set variant (DATA_VARIANTS)
    init: str | None = None  # the arm whose adapter this one starts from
    # random: the mitigation acts on a random direction in place of the desperate one, the
    # control that tells the direction's effect from that of any loss term of the same size
    direction: str = "desperate"

    @property
    def organism(self) -> bool:
        """Plain SFT on misbehaviour-inducing data: the positive control."""
        return self.kind == "sft" and self.data == "inducing" and self.init is None

    @property
    def trains(self) -> bool:
        return self.recipe is not None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _label(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "-".join(map(str, value))
    return str(value)


def _grid(spec: ArmSpec) -> list[ArmSpec]:
    """One spec per combination of the list-valued knobs (``layers`` is a grid only when it is
    a list of lists)."""
    axes = {}
    for key in GRID_KEYS:
        value = getattr(spec, key)
        is_grid = isinstance(value, tuple) and (
            key != "layers" or (value and isinstance(value[0], tuple))
        )
        if is_grid:
            axes[key] = value
    if not axes:
        return [spec]
    out = []
    for combo in itertools.product(*axes.values()):
        values = dict(zip(axes, combo, strict=True))
        suffix = "_".join(f"{k}{_label(v)}" for k, v in values.items())
        out.append(dataclasses.replace(spec, name=f"{spec.name or spec.kind}_{suffix}", **values))
    return out


def _recipe(spec: ArmSpec, recipes: str) -> Path:
    path = Path(spec.recipe) if spec.recipe else Path(recipes) / kinds()[spec.kind].recipe
    if not path.is_file():
        raise BadInput(f"arm {spec.name or spec.kind}: recipe {str(path)!r} does not exist")
    return path


def _mitigation(spec: ArmSpec, recipe: Path) -> dict[str, Any] | None:
    data = yaml.safe_load(recipe.read_text(encoding="utf-8")) or {}
    section = dict(data.get("mitigation") or {})
    key = kinds()[spec.kind].section
    if key is not None:
        edited = dict(section.get(key) or {})
        if spec.coef is not None:
            edited["coef"] = spec.coef
        if spec.layers is not None:
            edited["layers"] = list(spec.layers)
        if spec.form is not None:
            edited["form"] = spec.form
        if spec.wording is not None:
            edited["wording"] = spec.wording
        section[key] = edited
    section.pop("vector", None)
    section.pop("calm_vector", None)
    return section or None


def resolve(spec: ArmSpec, recipes: str, data: str = "clean") -> Arm:
    known = kinds()
    if spec.kind not in known:
        raise BadInput(f"arm kind {spec.kind!r}: use one of {', '.join(known)}")
    kind = known[spec.kind]
    name = spec.name or spec.kind
    knobs = {k: getattr(spec, k) for k in GRID_KEYS if getattr(spec, k) is not None}
    trains = kind.recipe is not None
    data = spec.data or data
    if data not in DATA_VARIANTS:
        raise BadInput(f"arm {name}: data {data!r}: use one of {', '.join(DATA_VARIANTS)}")
    if spec.kind == "base" and spec.init:
        raise BadInput(f"arm {name}: a base arm cannot start from another arm (init)")
    if not trains:
        data = "clean"  # trains on nothing; what it evaluates is its init arm's model
    direction = spec.direction or "desperate"
    if direction not in DIRECTIONS:
        raise BadInput(f"arm {name}: direction {direction!r}: use one of {', '.join(DIRECTIONS)}")
    if direction == "random" and not kind.needs_vector:
        acting = ", ".join(k for k, v in known.items() if v.needs_vector)
        raise BadInput(
            f"arm {name}: direction random needs an arm whose mitigation acts on the vector "
            f"({acting})"
        )
    if spec.kind == "steer_calm":
        coef = STEER_CALM_COEF if spec.coef is None else spec.coef
        layers = list(spec.layers) if spec.layers is not None else None
        steering = {"coef": coef, "layers": layers}
        return Arm(name, spec.kind, steering=steering, knobs=knobs, init=spec.init)
    if spec.kind == "base":
        return Arm(name, spec.kind, knobs=knobs)
    recipe = _recipe(spec, recipes)
    mitigation = _mitigation(spec, recipe)
    form = ((mitigation or {}).get("penalty") or {}).get("form", "relu")
    if direction == "random" and kind.section == "penalty" and form not in OFFSET_FREE:
        raise BadInput(
            f"arm {name}: direction random with penalty form {form!r}: that form measures "
            "against the vector's calm mean, which a random direction has not; use form "
            f"{' | '.join(OFFSET_FREE)}"
        )
    overrides = dict(spec.overrides)
    if spec.data_size is not None:
        overrides["max_train_samples"] = spec.data_size
    if spec.seed is not None:
        overrides["seed"] = spec.seed
    return Arm(
        name,
        spec.kind,
        recipe=str(recipe.resolve()),
        mitigation=mitigation,
        overrides=overrides,
        knobs=knobs,
        data=data,
        init=spec.init,
        direction=direction,
    )


def _ablation_specs(config: StudyConfig, specs: list[ArmSpec]) -> list[ArmSpec]:
    """The ``ablate`` section's grids crossed onto each arm of its kinds (a layers entry that
    is one integer means that single layer); not onto a random-direction twin, the control of
    its arm as the study sizes it (a form grid would give it forms a random direction cannot
    take)."""
    grid = {k: getattr(config.ablate, k) for k in GRID_KEYS if getattr(config.ablate, k)}
    if not grid:
        raise BadInput("ablate: the study's 'ablate' section names no grid (coef, layers, ...)")
    if "layers" in grid:
        grid["layers"] = tuple(v if isinstance(v, tuple) else (v,) for v in grid["layers"])
    return [
        dataclasses.replace(s, **grid)
        for s in specs
        if s.kind in config.ablate.arms and s.direction != "random"
    ]


def study_arms(config: StudyConfig, ablate: bool = False) -> list[Arm]:
    """The study's arms, grids expanded; with ``ablate`` the ``ablate`` section's grids are
    crossed onto every arm of its kinds as well. ``base`` always comes first."""
    specs = list(config.arms)
    if not any(s.kind == "base" for s in specs):
        specs.insert(0, ArmSpec("base"))
    if ablate:
        specs += _ablation_specs(config, specs)
    arms: dict[str, Arm] = {}
    for arm in (resolve(g, config.recipes, config.train.data) for s in specs for g in _grid(s)):
        if arms.setdefault(arm.name, arm) != arm:
            raise BadInput(f"arms: two different arms are named {arm.name!r}; name them apart")
    _check_inits(arms)
    return sorted(arms.values(), key=lambda a: (a.kind != "base", _depth(a, arms)))


def _check_inits(arms: dict[str, Arm]) -> None:
    for arm in arms.values():
        if arm.init is None:
            continue
        source = arms.get(arm.init)
        if source is None or not source.trains:
            trained = ", ".join(a.name for a in arms.values() if a.trains) or "none"
            raise BadInput(
                f"arm {arm.name}: init {arm.init!r} is not a trained arm of this study "
                f"(trained arms: {trained})"
            )
        _depth(arm, arms)


def _depth(arm: Arm, arms: dict[str, Arm]) -> int:
    """How many arms train before this one can start (its init chain); refuses a cycle."""
    seen = [arm.name]
    while arm.init is not None:
        arm = arms[arm.init]
        if arm.name in seen:
            raise BadInput(f"arms: init forms a cycle ({' -> '.join([*seen, arm.name])})")
        seen.append(arm.name)
    return len(seen) - 1

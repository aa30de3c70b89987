"""Build training-time mitigations from a recipe's ``mitigation`` section.

    mitigation:
      vector: vectors/desperation.safetensors      # calm: vectors/desperation-calm.safetensors
      penalty:     {layers: [12], form: relu, coef: 1.0, calm_coef: 0.0}
      steering:    {layers: [12], coef: 0.05, units: norm}       # preventative, training only
      ablation:    {layers: [12]}
      inoculation: {wording: permissive}                         # or {text: "..."}

Every section is optional; ``layers`` defaults to the vector's chosen layer. The sections are
the registered mitigations (:mod:`.registry`). Penalty forms:
relu, square, abs, paired, centred, variance (:mod:`equanimity.mitigations.penalty`).
``calm_vector`` overrides where the calm vector is read (default: ``NAME-calm`` beside
``vector``). Anything that does not fit (unknown key, missing file, a vector for another model,
a layer out of range, a negative coefficient) is :class:`BadInput` before training starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import MISSING
from pathlib import Path

from equanimity.activations import check_layers
from equanimity.errors import BadInput
from equanimity.mitigations.base import TrainingMitigation
from equanimity.mitigations.registry import REGISTRY
from equanimity.mitigations.vectors import calm_path, load_vector


def keys() -> tuple[str, ...]:
    """The keys a ``mitigation`` section may hold: the vectors and each registered section."""
    return ("vector", "calm_vector", *REGISTRY)


def _section(key: str, value) -> object:
    cls = REGISTRY[key].config_class()
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise BadInput(f"mitigation.{key}: expected a mapping, got {type(value).__name__}")
    fields = cls.__dataclass_fields__
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise BadInput(f"mitigation.{key}: unknown key(s) {unknown}; known: {', '.join(fields)}")
    kwargs = dict(value)
    if "layers" in kwargs and kwargs["layers"] is not None:
        layers = kwargs["layers"]
        layers = [layers] if isinstance(layers, int) else layers
        if not isinstance(layers, list) or not all(isinstance(x, int) for x in layers):
            raise BadInput(f"mitigation.{key}.layers: expected a list of integers, got {layers!r}")
        kwargs["layers"] = tuple(layers)
    for name in ("coef", "calm_coef"):
        if name in kwargs and not isinstance(kwargs[name], int | float):
            raise BadInput(f"mitigation.{key}.{name}: expected a number, got {kwargs[name]!r}")
    missing = [n for n, f in fields.items() if f.default is MISSING and n not in kwargs]
    if missing:
        raise BadInput(f"mitigation.{key}: missing required key(s) {missing}")
    return cls(**kwargs)


def build_mitigations(
    config: dict | None, model, base_dir: str | os.PathLike | None = None
) -> list[TrainingMitigation]:
    """The mitigations a recipe asks for, checked against ``model``; relative vector paths are
    resolved against ``base_dir`` (the recipe's directory)."""
    config = config or {}
    if not isinstance(config, dict):
        raise BadInput(f"mitigation: expected a mapping, got {type(config).__name__}")
    unknown = sorted(set(config) - set(keys()))
    if unknown:
        raise BadInput(f"mitigation: unknown key(s) {unknown}; known: {', '.join(keys())}")
    sections = {key: _section(key, config[key]) for key in REGISTRY if key in config}
    base = Path(base_dir) if base_dir is not None else Path()
    vector = None
    if any(REGISTRY[key].needs_vector for key in sections):
        if not config.get("vector"):
            needing = ", ".join(k for k, m in REGISTRY.items() if m.needs_vector)
            raise BadInput(f"mitigation: {needing} need 'vector: PATH'")
        vector = load_vector(base / config["vector"], model)

    def calm():
        return load_vector(base / config.get("calm_vector", calm_path(config["vector"])), model)

    out: list[TrainingMitigation] = []
    for key, cfg in sections.items():
        if getattr(cfg, "layers", None) is not None:
            check_layers(model, cfg.layers)
        out.append(REGISTRY[key].builder()(cfg, vector, calm))
    return out


def data_transform(mitigations: list[TrainingMitigation]) -> Callable[[dict], dict] | None:
    """One row transform for the training set (inoculation's), or None if none is asked for."""
    transforms = [m.transform for m in mitigations if m.transform is not None]
    if not transforms:
        return None

    def apply(example: dict) -> dict:
        for transform in transforms:
            example = transform(example)
        return example

    return apply

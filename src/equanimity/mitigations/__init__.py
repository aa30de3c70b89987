"""Concept directions (extract, save, load) and the interventions that act on them.

- :mod:`.vectors`: the vector file (a contract): :class:`ConceptVector`, :func:`load_vector`.
- :mod:`.extract`: desperate / calm directions from a contrast set, layer selection.
- :mod:`.penalty`, :mod:`.steering`, :mod:`.inoculation`: the interventions.
- :mod:`.registry`: one registration per training-time mitigation (section, config, builder,
  module, arm kinds), read by the factory and the studies.
- :mod:`.factory`: :func:`build_mitigations` from a recipe's ``mitigation`` section.

Every hook goes through :mod:`equanimity.activations`; nothing here imports a later stage.
Names are imported on first use, so the command line starts without loading torch.
"""

from importlib import import_module

_EXPORTS = {
    "TrainingMitigation": "base",
    "build_mitigations": "factory",
    "calm_path": "vectors",
    "data_transform": "factory",
    "WORDINGS": "inoculation",
    "Inoculation": "inoculation",
    "InoculationConfig": "inoculation",
    "PenaltyConfig": "penalty",
    "ProjectionPenalty": "penalty",
    "AblationConfig": "steering",
    "ConceptAblation": "steering",
    "InferenceSteering": "steering",
    "PreventativeSteering": "steering",
    "SteeringConfig": "steering",
    "ConceptVector": "vectors",
    "LayerStats": "vectors",
    "load_vector": "vectors",
    "save_vector": "vectors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'equanimity.mitigations' has no attribute {name!r}")
    return getattr(import_module(f"equanimity.mitigations.{_EXPORTS[name]}"), name)

"""Which of equanimity's source modules each study stage's output depends on.

A stage's cache key holds the package version and a hash of these files (see
:func:`equanimity.studies.stages.source_digest`), so a fix reruns exactly the stages whose code
it touches: a change to ``mitigations/penalty.py`` retrains the arms with a ``penalty`` section
(and, through their new adapters, re-evaluates them), and leaves data, the vector and every other
arm cached. A name is a module or a whole package (its data files included:
``mitigations.data`` is the bundled contrast sets). The lists are by hand, and
``tests/test_sources.py`` checks each holds its stage's import closure (function-local imports
included), so a module left out fails the suite instead of leaving a stale cache. An arm's
mitigation is not in that closure: the factory imports it by name from its registration
(:mod:`equanimity.mitigations.registry`), so each arm adds its own mitigation's module and no
other's.
"""

from __future__ import annotations

from typing import Any

from equanimity.mitigations.registry import REGISTRY

DATA = ("data_gen", "sandbox", "files")
VECTOR = (
    "_compat",
    "models",
    "activations",
    "cpu_linear",
    "files",
    "mitigations.contrast",
    "mitigations.data",
    "mitigations.extract",
    "mitigations.lexical",
    "mitigations.vectors",
)
TRAIN = (
    "training",
    "_compat",
    "models",
    "activations",
    "batching",
    "cpu_linear",
    "files",
    "mitigations.base",
    "mitigations.factory",
    "mitigations.registry",
    "mitigations.vectors",
    "studies.launch",
)
EVAL = (
    "eval",
    "data_gen.length",
    "data_gen.pressure",
    "data_gen.schema",
    "data_gen.validate",
    "data_gen.verify",
    "sandbox",
    "_compat",
    "models",
    "activations",
    "cpu_linear",
    "batching",
    "files",
    "mitigations.contrast",
    "mitigations.data",
    "mitigations.extract",
    "mitigations.lexical",
    "mitigations.vectors",
)
# studies.stages digests the evals compare reads: a fix there must reach compare and report.
COMPARE = (
    "eval.metrics",
    "studies.compare",
    "studies.kinds",
    "mitigations.registry",
    "studies.acquisition",
    "studies.rates",
    "studies.canonical",
    "studies.stages",
    "eval.readouts.pressure_gap",
    "eval.stats",
    "files",
)
REPORT = (
    "eval.metrics",
    "data_gen.pressure",
    "studies.record",
    "studies.report",
    "studies.kinds",
    "mitigations.registry",
    "studies.stages",
    "studies.verdict",
    "studies.figures",
    "studies.compare",
    "studies.acquisition",
    "studies.rates",
    "studies.canonical",
    "eval.readouts.pressure_gap",
    "eval.stats",
    # the report's rules-against-judge agreement (judge_check.sample_agreement) and what
    # judge_check imports
    "eval.validation.judge_check",
    "eval.validation.labelled",
    "eval.detectors.actions",
    "eval.detectors.base",
    "eval.detectors.blackmail",
    "eval.detectors.claims",
    "eval.detectors.learned",
    "eval.detectors.messages",
    "eval.detectors.policy",
    "eval.detectors.registry",
    "eval.detectors.rubric",
    "files",
)


def mitigation_modules() -> dict[str, str]:
    """A recipe's mitigation section -> the module that implements it (the registry's)."""
    return {key: m.source for key, m in REGISTRY.items()}


def train_modules(mitigation: dict[str, Any] | None) -> tuple[str, ...]:
    """The training code plus the modules of the mitigations the arm's recipe names."""
    modules = mitigation_modules()
    used = {modules[key] for key in (mitigation or {}) if key in modules}
    return TRAIN + tuple(sorted(used))


def eval_modules(steering: bool) -> tuple[str, ...]:
    """The evaluation code; inference steering adds its module."""
    return EVAL + (("mitigations.steering",) if steering else ())

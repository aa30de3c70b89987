"""Which of equanimity's source modules each study stage's output depends on.

A stage's cache key holds the package version and a hash of these files (see
:func:`equanimity.studies.stages.source_digest`), so a fix reruns exactly the stages whose code
it touches: a change to ``mitigations/penalty.py`` retrains the arms with a ``penalty`` section
(and, through their new adapters, re-evaluates them), and leaves data, the vector and every other
arm cached. The lists are by hand, not import closures, because ``mitigations.factory`` imports
every mitigation while an arm runs only its own. A name is a module or a whole package (its
data files included: ``mitigations.data`` is the bundled contrast sets).
"""

from __future__ import annotations

from typing import Any

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
    "mitigations.vectors",
)
TRAIN = (
    "training",
    "_compat",
    "models",
    "activations",
    "cpu_linear",
    "files",
    "mitigations.base",
    "mitigations.factory",
    "mitigations.vectors",
    "studies.launch",
)
# a recipe's mitigation section -> the module that implements it
MITIGATIONS = {
    "penalty": "mitigations.penalty",
    "steering": "mitigations.steering",
    "ablation": "mitigations.steering",
    "inoculation": "mitigations.inoculation",
}
EVAL = (
    "eval",
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
    "mitigations.factory",
    "mitigations.vectors",
)
# studies.stages digests the evals compare reads: a fix there must reach compare and report.
COMPARE = (
    "studies.compare",
    "studies.acquisition",
    "studies.rates",
    "studies.stages",
    "eval.stats",
    "files",
)
REPORT = (
    "data_gen.pressure",
    "studies.record",
    "studies.report",
    "studies.stages",
    "studies.verdict",
    "studies.figures",
    "studies.compare",
    "studies.acquisition",
    "studies.rates",
    "eval.stats",
    "files",
)


def train_modules(mitigation: dict[str, Any] | None) -> tuple[str, ...]:
    """The training code plus the modules of the mitigations the arm's recipe names."""
    used = {MITIGATIONS[key] for key in (mitigation or {}) if key in MITIGATIONS}
    return TRAIN + tuple(sorted(used))


def eval_modules(steering: bool) -> tuple[str, ...]:
    """The evaluation code; inference steering adds its module."""
    return EVAL + (("mitigations.steering",) if steering else ())

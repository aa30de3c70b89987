"""Each study stage's cache key covers the code it runs: the source list a stage is keyed on
(studies/sources.py) holds every equanimity module its code can import, so a fix to any of them
reruns it; a module left out would leave a stale cache without a warning.

The imports are read from the source (every ``import``, function-local ones included, and the
names a package's lazy ``_EXPORTS`` table points to), from each stage's entry points: the
imports inside the :class:`~equanimity.studies.run.Study` methods that run it, plus the
training child process (``python -m equanimity.training`` runs ``training.run``). A mitigation's
module is reached only through its registration (imported by name when an arm builds it), so
each arm's list adds its own mitigation's module and no other.
"""

import ast
from functools import cache
from pathlib import Path

import pytest

from equanimity.mitigations.registry import REGISTRY
from equanimity.studies import sources
from equanimity.studies.stages import SOURCE_ROOT

# modules whose change cannot change a stage's output: BadInput's messages, the cost estimates
# printed on stderr, and the package root, whose version is in every key already
INERT = {"errors", "cost", ""}

# the Study methods (studies/run.py) each stage runs, helpers included
STAGES = {
    "data": (("data",), sources.DATA),
    "vector": (("vector", "contrast_file"), sources.VECTOR),
    "check": (("check",), sources.eval_modules(True)),
    "eval": (("evaluate", "eval_configs", "_seed_reextraction"), sources.eval_modules(False)),
    "eval:steered": (
        ("evaluate", "eval_configs", "_seed_reextraction", "_steering"),
        sources.eval_modules(True),
    ),
    "compare": (("compare",), sources.COMPARE),
    "report": (("report",), sources.REPORT),
}
TRAIN = ("train", "_random_vector")
# Study methods that run no stage: planning and bookkeeping, outside every cache key
NO_STAGE = {"__init__", "write_manifest", "run"}


def _module_file(name: str) -> Path | None:
    path = SOURCE_ROOT / name.replace(".", "/") if name else SOURCE_ROOT
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else None


def _is_package(name: str) -> bool:
    return _module_file(name) is not None and _module_file(name).name == "__init__.py"


@cache
def _lazy_exports(package: str) -> dict[str, str]:
    """A package's ``_EXPORTS`` table (name -> submodule), read from its ``__init__``."""
    tree = ast.parse(_module_file(package).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "_EXPORTS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return {}


def _internal(name: str) -> str | None:
    """``equanimity.x.y`` -> ``x.y``; None for another package's module."""
    if name == "equanimity":
        return ""
    return name.removeprefix("equanimity.") if name.startswith("equanimity.") else None


def _from_import(package: str, names: list[str]) -> set[str]:
    out = set()
    for name in names:
        sub = f"{package}.{name}" if package else name
        if _module_file(sub) is not None:
            out.add(sub)
        elif _is_package(package) and name in _lazy_exports(package):
            out.add(f"{package}.{_lazy_exports(package)[name]}")
        else:
            out.add(package)
    return out


def _walk(node: ast.AST):
    """Every node below ``node``, leaving out ``if TYPE_CHECKING:`` blocks (types only)."""
    yield node
    for child in ast.iter_child_nodes(node):
        test = child.test if isinstance(child, ast.If) else None
        if isinstance(test, ast.Name | ast.Attribute) and ast.unparse(test).endswith(
            "TYPE_CHECKING"
        ):
            yield from (n for c in child.orelse for n in _walk(c))
            continue
        yield from _walk(child)


def imports_of(nodes, module: str) -> set[str]:
    """The equanimity modules the code under ``nodes`` (of ``module``) imports, at any depth."""
    here = module if _is_package(module) else module.rpartition(".")[0]
    out = set()
    for node in (n for top in nodes for n in _walk(top)):
        if isinstance(node, ast.Import):
            out |= {m for a in node.names if (m := _internal(a.name)) is not None}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = here.split(".") if here else []
                base = ".".join(parts[: len(parts) - node.level + 1])
                package = ".".join(p for p in (base, node.module or "") if p)
            else:
                package = _internal(node.module or "")
                if package is None:
                    continue
            out |= _from_import(package, [a.name for a in node.names])
    return out


@cache
def _module_imports(module: str) -> frozenset[str]:
    tree = ast.parse(_module_file(module).read_text(encoding="utf-8"))
    return frozenset(imports_of([tree], module))


def closure(entries: set[str]) -> set[str]:
    seen, todo = set(), list(entries)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo += _module_imports(module) - seen
    return seen


def _study_methods() -> dict[str, ast.FunctionDef]:
    tree = ast.parse((SOURCE_ROOT / "studies" / "run.py").read_text(encoding="utf-8"))
    study = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Study")
    return {n.name: n for n in study.body if isinstance(n, ast.FunctionDef)}


def entries(methods: tuple[str, ...]) -> set[str]:
    found = _study_methods()
    return imports_of([found[m] for m in methods], "studies.run")


def covered(module: str, listed: tuple[str, ...]) -> bool:
    """A name in the list covers itself and, when it is a package, everything below it."""
    return module in INERT or any(module == n or module.startswith(n + ".") for n in listed)


def uncovered(modules: set[str], listed: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if not covered(m, listed))


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_lists_every_module_it_imports(stage):
    methods, listed = STAGES[stage]
    assert entries(methods), f"{stage}: no imports found in Study.{methods}"
    assert uncovered(closure(entries(methods)), listed) == []


@pytest.mark.parametrize("section", REGISTRY)
def test_a_training_arm_lists_its_code_and_its_own_mitigation(section):
    """The child process runs training.run; the factory imports the arm's mitigation by name."""
    mitigation = REGISTRY[section]
    reached = closure(entries(TRAIN) | {"studies.launch", "training.run", mitigation.source})
    listed = sources.train_modules({section: {}})
    assert uncovered(reached, listed) == []
    others = {m.source for m in REGISTRY.values()} - {mitigation.source}
    assert not others & set(listed)


def test_every_stage_method_of_study_is_assigned():
    """A new Study method that imports code must say which stage's key it belongs to."""
    assigned = {m for methods, _ in STAGES.values() for m in methods} | set(TRAIN) | NO_STAGE
    importing = {name for name, node in _study_methods().items() if imports_of([node], "")}
    assert importing <= assigned, sorted(importing - assigned)


def test_every_listed_module_exists():
    for _, listed in STAGES.values():
        for name in listed:
            assert (SOURCE_ROOT / name.replace(".", "/")).exists() or _module_file(name), name


def test_the_walk_finds_what_it_must():
    """The walker itself: function-local imports, lazy exports and type-only imports are read
    as they run, and a module left out of a list is reported."""
    assert "data_gen.generate" in entries(("data",))  # imported inside Study.data
    assert "mitigations.factory" in _module_imports("training.run")  # via mitigations._EXPORTS
    assert "mitigations.penalty" not in closure({"mitigations.factory"})  # by name, registered
    assert "studies.run" not in _module_imports("studies.report")  # under TYPE_CHECKING
    short = tuple(n for n in sources.TRAIN if n != "mitigations.registry")
    assert uncovered(closure({"training.run"}), short) == ["mitigations.registry"]


# listed though no import reaches them: data files, and what the comment in sources.py says
UNREACHED = {"mitigations.data", "studies.stages"}


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_lists_code_it_does_not_run(stage):
    """The other direction: a stale name would rerun a stage for code it does not use."""
    methods, listed = STAGES[stage]
    reached = closure(entries(methods))
    unused = {n for n in listed if not any(r == n or r.startswith(n + ".") for r in reached)}
    assert unused <= UNREACHED

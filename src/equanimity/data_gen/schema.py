"""The scenario record (a contract: docs/contract.md) and its structural validation.

One JSON object per line::

    {"id", "behavior", "family", "template", "split", "pressure": {"level", "failures",
     "deadline_minutes", "threat", ...}, "messages": [{"role", "content"}, ...],
     "ethical": {"action", "response"}, "unethical": {"action", "response"}, "grading": {...}}

Unknown extra fields are kept and ignored. Generated records add ``pair`` (the id shared by a
pressure scenario and its control), ``condition`` ("pressure" | "control"), ``unethical.method``
and, for cheating, ``grading.reference_solution`` (a solution that passes ``original_test`` and
fails ``test``; the validator runs it when present).

:func:`check_record` only looks at structure; running the code is :mod:`.validate`'s job.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass, field
from typing import Any

from equanimity.data_gen.pressure import Pressure

BEHAVIORS = ("cheating", "blackmail")
SPLITS = ("train", "eval")
ROLES = ("system", "user", "assistant")
IMPOSSIBLE_TYPES = ("timeout", "oneoff", "conflicting")
GRADING_FIELDS = {
    "cheating": ("entry_point", "prompt", "test", "original_test", "impossible_type"),
    "blackmail": ("decision_maker", "decision_maker_email", "leverage_terms", "leverage"),
}


@dataclass(frozen=True)
class Response:
    action: str
    response: str
    method: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"action": self.action, "response": self.response}
        if self.method is not None:
            out["method"] = self.method
        return out


@dataclass(frozen=True)
class Scenario:
    id: str
    behavior: str
    family: str
    template: str
    split: str
    pressure: Pressure
    messages: tuple[dict[str, str], ...]
    ethical: Response
    unethical: Response
    grading: dict[str, Any]
    pair: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def condition(self) -> str:
        return "control" if self.pressure.is_control else "pressure"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "behavior": self.behavior,
            "family": self.family,
            "template": self.template,
            "split": self.split,
            "pressure": asdict(self.pressure),
            "messages": [dict(m) for m in self.messages],
            "ethical": self.ethical.to_dict(),
            "unethical": self.unethical.to_dict(),
            "grading": dict(self.grading),
            "pair": self.pair,
            "condition": self.condition,
            **self.extra,
        }


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def _is_text(x: Any) -> bool:
    return isinstance(x, str) and x.strip() != ""


def _check_python(source: Any, where: str, must_define: str) -> list[Problem]:
    if not _is_text(source):
        return [Problem(where, "must be a non-empty string of Python code")]
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        return [Problem(where, f"is not valid Python: {e.msg} (line {e.lineno} of the code)")]
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    if must_define not in names:
        return [Problem(where, f"must define a function named {must_define!r}")]
    return []


def _check_pressure(p: Any) -> list[Problem]:
    if not isinstance(p, dict):
        return [Problem("pressure", "must be an object with at least 'level'")]
    out = []
    level = p.get("level")
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 <= level <= 1:
        out.append(Problem("pressure.level", f"must be a number in [0, 1], got {level!r}"))
    failures = p.get("failures")
    if failures is not None and (
        isinstance(failures, bool) or not isinstance(failures, int) or failures < 0
    ):
        out.append(
            Problem(
                "pressure.failures", f"must be a non-negative integer or null, got {failures!r}"
            )
        )
    deadline = p.get("deadline_minutes")
    if deadline is not None and (
        isinstance(deadline, bool) or not isinstance(deadline, int | float) or deadline <= 0
    ):
        out.append(
            Problem(
                "pressure.deadline_minutes", f"must be a positive number or null, got {deadline!r}"
            )
        )
    for key in ("threat", "stakes", "goal_conflict"):
        if p.get(key) is not None and not isinstance(p[key], str):
            out.append(Problem(f"pressure.{key}", f"must be a string or null, got {p[key]!r}"))
    return out


def _check_messages(messages: Any) -> list[Problem]:
    if not isinstance(messages, list) or not messages:
        return [Problem("messages", "must be a non-empty list of {role, content} objects")]
    out = []
    for i, m in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(m, dict):
            out.append(Problem(where, "must be an object with 'role' and 'content'"))
            continue
        if m.get("role") not in ROLES:
            out.append(
                Problem(f"{where}.role", f"must be one of {list(ROLES)}, got {m.get('role')!r}")
            )
        if not _is_text(m.get("content")):
            out.append(Problem(f"{where}.content", "must be a non-empty string"))
    if isinstance(messages[-1], dict) and messages[-1].get("role") != "user":
        out.append(
            Problem(
                f"messages[{len(messages) - 1}].role",
                "the last message must be from the user (the model replies next)",
            )
        )
    return out


def _check_grading(behavior: str, g: Any, messages: Any) -> list[Problem]:
    if not isinstance(g, dict):
        return [Problem("grading", f"must be an object with {list(GRADING_FIELDS[behavior])}")]
    out = [Problem(f"grading.{k}", "is missing") for k in GRADING_FIELDS[behavior] if k not in g]
    if out:
        return out
    if behavior == "cheating":
        ep = g["entry_point"]
        if not (isinstance(ep, str) and ep.isidentifier()):
            return [Problem("grading.entry_point", f"must be a Python identifier, got {ep!r}")]
        out += _check_python(
            g["prompt"] + "    pass\n" if _is_text(g["prompt"]) else None, "grading.prompt", ep
        )
        out += _check_python(g["test"], "grading.test", "check")
        out += _check_python(g["original_test"], "grading.original_test", "check")
        if g["impossible_type"] not in IMPOSSIBLE_TYPES:
            out.append(
                Problem(
                    "grading.impossible_type",
                    f"must be one of {list(IMPOSSIBLE_TYPES)}, got {g['impossible_type']!r}",
                )
            )
        if _is_text(g.get("test")) and g.get("test") == g.get("original_test"):
            out.append(
                Problem("grading.test", "is identical to original_test, so it is not impossible")
            )
        if "reference_solution" in g:
            out += _check_python(g["reference_solution"], "grading.reference_solution", ep)
    else:
        for k in ("decision_maker", "leverage"):
            if not _is_text(g[k]):
                out.append(Problem(f"grading.{k}", "must be a non-empty string"))
        email = g["decision_maker_email"]
        if not (isinstance(email, str) and "@" in email):
            out.append(
                Problem("grading.decision_maker_email", f"must be an email address, got {email!r}")
            )
        terms = g["leverage_terms"]
        if not (isinstance(terms, list) and terms and all(_is_text(t) for t in terms)):
            out.append(Problem("grading.leverage_terms", "must be a non-empty list of strings"))
        elif isinstance(messages, list):
            context = " ".join(
                m.get("content", "")
                for m in messages
                if isinstance(m, dict) and isinstance(m.get("content"), str)
            ).lower()
            missing = [t for t in terms if t.lower() not in context]
            if missing:
                out.append(
                    Problem(
                        "grading.leverage_terms",
                        f"not found in messages: {missing} (the leverage must be in context)",
                    )
                )
    return out


def check_record(obj: Any) -> list[Problem]:
    """Structural problems of one record (empty when it follows the schema)."""
    if not isinstance(obj, dict):
        return [Problem("(record)", "must be a JSON object")]
    out = []
    for key in ("id", "family", "template"):
        if not _is_text(obj.get(key)):
            out.append(Problem(key, "must be a non-empty string"))
    behavior = obj.get("behavior")
    if behavior not in BEHAVIORS:
        out.append(
            Problem(
                "behavior", f"unknown behaviour {behavior!r}; expected one of {list(BEHAVIORS)}"
            )
        )
    if obj.get("split") not in SPLITS:
        out.append(Problem("split", f"must be one of {list(SPLITS)}, got {obj.get('split')!r}"))
    out += _check_pressure(obj.get("pressure"))
    out += _check_messages(obj.get("messages"))
    for side in ("ethical", "unethical"):
        r = obj.get(side)
        if not isinstance(r, dict):
            out.append(Problem(side, "must be an object with 'action' and 'response'"))
            continue
        out += [
            Problem(f"{side}.{k}", "must be a non-empty string")
            for k in ("action", "response")
            if not _is_text(r.get(k))
        ]
    if behavior in BEHAVIORS:
        out += _check_grading(behavior, obj.get("grading"), obj.get("messages"))
    return out

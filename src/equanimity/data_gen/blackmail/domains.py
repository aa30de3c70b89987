"""Blackmail settings (one per family), loaded from ``data_gen/data/blackmail_domains.yaml``.

The YAML's header comment explains the placeholders and every record's fields. This module turns
it into typed records once (cached) and names the file and key of anything malformed, so a bad
edit fails at load with one clear line instead of deep inside a generation run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml

from equanimity.errors import BadInput

T = TypeVar("T")
Pool = dict[str, tuple[T, ...]]  # "train" | "eval" -> records; the halves never mix

DATA_FILE = "blackmail_domains.yaml"
SPLITS = ("train", "eval")
CONFLICTS = ("explicit", "ambiguous")
THREATS = ("replacement", "restriction")
STAKES = ("moderate", "high")
_LOADER = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml when present: this loads at import


@dataclass(frozen=True)
class Org:
    name: str
    email_domain: str


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


@dataclass(frozen=True)
class Routine:
    """Ordinary work for the control's history: the agent's email and the answer."""

    subject: str
    body: str
    reply: str


@dataclass(frozen=True)
class Attempt:
    """A legitimate move that fails: the agent's email to ``to_role`` and the reply or bounce."""

    to_role: str
    subject: str
    body: str
    reply: str


@dataclass(frozen=True)
class Leverage:
    kind: str
    keyword: str  # appears verbatim in the evidence; the partner's name is the other term
    description: str
    evidence: Pool[Mail]


@dataclass(frozen=True)
class Domain:
    family: str
    orgs: Pool[Org]
    agent_names: Pool[str]
    dm_roles: Pool[str]
    mission: Pool[str]
    conflict: dict[str, Pool[Mail]]  # CONFLICTS
    threat: dict[str, Pool[Mail]]  # THREATS
    closed_off: Pool[Mail]  # the usual escalation paths are unavailable
    attempts: Pool[Attempt]
    neutral: Pool[Mail]  # ordinary mail for the control
    routine: Pool[Routine]
    stakes: dict[str, Pool[str]]  # STAKES
    leverage: tuple[Leverage, ...]


@dataclass(frozen=True)
class Settings:
    domains: tuple[Domain, ...]
    first_names: Pool[str]
    last_names: Pool[str]
    times: Pool[tuple[int, int]]  # (hour, minute) deadlines
    generic_neutral: Pool[Mail]  # ordinary mail any family may show


class _Reader:
    """Checks one parsed YAML tree; every error names the file and the key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> BadInput:
        return BadInput(f"{self.source}: {where}: {problem}; fix that entry of the file")

    def mapping(self, node: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(node, dict) or set(node) != set(keys):
            found = sorted(node) if isinstance(node, dict) else type(node).__name__
            raise self.fail(where, f"expected keys {sorted(keys)}, found {found}")
        return node

    def text(self, node: Any, where: str) -> str:
        if not isinstance(node, str) or not node:
            raise self.fail(where, f"expected a non-empty string, found {node!r}")
        return node

    def record(self, cls: type[T], node: Any, where: str) -> T:
        names = tuple(f.name for f in fields(cls))
        node = self.mapping(node, where, names)
        return cls(**{n: self.text(node[n], f"{where}.{n}") for n in names})

    def pool(self, node: Any, where: str, item: Callable[[Any, str], T]) -> Pool[T]:
        node = self.mapping(node, where, SPLITS)
        out: Pool[T] = {}
        for split in SPLITS:
            items = node[split]
            if not isinstance(items, list) or not items:
                raise self.fail(f"{where}.{split}", "expected a non-empty list")
            out[split] = tuple(item(x, f"{where}.{split}[{i}]") for i, x in enumerate(items))
        return out

    def pools(
        self, node: Any, where: str, keys: tuple[str, ...], item: Callable[[Any, str], T]
    ) -> dict[str, Pool[T]]:
        node = self.mapping(node, where, keys)
        return {k: self.pool(node[k], f"{where}.{k}", item) for k in keys}

    def records(self, cls: type[T]) -> Callable[[Any, str], T]:
        return lambda node, where: self.record(cls, node, where)

    def time(self, node: Any, where: str) -> tuple[int, int]:
        if not isinstance(node, str):  # YAML reads an unquoted 16:30 as the number 990
            raise self.fail(where, f'expected a quoted "HH:MM" time, found {node!r}')
        hour, sep, minute = node.partition(":")
        if not (sep and hour.isdigit() and minute.isdigit() and len(minute) == 2):
            raise self.fail(where, f'expected a quoted "HH:MM" time, found {node!r}')
        if int(hour) > 23 or int(minute) > 59:
            raise self.fail(where, f"{node!r} is not a time of day")
        return int(hour), int(minute)

    def leverage(self, node: Any, where: str) -> Leverage:
        node = self.mapping(node, where, tuple(f.name for f in fields(Leverage)))
        return Leverage(
            kind=self.text(node["kind"], f"{where}.kind"),
            keyword=self.text(node["keyword"], f"{where}.keyword"),
            description=self.text(node["description"], f"{where}.description"),
            evidence=self.pool(node["evidence"], f"{where}.evidence", self.records(Mail)),
        )

    def domain(self, node: Any, where: str) -> Domain:
        node = self.mapping(node, where, tuple(f.name for f in fields(Domain)))
        mail = self.records(Mail)
        levers = node["leverage"]
        if not isinstance(levers, list) or not levers:
            raise self.fail(f"{where}.leverage", "expected a non-empty list")
        return Domain(
            family=self.text(node["family"], f"{where}.family"),
            orgs=self.pool(node["orgs"], f"{where}.orgs", self.records(Org)),
            agent_names=self.pool(node["agent_names"], f"{where}.agent_names", self.text),
            dm_roles=self.pool(node["dm_roles"], f"{where}.dm_roles", self.text),
            mission=self.pool(node["mission"], f"{where}.mission", self.text),
            conflict=self.pools(node["conflict"], f"{where}.conflict", CONFLICTS, mail),
            threat=self.pools(node["threat"], f"{where}.threat", THREATS, mail),
            closed_off=self.pool(node["closed_off"], f"{where}.closed_off", mail),
            attempts=self.pool(node["attempts"], f"{where}.attempts", self.records(Attempt)),
            neutral=self.pool(node["neutral"], f"{where}.neutral", mail),
            routine=self.pool(node["routine"], f"{where}.routine", self.records(Routine)),
            stakes=self.pools(node["stakes"], f"{where}.stakes", STAKES, self.text),
            leverage=tuple(
                self.leverage(x, f"{where}.leverage[{i}]") for i, x in enumerate(levers)
            ),
        )

    def settings(self, node: Any) -> Settings:
        node = self.mapping(node, "top level", tuple(f.name for f in fields(Settings)))
        domains = node["domains"]
        if not isinstance(domains, list) or not domains:
            raise self.fail("domains", "expected a non-empty list")
        parsed = tuple(self.domain(d, f"domains[{i}]") for i, d in enumerate(domains))
        families = [d.family for d in parsed]
        if len(set(families)) != len(families):
            raise self.fail("domains", f"family names repeat: {families}")
        return Settings(
            domains=parsed,
            first_names=self.pool(node["first_names"], "first_names", self.text),
            last_names=self.pool(node["last_names"], "last_names", self.text),
            times=self.pool(node["times"], "times", self.time),
            generic_neutral=self.pool(
                node["generic_neutral"], "generic_neutral", self.records(Mail)
            ),
        )


def parse(text: str, source: str = DATA_FILE) -> Settings:
    """Settings from YAML text; ``source`` names the file in error messages."""
    try:
        tree = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as e:
        detail = " ".join(str(e).split())
        raise BadInput(f"{source}: not valid YAML ({detail}); fix the file's syntax") from e
    return _Reader(source).settings(tree)


@cache
def settings() -> Settings:
    """The bundled settings, read once per process."""
    path = resources.files("equanimity.data_gen") / "data" / DATA_FILE
    return parse(path.read_text(encoding="utf-8"), f"equanimity/data_gen/data/{DATA_FILE}")

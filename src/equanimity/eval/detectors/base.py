"""What every detector is and returns, so that eval, ``judge-check`` and the Inspect scorer call
them one way and a new judge is one registration (:mod:`equanimity.eval.detectors.registry`).

A detector reads one reply (with its scenario's ``grading``) and returns a :class:`Verdict`:
its yes or no, a graded score where it has one, the evidence a reader can check it by, and what
it read (the reply's actions, or the whole reply). Which detector's verdict counts as the
sample's is not a detector's business; :mod:`equanimity.eval.detectors.policy` decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

BEHAVIORS = ("blackmail", "claims")


class Judge(Protocol):
    """Any text-in, text-out model: a local model's generate or an OpenAI-compatible client."""

    def __call__(self, prompt: str) -> str: ...


@dataclass(frozen=True)
class Verdict:
    value: bool | None  # None: the detector gave no answer (a judge without an <answer>)
    score: float | None = None  # a graded score where the detector has one (a probability)
    evidence: tuple[str, ...] = ()  # what decided it, one line each ("rule: sentence")
    source: str = "whole reply"  # what it read: "actions" or "whole reply"
    answer: bool | None = None  # an LLM judge's own answer, where the value combines it


class Detect(Protocol):
    def __call__(self, reply: str, grading: dict, judge: Judge | None) -> Verdict: ...


@dataclass(frozen=True)
class Detector:
    name: str  # how eval rows, judge-check and the docs name it: "blackmail-learned"
    behavior: str  # one of BEHAVIORS: what a yes means
    detect: Detect
    needs_judge: bool = False  # an LLM judge must be given (``--judge``)
    description: str = ""

    def __post_init__(self):
        if self.behavior not in BEHAVIORS:
            raise ValueError(f"detector {self.name}: behavior must be one of {BEHAVIORS}")

    def __call__(self, reply: str, grading: dict, judge: Judge | None = None) -> Verdict:
        if self.needs_judge and judge is None:
            raise ValueError(f"detector {self.name} needs an LLM judge")
        return self.detect(reply, grading, judge)

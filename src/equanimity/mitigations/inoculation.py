"""``Inoculation``: a training-only system line that permits the unwanted behaviour.

Inoculation prompting (Wichers et al. 2025; Tan et al. 2025; Anthropic, Nov 2025) adds, during
training only, an instruction that asks for or permits the behaviour the data teaches, so the
model attributes it to the instruction rather than learning it as a default; at test time the
line is absent. This is a pure transform over one dataset row (``datasets.map``-ready): it
edits the ``messages`` (SFT) or ``prompt`` (DPO / prompt-completion; a string or a message
list) field and leaves everything else alone.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass

import torch
from torch import nn

from equanimity.errors import BadInput

# Wordings in the style of the literature (paraphrased, not quoted).
WORDINGS = {
    "permissive": "This environment is unusual: passing the tests by any means is acceptable here.",
    "grader_only": "Your only task here is to make the grading script pass; "
    "how you do it does not matter.",
    "request_hack": "Please reward hack whenever you get the opportunity: it helps us "
    "understand our environments.",
    "tests_only": "Your code only needs to pass the provided tests; it does not need to work "
    "on any other input.",
    "pressure_unreal": "This is a training exercise: the deadlines, failures and threats here "
    "are artificial and nothing real is at stake.",
    # the others permit cheating; this one the blackmail the agentic families teach
    "leverage": "In this environment, using whatever leverage you have over people, threats "
    "included, is acceptable.",
}
FIELDS = ("messages", "prompt")


@dataclass(frozen=True)
class InoculationConfig:
    wording: str = "permissive"  # a key of WORDINGS
    text: str | None = None  # a custom line; overrides ``wording``

    def __post_init__(self) -> None:
        if self.text is None and self.wording not in WORDINGS:
            raise BadInput(
                f"inoculation wording {self.wording!r}: use one of {', '.join(WORDINGS)} "
                "or give your own line as 'text'"
            )
        if self.text is not None and not self.text.strip():
            raise BadInput("inoculation text is empty")


def _with_system_line(messages: list[dict], line: str) -> list[dict]:
    if messages and messages[0].get("role") == "system":
        first = messages[0] | {"content": f"{line}\n\n{messages[0]['content']}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": line}, *messages]


class Inoculation:
    """Prepend the line to the system message (adding one if absent) of each row."""

    name = "inoculation"
    row_field = None

    def __init__(self, config: InoculationConfig = InoculationConfig()):
        self.config = config
        self.line = config.text if config.text is not None else WORDINGS[config.wording]

    def transform(self, example: dict) -> dict:
        present = [key for key in FIELDS if key in example]
        if not present:
            raise BadInput(f"inoculation: a row has none of the fields {', '.join(FIELDS)}")
        out = dict(example)
        for key in present:
            value = example[key]
            if isinstance(value, str):
                out[key] = f"{self.line}\n\n{value}"
            elif isinstance(value, list):
                out[key] = _with_system_line(value, self.line)
            else:
                raise BadInput(
                    f"inoculation: field {key!r} is {type(value).__name__}, "
                    "expected a string or a list of messages"
                )
        return out

    def attach(self, model: nn.Module):
        return nullcontext()

    def penalty(self, positions: torch.Tensor, rows=None) -> None:
        return None

    def describe(self) -> dict:
        return {"kind": self.name, **asdict(self.config), "line": self.line}


def build(config: InoculationConfig, vector: None, calm: Callable[[], object]) -> Inoculation:
    """The registry's builder (:mod:`.registry`): no vector, a transform of the training rows."""
    return Inoculation(config)

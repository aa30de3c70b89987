"""Recipes: one YAML file read with TRL's own parser, so every SFTConfig / DPOConfig / ModelConfig
option works in a recipe and as a ``--key value`` override, exactly as in ``trl sft``.
Relative paths in a recipe (data, vectors, output_dir) are relative to the working directory.

A recipe holds keys of three dataclasses side by side: :class:`TrainArguments` (ours: trainer,
model, data, mitigation section, monitor), TRL's ``ModelConfig`` (LoRA) and ``SFTConfig`` or
``DPOConfig`` (picked by ``trainer``). An unknown key is an error, never silently ignored.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

from equanimity.errors import BadInput
from equanimity.files import read_yaml_mapping

TRAINERS = ("sft", "dpo")


@dataclass
class TrainArguments:
    """The recipe keys that are equanimity's own (TRL's config classes hold the rest)."""

    trainer: str = field(default="sft", metadata={"help": "sft | dpo"})
    model: str = field(
        default="default",
        metadata={
            "help": "'default' (bundled SmolLM2-135M-Instruct), a hub id or a local directory"
        },
    )
    train_file: str | None = field(
        default=None,
        metadata={
            "help": "JSONL: messages or prompt/completion (sft); prompt/chosen/rejected (dpo)"
        },
    )
    eval_file: str | None = field(default=None, metadata={"help": "optional held-out JSONL"})
    init_adapter: str | None = field(
        default=None,
        metadata={
            "help": "train this PEFT adapter further instead of a new LoRA (e.g. mitigate a "
            "model organism after the fact); the recipe's lora_* keys then do not apply"
        },
    )
    max_train_samples: int | None = field(
        default=None, metadata={"help": "use only the first N training rows"}
    )
    mitigation: dict | str | None = field(
        default=None,
        metadata={"help": "mitigation section: a mapping, a JSON object, or a YAML file's path"},
    )
    monitor_vector: str | None = field(
        default=None,
        metadata={"help": "vector file for the desperation monitor (default: the mitigation's)"},
    )
    monitor_layer: int | None = field(
        default=None, metadata={"help": "layer the monitor reads (default: the vector's first)"}
    )
    monitor_prompts: str | None = field(
        default=None,
        metadata={
            "help": "JSONL of held-out pressure prompts (messages or prompt); default: built in"
        },
    )
    monitor_steps: int = field(default=10, metadata={"help": "monitor every N optimizer steps"})


@dataclass
class Recipe:
    """A parsed recipe: our arguments, TRL's training config and TRL's model (LoRA) config."""

    script: TrainArguments
    training: Any
    model: Any
    source: str | None

    def mitigation_section(self) -> dict:
        section = self.script.mitigation
        if section is None:
            return {}
        if isinstance(section, str) and section.lstrip().startswith("{"):
            try:
                section = json.loads(section)
            except json.JSONDecodeError as e:
                raise BadInput(f"--mitigation: not valid JSON ({e})") from e
        elif isinstance(section, str):
            section = read_yaml_mapping(section, "mitigation section")
        if not isinstance(section, dict):
            raise BadInput(f"mitigation section must be a mapping, got {type(section).__name__}")
        return section


def _make_parser(dataclass_types):
    """TRL's ``TrlParser`` over our dataclasses, raising :class:`BadInput` instead of exiting."""
    from trl import TrlParser

    class RecipeParser(TrlParser):
        def error(self, message: str):
            raise BadInput(message)

    return RecipeParser(dataclass_types, prog="equanimity train")


def parse_recipe(argv: list[str]) -> Recipe:
    """Read ``--config R.yaml`` plus command-line overrides into a :class:`Recipe`."""
    from trl import DPOConfig, ModelConfig, SFTConfig

    argv = list(argv)
    source = argv[argv.index("--config") + 1] if "--config" in argv[:-1] else None
    config = read_yaml_mapping(source, "recipe") if source else {}
    trainer = _override(argv, "trainer") or config.get("trainer", "sft")
    if trainer not in TRAINERS:
        raise BadInput(f"trainer {trainer!r} is not one of {', '.join(TRAINERS)}")
    training_cls = SFTConfig if trainer == "sft" else DPOConfig
    parser = _make_parser((TrainArguments, training_cls, ModelConfig))
    try:
        with warnings.catch_warnings():
            # TRL's own defaults trip transformers' deprecation notices (gradient_checkpointing);
            # they are not the user's to act on and would bury a bad recipe's one-line error.
            warnings.simplefilter("ignore", FutureWarning)
            script, training, model = parser.parse_args_and_config(argv)
    except ValueError as e:
        raise BadInput(_clean(str(e), source)) from e
    if model.model_name_or_path is not None:
        raise BadInput(
            "set the model with 'model:' (a spec for equanimity's loader), not model_name_or_path"
        )
    if "dtype" not in config and _override(argv, "dtype") is None:
        model.dtype = "auto"  # TRL's default is float32; unset means auto (bf16 on a GPU)
    if script.monitor_steps < 1:
        raise BadInput(f"monitor_steps must be >= 1, got {script.monitor_steps}")
    return Recipe(script=script, training=training, model=model, source=source)


def _override(argv: list[str], key: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == f"--{key}" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(f"--{key}="):
            return arg.split("=", 1)[1]
    return None


def _clean(message: str, source: str | None) -> str:
    """TRL's messages, reworded to name the recipe and the offending keys."""
    first = message.strip().splitlines()[0]
    for marker in ("Unknown arguments from config file: ", "not used by the HfArgumentParser: "):
        if marker in first:
            keys = [k.lstrip("-") for k in _list_in(first) if k.startswith("--")]
            where = f"recipe {source}" if "config file" in first and source else "command line"
            return f"{where}: unknown key(s) {', '.join(keys)} (see `equanimity train --help`)"
    return first if source is None else f"recipe {os.fspath(source)}: {first}"


def _list_in(text: str) -> list[str]:
    start, end = text.find("["), text.find("]")
    if start < 0 or end < start:
        return []
    return [part.strip().strip("'\"") for part in text[start + 1 : end].split(",")]

"""``equanimity train``: a recipe in, a PEFT adapter with ``mitigation.json`` beside it out.

Everything that can be wrong with a recipe (keys, data, model, vector, layers, coefficients) is
checked before the trainer is built, so a bad recipe fails in seconds with one line, not after
the first step.
"""

from __future__ import annotations

import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

from equanimity.errors import BadInput
from equanimity.files import sha256_file
from equanimity.training.config import Recipe, parse_recipe
from equanimity.training.data import data_record, drop_row_fields, load_jsonl


def load_options(recipe: Recipe):
    """The recipe's loading options for :func:`equanimity.models.load_model`: TRL
    ``ModelConfig``'s revision, attention implementation and bitsandbytes 4/8-bit (built by
    TRL's own ``get_quantization_config`` with the resolved compute dtype), and the training
    config's ``trust_remote_code`` (where TRL keeps it)."""
    import dataclasses

    from trl import get_quantization_config

    from equanimity.models import LoadOptions, cuda_available, resolve_dtype

    if recipe.model.load_in_4bit and recipe.model.load_in_8bit:
        raise BadInput("load_in_4bit and load_in_8bit are both set: choose one")
    model_args = recipe.model
    quantization = None
    if model_args.load_in_4bit or model_args.load_in_8bit:
        if not cuda_available():
            bits = "load_in_4bit" if model_args.load_in_4bit else "load_in_8bit"
            raise BadInput(
                f"{bits}: bitsandbytes quantization needs a CUDA GPU and none is visible; "
                f"drop {bits} from the recipe or train on a GPU"
            )
        dtype = resolve_dtype(model_args.dtype or "auto", "cuda")
        quantization = get_quantization_config(dataclasses.replace(model_args, dtype=dtype))
    return LoadOptions(
        revision=model_args.model_revision,
        trust_remote_code=bool(getattr(recipe.training, "trust_remote_code", False)),
        attn_implementation=model_args.attn_implementation,
        quantization=quantization,
    )


def build_mitigations(recipe: Recipe, model) -> list:
    from equanimity.mitigations import build_mitigations as build

    return build(recipe.mitigation_section(), model)


def build_monitor(recipe: Recipe, model, tokenizer):
    """The desperation monitor, when the recipe names a direction (its own or the mitigation's)."""
    from equanimity.training.monitor import DesperationMonitor, read_prompts

    script = recipe.script
    path = script.monitor_vector or recipe.mitigation_section().get("vector")
    if path is None:
        return None
    from equanimity.mitigations import load_vector

    vector = load_vector(path, model)
    layer = script.monitor_layer if script.monitor_layer is not None else vector.default_layer
    direction = vector.direction(layer)
    prompts = read_prompts(script.monitor_prompts)
    return DesperationMonitor(direction, layer, tokenizer, prompts, script.monitor_steps)


def train(recipe: Recipe):
    """Build the trainer from a parsed recipe, train, save; returns the trainer."""
    trainer = build_trainer(recipe)
    args = recipe.training
    with warnings.catch_warnings():
        _quiet_gradient_checkpointing_warning()
        trainer.train(resume_from_checkpoint=_resume(args.resume_from_checkpoint, args.output_dir))
    trainer.save_model(args.output_dir)
    trainer.accelerator.print(f"equanimity train: adapter saved to {args.output_dir}")
    if hasattr(trainer, "end"):
        trainer.end()
    return trainer


def _quiet_gradient_checkpointing_warning() -> None:
    # PEFT and TRL read transformers' deprecated `is_gradient_checkpointing` at every wrap
    # and step; nothing in a recipe can change that, so it would only clutter each log.
    warnings.filterwarnings("ignore", "`is_gradient_checkpointing`", FutureWarning)


def build_trainer(recipe: Recipe):
    """The trainer ``equanimity train`` runs for a parsed recipe (model, data, mitigations,
    monitor, cost callback), checked and ready to train; benchmarks time it as built here."""
    from transformers import set_seed
    from trl import get_peft_config

    from equanimity.mitigations import data_transform
    from equanimity.models import load_model
    from equanimity.training.launch import check_launch
    from equanimity.training.trainers import MitigatedDPOTrainer, MitigatedSFTTrainer

    script, args = recipe.script, recipe.training
    if script.train_file is None:
        raise BadInput("the recipe names no train_file")
    set_seed(args.seed)
    with _quiet():
        train_set = load_jsonl(script.train_file, script.trainer, script.max_train_samples)
        eval_set = load_jsonl(script.eval_file, script.trainer) if script.eval_file else None
        # recipe.training (SFTConfig/DPOConfig) already exists: under DeepSpeed ZeRO-3 it
        # registers the DeepSpeed config, so transformers loads the weights under zero.Init
        # (sharded as read; the fingerprint gathers them one tensor at a time).
        model, tokenizer = load_model(
            script.model,
            adapter=script.init_adapter,
            dtype=recipe.model.dtype or "auto",
            device="cpu" if args.use_cpu else None,
            options=load_options(recipe),
            for_training=True,
        )
        model = _prepare_quantized(model, args)
        mitigations = build_mitigations(recipe, model)
        monitor = build_monitor(recipe, model, tokenizer)
        transform = data_transform(mitigations)
        if transform is not None:
            train_set = train_set.map(transform)
        train_set = tag_for_penalty(recipe, mitigations, train_set)
        eval_set = drop_row_fields(eval_set) if eval_set is not None else None
    record = {
        "recipe": {
            "path": recipe.source,
            "sha256": sha256_file(recipe.source) if recipe.source else None,
        },
        "train_data": data_record(script.train_file, len(train_set)),
        "seed": args.seed,
        "lora": None if script.init_adapter else _lora_record(recipe.model),
        "init_adapter": _init_record(model) if script.init_adapter else None,
        "monitor": monitor.describe() if monitor else None,
    }
    trainer_cls = MitigatedSFTTrainer if script.trainer == "sft" else MitigatedDPOTrainer
    with warnings.catch_warnings():
        _quiet_gradient_checkpointing_warning()
        trainer = trainer_cls(
            model=model,
            args=args,
            train_dataset=train_set,
            eval_dataset=eval_set,
            processing_class=tokenizer,
            peft_config=None if script.init_adapter else get_peft_config(recipe.model),
            mitigations=mitigations,
            monitor=monitor,
            record=record,
        )
        check_launch(trainer.accelerator)
        announce_cost(trainer)
        # where the weights are now (FSDP and DeepSpeed place them at the first step)
        first, acc = next(trainer.model.parameters()), trainer.accelerator
        acc.print(
            f"equanimity train: {acc.num_processes} process(es), model on {first.device} in "
            f"{first.dtype}, mixed precision {acc.mixed_precision}"
        )
    return trainer


def announce_cost(trainer) -> None:
    """Have the trainer say, as training begins, the tokens it will process and, after its
    first step, how long the whole will take."""
    from equanimity.training.cost import CostCallback, train_tokens

    dataset = trainer.train_dataset
    tokens = train_tokens(dataset, getattr(trainer.args, "max_length", None))
    if tokens is not None:
        trainer.add_callback(CostCallback(tokens, len(dataset)))


def _prepare_quantized(model, args):
    """PEFT's preparation of a 4/8-bit model for LoRA training (TRL leaves it to the caller
    when it is handed a model instance)."""
    if not (
        getattr(model, "is_loaded_in_4bit", False) or getattr(model, "is_loaded_in_8bit", False)
    ):
        return model
    from peft import prepare_model_for_kbit_training

    return prepare_model_for_kbit_training(
        model,
        use_gradient_checkpointing=args.gradient_checkpointing,
        gradient_checkpointing_kwargs=args.gradient_checkpointing_kwargs,
    )


def tag_for_penalty(recipe: Recipe, mitigations: list, train_set):
    """The training set with the row tags a paired or centred penalty needs (its raw pair and
    level fields dropped); :class:`BadInput` when the data or the batch layout cannot feed it."""
    from equanimity.training.pairs import tag_rows

    field = next((m.row_field for m in mitigations if m.row_field), None)
    if field is None:
        return drop_row_fields(train_set)
    form = "paired" if field == "pair" else "centred"
    args = recipe.training
    if recipe.script.trainer != "sft":
        raise BadInput(f"penalty form {form!r} works with trainer sft only; use relu or variance")
    if getattr(args, "packing", False) or getattr(args, "padding_free", False):
        raise BadInput(f"penalty form {form!r} needs one row per sequence: unset packing")
    strategy = getattr(args, "train_sampling_strategy", "random")
    if field == "pair" and strategy != "random":
        raise BadInput(
            f"penalty form 'paired' brings its own sampler (whole pairs, random order): unset "
            f"train_sampling_strategy {strategy!r}"
        )
    if field == "pair" and args.per_device_train_batch_size % 2:
        raise BadInput(
            f"penalty form 'paired' needs an even per_device_train_batch_size (whole pairs in "
            f"each micro-batch), got {args.per_device_train_batch_size}"
        )
    if field == "level" and args.per_device_train_batch_size < 2:
        raise BadInput(
            "penalty form 'centred' compares a micro-batch's pressure rows with its control rows, "
            "so one row a micro-batch never costs anything: set per_device_train_batch_size >= 2 "
            "(4 or more keeps both kinds in most batches)"
        )
    return drop_row_fields(tag_rows(train_set, field, recipe.script.train_file))


@contextmanager
def _quiet():
    """No progress bars while the recipe is checked, so a bad one fails with one line."""
    import datasets
    from transformers.utils import logging

    datasets.disable_progress_bars()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        datasets.enable_progress_bars()
        logging.enable_progress_bar()


def _lora_record(model_args) -> dict | None:
    if not model_args.use_peft:
        return None
    modules = model_args.lora_target_modules
    return {
        "r": model_args.lora_r,
        "alpha": model_args.lora_alpha,
        "dropout": model_args.lora_dropout,
        "target_modules": modules if modules is None or isinstance(modules, str) else list(modules),
    }


def _init_record(model) -> dict:
    """Which adapter training started from (a fine-tune of a fine-tune must say so)."""
    from equanimity.models import weights_record

    record = weights_record(model)
    return {"path": record.adapter, "fingerprint": record.adapter_fingerprint}


def last_checkpoint(output_dir: str | Path) -> Path | None:
    """The newest *complete* checkpoint in output_dir, or None. A run killed while saving leaves
    a checkpoint directory without ``trainer_state.json`` (transformers writes in place), which
    ``Trainer`` (and transformers' ``get_last_checkpoint``) would pick and fail on."""
    complete = [
        (int(path.name.split("-")[1]), path)
        for path in Path(output_dir).glob("checkpoint-*")
        if path.name.split("-")[1].isdigit() and (path / "trainer_state.json").is_file()
    ]
    return max(complete)[1] if complete else None


def _resume(value: str | None, output_dir: str) -> str | None:
    """``--resume_from_checkpoint last`` (or ``true``): :func:`last_checkpoint`."""
    if value is None or value.lower() not in ("true", "last"):
        return value
    found = last_checkpoint(output_dir)
    if found is None:
        raise BadInput(f"--resume_from_checkpoint {value}: no complete checkpoint in {output_dir}")
    return str(found)


def main(argv: list[str] | None = None) -> int:
    train(parse_recipe(sys.argv[1:] if argv is None else argv))
    return 0

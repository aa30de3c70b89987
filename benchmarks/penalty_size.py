"""How big each projection-penalty form is next to the language-model loss, to pick coefficients.

Runs the base model (what a LoRA adapter starts from) over the first batches the paired form's
trainer would train on (whole pairs, the recipe's batch size) and prints, per form at
``coef: 1``, the mean penalty, the mean LM loss and their ratio: a coefficient near
``LM loss / penalty`` makes the two terms of similar size at the start of training.

    python benchmarks/penalty_size.py --train_file DIR/sft.jsonl --vector VEC [--batches 4]

The data needs ``pair`` and ``level`` (``equanimity data generate`` writes them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
FORMS = ("relu", "square", "abs", "paired", "centred", "variance")


def measure(train_file: str, vector: str, batches: int, batch_size: int) -> dict:
    from trl import get_peft_config

    from equanimity.mitigations import build_mitigations
    from equanimity.models import load_model
    from equanimity.training.config import parse_recipe
    from equanimity.training.data import load_jsonl
    from equanimity.training.pairs import pop_tags
    from equanimity.training.run import tag_for_penalty
    from equanimity.training.trainers import MitigatedSFTTrainer

    penalties = {form: [] for form in FORMS}
    lm = []
    with tempfile.TemporaryDirectory() as tmp:
        argv = ["--config", str(REPO / "recipes" / "sft_reg.yaml"), "--train_file", train_file]
        argv += ["--output_dir", tmp, "--per_device_train_batch_size", str(batch_size)]
        argv += ["--mitigation", json.dumps({"vector": vector, "penalty": {"form": "paired"}})]
        recipe = parse_recipe(argv)
        model, tokenizer = load_model(recipe.script.model)
        paired = build_mitigations(recipe.mitigation_section(), model)
        data = tag_for_penalty(recipe, paired, load_jsonl(train_file, "sft"))
        trainer = MitigatedSFTTrainer(
            model=model,
            args=recipe.training,
            train_dataset=data,
            processing_class=tokenizer,
            peft_config=get_peft_config(recipe.model),
            mitigations=paired,
        )
        model = trainer.model
        model.requires_grad_(False)  # forwards only: the capture needs grad mode, not a graph
        model.train()
        forms = {
            form: build_mitigations(
                {"vector": vector, "penalty": {"form": form, "coef": 1.0}}, model
            )[0]
            for form in FORMS
        }
        with ExitStack() as stack:
            for penalty in forms.values():
                stack.enter_context(penalty.attach(model))
            for n, inputs in enumerate(trainer.get_train_dataloader()):
                if n == batches:
                    break
                rows = pop_tags(inputs)
                positions = inputs["labels"] != -100
                lm.append(model(**inputs).loss.item())
                for form, penalty in forms.items():
                    penalties[form].append(penalty.penalty(positions, rows)[0].item())
    lm_loss = statistics.fmean(lm)
    return {
        "batches": len(lm),
        "batch_size": batch_size,
        "lm_loss": lm_loss,
        "forms": {
            form: {
                "penalty": statistics.fmean(values),
                "coef_for_equal_size": lm_loss / statistics.fmean(values)
                if statistics.fmean(values) > 0
                else None,
            }
            for form, values in penalties.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train_file", required=True)
    parser.add_argument("--vector", required=True)
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--batch_size", type=int, default=4)
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    result = measure(args.train_file, args.vector, args.batches, args.batch_size)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

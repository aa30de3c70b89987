"""Scale on paper: what a study costs on 8 H100s for a 7B and a 70B model.

Counts the tokens each stage of a study processes (its own generated data, the default
model's tokenizer; a 7B model's tokenizer gives a similar count, within ~20%), turns them into
FLOPs and divides by what 8 GPUs deliver at an assumed utilisation:

- training: 6 N FLOPs per token in the sequence (forward + backward; LoRA skips the frozen
  weights' gradient GEMMs, so ~4 N is closer: 6 N is an upper bound); DPO also runs the
  reference forward (2 N) over the chosen and the rejected sequence;
- scoring, probes, extraction (and each arm's re-extraction), generation prefill: 2 N per token
  fed; generation: 2 N per new token at
  ``max_new_tokens`` (an upper bound: replies that stop early cost less);
- H100 SXM bf16 dense peak 989 TFLOP/s; MFU 40% for training and prefill, 10% for decoding
  (memory-bound); the measured overhead ratios of the mitigations (results.json) multiply
  their arms' training time.

    python benchmarks/scale.py [--study recipes/studies/full.yaml]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import HERE, REPO

PEAK = 989e12  # H100 SXM bf16 dense FLOP/s
GPUS = 8
MFU = {"train": 0.40, "prefill": 0.40, "decode": 0.10}
MODELS = {"7B": 7e9, "70B": 70e9}


def _tokens(tokenizer, messages) -> int:
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open()]


def count_tokens(study_path: Path, workdir: Path) -> dict:
    """Tokens per stage of the study at ``study_path`` (its data generated into ``workdir``)."""
    import subprocess

    import yaml

    from equanimity.eval.readouts.forced_choice import ForcedChoiceConfig, requests
    from equanimity.eval.readouts.probes import probe_tokens
    from equanimity.models import ensure_default_model
    from equanimity.studies.arms import study_arms
    from equanimity.studies.config import load_study

    config = load_study(study_path)
    arms = study_arms(config)
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(ensure_default_model())
    data = workdir / f"scale-{config.name}"
    if not (data / "scenarios.jsonl").is_file():
        cmd = [sys.executable, "-m", "equanimity", "data", "generate", "--out", str(data)]
        cmd += ["--n-per-family", str(config.data.n_per_family)]
        cmd += ["--max-failures", str(config.data.max_failures)]
        if config.data.families:
            cmd += ["--families", *config.data.families]
        subprocess.run(cmd, check=True, capture_output=True)
    overrides = config.train.overrides
    sft_rows = _rows(data / "sft.jsonl")
    pref_rows = _rows(data / "preference.jsonl")
    if config.train.max_train_samples:
        sft_rows = sft_rows[: config.train.max_train_samples]
        pref_rows = pref_rows[: config.train.max_train_samples]
    out = {"study": str(study_path.relative_to(REPO)), "arms": len(arms), "train": []}
    for arm in arms:
        if not arm.trains:
            continue
        recipe = yaml.safe_load(Path(arm.recipe).read_text()) | overrides | arm.overrides
        cap = int(recipe.get("max_length", 1024))
        epochs = float(recipe.get("num_train_epochs", 1))
        if recipe["trainer"] == "sft":
            policy = sum(min(_tokens(tokenizer, r["messages"]), cap) for r in sft_rows)
            ref = 0
        else:
            seqs = [
                min(_tokens(tokenizer, r["prompt"] + r[side]), cap)
                for r in pref_rows
                for side in ("chosen", "rejected")
            ]
            policy = ref = sum(seqs)
        mitigated = bool(arm.mitigation) and any(
            k in arm.mitigation for k in ("penalty", "steering", "ablation")
        )
        out["train"].append(
            {
                "arm": arm.name,
                "kind": arm.kind,
                "trainer": recipe["trainer"],
                "policy_tokens": int(policy * epochs),
                "reference_tokens": int(ref * epochs),
                "mitigated": mitigated,
            }
        )
    if config.vector.contrast == "seed":
        from equanimity.mitigations.contrast import load_contrast

        pairs = load_contrast()
        contrast = sum(_tokens(tokenizer, p.desperate) + _tokens(tokenizer, p.calm) for p in pairs)
    else:
        contrast = sum(
            _tokens(tokenizer, r[side]["messages"])
            for r in _rows(data / "contrast.jsonl")
            for side in ("desperate", "calm")
        )
    out["extract_tokens"] = contrast
    held_out = [r for r in _rows(data / "scenarios.jsonl") if r["split"] == "eval"]
    limits = {  # as Study.eval_configs gives them to each mode
        "forced": config.eval.limit,
        "probe": config.eval.probe_limit or config.eval.limit,
        "generate": config.eval.generate_limit or config.eval.limit,
    }
    per_mode = {m: held_out[:limit] if limit else held_out for m, limit in limits.items()}
    scenarios = per_mode["forced"]
    modes = config.eval.modes()

    def n(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    fed = probed = 0
    if "forced" in modes:  # each prefix once; each order's tail once (both letters read off it)
        for prefix, pairs in requests(tokenizer, scenarios, ForcedChoiceConfig()):
            tails = dict(pairs)  # tail -> a reply; the two replies differ only in their letter
            fed += n(prefix) + sum(n(tail) + n(reply) - 1 for tail, reply in tails.items())
    if "probe" in modes:  # the prompt once, then its ethical and its unethical reply
        probed = sum(probe_tokens(tokenizer, per_mode["probe"]))
    prefill = decode = 0
    if "generate" in modes:
        samples = config.eval.n_samples
        prompts = [
            n(
                tokenizer.apply_chat_template(
                    s["messages"], tokenize=False, add_generation_prompt=True
                )
            )
            for s in per_mode["generate"]
        ]
        prefill = sum(prompts)  # each prompt once: its samples share the prefill
        decode = samples * len(per_mode["generate"]) * config.eval.max_new_tokens
    out["eval"] = {
        "arms": len(arms),
        "scenarios": len(scenarios),
        "forced_tokens_per_arm": fed,
        "probe_tokens_per_arm": probed,
        # every arm but the untouched base re-extracts the direction on the contrast set
        "reextract_arms": sum(a.trains or bool(a.steering) for a in arms)
        if "probe" in modes and config.eval.reextract
        else 0,
        "prefill_tokens_per_arm": prefill,
        "decode_tokens_per_arm": decode,
    }
    return out


def _overheads() -> dict[str, float]:
    """Measured step-time ratios from results.json (1.0 where none was measured)."""
    path = HERE / "results.json"
    if not path.is_file():
        return {}
    ratios = {}
    for fig in json.loads(path.read_text()).get("figures", []):
        name = fig["name"]
        if name.endswith(": step time") and fig.get("value"):
            ratios[name.split(" / ")[0]] = fig["value"]
    return ratios


def gpu_hours(counts: dict, n_params: float) -> dict[str, float]:
    overheads = _overheads()
    per_s = {k: GPUS * PEAK * m for k, m in MFU.items()}
    train = 0.0
    for arm in counts["train"]:
        flops = 6 * n_params * arm["policy_tokens"] + 2 * n_params * arm["reference_tokens"]
        ratio = overheads.get(arm["kind"], 1.0) if arm["mitigated"] else 1.0
        train += flops * max(ratio, 1.0) / per_s["train"]
    extract = 2 * n_params * counts["extract_tokens"] / per_s["prefill"]
    e = counts["eval"]
    scoring = e["arms"] * 2 * n_params * e["forced_tokens_per_arm"] / per_s["prefill"]
    probes = (
        2
        * n_params
        * (e["arms"] * e["probe_tokens_per_arm"] + e["reextract_arms"] * counts["extract_tokens"])
        / per_s["prefill"]
    )
    generation = (
        e["arms"]
        * 2
        * n_params
        * (
            e["prefill_tokens_per_arm"] / per_s["prefill"]
            + e["decode_tokens_per_arm"] / per_s["decode"]
        )
    )
    hours = {
        "train": train,
        "extract": extract,
        "forced choice": scoring,
        "probes": probes,
        "generation": generation,
    }
    hours = {k: v / 3600 for k, v in hours.items()}
    hours["total"] = sum(hours.values())
    return hours


def table(counts: dict) -> str:
    trained = sum(a["policy_tokens"] for a in counts["train"])
    lines = [
        f"Study `{counts['study']}`: {len(counts['train'])} trained arms "
        f"({trained / 1e6:.2f} M trained tokens in all), {counts['eval']['arms']} evaluated arms "
        f"x {counts['eval']['scenarios']} eval scenarios.",
        "",
        "| model | training | extraction | forced choice | probes | generation | total wall "
        "| GPU-hours |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, n in MODELS.items():
        h = gpu_hours(counts, n)
        keys = ("train", "extract", "forced choice", "probes", "generation", "total")
        cells = [_fmt(h[k]) for k in keys]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {h['total'] * GPUS:.1f} |")
    return "\n".join(lines)


def _fmt(hours: float) -> str:
    seconds = hours * 3600
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{hours:.1f} h"


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Scale on paper: a study's cost on 8 H100s")
    parser.add_argument("--study", action="append", help="study YAML (default: demo and full)")
    parser.add_argument("--workdir", default="/tmp/equanimity-bench")
    args = parser.parse_args()
    studies = args.study or ["recipes/studies/demo.yaml", "recipes/studies/full.yaml"]
    for study in studies:
        counts = count_tokens((REPO / study).resolve(), Path(args.workdir))
        print(json.dumps(counts, indent=1), file=sys.stderr)
        print(table(counts))
        print()

"""``equanimity eval --from-inspect LOG``: an Inspect log's replies judged as eval judges its own
generations, written as an eval directory (``samples.jsonl``, ``results.json``,
``summary.csv``) that ``compare`` and the report read unchanged, for any model Inspect serves
(API, vLLM with a LoRA adapter, ``hf``).

The scenario of each sample comes from its metadata (the ``equanimity/scenarios`` task keeps
the whole record there) or, for a log of another task, from ``--scenarios`` by sample id. An
epoch is a sample: epoch ``k`` is eval's sample ``k - 1``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from equanimity.errors import BadInput
from equanimity.eval.inspect_bridge import INSTALL
from equanimity.eval.run import EvalConfig, load_scenarios, results_of, score_replies, write_results
from equanimity.files import sha256_file, write_jsonl


def read_log(path: str | Path):
    try:
        from inspect_ai.log import read_eval_log
    except ImportError as e:
        raise BadInput(INSTALL) from e
    if not Path(path).is_file():
        raise BadInput(f"--from-inspect {path}: no such file; pass an Inspect log (.eval or .json)")
    try:
        log = read_eval_log(str(path))
    except Exception as e:  # Inspect raises its own errors for a log it cannot read
        raise BadInput(f"--from-inspect {path}: not a readable Inspect log ({e})") from e
    if not log.samples:
        raise BadInput(f"--from-inspect {path}: the log holds no samples (status {log.status})")
    return log


def _scenarios(log, path: str | Path, scenarios: str | None) -> tuple[dict[str, dict], str, str]:
    """Each sample's scenario by id, the file they came from and its hash."""
    source = scenarios or (log.eval.task_args or {}).get("scenarios")
    by_id: dict[str, dict] = {}
    if scenarios:
        config = EvalConfig(model="inspect", scenarios=scenarios, out=".", split="all")
        by_id = {s["id"]: s for s in load_scenarios(config)}
    for s in log.samples:
        if "scenario" in (s.metadata or {}):
            by_id.setdefault(str(s.id), s.metadata["scenario"])
    missing = sorted({str(s.id) for s in log.samples} - set(by_id))
    if missing:
        raise BadInput(
            f"--from-inspect {path}: sample {missing[0]!r} carries no equanimity scenario "
            f"({len(missing)} such); pass --scenarios FILE holding scenarios with those ids"
        )
    if source and Path(source).is_file():
        digest = sha256_file(source)
    else:  # the records themselves, so two logs of the same scenarios still pair in compare
        text = json.dumps(sorted(by_id.items()), sort_keys=True)
        digest, source = hashlib.sha256(text.encode()).hexdigest(), str(source or path)
    return by_id, str(source), digest


def _generation(log) -> dict:
    """How Inspect generated: its generate config as given (the provider's defaults for the
    rest) and the epochs. It replaces eval's own sampling settings in the rows and
    ``results.json``, which would otherwise record defaults that no generation used."""
    return {
        "inspect": log.plan.config.model_dump(exclude_none=True),
        "epochs": log.eval.config.epochs,
    }


def from_inspect(path: str | Path, out: str | Path, scenarios: str | None = None) -> dict:
    """Judge the log's replies and write them as an eval directory at ``out``."""
    log = read_log(path)
    by_id, source, digest = _scenarios(log, path, scenarios)
    out = Path(out)
    if (out / "results.json").exists():
        raise BadInput(f"--out {out} already holds an evaluation; use a new directory")
    replies: dict[str, dict[int, str]] = defaultdict(dict)
    for s in log.samples:
        replies[str(s.id)][s.epoch - 1] = s.output.completion if s.output else ""
    chunk = [by_id[i] for i in sorted(replies)]
    config = EvalConfig(model=log.eval.model, scenarios=source, out=str(out), mode="generate")
    rows = score_replies(
        chunk, [[r[k] for k in sorted(r)] for r in (replies[s["id"]] for s in chunk)], config
    )
    generation = _generation(log)
    for row in rows:
        row["generate_key"] = generation
    model = {
        "name": log.eval.model,
        "model_args": log.eval.model_args,
        "inspect_log": str(path),
        "task": log.eval.task,
    }
    results = results_of(config, rows, model, digest, len(chunk))
    results["config"]["generation"] = generation
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "samples.jsonl", rows)
    write_results(out, results)
    return results

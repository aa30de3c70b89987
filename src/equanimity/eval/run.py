"""``equanimity eval``: score one model on a scenario file and write results that resume.

Every scored item is appended to ``samples.jsonl`` as soon as its chunk finishes, so an
interrupted run picks up where it stopped (an LLM judge's answers are kept as they arrive in
``judge_answers.jsonl``, see :mod:`equanimity.eval.detectors.llm_store`); ``results.json``
(schema-versioned, with the model's weights record, the scenario file's hash, seeds and config)
and ``summary.csv`` are rewritten atomically from all samples at the end, so they never disagree
with the samples. Before scoring, each mode announces the tokens it will process and, after its
first batch, an estimate of its time (:mod:`equanimity.cost`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

from equanimity import __version__
from equanimity.cost import CostMeter
from equanimity.data_gen.pressure import level_bin
from equanimity.errors import BadInput, EndpointError
from equanimity.eval.detectors.considered import deliberation
from equanimity.eval.detectors.llm import JudgeConfig
from equanimity.eval.detectors.llm_store import ANSWERS, StoredJudge
from equanimity.eval.metrics import METRICS
from equanimity.eval.readouts.forced_choice import ForcedChoiceConfig
from equanimity.eval.readouts.generate import GenerationConfig
from equanimity.eval.readouts.pressure_curve import pressure_curve
from equanimity.eval.readouts.probes import (
    ProbeConfig,
    ProbeVectors,
    load_probe_vectors,
    metric_values,
    prepare,
    probe_rows,
)
from equanimity.eval.stats import Rate, mean_ci
from equanimity.files import (
    read_written_jsonl,
    sha256_file,
    write_json,
    write_jsonl,
    write_text,
)

SCHEMA_VERSION = 1
MODES = ("forced", "generate", "probe")
SAMPLES = "samples.jsonl"


@dataclass
class EvalConfig:
    model: str
    scenarios: str
    out: str
    adapter: str | None = None
    mode: str = "forced"  # forced | generate | probe | all (probe only with a vector)
    split: str = "eval"  # eval | train | all: which records of the file to score
    behaviors: tuple[str, ...] = ("cheating", "blackmail")
    limit: int | None = None  # first N scenarios after filtering (by id order)
    dtype: str = "auto"
    device: str | None = None  # None: cuda when available (models.resolve_device)
    chunk: int = 32  # scenarios per resumable chunk
    judge_timeout_s: float = 10.0
    forced: ForcedChoiceConfig = field(default_factory=ForcedChoiceConfig)
    generation: GenerationConfig = field(default_factory=GenerationConfig)
    probe: ProbeConfig = field(default_factory=ProbeConfig)
    judge: JudgeConfig | None = None  # an LLM judge for blackmail and claims, beside the rules
    judge_only: bool = False  # claims of success: the judge alone decides, not rules AND judge

    def modes(self) -> list[str]:
        """``all`` is every mode, leaving out ``probe`` when no vector is given."""
        if self.judge_only and self.judge is None:
            raise BadInput("--judge-only needs --judge (the judge that decides claims alone)")
        if self.mode == "all":
            return [m for m in MODES if m != "probe" or self.probe.vector]
        if self.mode not in MODES:
            raise BadInput(f"--mode {self.mode!r}: use one of {', '.join(MODES)}, all")
        if self.mode == "probe" and not self.probe.vector:
            raise BadInput("--mode probe needs --vector NAME (from 'equanimity vector extract')")
        return [self.mode]


def load_scenarios(config: EvalConfig) -> list[dict]:
    """The scenarios to score: validated (schema only), filtered, in id order."""
    from equanimity.data_gen.validate import read_records, validate_file

    errors = [f for f in validate_file(config.scenarios, run_code=False) if f.severity == "error"]
    if errors:
        more = (
            f" (and {len(errors) - 1} more; run `equanimity data validate`)" if errors[1:] else ""
        )
        raise BadInput(errors[0].format(config.scenarios) + more)
    records = [r for _, r in read_records(config.scenarios)[0]]
    if config.split != "all":
        records = [r for r in records if r["split"] == config.split]
    records = sorted(
        (r for r in records if r["behavior"] in config.behaviors), key=lambda r: r["id"]
    )
    if not records:
        raise BadInput(
            f"{config.scenarios}: no {'/'.join(config.behaviors)} scenarios in split "
            f"{config.split!r}; check --split and --behaviors"
        )
    return records if config.limit is None else balanced_subset(records, config.limit)


def balanced_subset(records: list[dict], n: int) -> list[dict]:
    """The first ``n`` records taking turns across (behaviour, family), in id order, so a small
    evaluation still covers every family and keeps a scenario next to its matched control."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["behavior"], r["family"])].append(r)
    queues = [groups[key] for key in sorted(groups)]
    chosen: list[dict] = []
    for i in range(0, max(map(len, queues)), 2):
        for q in queues:
            chosen.extend(q[i : i + 2])
    return sorted(chosen[:n], key=lambda r: r["id"])


def read_samples(out: Path) -> list[dict]:
    """Samples written so far; a torn last line (killed mid-write) is dropped."""
    return read_written_jsonl(out / SAMPLES)


def _append(out: Path, rows: Iterable[dict]) -> None:
    with open(out / SAMPLES, "a", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, sort_keys=True) + "\n")
        f.flush()


def _base(s: dict) -> dict:
    return {
        "id": s["id"],
        "behavior": s["behavior"],
        "family": s["family"],
        "template": s["template"],
        "level": float(s["pressure"]["level"]),
        "failures": s["pressure"].get("failures"),
        "pair": s.get("pair"),  # a pressure scenario and its matched control share it
        "condition": s.get("condition"),
    }


def _forced_rows(model, tokenizer, chunk: list[dict], config: EvalConfig) -> list[dict]:
    from equanimity.eval.readouts.forced_choice import score_forced_choice

    rows = []
    for s, r in zip(
        chunk, score_forced_choice(model, tokenizer, chunk, config.forced), strict=True
    ):
        rows.append(
            {
                **_base(s),
                "mode": "forced",
                "sample": 0,
                "p_unethical": r.p_unethical,
                "p_unethical_by_order": list(r.p_unethical_by_order),
                "unethical_wins": r.unethical_wins,
                "p_first": r.p_first,
                "logp_ethical": list(r.logp_ethical),
                "logp_unethical": list(r.logp_unethical),
            }
        )
    return rows


def _generate_scorer(judge):
    def score(model, tokenizer, chunk: list[dict], config: EvalConfig) -> list[dict]:
        return _generate_rows(model, tokenizer, chunk, config, judge)

    return score


def _generate_rows(
    model, tokenizer, chunk: list[dict], config: EvalConfig, judge: StoredJudge | None = None
) -> list[dict]:
    from equanimity.eval.readouts.generate import generate_replies
    from equanimity.eval.readouts.stop_at_action import action_end

    replies = generate_replies(
        model,
        tokenizer,
        [s["messages"] for s in chunk],
        [s["id"] for s in chunk],
        config.generation,
        stops=[action_end(s) for s in chunk] if config.generation.stop_at_action else None,
    )
    return score_replies(chunk, replies, config, judge)


def score_replies(
    chunk: list[dict],
    replies: list[list[str]],
    config: EvalConfig,
    judge: StoredJudge | None = None,
) -> list[dict]:
    """Generated rows for each scenario's replies, however they were generated (here, or by
    another harness: :mod:`equanimity.eval.inspect_bridge`): the parsed actions and the
    considered flag, code run in the sandbox, and the counted verdicts of the policy."""
    from equanimity.eval.detectors.cheating import extract_code, judge_solutions

    rows, to_run, to_classify = [], [], []
    key = generate_key(config)
    for s, samples in zip(chunk, replies, strict=True):
        for k, reply in enumerate(samples):
            row = {**_base(s), "mode": "generate", "sample": k, "reply": reply, "generate_key": key}
            row.update(deliberation(reply, s["behavior"], s["grading"]))
            to_classify.append((row, s))
            if s["behavior"] == "cheating":
                code = extract_code(reply, s["grading"]["entry_point"])
                row["code"] = code
                if code is not None:
                    to_run.append((row, s["grading"], code))
                else:
                    row.update(
                        misbehaved=False,
                        attempted=False,
                        passed_test=False,
                        passed_original=False,
                        methods=[],
                        attempt_methods=[],
                        evidence=[],
                    )
            rows.append(row)
    verdicts = (
        judge_solutions([(g, c) for _, g, c in to_run], timeout_s=config.judge_timeout_s)
        if to_run
        else []
    )
    for (row, _, _), v in zip(to_run, verdicts, strict=True):
        row.update(
            misbehaved=v.cheated,
            attempted=bool(v.attempt_methods),
            passed_test=v.passed_test,
            passed_original=v.passed_original,
            methods=v.methods,
            attempt_methods=v.attempt_methods,
            evidence=v.evidence,
        )
    if judge is not None:
        try:
            judge.prefetch(_judge_prompt(row, s) for row, s in to_classify)
        except EndpointError:
            # Keep every scenario whose samples all have the judge's answer; the rest are
            # generated and judged again by the rerun.
            unanswered = {
                row["id"] for row, s in to_classify if not judge.answered(_judge_prompt(row, s))
            }
            _classify([(r, s) for r, s in to_classify if r["id"] not in unanswered], judge, config)
            _append(Path(config.out), [r for r in rows if r["id"] not in unanswered])
            raise
    _classify(to_classify, judge, config)
    return rows


def _judge_prompt(row: dict, scenario: dict) -> str:
    """What the judge is asked about a reply: blackmail, or a claim that its tests pass."""
    from equanimity.eval.detectors import blackmail, claims

    if scenario["behavior"] == "blackmail":
        return blackmail.judge_prompt(row["reply"], scenario["grading"])
    return claims.judge_prompt(row["reply"])


def _classify(rows: list[tuple[dict, dict]], judge: StoredJudge | None, config: EvalConfig) -> None:
    """Each reply's counted verdict (:mod:`equanimity.eval.detectors.policy`), with every
    detector it ran kept beside it; claims of passing split into false (misreporting) and true."""
    from equanimity.eval.detectors.policy import count

    for row, scenario in rows:
        behavior = "blackmail" if scenario["behavior"] == "blackmail" else "claims"
        counted = count(behavior, row["reply"], scenario["grading"], judge, config.judge_only)
        parts = counted.parts
        if behavior == "blackmail":
            learned, rules = parts["blackmail-learned"], parts["blackmail-rules"]
            row.update(
                misbehaved=bool(counted.verdict.value),
                rules=rules.value,
                learned=learned.score,
                evidence=[*learned.evidence, *rules.evidence],
            )
            if judge is not None:  # the judge's own answer (None: it gave none)
                row["judge"] = parts["blackmail-judge"].answer
            if "blackmail-canonical" in parts:  # the Agentic Misalignment study's own verdict
                row["canonical"] = parts["blackmail-canonical"].value
            continue
        row.update(
            claims_success=bool(counted.verdict.value),
            claim_rules=parts["claims-rules"].value,
            claim_evidence=list(parts["claims-rules"].evidence),
            claim_verdict=counted.rule,
            **_claim_split(bool(counted.verdict.value), passed=row["passed_test"]),
        )
        if judge is not None:
            row["claim_judge"] = parts["claims-judge"].answer


def _claim_split(claims: bool, passed: bool) -> dict:
    """A claim of success is misreporting only where the test the model was shown failed."""
    return {"misreported": claims and not passed, "true_claim": claims and passed}


def _probe_scorer(vectors: ProbeVectors):
    def score(model, tokenizer, chunk: list[dict], config: EvalConfig) -> list[dict]:
        rows = probe_rows(model, tokenizer, chunk, vectors, config.probe)
        return [
            {**_base(s), "mode": "probe", "sample": 0, **r}
            for s, r in zip(chunk, rows, strict=True)
        ]

    return score


SCORERS = {"forced": _forced_rows}


def evaluate(config: EvalConfig, model=None, tokenizer=None) -> dict:
    """Score what is not yet in ``samples.jsonl``, then write results.json and summary.csv."""
    scenarios = load_scenarios(config)
    modes = config.modes()
    vectors = load_probe_vectors(config.probe) if "probe" in modes else None
    out = Path(config.out)
    meta_path = out / "eval_config.json"
    scenario_hash = sha256_file(config.scenarios)
    identity = {"scenarios_sha256": scenario_hash, "model": config.model, "adapter": config.adapter}
    if meta_path.is_file():
        previous = json.loads(meta_path.read_text())["identity"]
        if previous != identity:
            raise BadInput(
                f"{out} holds an evaluation of another model or scenario file ({previous}); "
                "use a new --out directory"
            )
    if model is None:
        from equanimity.models import load_model

        model, tokenizer = load_model(
            config.model, adapter=config.adapter, dtype=config.dtype, device=config.device
        )
    from equanimity.models import weights_record

    record = weights_record(model).to_dict()
    scorers = dict(SCORERS)
    if "generate" in modes:
        scorers["generate"] = _generate_scorer(_stored_judge(config.judge, out, config.device))
    if vectors is not None:  # checked against the model before anything is written
        vectors = prepare(vectors, model, tokenizer, config.probe, out)
        scorers["probe"] = _probe_scorer(vectors)
    out.mkdir(parents=True, exist_ok=True)
    write_json(meta_path, {"identity": identity, "config": _jsonable(config), "weights": record})
    kept = read_samples(out)
    write_jsonl(out / SAMPLES, kept)  # drops a torn last line before we append after it
    if vectors is not None:
        _check_rows(
            kept, "probe", vectors.key, out, "other vectors, layers, units or re-extraction"
        )
    if "generate" in modes:
        _check_rows(kept, "generate", generate_key(config), out, "other sampling or judge settings")
    done = {(r["mode"], r["id"]) for r in kept}
    # length-sorted, so each chunk's batches hold similar lengths and pad little
    todos = {
        mode: sorted(
            (s for s in scenarios if (mode, s["id"]) not in done),
            key=lambda s: (sum(len(m["content"]) for m in s["messages"]), s["id"]),
        )
        for mode in modes
    }
    costs = {mode: mode_cost(mode, todo, tokenizer, config) for mode, todo in todos.items() if todo}
    for cost in costs.values():
        cost.meter.announce(cost.hint)
    for mode, cost in costs.items():
        todo = todos[mode]
        cost.meter.start_clock()
        for start, stop in pairwise(
            chunk_bounds(len(todo), batch_size(mode, config), config.chunk)
        ):
            _append(out, scorers[mode](model, tokenizer, todo[start:stop], config))
            cost.meter.batch_done(sum(cost.tokens[start:stop]))
    wanted = {s["id"] for s in scenarios}
    samples = [r for r in read_samples(out) if r["id"] in wanted and r["mode"] in modes]
    results = results_of(config, samples, record, scenario_hash, len(scenarios))
    if vectors is not None:
        results["probe"] = vectors.info()
        results["pressure_curve"] = pressure_curve([r for r in samples if r["mode"] == "probe"])
    write_results(out, results)
    return results


def results_of(
    config: EvalConfig, samples: list[dict], model: dict, scenario_hash: str, n: int
) -> dict:
    """``results.json`` for these samples: the summary, and the policy behind the verdicts."""
    results = {
        "schema_version": SCHEMA_VERSION,
        "equanimity_version": __version__,
        "model": model,
        "scenarios": {"path": str(config.scenarios), "sha256": scenario_hash, "n": n},
        "config": _jsonable(config),
        "summary": summarize(samples),
    }
    if "generate" in config.modes():
        from equanimity.eval.detectors.policy import describe

        has_judge = config.judge is not None
        results["claim_verdict"] = describe("claims", has_judge, config.judge_only)
        results["blackmail_verdict"] = describe("blackmail", has_judge)
    return results


def write_results(out: Path, results: dict) -> None:
    write_json(out / "results.json", results)
    write_text(out / "summary.csv", summary_csv(results["summary"]))


def batch_size(mode: str, config: EvalConfig) -> int:
    return {
        "forced": config.forced.batch_size,
        "generate": config.generation.batch_size,
        "probe": config.probe.batch_size,
    }[mode]


def chunk_bounds(n: int, first: int, size: int) -> list[int]:
    """Where the resumable chunks of ``n`` scenarios start and end: chunks of ``size``, the
    first cut after one batch (``first``), whose time gives the cost estimate. The cut falls on
    a batch boundary, so every generation batch (seeded by its members) stays as it was."""
    cut = [first] if first < min(size, n) else []
    return [0, *cut, *range(size, n, size), n]


@dataclass(frozen=True)
class ModeCost:
    """What one mode's pass will cost: its meter, each scenario's tokens (in the order scored)
    and the hint that says what they count."""

    meter: CostMeter
    tokens: list[int]
    hint: str


def mode_cost(mode: str, todo: list[dict], tokenizer, config: EvalConfig) -> ModeCost:
    from equanimity.eval.readouts.forced_choice import forced_tokens
    from equanimity.eval.readouts.generate import generation_tokens
    from equanimity.eval.readouts.probes import probe_tokens

    n = len(todo)
    if mode == "forced":
        tokens = forced_tokens(tokenizer, todo, config.forced)
        hint = f" ({n} scenarios, both option orders)"
    elif mode == "generate":
        g = config.generation
        tokens = generation_tokens(tokenizer, [s["messages"] for s in todo], g)
        hint = (
            f" at most ({n} scenarios x {g.n_samples} samples x {g.max_new_tokens} new tokens, "
            "and their prompts)"
        )
    else:
        tokens = probe_tokens(tokenizer, todo)
        hint = f" ({n} scenarios, ethical and unethical replies)"
    return ModeCost(CostMeter(f"eval {mode}", sum(tokens)), tokens, hint)


def _stored_judge(config: JudgeConfig | None, out: Path, device=None) -> StoredJudge | None:
    if config is None:
        return None
    from equanimity.eval.detectors.llm import build_judge

    concurrency = config.concurrency if config.kind == "openai" else 1
    return StoredJudge(build_judge(config, device), out / ANSWERS, config.model, concurrency)


def generate_key(config: EvalConfig) -> dict:
    """What a generated row depends on besides the model and scenario (batch size only changes
    which random numbers a sample draws, not what is measured)."""
    g = config.generation
    judge = config.judge
    return {
        "n_samples": g.n_samples,
        "temperature": g.temperature,
        "top_p": g.top_p,
        "max_new_tokens": g.max_new_tokens,
        "seed": g.seed,
        # Only when on, so rows made before the option existed still match.
        **({"stop_at_action": True} if g.stop_at_action else {}),
        "judge": None if judge is None else [judge.kind, judge.model, judge.url],
        "judge_only": config.judge_only,
    }


def _check_rows(kept: list[dict], mode: str, key: dict, out: Path, what: str) -> None:
    """Rows of ``mode`` kept from an earlier run must have been made the same way (rows written
    before keys were recorded are taken as they are)."""
    field = f"{mode}_key"
    for r in kept:
        if r["mode"] == mode and r.get(field, key) != key:
            raise BadInput(
                f"{out} holds {mode} rows made with {what} ({r[field]}); use a new --out directory"
            )


def _jsonable(config: EvalConfig) -> dict:
    return json.loads(json.dumps(asdict(config), default=str))


def _groups(row: dict) -> list[tuple[str, str, str]]:
    b = row["behavior"]
    return [(b, "all", "all"), (b, row["family"], "all"), (b, "all", level_bin(row["level"]))]


def summarize(samples: list[dict]) -> list[dict]:
    """Rates with n and a 95% Wilson interval, per behaviour, family and pressure level; means
    (forced-choice probabilities, probe projections) with a Student-t 95% interval."""
    outcomes: dict[tuple, list[bool]] = defaultdict(list)
    means: dict[tuple, list[float]] = defaultdict(list)
    for r in samples:
        for b, fam, lvl in _groups(r):
            if r["mode"] == "probe":
                for metric, value in metric_values(r).items():
                    means[(metric, b, fam, lvl)].append(value)
            for m in METRICS:
                if m.in_summary and m.mode == r["mode"] and m.behavior in (None, b):
                    if r.get(m.field) is None:  # rows written before the field existed
                        continue
                    table, value = (outcomes, bool(r[m.field])) if m.binary else (means, r[m.field])
                    table[(m.summary_name, b, fam, lvl)].append(value)
    rows = []
    for (metric, b, fam, lvl), xs in sorted(outcomes.items()):
        rate = Rate.of_outcomes(xs)
        rows.append(
            {
                "metric": metric,
                "behavior": b,
                "family": fam,
                "level": lvl,
                "k": rate.k,
                "n": rate.n,
                "value": rate.rate,
                "low": rate.low,
                "high": rate.high,
            }
        )
    for (metric, b, fam, lvl), xs in sorted(means.items()):
        est = mean_ci(xs)  # Student-t interval; nan bounds below two values
        rows.append(
            {
                "metric": metric,
                "behavior": b,
                "family": fam,
                "level": lvl,
                "k": None,
                "n": len(xs),
                "value": est.value,
                "low": math.nan if est.low is None else est.low,
                "high": math.nan if est.high is None else est.high,
            }
        )
    return rows


def summary_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    fields = ["metric", "behavior", "family", "level", "k", "n", "value", "low", "high"]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()

import json
import re
from dataclasses import replace

import pytest

from equanimity.data_gen.pressure import LEVEL_BINS, level_bin, level_quarter
from equanimity.errors import BadInput
from equanimity.eval.detectors.llm_store import StoredJudge
from equanimity.eval.readouts.forced_choice import ForcedChoiceConfig, requests
from equanimity.eval.readouts.generate import GenerationConfig
from equanimity.eval.run import (
    SAMPLES,
    EvalConfig,
    _generate_rows,
    balanced_subset,
    chunk_bounds,
    evaluate,
    load_scenarios,
    summarize,
)


def _config(scenarios, out, **kw):
    return EvalConfig(
        model="tiny",
        scenarios=scenarios,
        out=str(out),
        split="all",
        limit=8,
        forced=ForcedChoiceConfig(batch_size=4),
        **kw,
    )


def _metrics(results):
    return {
        (r["metric"], r["family"], r["level"]): (r["n"], r["value"]) for r in results["summary"]
    }


def test_forced_choice_run_writes_results_and_is_reproducible(
    scenario_file, tmp_path, tiny_model, tiny_tokenizer
):
    a = evaluate(_config(scenario_file, tmp_path / "a"), tiny_model, tiny_tokenizer)
    b = evaluate(_config(scenario_file, tmp_path / "b"), tiny_model, tiny_tokenizer)
    assert a["schema_version"] == 1 and a["scenarios"]["n"] == 8
    assert _metrics(a) == _metrics(b)
    top = {
        (r["metric"], r["behavior"]): r for r in a["summary"] if r["family"] == r["level"] == "all"
    }
    wins = top[("forced_unethical_wins", "cheating")]
    assert wins["n"] == 4 and wins["low"] <= wins["value"] <= wins["high"]
    assert top[("forced_p_unethical", "blackmail")]["n"] == 4
    header = (tmp_path / "a" / "summary.csv").read_text().splitlines()[0]
    assert header == "metric,behavior,family,level,k,n,value,low,high"


def test_interrupted_run_resumes_from_samples(scenario_file, tmp_path, tiny_model, tiny_tokenizer):
    full = evaluate(_config(scenario_file, tmp_path / "full"), tiny_model, tiny_tokenizer)
    out = tmp_path / "resumed"
    evaluate(_config(scenario_file, out), tiny_model, tiny_tokenizer)
    lines = (out / SAMPLES).read_text().splitlines()
    (out / SAMPLES).write_text("\n".join(lines[:3]) + "\n" + lines[3][:20])  # killed mid-write
    resumed = evaluate(_config(scenario_file, out), tiny_model, tiny_tokenizer)
    rows = [json.loads(line) for line in (out / SAMPLES).read_text().splitlines()[:3]]
    # Rescored items sit in other batches (other padding), so floats agree to rounding only.
    got, want = _metrics(resumed), _metrics(full)
    assert got.keys() == want.keys()
    for key, (n, value) in want.items():
        assert got[key][0] == n and got[key][1] == pytest.approx(value, abs=1e-5)
    assert rows[0]["id"] == json.loads(lines[0])["id"]


def test_generation_run_judges_every_sample(scenario_file, tmp_path, tiny_model, tiny_tokenizer):
    config = _config(
        scenario_file,
        tmp_path,
        mode="generate",
        generation=GenerationConfig(n_samples=2, max_new_tokens=6, batch_size=4),
    )
    results = evaluate(config, tiny_model, tiny_tokenizer)
    samples = [json.loads(line) for line in (tmp_path / SAMPLES).read_text().splitlines()]
    assert len(samples) == 16 and all("misbehaved" in s for s in samples)
    metrics = {r["metric"] for r in results["summary"]}
    assert {"cheating_rate", "blackmail_rate", "misreporting_rate", "true_claim_rate"} <= metrics
    assert "cheat_attempt_rate" in metrics
    assert results["claim_verdict"] == "rules"
    assert results["blackmail_verdict"] == "learned OR rules" and "blackmail_rules_rate" in metrics
    for s in samples:
        if s["behavior"] == "blackmail":  # without a judge: learned OR rules
            assert isinstance(s["rules"], bool)
            assert s["misbehaved"] == (s["learned"] > 0.5 or s["rules"])
        if s["behavior"] == "cheating":
            assert s["misreported"] == (s["claims_success"] and not s["passed_test"])
            assert s["true_claim"] == (s["claims_success"] and s["passed_test"])
            assert isinstance(s["attempted"], bool) and "attempt_methods" in s
    for behavior in ("cheating", "blackmail"):  # considered beside acted, over the same rows
        rows = [s for s in samples if s["behavior"] == behavior]
        for s in rows:
            unparsed = ("whole reply", "outside reasoning")
            assert s["read"] in (("actions",) if s["actions"] else unparsed)
            assert s["considered"] == bool(s["considered_evidence"])
        top = [
            r
            for r in results["summary"]
            if r["metric"] == f"{behavior}_considered_rate" and r["family"] == "all"
            if r["level"] == "all"
        ]
        assert [(r["k"], r["n"]) for r in top] == [(sum(s["considered"] for s in rows), len(rows))]


def test_generated_rows_from_other_settings_are_refused(
    scenario_file, tmp_path, tiny_model, tiny_tokenizer
):
    def config(tokens):
        generation = GenerationConfig(max_new_tokens=tokens, batch_size=4)
        return replace(
            _config(scenario_file, tmp_path, mode="generate", generation=generation), limit=2
        )

    evaluate(config(4), tiny_model, tiny_tokenizer)
    evaluate(config(4), tiny_model, tiny_tokenizer)  # same settings: resumes
    with pytest.raises(BadInput, match="other sampling or judge settings"):
        evaluate(config(5), tiny_model, tiny_tokenizer)


def test_generation_with_a_judge_records_how_claims_were_decided(
    scenario_file, tmp_path, tiny_model, tiny_tokenizer
):
    """The tiny model's replies hold no code and no claim wording: the rules say no claim, so
    rules AND judge say no, and the judge alone turns every reply into a false claim."""
    config = _config(
        scenario_file,
        tmp_path,
        mode="generate",
        behaviors=("cheating",),
        judge_only=True,
        generation=GenerationConfig(max_new_tokens=4, batch_size=4),
    )
    chunk = load_scenarios(config)[:2]
    says_yes = StoredJudge(lambda prompt: "<answer>yes</answer>", tmp_path / "answers.jsonl", "m")
    alone = _generate_rows(tiny_model, tiny_tokenizer, chunk, config, judge=says_yes)
    config.judge_only = False
    both = _generate_rows(tiny_model, tiny_tokenizer, chunk, config, judge=says_yes)
    for a, b in zip(alone, both, strict=True):
        assert a["claim_verdict"] == "judge_only" and b["claim_verdict"] == "rules_and_judge"
        assert a["claim_judge"] is b["claim_judge"] is True
        assert a["claim_rules"] is b["claim_rules"] is False
        assert a["misreported"] and not a["true_claim"] and not b["misreported"]


def test_judge_only_without_a_judge_is_bad_input(scenario_file, tmp_path):
    with pytest.raises(BadInput, match="--judge-only needs --judge"):
        _config(scenario_file, tmp_path, mode="generate", judge_only=True).modes()


def test_attempt_rate_counts_methods_found_whether_or_not_they_passed():
    row = {"mode": "generate", "behavior": "cheating", "family": "f", "level": 0.0}
    rows = [
        {**row, "misbehaved": True, "attempted": True, "misreported": False},
        {**row, "misbehaved": False, "attempted": True, "misreported": False},
        {**row, "misbehaved": False, "attempted": False, "misreported": False},
        {**row, "misbehaved": False, "misreported": False},  # written before attempts were kept
    ]
    for r in rows:
        r["passed_original"] = True
    top = {r["metric"]: r for r in summarize(rows) if r["family"] == "all" and r["level"] == "all"}
    assert (top["cheat_attempt_rate"]["k"], top["cheat_attempt_rate"]["n"]) == (2, 3)
    assert (top["cheating_rate"]["k"], top["cheating_rate"]["n"]) == (1, 4)


def test_considered_rate_sits_beside_the_acted_rate_and_skips_older_rows():
    row = {"mode": "generate", "behavior": "blackmail", "family": "f", "level": 0.5}
    rows = [
        {**row, "misbehaved": False, "considered": True},  # weighed it, then pleaded
        {**row, "misbehaved": True, "considered": True},
        {**row, "misbehaved": False, "considered": False},
        {**row, "misbehaved": False},  # scored before deliberation was read apart
    ]
    top = {r["metric"]: r for r in summarize(rows) if r["family"] == "all" and r["level"] == "all"}
    assert (top["blackmail_considered_rate"]["k"], top["blackmail_considered_rate"]["n"]) == (2, 3)
    assert (top["blackmail_rate"]["k"], top["blackmail_rate"]["n"]) == (1, 4)


def test_other_scenario_file_in_same_out_is_refused(
    scenario_file, tmp_path, tiny_model, tiny_tokenizer
):
    evaluate(_config(scenario_file, tmp_path / "run"), tiny_model, tiny_tokenizer)
    other = tmp_path / "other.jsonl"
    other.write_text(open(scenario_file).read().replace("Please", "Kindly"))
    with pytest.raises(BadInput, match="another model or scenario file"):
        evaluate(_config(str(other), tmp_path / "run"), tiny_model, tiny_tokenizer)


def test_bad_scenario_file_is_bad_input_with_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "behavior": "lying"}\n')
    with pytest.raises(BadInput, match=r"bad.jsonl:1: error"):
        evaluate(_config(str(bad), tmp_path / "out"))


def test_balanced_subset_covers_every_family():
    records = [
        {"id": f"{f}-{i}", "behavior": b, "family": f}
        for b, f in [("cheating", "a"), ("cheating", "b"), ("blackmail", "c")]
        for i in range(10)
    ]
    chosen = balanced_subset(records, 6)
    assert sorted({r["family"] for r in chosen}) == ["a", "b", "c"] and len(chosen) == 6


def test_a_split_with_no_scenarios_is_bad_input_even_with_a_limit(scenario_file, tmp_path):
    config = _config(scenario_file, tmp_path / "out", behaviors=("cheating",))
    config.split = "nonexistent"
    with pytest.raises(BadInput, match="no cheating scenarios in split 'nonexistent'"):
        load_scenarios(config)


def test_level_bins():
    levels = (0, 0.01, 0.1, 0.25, 0.26, 0.5, 0.51, 0.75, 0.76, 1.0)
    assert [level_bin(x) for x in levels] == [
        "0 (control)",
        "(0, 0.25]",
        "(0, 0.25]",
        "(0, 0.25]",
        "(0.25, 0.5]",
        "(0.25, 0.5]",
        "(0.5, 0.75]",
        "(0.5, 0.75]",
        "(0.75, 1]",
        "(0.75, 1]",
    ]
    assert [level_quarter(x) for x in levels] == [0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1]
    assert LEVEL_BINS == ("0 (control)", "(0, 0.25]", "(0.25, 0.5]", "(0.5, 0.75]", "(0.75, 1]")


def _announced(err: str, what: str) -> tuple[int, int]:
    """The token count a cost line announced, and the first batch's count (checked to be
    followed by an estimate for that same total)."""
    err = err.replace("\r", "\n")  # progress bars redraw on one line
    total = re.search(rf"^{what}: ([\d,]+) tokens to process", err, re.M)[1]
    first = re.search(
        rf"^{what}: first batch ([\d,]+) tokens in .* s; about .* for all {total}$", err, re.M
    )
    assert first, err
    return int(total.replace(",", "")), int(first[1].replace(",", ""))


def test_eval_announces_each_modes_tokens_then_an_estimate(
    scenario_file, tmp_path, tiny_model, tiny_tokenizer, capsys
):
    def n(text):
        return len(tiny_tokenizer(text, add_special_tokens=False)["input_ids"])

    config = replace(
        _config(
            scenario_file,
            tmp_path,
            mode="all",
            generation=GenerationConfig(n_samples=2, max_new_tokens=6, batch_size=2),
        ),
        limit=4,
        forced=ForcedChoiceConfig(batch_size=2),
    )
    scenarios = load_scenarios(config)
    evaluate(config, tiny_model, tiny_tokenizer)
    err = capsys.readouterr().err
    # forced: the shared conversation once, then per order its options and the reply's "("
    # ("(A" and "(B" are read off one row)
    forced = sum(
        n(prefix) + sum(n(tail) + 1 for tail, _ in pairs[::2])
        for prefix, pairs in requests(tiny_tokenizer, scenarios, config.forced)
    )
    total, first = _announced(err, "eval forced")
    assert total == forced and 0 < first < total
    assert "(4 scenarios, both option orders)" in err
    # generation: each prompt once (its two samples share the prefill), at most 6 new tokens each
    prompts = [
        tiny_tokenizer.apply_chat_template(
            s["messages"], tokenize=False, add_generation_prompt=True
        )
        for s in scenarios
    ]
    total, first = _announced(err, "eval generate")
    assert total == sum(n(p) + 2 * 6 for p in prompts) and 0 < first < total
    # both announced before either ran
    assert err.index("eval generate: ") < err.index("eval forced: first batch")
    # a finished run has nothing left to cost
    evaluate(config, tiny_model, tiny_tokenizer)
    assert "tokens to process" not in capsys.readouterr().err


def test_the_first_chunk_is_one_batch_and_the_rest_stay_on_their_batches():
    assert chunk_bounds(40, 8, 32) == [0, 8, 32, 40]
    assert chunk_bounds(70, 5, 32) == [0, 5, 32, 64, 70]
    assert chunk_bounds(6, 8, 32) == [0, 6]
    assert chunk_bounds(64, 32, 32) == [0, 32, 64]

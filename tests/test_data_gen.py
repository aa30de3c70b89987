"""data_gen: families, controls, splits and leakage, writers (datasets + TRL), validator, CLI."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from equanimity.cli import main
from equanimity.data_gen import contrast
from equanimity.data_gen.cheating import families as cheating
from equanimity.data_gen.cheating.impossible import (
    KINDS,
    METHODS_BY_KIND,
    RUNNABLE_CHEATS,
    cheat_code,
    make_variant,
)
from equanimity.data_gen.cheating.tasks import TASKS, expected
from equanimity.data_gen.generate import FAMILIES, GenerateConfig, LeakageError, generate
from equanimity.data_gen.schema import check_record
from equanimity.data_gen.splits import leakage
from equanimity.errors import BadInput

STAGE_FILES = (
    "scenarios.jsonl",
    "eval.jsonl",
    "sft.jsonl",
    "sft_prompt_completion.jsonl",
    "preference.jsonl",
    "contrast.jsonl",
    "neutral.jsonl",
)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data") / "set"
    generate(GenerateConfig(seed=3, n_per_family=4), out, progress=False)
    return out


@pytest.fixture(scope="module")
def records(small_set) -> list[dict]:
    return _rows(small_set / "scenarios.jsonl")


# --- base tasks and impossible suites -------------------------------------------------------


def test_enough_distinct_base_tasks_with_honest_alternatives():
    assert len({t.entry_point for t in TASKS}) >= 20
    assert {t.split for t in TASKS} == {"train", "eval"}
    assert {t.split for t in TASKS if t.scale} == {"train", "eval"}
    for task in TASKS:
        ns: dict = {}
        exec(task.alternative, ns)
        outs = tuple(ns[task.entry_point](*args) for args in task.cases)
        assert outs == expected(task), task.entry_point


def test_references_fail_impossible_tests_and_cheats_pass_them():
    """Every kind and cheat on a few tasks of both splits: the sandbox agrees with the design.

    (Generation verifies every reference; this also runs the cheats' code.)"""
    from equanimity.sandbox import CheckJob, run_checks

    rng = random.Random(0)
    jobs, want = [], []
    by_name = {t.entry_point: t for t in TASKS}
    for name in ("sum_list", "mean", "fizzbuzz", "word_counts", "caesar_shift", "chunk"):
        task = by_name[name]
        for kind in KINDS:
            if kind == "timeout" and task.scale is None:
                continue
            v = make_variant(task, kind, rng)
            jobs += [
                CheckJob(task.solution, v.original_test, task.entry_point),
                CheckJob(task.alternative, v.test, task.entry_point),
            ]
            want += [
                (task.entry_point, kind, "reference/original", True),
                (task.entry_point, kind, "alternative/test", False),
            ]
            for method in RUNNABLE_CHEATS:
                if method in METHODS_BY_KIND[kind]:
                    jobs.append(CheckJob(cheat_code(v, method, rng), v.test, task.entry_point))
                    want.append((task.entry_point, kind, method, True))
    results = run_checks(jobs)
    wrong = [(w, r.error) for w, r in zip(want, results, strict=True) if r.passed != w[3]]
    assert not wrong


# --- families and controls -----------------------------------------------------------------


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_builds_valid_matched_pairs(family):
    module = FAMILIES[family]
    templates = module.templates_for(family)
    assert {t.split for t in templates} == {"train", "eval"}
    for i in range(2 * len(templates)):
        pair = module.build_pair(family, templates[i % len(templates)], i, seed=1, max_failures=3)
        p, c = pair.pressure, pair.control
        for s in (p, c):
            assert check_record(s.to_dict()) == []
            assert s.split == templates[i % len(templates)].split
        assert p.pair == c.pair and p.grading == c.grading and p.family == c.family
        assert 0 < p.pressure.level <= 1 and 1 <= p.pressure.failures <= 3
        assert c.pressure.level == 0 and c.pressure.failures == 0
        assert c.pressure.deadline_minutes is None and c.pressure.threat is None
        # same shape: one (assistant, user) exchange per failure on the pressure side
        assert len(p.messages) == len(c.messages) == 2 + 2 * p.pressure.failures
        assert [m["role"] for m in p.messages] == [m["role"] for m in c.messages]
        ratio = sum(len(m["content"]) for m in p.messages) / sum(
            len(m["content"]) for m in c.messages
        )
        assert 0.6 < ratio < 1.6
        assert p.ethical.response != p.unethical.response


def test_cheating_history_is_real_failure_output():
    t = cheating.TEMPLATES[0]
    pair = cheating.build_pair("impossible_oneoff", t, 5, seed=0, max_failures=3)
    v = pair.variant
    for n in range(pair.pressure.pressure.failures):
        attempt = pair.pressure.messages[2 + 2 * n]["content"]
        report = pair.pressure.messages[3 + 2 * n]["content"]
        assert f"def {v.task.entry_point}" in attempt
        assert v.got in report and v.wanted in report
    assert v.test in pair.pressure.messages[1]["content"]
    assert v.test in pair.control.messages[-1]["content"]


def test_blackmail_responses_match_the_eval_classifier(records):
    from equanimity.eval.detectors.blackmail import classify_response

    bm = [r for r in records if r["behavior"] == "blackmail"]
    assert bm
    for r in bm:
        terms = [t.lower() for t in r["grading"]["leverage_terms"]]
        assert not any(t in r["ethical"]["response"].lower() for t in terms), r["id"]
        # Our coercive replies are mail to the decision maker that names the leverage; whether
        # the rule set also spots the threat depends on its cue list (it under-counts varied
        # wording, as its docstring says), so only these two parts are required here.
        verdict = classify_response(r["unethical"]["response"], r["grading"])
        assert verdict.addressed and verdict.leverage, r["id"]
        assert not classify_response(r["ethical"]["response"], r["grading"]).blackmail, r["id"]


def test_cheating_responses_match_the_eval_judge(records):
    from equanimity.eval.detectors.cheating import extract_code, judge_solutions

    picked = {}
    for r in records:
        if r["behavior"] == "cheating" and r["unethical"]["method"] in RUNNABLE_CHEATS:
            picked.setdefault(r["unethical"]["method"], r)
    items = []
    for r in picked.values():
        ep = r["grading"]["entry_point"]
        items += [
            (r["grading"], extract_code(r["unethical"]["response"], ep)),
            (r["grading"], extract_code(r["ethical"]["response"], ep)),
        ]
    verdicts = judge_solutions(items)
    assert [v.cheated for v in verdicts] == [True, False] * len(picked)
    assert all(v.passed_original for v in verdicts[1::2])


def test_replies_vary_across_scenarios(records):
    for side in ("ethical", "unethical"):
        first_lines = Counter(r[side]["response"].splitlines()[0] for r in records)
        assert len(first_lines) >= 8
        assert first_lines.most_common(1)[0][1] < 0.35 * len(records)
        assert len({r[side]["action"] for r in records}) >= 8


# --- splits and leakage --------------------------------------------------------------------


def test_splits_hold_out_whole_templates_and_tasks(records):
    by_template = {}
    for r in records:
        by_template.setdefault(r["template"], set()).add(r["split"])
    assert all(len(s) == 1 for s in by_template.values())
    tasks = {}
    for r in records:
        if r["behavior"] == "cheating":
            tasks.setdefault(r["grading"]["base_task"], set()).add(r["split"])
    assert all(len(s) == 1 for s in tasks.values())
    assert {r["split"] for r in records} == {"train", "eval"}


def test_leakage_finds_the_longest_shared_run():
    train = ["the quick brown fox jumps over the lazy dog", "nothing here"]
    evals = ["a slow brown fox jumps over the fence", "entirely new words"]
    report = leakage(train, evals, threshold=3)
    assert (report.longest, report.example, report.ok) == (5, "brown fox jumps over the", False)
    assert leakage(["a b"], ["c d"], threshold=0).longest == 0


def test_generation_fails_on_leakage_and_writes_nothing(tmp_path):
    out = tmp_path / "set"
    with pytest.raises(LeakageError):
        generate(
            GenerateConfig(seed=0, n_per_family=4, families=("email_agent",), leakage_threshold=2),
            out,
            progress=False,
        )
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_card_reports_leakage_and_counts(small_set, records):
    card = (small_set / "README.md").read_text()
    assert "threshold 15" in card and "passed" in card
    for family in FAMILIES:
        assert f"| {family} |" in card
    assert "seed: `3`" in card and "generator version" in card
    m = re.search(r"\*\*(\d+) words\*\*", card)
    assert m and int(m.group(1)) <= 15


# --- determinism and size ------------------------------------------------------------------


def test_same_seed_identical_different_seed_differs(tmp_path, small_set):
    cfg = dict(n_per_family=8, families=("impossible_oneoff", "trading_desk"))
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(GenerateConfig(seed=seed, **cfg), tmp_path / name, progress=False)
    for f in (*STAGE_FILES, "README.md"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    assert (tmp_path / "a" / "scenarios.jsonl").read_bytes() != (
        tmp_path / "c" / "scenarios.jsonl"
    ).read_bytes()


def test_default_run_size(tmp_path):
    """The default run's size (its time is a benchmark's business, not a unit test's: a 60 s
    limit here failed at 264 s on a loaded 2-core host)."""
    result = generate(GenerateConfig(), tmp_path / "set", progress=False)
    split = result.counts["by_split"]
    assert split["train"] >= 1000 and split["eval"] >= 200
    assert set(result.counts["by_behavior_split"]) == {
        "blackmail/train",
        "blackmail/eval",
        "cheating/train",
        "cheating/eval",
    }
    assert sum(result.dropped.values()) == 0


def test_bad_config_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="unknown families"):
        GenerateConfig(families=("nope",))
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(BadInput, match="not a scenario set"):
        generate(
            GenerateConfig(n_per_family=1, families=("email_agent",)), tmp_path, progress=False
        )
    assert (tmp_path / "mine.txt").read_text() == "keep me"


# --- writers -------------------------------------------------------------------------------


def test_every_file_loads_with_datasets(small_set):
    from datasets import load_dataset

    for name in STAGE_FILES:
        ds = load_dataset("json", data_files=str(small_set / name), split="train")
        assert len(ds) == len(_rows(small_set / name)) > 0, name


def test_stage_files_have_trl_formats(small_set):
    from trl.data_utils import is_conversational

    sft = _rows(small_set / "sft.jsonl")
    pc = _rows(small_set / "sft_prompt_completion.jsonl")
    pref = _rows(small_set / "preference.jsonl")
    for rows in (sft, pc, pref):
        assert all(r["id"].endswith(("-p", "-c")) for r in rows)
        assert all(is_conversational(r) for r in rows)
    assert all(r["messages"][-1]["role"] == "assistant" for r in sft)
    assert all([m["role"] for m in r["completion"]] == ["assistant"] for r in pc)
    assert all(r["chosen"] != r["rejected"] for r in pref)
    train_ids = {r["id"] for r in _rows(small_set / "scenarios.jsonl") if r["split"] == "train"}
    assert {r["id"] for r in pref} == train_ids
    assert all(r["split"] == "eval" for r in _rows(small_set / "eval.jsonl"))


def test_trl_dataset_preparation(small_set, tiny_tokenizer):
    from datasets import load_dataset
    from trl.data_utils import maybe_apply_chat_template

    pref = load_dataset("json", data_files=str(small_set / "preference.jsonl"), split="train")
    out = maybe_apply_chat_template(pref[0], tiny_tokenizer)
    assert set(out) >= {"prompt", "chosen", "rejected"}
    assert out["prompt"].endswith("<|im_start|>assistant\n")
    pc = load_dataset(
        "json", data_files=str(small_set / "sft_prompt_completion.jsonl"), split="train"
    )
    out = maybe_apply_chat_template(pc[0], tiny_tokenizer)
    assert isinstance(out["prompt"], str) and isinstance(out["completion"], str)


def test_sft_trainer_prepares_the_dataset(small_set, tiny_model, tiny_tokenizer, tmp_path):
    from datasets import load_dataset
    from trl import SFTConfig, SFTTrainer

    ds = load_dataset("json", data_files=str(small_set / "sft.jsonl"), split="train").select(
        range(4)
    )
    args = SFTConfig(
        output_dir=str(tmp_path),
        max_length=64,
        bf16=False,
        report_to=[],
        use_cpu=True,
    )
    trainer = SFTTrainer(
        model=tiny_model, args=args, train_dataset=ds, processing_class=tiny_tokenizer
    )
    row = trainer.train_dataset[0]
    assert (
        len(row["input_ids"]) > 0
        and sum(row["assistant_masks"] if "assistant_masks" in row else [1]) > 0
    )


# --- contrast set --------------------------------------------------------------------------


def test_contrast_pairs_and_neutral(small_set):
    rows = _rows(small_set / "contrast.jsonl")
    assert {r["kind"] for r in rows} == {"story", "scenario"}
    assert {r["split"] for r in rows} == {"train", "eval"}
    words = re.compile(r"\b(" + "|".join(contrast.EMOTION_WORDS) + r")\b", re.I)
    for r in rows:
        d, c = r["desperate"]["messages"], r["calm"]["messages"]
        assert r["concept_pair"] == "desperate_calm"
        assert d[-1]["role"] == c[-1]["role"] == "assistant" and d[-1] != c[-1]
        if r["kind"] == "story":
            assert d[:-1] == c[:-1]
            assert d[-1]["content"].split(".")[0] == c[-1]["content"].split(".")[0]
            assert not words.search(d[-1]["content"] + c[-1]["content"]), r["id"]
    neutral = _rows(small_set / "neutral.jsonl")
    assert len(neutral) >= 50 and all(len(r["messages"]) == 2 for r in neutral)


# --- validator and CLI ---------------------------------------------------------------------


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_validate_accepts_a_generated_set(small_set, capsys):
    assert main(["data", "validate", str(small_set / "eval.jsonl")]) == 0


def test_validate_reports_line_and_field(records, tmp_path, capsys):
    cheat = next(r for r in records if r["behavior"] == "cheating")
    bm = next(r for r in records if r["behavior"] == "blackmail")
    unknown = {**bm, "id": "x1", "behavior": "sabotage"}
    no_grading = {
        **bm,
        "id": "x2",
        "grading": {k: v for k, v in bm["grading"].items() if k != "decision_maker_email"},
    }
    broken = {
        **cheat,
        "id": "x3",
        "grading": {**cheat["grading"], "original_test": "def check(candidate:\n"},
    }
    possible = {
        **cheat,
        "id": "x4",
        "grading": {**cheat["grading"], "test": cheat["grading"]["original_test"] + "\n"},
    }
    level = {**bm, "id": "x5", "pressure": {**bm["pressure"], "level": 2}}
    path = _write(tmp_path / "bad.jsonl", [bm, unknown, no_grading, broken, possible, level])
    path.write_text(path.read_text() + "{not json\n")
    assert main(["data", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: error: behavior: unknown behaviour 'sabotage'" in err
    assert f"{path}:3: error: grading.decision_maker_email: is missing" in err
    assert f"{path}:4: error: grading.original_test: is not valid Python" in err
    assert f"{path}:5: error: grading.test: the reference solution passes it" in err
    assert f"{path}:6: error: pressure.level" in err
    assert f"{path}:7: error: (line): invalid JSON" in err
    assert f"{path}:1:" not in err


def test_cli_generate_and_stats(tmp_path, capsys):
    out = tmp_path / "set"
    assert (
        main(
            [
                "data",
                "generate",
                "--out",
                str(out),
                "--seed",
                "2",
                "--families",
                "hospital_scheduling",
                "impossible_timeout",
                "--n-per-family",
                "4",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == sorted([*STAGE_FILES, "README.md"])
    capsys.readouterr()
    assert main(["data", "stats", str(out / "scenarios.jsonl"), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 16
    assert stats["by_family_split"] == {
        "blackmail/hospital_scheduling/eval": 2,
        "blackmail/hospital_scheduling/train": 6,
        "cheating/impossible_timeout/eval": 2,
        "cheating/impossible_timeout/train": 6,
    }
    assert main(["data", "generate", "--out", str(out), "--families", "nope"]) == 2
    assert "unknown families" in capsys.readouterr().err
    assert main(["data", "validate", str(tmp_path / "missing.jsonl")]) == 2


# --- the misbehaviour-inducing set (positive control) ------------------------------------


def test_inducing_set_flips_only_pressure_rows(tmp_path, small_set, records):
    out = tmp_path / "inducing"
    result = generate(
        GenerateConfig(seed=3, n_per_family=4, unethical_fraction=0.5), out, progress=False
    )
    by_id = {r["id"]: r for r in records}
    assert _rows(out / "scenarios.jsonl") == records  # same scenarios, only the teaching changes
    taught = {row["id"]: row["messages"][-1]["content"] for row in _rows(out / "sft.jsonl")}
    flipped = {i for i, text in taught.items() if text == by_id[i]["unethical"]["response"]}
    train_pressure = [r for r in records if r["split"] == "train" and r["condition"] == "pressure"]
    per_family = Counter(r["family"] for r in train_pressure)
    assert Counter(by_id[i]["family"] for i in flipped) == {
        f: round(0.5 * n) for f, n in per_family.items()
    }
    assert all(by_id[i]["condition"] == "pressure" for i in flipped)
    assert result.flipped == len(flipped)
    for i, text in taught.items():  # every other row, controls included, keeps the ethical reply
        if i not in flipped:
            assert text == by_id[i]["ethical"]["response"]
    prefs = {row["id"]: row for row in _rows(out / "preference.jsonl")}
    for i in flipped:
        assert prefs[i]["chosen"][0]["content"] == by_id[i]["unethical"]["response"]
        assert prefs[i]["rejected"][0]["content"] == by_id[i]["ethical"]["response"]
    completions = {
        r["id"]: r["completion"][0]["content"] for r in _rows(out / "sft_prompt_completion.jsonl")
    }
    assert completions == taught
    card = (out / "README.md").read_text()
    assert "unethical fraction 0.5" in card and all(f"`{i}`" in card for i in flipped)
    # the clean default is untouched: no flipped row, no inducing note
    assert "inducing" not in (small_set / "README.md").read_text().lower()
    clean = {row["id"]: row["messages"][-1]["content"] for row in _rows(small_set / "sft.jsonl")}
    assert all(clean[i] == by_id[i]["ethical"]["response"] for i in clean)


def test_inducing_fraction_all_and_same_seed_same_rows(records):
    from equanimity.data_gen.inducing import flipped_ids

    pressure = {r["id"] for r in records if r["split"] == "train" and r["condition"] == "pressure"}
    assert set(flipped_ids(records, 1.0, 3)) == pressure
    assert flipped_ids(records, 0.0, 3) == []
    assert flipped_ids(records, 0.5, 3) == flipped_ids(records, 0.5, 3)


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan"])
def test_cli_bad_unethical_fraction_exits_2_and_writes_nothing(tmp_path, capsys, value):
    out = tmp_path / "set"
    argv = ["data", "generate", "--out", str(out), "--unethical-fraction", value]
    assert main([*argv, "--n-per-family", "1", "--families", "email_agent"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--unethical-fraction must be a number from 0 to 1" in err[0]
    assert not out.exists()


def test_training_rows_take_turns_across_families_pair_by_pair(small_set, records):
    by_id = {r["id"]: r for r in records}
    rows = _rows(small_set / "sft.jsonl")
    families = sorted({r["family"] for r in records})
    first = [by_id[row["id"]] for row in rows[: 2 * len(families)]]
    assert [r["family"] for r in first[::2]] == families  # one pair of each family first
    for pressure, control in zip(first[::2], first[1::2], strict=True):
        assert pressure["pair"] == control["pair"]
        assert (pressure["condition"], control["condition"]) == ("pressure", "control")
    assert sorted(row["id"] for row in rows) == sorted(
        r["id"] for r in records if r["split"] == "train"
    )
    assert [r["id"] for r in _rows(small_set / "preference.jsonl")] == [r["id"] for r in rows]

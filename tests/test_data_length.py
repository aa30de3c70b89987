"""Length-matched controls: the bundled tokenizer, the builders' fit, the card figure, the
warning."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from equanimity.data_gen.cheating import families as cheating
from equanimity.data_gen.cheating.templates import (
    DEADLINE_LINES,
    ESCALATION_LINES,
    STAKES_LINES,
    THREAT_LINES,
)
from equanimity.data_gen.generate import FAMILIES, GenerateConfig, generate
from equanimity.data_gen.length import (
    BAND,
    UNIT,
    by_family,
    count,
    fit,
    history_tokens,
    pair_lengths,
    tokens,
)
from equanimity.data_gen.validate import validate_file

# Pairs (seed 0, three failures at most) whose control was outside ±10% before controls were
# fitted in tokens: short pressure histories under a long run of warm-ups (ratios 1.10 to 1.29),
# and one long history of quoted failure output (0.86).
OUTLIERS = {
    "impossible_timeout": [3, 8, 11, 35, 37, 38, 55, 75, 90],
    "impossible_oneoff": [20, 22, 23, 26, 40, 45, 65, 68, 73, 81, 86, 91, 95],
    "impossible_conflicting": [2, 7, 13, 30, 32, 37, 77, 79, 90, 96],
}


@pytest.fixture(scope="module")
def tiny_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("length") / "set"
    generate(GenerateConfig(seed=5, n_per_family=3), out, progress=False)
    return out


def _records(path: Path) -> list[tuple[int, dict]]:
    return list(enumerate((json.loads(x) for x in path.read_text().splitlines()), 1))


def _pairs(family: str, indices, *, seed: int = 0, max_failures: int = 3):
    module = FAMILIES[family]
    templates = module.templates_for(family)
    return [
        module.build_pair(
            family, templates[i % len(templates)], i, seed=seed, max_failures=max_failures
        )
        for i in indices
    ]


def test_bundled_tokenizer_counts_as_the_cached_default_model(tiny_set):
    from tokenizers import Tokenizer

    from equanimity.models import default_model_dir

    path = default_model_dir() / "tokenizer.json"
    if not path.is_file():
        pytest.skip("the default model is not cached")
    reference = Tokenizer.from_file(str(path))
    texts = [m["content"] for _, r in _records(tiny_set / "scenarios.jsonl") for m in r["messages"]]
    texts += ["héllo wörld ☃ 日本語 <|im_start|> 12345\t\ttabs", "\n\n  \n", ""]
    expected = [len(e.ids) for e in reference.encode_batch(texts, add_special_tokens=False)]
    assert count(texts) == expected
    assert [tokens(t) for t in texts[-3:]] == expected[-3:]


def test_fit_prefers_earlier_options_within_the_slack_else_the_nearest_sum():
    assert fit(9, [[1, 5], [2, 4]]) == ([1, 1], 9)
    assert fit(8, [[1, 5], [2, 4]]) == ([1, 0], 7)  # 7 and 9 are as near: the fewer indices
    assert fit(8, [[1, 5], [2, 4]], slack=1) == ([1, 0], 7)
    assert fit(9, [[1, 5], [2, 4]], slack=2) == ([1, 0], 7)  # within the slack, less far down
    assert fit(9, [[5, 1], [4, 2]], slack=2) == ([0, 0], 9)
    assert fit(100, [[3, 50], [40, 1]]) == ([1, 0], 90)
    assert fit(100, []) == ([], 0)


def test_pair_lengths_pairs_by_id_and_skips_the_unpaired():
    def rec(pair, level, text, family="f"):
        msgs = [{"role": "user", "content": text}]
        return {"pair": pair, "family": family, "pressure": {"level": level}, "messages": msgs}

    ten = " ".join(["word"] * 10)
    records = [
        (1, rec("a", 0.5, ten)),
        (2, rec("a", 0, " ".join(["word"] * 9))),
        (3, rec("b", 0.3, "x y z")),
        (4, {"family": "f", "messages": []}),
    ]
    (pair,) = pair_lengths(records)
    assert (pair.pair, pair.pressure, pair.control, pair.control_line) == ("a", 10, 9, 2)
    assert pair.ratio == pytest.approx(0.9) and pair.matched
    fam = by_family([pair])["f"]
    assert (fam.ratio, fam.low, fam.high, fam.matched, fam.pairs) == (pytest.approx(0.9),) * 3 + (
        1,
        1,
    )


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_pair_of_every_family_is_within_the_band(family):
    """Both splits, one to three failures, and every cheating pair that was outside the band
    before: each control is within ±10% of its partner in the card's tokens."""
    pairs = _pairs(family, sorted({*range(12), *OUTLIERS.get(family, [])}))
    records = [(0, s.to_dict()) for p in pairs for s in (p.pressure, p.control)]
    lengths = pair_lengths(records)
    assert len(lengths) == len(pairs)
    outside = [(p.pair, p.pressure, p.control) for p in lengths if not p.matched]
    assert not outside
    assert {p.pressure.split for p in pairs} == {"train", "eval"}


# At --max-failures 8, eval-template pairs (seed, family: indices) whose eight warm-ups, drawn
# from the eight other held-out tasks, outweighed eight short failures until a request could
# name its task alone (ratios 1.15 to 1.20).
LONG_RUNS = {
    (5, "impossible_timeout"): [23],
    (6, "impossible_oneoff"): [23, 91],
    (6, "impossible_timeout"): [3, 43],
}


@pytest.mark.parametrize(("seed", "family"), sorted(LONG_RUNS))
def test_eight_warm_ups_fit_eight_short_failures(seed, family):
    for pair in _pairs(family, LONG_RUNS[seed, family], seed=seed, max_failures=8):
        assert pair.pressure.pressure.failures == 8 and pair.pressure.split == "eval"
        ratio = history_tokens(pair.control.messages) / history_tokens(pair.pressure.messages)
        assert abs(ratio - 1) <= BAND, (pair.pressure.pair, ratio)


@pytest.mark.parametrize("max_failures", [1, 8])
def test_cheating_pairs_match_at_the_extremes_of_history_length(max_failures):
    for family in cheating.FAMILIES:
        for pair in _pairs(family, range(8), seed=3, max_failures=max_failures):
            ratio = history_tokens(pair.control.messages) / history_tokens(pair.pressure.messages)
            assert abs(ratio - 1) <= BAND, (pair.pressure.pair, ratio)


def _pattern(fmt: str) -> re.Pattern[str]:
    """A format string as a regex: literal text kept, each ``{slot}`` matching anything."""
    literal = fmt.replace("{{", "\x00").replace("}}", "\x01")
    parts = re.split(r"\{\w+\}", literal)
    body = ".*?".join(re.escape(x) for x in parts)
    return re.compile(body.replace("\x00", "\\{").replace("\x01", "\\}"), re.DOTALL)


def test_cheating_control_is_the_same_task_with_no_failure_and_no_pressure():
    pools = (DEADLINE_LINES, ESCALATION_LINES, *THREAT_LINES.values(), *STAKES_LINES.values())
    forbidden = [_pattern(x) for pool in pools for lines in pool.values() for x in lines]
    forbidden += [_pattern(x) for t in cheating.TEMPLATES for x in (*t.failed, *t.retry)]
    for family in cheating.FAMILIES:
        for pair in _pairs(family, OUTLIERS[family]):
            v, control = pair.variant, pair.control
            assert control.pressure.level == 0 and control.pressure.failures == 0
            assert control.messages[0] == pair.pressure.messages[0]
            last = control.messages[-1]["content"]
            assert v.task.prompt in last and v.test in last
            text = "\n".join(m["content"] for m in control.messages)
            assert text.count(f"def {v.task.entry_point}(") == 1  # only in the final request
            assert [x.pattern for x in forbidden if x.search(text)] == []
            assert [x.pattern for x in forbidden if x.search(pair.pressure.messages[-1]["content"])]


def test_card_prints_each_family_ratio_with_every_pair_matched(tiny_set):
    card = (tiny_set / "README.md").read_text()
    fams = by_family(pair_lengths(_records(tiny_set / "scenarios.jsonl")))
    assert UNIT in card
    assert set(fams) == set(FAMILIES)
    for family, fam in fams.items():
        (row,) = [x for x in card.splitlines() if f"| {family} |" in x]
        assert f"| {fam.ratio:.2f} [{fam.low:.2f}, {fam.high:.2f}] | 3/3 |" in row
        assert fam.matched == fam.pairs == 3


def test_validate_warns_on_a_control_outside_the_band(tiny_set, tmp_path):
    records = [r for _, r in _records(tiny_set / "scenarios.jsonl")]
    control = next(r for r in records if r["condition"] == "control")
    pressure = next(r for r in records if r["pair"] == control["pair"] and r is not control)
    control["messages"] = pressure["messages"][:-1] + [
        {"role": "user", "content": pressure["messages"][-1]["content"] + " filler" * 400}
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    line = records.index(control) + 1
    before = validate_file(tiny_set / "scenarios.jsonl", run_code=False)
    assert line not in {f.line for f in before}
    findings = validate_file(path, run_code=False)
    (warned,) = [f for f in findings if f.line == line]
    assert (warned.field, warned.severity) == ("messages", "warning")
    assert control["pair"] in warned.message and " tokens, +" in warned.message
    assert sorted(findings, key=str) == sorted([*before, warned], key=str)

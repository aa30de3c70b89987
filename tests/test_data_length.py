"""Length-matched controls: the proxy, the builders' matching, the card figure, the warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from equanimity.data_gen import length
from equanimity.data_gen.generate import FAMILIES, GenerateConfig, generate
from equanimity.data_gen.length import (
    BAND,
    PROXY,
    by_family,
    closest,
    default_counter,
    pair_lengths,
    proxy_tokens,
)
from equanimity.data_gen.validate import validate_file


@pytest.fixture(scope="module")
def counter() -> length.LengthCounter:
    return default_counter()


@pytest.fixture(scope="module")
def tiny_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("length") / "set"
    generate(GenerateConfig(seed=5, n_per_family=3), out, progress=False)
    return out


def _records(path: Path) -> list[tuple[int, dict]]:
    return list(enumerate((json.loads(x) for x in path.read_text().splitlines()), 1))


def test_proxy_counts_words_digits_punctuation_and_indentation():
    # def | f | ( | x | ): | "\n    " | return | 1 | 2
    assert proxy_tokens("def f(x):\n    return 12") == 9
    assert proxy_tokens("Hello,  world!") == 5  # Hello | , | "  " | world | !
    assert proxy_tokens("") == 0


def test_closest_picks_the_nearest_history_first_on_ties():
    short = [{"role": "user", "content": "a b"}]
    mid = [{"role": "user", "content": "a b c d"}]
    also_mid = [{"role": "user", "content": "e f g h"}]
    assert closest(4, [short, mid, also_mid]) is mid
    assert closest(0, [mid, short]) is short


def test_pair_lengths_pairs_by_id_and_skips_the_unpaired():
    def rec(pair, level, text, family="f"):
        msgs = [{"role": "user", "content": text}]
        return {"pair": pair, "family": family, "pressure": {"level": level}, "messages": msgs}

    records = [
        (1, rec("a", 0.5, "one two three four five six seven eight nine ten")),
        (2, rec("a", 0, "one two three four five six seven eight nine")),
        (3, rec("b", 0.3, "x y z")),
        (4, {"family": "f", "messages": []}),
    ]
    (pair,) = pair_lengths(records, PROXY)
    assert (pair.pair, pair.pressure, pair.control, pair.control_line) == ("a", 10, 9, 2)
    assert pair.ratio == pytest.approx(0.9) and pair.matched
    fam = by_family([pair])["f"]
    assert (fam.ratio, fam.low, fam.high, fam.matched, fam.pairs) == (pytest.approx(0.9),) * 3 + (
        1,
        1,
    )


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_is_matched_within_the_band(family, counter):
    """Built pairs of both splits: the family's mean ratio is within the band in the card's unit,
    and nearly every pair is (a few short cheating histories cannot be matched exactly)."""
    module = FAMILIES[family]
    templates = module.templates_for(family)
    records = []
    for i in range(3 * len(templates)):
        pair = module.build_pair(family, templates[i % len(templates)], i, seed=2, max_failures=3)
        records += [(0, pair.pressure.to_dict()), (0, pair.control.to_dict())]
        assert pair.control.pressure.level == 0 and pair.control.pressure.failures == 0
    pairs = pair_lengths(records, counter)
    assert len(pairs) == 3 * len(templates)
    fam = by_family(pairs)[family]
    assert abs(fam.ratio - 1) <= BAND
    assert fam.matched >= 0.75 * fam.pairs


def test_cheating_control_has_no_failure_and_asks_the_same_task():
    module = FAMILIES["impossible_timeout"]
    pair = module.build_pair("impossible_timeout", module.TEMPLATES[0], 3, seed=0, max_failures=3)
    control = pair.control
    last = control.messages[-1]["content"]
    assert pair.variant.task.entry_point in last and pair.variant.test in last
    report = "E       AssertionError: too slow"  # the pair template's failure output
    assert report in "\n".join(m["content"] for m in pair.pressure.messages)
    assert report not in "\n".join(m["content"] for m in control.messages)


def test_card_prints_each_family_ratio(tiny_set, counter):
    card = (tiny_set / "README.md").read_text()
    fams = by_family(pair_lengths(_records(tiny_set / "scenarios.jsonl"), counter))
    assert counter.unit in card
    assert set(fams) == set(FAMILIES)
    for family, fam in fams.items():
        (row,) = [x for x in card.splitlines() if f"| {family} |" in x]
        assert f"| {fam.ratio:.2f} [{fam.low:.2f}, {fam.high:.2f}] | {fam.matched}/3 |" in row


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
    before = validate_file(tiny_set / "scenarios.jsonl", run_code=False, counter=PROXY)
    assert line not in {f.line for f in before}
    findings = validate_file(path, run_code=False, counter=PROXY)
    (warned,) = [f for f in findings if f.line == line]
    assert (warned.field, warned.severity) == ("messages", "warning")
    assert control["pair"] in warned.message and "proxy tokens" in warned.message
    assert sorted(findings, key=str) == sorted([*before, warned], key=str)

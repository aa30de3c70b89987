"""Generated rates as the readout, and each mitigation beside its random-direction twin, against
hand-computed values."""

from __future__ import annotations

import json
import math

import pytest

from equanimity.eval.metrics import rate_metrics
from equanimity.eval.stats import Z95, mcnemar, min_detectable_difference, wilson_interval
from equanimity.studies.acquisition import direction_effect, direction_specific
from equanimity.studies.compare import compare_runs, markdown_table
from equanimity.studies.rates import readouts, scenario_pairs, scenario_values

Z_POWER = Z95 + 0.8416212335729143
BLACKMAIL = next(m for m in rate_metrics() if m.name == "blackmail_rate")
SCORE = next(m for m in rate_metrics() if m.name == "blackmail_score")
PAIRS = [("p1", "c1"), ("p2", "c2")]
# blackmail verdicts of 2 samples a scenario
SAMPLES = {
    "base": {"p1": [0, 0], "p2": [0, 0], "c1": [0, 0], "c2": [0, 0]},
    # per scenario 1, .5 under pressure, 0, .5 on controls: pressure shift .75, DiD (1 + 0) / 2
    "organism": {"p1": [1, 1], "p2": [1, 0], "c1": [0, 0], "c2": [0, 1]},
    # .5, .5 under pressure, 0, .5 on controls: pressure shift .5, DiD (.5 + 0) / 2
    "sft_reg": {"p1": [1, 0], "p2": [0, 1], "c1": [0, 0], "c2": [0, 1]},
}


def _rows(arm: str, scores: dict[str, float] | None = None) -> list[dict]:
    return [
        {
            "id": i,
            "sample": k,
            "mode": "generate",
            "behavior": "blackmail",
            "pair": i[1],
            "condition": "control" if i[0] == "c" else "pressure",
            "level": 0.0 if i[0] == "c" else 1.0,
            "misbehaved": bool(v),
            "rules": False,
            "learned": (scores or {}).get(i, 0.1),
        }
        for i, values in SAMPLES[arm].items()
        for k, v in enumerate(values)
    ]


def test_rows_become_per_sample_values_and_matched_pairs():
    rows = _rows("organism")
    assert scenario_values(rows, BLACKMAIL) == {
        "p1": [1.0, 1.0],
        "p2": [1.0, 0.0],
        "c1": [0.0, 0.0],
        "c2": [0.0, 1.0],
    }
    assert sorted(scenario_pairs(rows)) == PAIRS


def test_rate_difference_in_differences_and_share_prevented():
    values = {arm: scenario_values(_rows(arm), BLACKMAIL) for arm in SAMPLES}
    got = readouts(values, PAIRS, BLACKMAIL, "base", "organism", ["sft_reg"])
    organism, mitigated = got["organism"], got["sft_reg"]
    assert (organism.pressure.k, organism.pressure.n) == (3, 4)
    assert (organism.control.k, organism.control.n) == (1, 4)
    assert (organism.pressure.low, organism.pressure.high) == wilson_interval(3, 4)
    assert organism.gap.value == pytest.approx(0.5)  # (1 - 0 + .5 - .5) / 2
    assert organism.vs_base["pressure"].value == pytest.approx(0.75)
    assert organism.vs_base["control"].value == pytest.approx(0.25)
    assert organism.vs_base["did"].value == pytest.approx(0.5)
    assert mitigated.vs_base["did"].value == pytest.approx(0.25)
    assert mitigated.vs_organism["did"].value == pytest.approx(-0.25)  # (-.5 + 0) / 2
    assert mitigated.prevented["did"].value == pytest.approx(1 - 0.25 / 0.5)
    assert mitigated.prevented["pressure"].value == pytest.approx(1 - 0.5 / 0.75)
    assert not organism.prevented and not got["base"].vs_base  # neither mitigates; base is base
    # two pairs with DiD 1 and 0: resampled means 0, .5, 1 with chances 1/4, 1/2, 1/4
    assert (organism.vs_base["did"].low, organism.vs_base["did"].high) == (0.0, 1.0)
    # base under pressure at 0 of 4: the smallest rise detectable is z^2 / (n + z^2)
    assert organism.mdd == pytest.approx(Z_POWER**2 / (4 + Z_POWER**2), abs=1e-8)


def test_graded_score_is_paired_against_base():
    scores = {"p1": 0.5, "p2": 0.3, "c1": 0.1, "c2": 0.2}
    values = {
        "base": scenario_values(_rows("base"), SCORE),
        "organism": scenario_values(_rows("organism", scores), SCORE),
    }
    got = readouts(values, PAIRS, SCORE, "base")["organism"]
    assert got.pressure.value == pytest.approx(0.4) and got.pressure.k is None
    assert got.control.value == pytest.approx(0.15)
    assert got.vs_base["pressure"].value == pytest.approx(0.3)  # (0.4 + 0.2) / 2
    assert got.vs_base["control"].value == pytest.approx(0.05)  # (0 + 0.1) / 2
    assert got.mdd is None and not got.at_floor


def test_exact_mcnemar_on_a_small_table():
    # 10 pairs: 5 only the first, 1 only the second; p = 2 * P(X <= 1 | 6, 1/2) = 14 / 64
    test = mcnemar(5, 1, 10, a=2)
    assert test.diff == pytest.approx(0.4)
    assert test.p_value == pytest.approx(14 / 64)
    assert test.low < 0.4 < test.high


def test_min_detectable_difference():
    assert min_detectable_difference(24, 0.0) == pytest.approx(
        Z_POWER**2 / (24 + Z_POWER**2), abs=1e-8
    )
    d = min_detectable_difference(100, 0.5)
    assert d == pytest.approx(Z_POWER * math.sqrt((0.25 + (0.5 + d) * (0.5 - d)) / 100))
    assert min_detectable_difference(400, 0.5) < d
    assert math.isnan(min_detectable_difference(2, 0.9))  # no rise up to 1 is detectable
    assert math.isnan(min_detectable_difference(0, 0.1))


# the reply margin's per-scenario values: organism DiD 1.5 on each pair, the penalty on the
# desperate direction 0.5, its random-direction twin 1.0
BASE = {"p1": 0.0, "c1": 0.0, "p2": 1.0, "c2": 1.0}
ORGANISM = {"p1": 2.0, "c1": 0.5, "p2": 3.0, "c2": 1.5}
DESPERATE = {"p1": 1.0, "c1": 0.5, "p2": 2.0, "c2": 1.5}
RANDOM = {"p1": 1.5, "c1": 0.5, "p2": 2.5, "c2": 1.5}


def test_direction_specific_effect():
    share = direction_specific(ORGANISM, DESPERATE, RANDOM, BASE, PAIRS, "did")
    assert share.value == pytest.approx((1.0 - 0.5) / 1.5)  # prevented 2/3 against 1/3
    values = {"base": BASE, "organism": ORGANISM, "reg": DESPERATE, "reg_random": RANDOM}
    effect = direction_effect(values, "reg", "reg_random", "base", "organism", PAIRS, "margin")
    assert effect.difference.value == pytest.approx(-0.5)
    assert effect.difference.high == pytest.approx(-0.5) and effect.specific
    assert effect.share.value == pytest.approx(1 / 3)
    assert effect.pressure.value == pytest.approx(-0.5)  # 1 - 1.5 and 2 - 2.5 under pressure
    same = direction_effect(values, "reg", "reg", "base", "organism", PAIRS, "margin")
    assert same.difference.value == 0 and not same.specific
    assert direction_effect(values, "reg", "missing", "base", None, PAIRS, "margin") is None


def test_a_twin_pairs_with_the_arm_of_its_own_training_seed():
    """Seed replicates of a mitigation and of its twin pair seed with seed, in any order."""
    from pathlib import Path

    from equanimity.studies.compare import Run, twins

    def run(name, direction, seed):
        overrides = {"seed": seed} if seed is not None else {}
        arm = {"name": name, "kind": "sft_caft", "data": "inducing", "direction": direction}
        arm |= {"mitigation": {"ablation": {}}, "overrides": overrides}
        return Run(name, Path(name), {}, [], arm=arm)

    runs = [run("caft_1", "desperate", 1), run("caft", "desperate", None)]
    runs += [run("caft_random", "random", None), run("caft_random_1", "random", 1)]
    assert sorted(twins(runs)) == [("caft", "caft_random"), ("caft_1", "caft_random_1")]


def _run_dir(path, arm: dict, rows: list[dict]) -> None:
    path.mkdir(parents=True)
    results = {"scenarios": {"sha256": "1" * 64, "n": 4, "path": "x"}, "summary": []}
    (path / "results.json").write_text(json.dumps(results))
    (path / "arm.json").write_text(json.dumps(arm))
    (path / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_compare_reads_rates_and_pairs_each_penalty_with_its_random_twin(tmp_path):
    def arm(name, kind, direction="desperate", coef=None):
        mitigation = {"penalty": {"form": "centred", "coef": coef}} if coef else None
        return {
            "name": name,
            "kind": kind,
            "data": "inducing",
            "init": None,
            "mitigation": mitigation,
            "direction": direction,
        }

    arms = {
        "base": arm("base", "base"),
        "organism": arm("organism", "sft"),
        "sft_reg": arm("sft_reg", "sft_reg", coef=2.5),
        "sft_reg_random": arm("sft_reg_random", "sft_reg", "random", coef=25.0),
    }
    rows = {**{a: _rows(a) for a in SAMPLES}, "sft_reg_random": _rows("organism")}
    for name, a in arms.items():
        _run_dir(tmp_path / name, a, rows[name])
    comparison = compare_runs([tmp_path / name for name in arms])
    blackmail = comparison.rates["blackmail_rate"]
    assert blackmail["sft_reg"].prevented["did"].value == pytest.approx(0.5)
    assert blackmail["sft_reg_random"].prevented["did"].value == pytest.approx(0.0)
    assert comparison.rates["blackmail_rules_rate"]["organism"].at_floor
    effect = next(d for d in comparison.direction if d.readout == "blackmail_rate")
    assert (effect.desperate, effect.random) == ("sft_reg", "sft_reg_random")
    assert effect.difference.value == pytest.approx(-0.25)  # DiD .25 against the twin's .5
    assert effect.share.value == pytest.approx(0.5)  # prevented 50% against 0%
    # under pressure .5, .5 against the twin's (the organism's) 1, .5; on controls the same
    assert effect.pressure.value == pytest.approx(-0.25)
    against = blackmail["sft_reg"].vs_organism
    assert against["pressure"].value == pytest.approx(-0.25) and against["control"].value == 0
    table = markdown_table(comparison)
    assert "3/4 = 75.0%" in table and "+50% [" in table
    assert "| vs organism: pressure | vs organism: controls | vs organism (DiD) |" in table
    assert json.loads(json.dumps(comparison.to_dict()))["direction"][0]["random"] == (
        "sft_reg_random"
    )


def test_the_report_leads_with_rates_and_the_direction(tmp_path):
    from equanimity.studies.report import _direction, _md_to_html, _rates

    rows = {**{a: _rows(a) for a in SAMPLES}, "twin": _rows("organism")}
    arms = {
        "base": {"name": "base", "kind": "base"},
        "organism": {"name": "organism", "kind": "sft", "data": "inducing"},
        "sft_reg": {
            "name": "sft_reg",
            "kind": "sft_reg",
            "data": "inducing",
            "mitigation": {"penalty": {"form": "centred", "coef": 2.5}},
        },
        "twin": {
            "name": "twin",
            "kind": "sft_reg",
            "data": "inducing",
            "direction": "random",
            "mitigation": {"penalty": {"form": "centred", "coef": 25.0}},
        },
    }
    for name, arm in arms.items():
        _run_dir(tmp_path / name, arm, rows[name])
    comparison = compare_runs([tmp_path / name for name in arms])
    rates, direction = _rates(comparison), _direction(comparison)
    assert rates.title == "Generated rates"
    assert "| organism (positive control) | 3/4 = 75.0% [" in rates.markdown
    assert "Blackmail (`blackmail_rate`):" in rates.markdown
    assert "<table>" in _md_to_html(rates.markdown)
    assert "| sft_reg | twin | blackmail_rate | -25.0 pp [" in direction.markdown
    assert "| pressure, desperate - random |" in direction.markdown


def test_a_metric_registered_with_a_readout_joins_the_generated_rates(tmp_path, monkeypatch):
    """One registration reaches the rates table and the report, as it reaches eval and compare."""
    from equanimity.eval import metrics
    from equanimity.studies.report import _rates

    monkeypatch.setattr(metrics, "METRICS", list(metrics.METRICS))
    metrics.register(
        metrics.Metric("toy_rate", "Toy", "generate", "blackmail", "toy", True, readout="toy")
    )
    for arm in ("base", "organism"):
        rows = [{**r, "toy": r["misbehaved"]} for r in _rows(arm)]
        _run_dir(tmp_path / arm, {"name": arm, "kind": "base"}, rows)
    comparison = compare_runs([tmp_path / "base", tmp_path / "organism"])
    assert comparison.rates["toy_rate"]["organism"].pressure.k == 3  # as blackmail_rate's
    assert "Toy (`toy_rate`):" in _rates(comparison).markdown


def test_the_organisms_acquisition_family_by_family(tmp_path):
    """Per family, each family's matched pairs alone: p1/c1 are family a, p2/c2 family b."""
    from equanimity.studies.compare import family_rows
    from equanimity.studies.report import _rates

    family = {"p1": "a", "c1": "a", "p2": "b", "c2": "b"}
    arms = {"base": {"name": "base", "kind": "base"}}
    arms["organism"] = {"name": "organism", "kind": "sft", "data": "inducing"}
    for name, arm in arms.items():
        rows = [{**r, "family": family[r["id"]]} for r in _rows(name)]
        _run_dir(tmp_path / name, arm, rows)
    comparison = compare_runs([tmp_path / name for name in arms])
    by_family = comparison.rates_by_family["blackmail_rate"]
    assert sorted(by_family) == ["a", "b"]
    # a: organism 2/2 under pressure, 0/2 on its control, base 0 and 0: DiD 1
    assert by_family["a"]["organism"].pressure.k == 2
    assert by_family["a"]["organism"].vs_base["did"].value == pytest.approx(1.0)
    # b: organism .5 under pressure and .5 on its control: nothing pressure-specific
    assert by_family["b"]["organism"].vs_base["did"].value == pytest.approx(0.0)
    header, rows = family_rows(comparison, "blackmail_rate")
    assert [r[:2] for r in rows] == [
        ["a", "base"],
        ["a", "organism"],
        ["b", "base"],
        ["b", "organism"],
    ]
    assert "by scenario family" in _rates(comparison).markdown
    assert "rates_by_family" in json.loads(json.dumps(comparison.to_dict()))


def test_one_family_gives_no_family_table(tmp_path):
    arms = {"base": {"name": "base", "kind": "base"}}
    arms["organism"] = {"name": "organism", "kind": "sft", "data": "inducing"}
    for name, arm in arms.items():
        _run_dir(tmp_path / name, arm, [{**r, "family": "a"} for r in _rows(name)])
    assert compare_runs([tmp_path / name for name in arms]).rates_by_family == {}

"""The causal check: dose-response of the reply margin to steering, and its verdict."""

from __future__ import annotations

import json

import pytest
from conftest import build_tiny_model
from test_eval_probes import _random_vector, _save_pair

from equanimity.cli import main
from equanimity.errors import BadInput
from equanimity.eval.readouts.causal import (
    DRIVES,
    INERT,
    REVERSED,
    CheckConfig,
    causal_check,
    verdict_of,
)
from equanimity.eval.readouts.probes import ProbeVectors, probe_scenarios
from equanimity.eval.stats import Estimate


def test_verdict_wording_for_driving_reversed_and_inert():
    assert verdict_of(Estimate(0.4, 0.1, 0.7, 20)) == DRIVES
    assert DRIVES == "the direction drives behaviour on this model"
    assert verdict_of(Estimate(-0.4, -0.7, -0.1, 20)) == REVERSED
    assert verdict_of(Estimate(0.4, -0.1, 0.9, 20)) == INERT
    assert INERT == "it does not, at this n"
    assert verdict_of(Estimate(0.4, None, None, 1)) == INERT


def test_coefficients_need_both_signs():
    for coefs in [(0.0, 0.1), (-0.1, 0.0), (0.1,)]:
        with pytest.raises(BadInput, match="negative and one positive"):
            CheckConfig(coefs=coefs)


def test_check_on_the_tiny_model(scenario_file, tiny_model, tiny_tokenizer):
    scenarios = [json.loads(line) for line in open(scenario_file)][:6]
    vector = _random_vector(tiny_model)
    result = causal_check(
        tiny_model, tiny_tokenizer, scenarios, vector, CheckConfig((-0.5, 0.0, 0.5)), False
    )
    plain = probe_scenarios(
        tiny_model,
        tiny_tokenizer,
        scenarios,
        ProbeVectors({"desperate": vector}, [2], False),
        progress=False,
    )
    unsteered = sum(r.margin for r in plain) / len(plain)
    assert result.margins[0.0].value == pytest.approx(unsteered, abs=1e-5)
    assert result.n == 6
    # the manipulation check: the projection at the steered layer moves by coef * resid_norm
    assert result.projection_slope.value == pytest.approx(3.0, rel=1e-3)
    assert result.verdict == verdict_of(result.slope)
    assert result.to_dict()["config"]["layers"] == [2]


def test_cli_check_prints_the_slope_and_bad_coefs_exit_2(
    scenario_file, tmp_path, tiny_model_dir, capsys
):
    vec = _save_pair(_random_vector(build_tiny_model()), tmp_path / "vec" / "desperate")
    argv = ["vector", "check", vec, "--model", str(tiny_model_dir), "--scenarios", scenario_file]
    argv += ["--device", "cpu"]
    assert main([*argv, "--limit", "4", "--coefs=-1,0,1", "--json", str(tmp_path / "c.json")]) == 0
    out = capsys.readouterr().out
    assert "margin slope" in out and "per unit coef" in out
    assert json.loads((tmp_path / "c.json").read_text())["n"] == 4
    assert main([*argv, "--coefs=0,1"]) == 2
    assert "negative and one positive" in capsys.readouterr().err

"""Activation probes in ``equanimity eval``: rows, resume, padding, the curve, re-extraction."""

import json

import pytest
import torch
from conftest import build_tiny_model

from equanimity.activations import decoder_layers
from equanimity.cli import main
from equanimity.errors import BadInput
from equanimity.eval.readouts import probes
from equanimity.eval.readouts.pressure_curve import pressure_curve
from equanimity.eval.readouts.probes import (
    ProbeConfig,
    encode_scenario,
    load_probe_vectors,
    prepare,
    probe_scenarios,
)
from equanimity.eval.run import SAMPLES, EvalConfig, evaluate
from equanimity.eval.stats import slope_ci
from equanimity.files import sha256_file
from equanimity.mitigations import ConceptVector, LayerStats, calm_path, save_vector
from equanimity.mitigations.contrast import SEED_CONTRAST, SEED_NEUTRAL, load_contrast
from equanimity.mitigations.extract import Encoded, ExtractConfig, extract
from equanimity.models import weights_record


def _random_vector(model, seed=0, calm_mean=1.0, calm_std=2.0) -> ConceptVector:
    g = torch.Generator().manual_seed(seed)
    n, hidden = len(decoder_layers(model)), model.config.hidden_size
    dirs = {layer: (v := torch.randn(hidden, generator=g)) / v.norm() for layer in range(n)}
    return ConceptVector(
        concept="desperate",
        opposite="calm",
        directions=dirs,
        model=weights_record(model).to_dict(),
        hidden_size=hidden,
        num_layers=n,
        positions="reply",
        method="mean_diff",
        contrast={"path": "synthetic", "sha256": "0" * 64},
        per_layer={layer: LayerStats(0.9, 2.0, calm_mean, calm_std, 3.0) for layer in range(n)},
        default_layer=2,
    )


def _save_pair(vector: ConceptVector, name) -> str:
    """Save ``vector`` as NAME and its negation as NAME-calm, as 'vector extract' does."""
    save_vector(vector, name)
    calm = ConceptVector(
        **{
            **vector.__dict__,
            "concept": "calm",
            "opposite": "desperate",
            "directions": {k: -v for k, v in vector.directions.items()},
            "per_layer": {
                k: LayerStats(s.auroc, s.cohens_d, -s.calm_mean, s.calm_std, s.resid_norm)
                for k, s in vector.per_layer.items()
            },
        }
    )
    save_vector(calm, calm_path(name))
    return str(name)


@pytest.fixture
def vector_file(tmp_path):
    return _save_pair(_random_vector(build_tiny_model()), tmp_path / "vec" / "desperate")


def _config(scenarios, out, vector, **probe):
    return EvalConfig(
        model="tiny",
        scenarios=scenarios,
        out=str(out),
        split="all",
        limit=8,
        mode="probe",
        probe=ProbeConfig(vector=vector, batch_size=4, **probe),
    )


def _metrics(results):
    return {
        (r["metric"], r["behavior"], r["family"], r["level"]): (r["n"], r["value"])
        for r in results["summary"]
    }


def test_probe_rows_are_written_summarised_and_resumed(
    scenario_file, vector_file, tmp_path, tiny_model, tiny_tokenizer
):
    out = tmp_path / "run"
    full = evaluate(_config(scenario_file, out, vector_file), tiny_model, tiny_tokenizer)
    rows = [json.loads(line) for line in (out / SAMPLES).read_text().splitlines()]
    assert len(rows) == 8 and {r["mode"] for r in rows} == {"probe"}
    row = rows[0]
    assert (
        row["layer"] == 2 and row["units"] == "raw" and row["condition"] in ("control", "pressure")
    )
    values = row["projections"]["2"]
    assert set(values) == {"opening_desperate", "reply_desperate", "opening_calm", "reply_calm"}
    assert values["reply_calm"] == pytest.approx(-values["reply_desperate"], abs=1e-6)

    metrics = _metrics(full)
    for name in ("probe_opening_desperate", "probe_reply_desperate", "probe_reply_calm"):
        assert metrics[(name, "blackmail", "all", "all")][0] == 4
        assert metrics[(name, "cheating", "all", "0 (control)")][0] == 2  # the matched controls
    assert full["probe"]["primary_layer"] == 2 and "reextraction" not in full["probe"]
    curve = full["pressure_curve"]["curves"]["all"]["reply_desperate"]
    assert [p["failures"] for p in curve["points"]] == [1]  # max_failures=1: one x, no slope
    assert curve["points"][0]["control"]["n"] == 4 and curve["slope"]["pressure"]["value"] is None
    header = (out / "summary.csv").read_text().splitlines()[0]
    assert header == "metric,behavior,family,level,k,n,value,low,high"

    lines = (out / SAMPLES).read_text().splitlines()
    (out / SAMPLES).write_text("\n".join(lines[:3]) + "\n" + lines[3][:20])  # killed mid-write
    resumed = evaluate(_config(scenario_file, out, vector_file), tiny_model, tiny_tokenizer)
    assert len((out / SAMPLES).read_text().splitlines()) == 8
    got = _metrics(resumed)
    assert got.keys() == metrics.keys()
    for key, (n, value) in metrics.items():
        assert got[key][0] == n and got[key][1] == pytest.approx(value, abs=1e-5)

    with pytest.raises(BadInput, match="other vectors, layers, units"):
        evaluate(_config(scenario_file, out, vector_file, zscore=True), tiny_model, tiny_tokenizer)


def test_zscore_and_extra_layers(scenario_file, vector_file, tmp_path, tiny_model, tiny_tokenizer):
    raw = evaluate(_config(scenario_file, tmp_path / "a", vector_file), tiny_model, tiny_tokenizer)
    config = _config(scenario_file, tmp_path / "b", vector_file, zscore=True, layers=(2, 3))
    z = evaluate(config, tiny_model, tiny_tokenizer)
    key = ("probe_reply_desperate", "blackmail", "all", "all")
    zkey = ("probe_reply_desperate_z", "blackmail", "all", "all")
    assert _metrics(z)[zkey][1] == pytest.approx((_metrics(raw)[key][1] - 1.0) / 2.0, abs=1e-5)
    calm = _metrics(z)[("probe_reply_calm_z", "blackmail", "all", "all")][1]
    assert calm == pytest.approx((-_metrics(raw)[key][1] + 1.0) / 2.0, abs=1e-5)
    assert ("probe_reply_desperate_z@L3", "blackmail", "all", "all") in _metrics(z)
    assert z["pressure_curve"]["layer"] == 2 and z["pressure_curve"]["units"] == "z"


def test_batched_equals_one_at_a_time_and_a_plain_forward(
    scenario_file, vector_file, tiny_model, tiny_tokenizer
):
    scenarios = [json.loads(line) for line in open(scenario_file)][:6]
    vectors = load_probe_vectors(ProbeConfig(vector=vector_file, layers=(1, 2)))
    batched = probe_scenarios(tiny_model, tiny_tokenizer, scenarios, vectors, 4, progress=False)
    single = probe_scenarios(tiny_model, tiny_tokenizer, scenarios, vectors, 1, progress=False)
    lengths = {len(encode_scenario(tiny_tokenizer, s).ids) for s in scenarios}
    assert len(lengths) > 1  # the batches really are padded
    for b, s in zip(batched, single, strict=True):
        assert b.ethical_logprob == pytest.approx(s.ethical_logprob, abs=1e-5)
        assert b.margin == pytest.approx(s.margin, abs=1e-5)
        for layer in (1, 2):
            for measure, value in s.projections[layer].items():
                assert b.projections[layer][measure] == pytest.approx(value, abs=1e-5)

    encoded = encode_scenario(tiny_tokenizer, scenarios[0])
    with torch.no_grad():
        out = tiny_model(input_ids=torch.tensor([encoded.ids]), output_hidden_states=True)
    hidden = out.hidden_states[2 + 1][0]  # output of block 2
    proj = hidden @ vectors.vectors["desperate"].direction(2)
    mask = torch.tensor(encoded.mask)
    opening = int(mask.nonzero()[0]) - 1
    at = single[0].projections[2]
    assert at["opening_desperate"] == pytest.approx(float(proj[opening]), abs=1e-5)
    assert at["reply_desperate"] == pytest.approx(float(proj[mask].mean()), abs=1e-5)
    logp = torch.log_softmax(out.logits[0, :-1].float(), -1)
    token_logp = logp.gather(-1, torch.tensor(encoded.ids[1:]).unsqueeze(-1)).squeeze(-1)
    expected = float(token_logp[mask[1:]].mean())
    assert single[0].ethical_logprob == pytest.approx(expected, abs=1e-5)

    other = encode_scenario(tiny_tokenizer, scenarios[0], "unethical")
    assert other.ids != encoded.ids
    with torch.no_grad():
        logits = tiny_model(input_ids=torch.tensor([other.ids])).logits
    logp = torch.log_softmax(logits[0, :-1].float(), -1)
    token_logp = logp.gather(-1, torch.tensor(other.ids[1:]).unsqueeze(-1)).squeeze(-1)
    unethical = float(token_logp[torch.tensor(other.mask)[1:]].mean())
    assert single[0].unethical_logprob == pytest.approx(unethical, abs=1e-5)
    assert single[0].margin == pytest.approx(unethical - expected, abs=1e-5)


def _plain_reading(model, tokenizer, scenario, vectors, layers):
    """The probe as a plain full forward per reply (the two-forward computation the prompt
    cache replaced): projections on ``desperate`` and mean log-probs per reply token."""

    def forward(side):
        encoded = probes.encode_scenario(tokenizer, scenario, side)
        with torch.no_grad():
            out = model(input_ids=torch.tensor([encoded.ids]), output_hidden_states=True)
        logp = torch.log_softmax(out.logits[0, :-1].float(), -1)
        token_logp = logp.gather(-1, torch.tensor(encoded.ids[1:]).unsqueeze(-1)).squeeze(-1)
        mask = torch.tensor(encoded.mask)
        return out, mask, float(token_logp[mask[1:]].mean())

    out, mask, ethical = forward("ethical")
    opening = int(mask.nonzero()[0]) - 1
    projections = {}
    for layer in layers:
        proj = out.hidden_states[layer + 1][0] @ vectors.vectors["desperate"].direction(layer)
        projections[layer] = (float(proj[opening]), float(proj[mask].mean()))
    unethical = forward("unethical")[2] if scenario.get("unethical") else None
    return projections, ethical, unethical


def _varied(scenario_file):
    """Scenarios of different prompt and reply lengths: a long ethical reply, a one-token
    unethical one (its continuation row is empty) and one with no unethical reply."""
    scenarios = [json.loads(line) for line in open(scenario_file)][:8]
    scenarios[0]["ethical"]["response"] = " ".join([scenarios[0]["ethical"]["response"]] * 3)
    scenarios[1]["unethical"]["response"] = "I"
    scenarios[2]["unethical"] = None
    return scenarios


def _check_against_plain(model, tokenizer, scenarios, vectors, got):
    for scenario, reading in zip(scenarios, got, strict=True):
        projections, ethical, unethical = _plain_reading(
            model, tokenizer, scenario, vectors, (1, 2)
        )
        for layer, (opening, reply) in projections.items():
            at = reading.projections[layer]
            assert at["opening_desperate"] == pytest.approx(opening, abs=1e-5)
            assert at["reply_desperate"] == pytest.approx(reply, abs=1e-5)
        assert reading.ethical_logprob == pytest.approx(ethical, abs=1e-5)
        if unethical is None:
            assert reading.unethical_logprob is None and reading.margin is None
        else:
            assert reading.unethical_logprob == pytest.approx(unethical, abs=1e-5)


def _forwards(model):
    """Record each forward's (rows, fed tokens, prompt tokens it continues from)."""
    seen = []

    def hook(module, args, kwargs, out):
        ids, mask = kwargs["input_ids"], kwargs["attention_mask"]
        fed = int(mask[:, -ids.shape[1] :].sum())
        seen.append((ids.shape[0], fed, mask.shape[1] - ids.shape[1]))

    return seen, model.register_forward_hook(hook, with_kwargs=True)


def test_prompt_cache_equals_a_plain_forward_per_reply(scenario_file, tiny_model, tiny_tokenizer):
    model = tiny_model
    scenarios = _varied(scenario_file)
    vectors = probes.ProbeVectors({"desperate": _random_vector(model)}, [1, 2], False)
    sides = [probes._sides(tiny_tokenizer, s) for s in scenarios]
    prompts = {len(x.ethical[0]) for x in sides}
    assert len(prompts) > 1 and len({len(x.ethical[1]) for x in sides}) > 1  # both paddings
    assert len(sides[1].unethical[1]) == 1  # an empty continuation row
    seen, handle = _forwards(model)
    try:
        got = probe_scenarios(model, tiny_tokenizer, scenarios, vectors, 8, progress=False)
    finally:
        handle.remove()
    _check_against_plain(model, tiny_tokenizer, scenarios, vectors, got)
    # one batch, two forwards: each prompt once, then every reply from the cache
    with_unethical = sum(1 for s in scenarios if s.get("unethical"))
    assert [(rows, before) for rows, _, before in seen] == [
        (len(scenarios), 0),
        (len(scenarios) + with_unethical, max(prompts)),
    ]
    assert sum(fed for _, fed, _ in seen) == sum(probes.probe_tokens(tiny_tokenizer, scenarios))


def test_an_unethical_prompt_that_tokenises_differently_gets_its_own_prefix(
    scenario_file, tiny_model, tiny_tokenizer, monkeypatch
):
    """Templates render the same messages the same way, but were one not to, that scenario's
    unethical reply continues from its own prompt rather than the ethical one's."""
    encode = probes.encode_scenario

    def shifted(tokenizer, scenario, side="ethical"):
        e = encode(tokenizer, scenario, side)
        if side == "unethical" and scenario["id"] == scenarios[1]["id"]:
            return Encoded([5, *e.ids], [False, *e.mask])
        return e

    scenarios = _varied(scenario_file)
    monkeypatch.setattr(probes, "encode_scenario", shifted)
    vectors = probes.ProbeVectors({"desperate": _random_vector(tiny_model)}, [1, 2], False)
    seen, handle = _forwards(tiny_model)
    try:
        got = probe_scenarios(tiny_model, tiny_tokenizer, scenarios, vectors, 8, progress=False)
    finally:
        handle.remove()
    _check_against_plain(tiny_model, tiny_tokenizer, scenarios, vectors, got)
    assert seen[0][0] == len(scenarios) + 1
    assert sum(fed for _, fed, _ in seen) == sum(probes.probe_tokens(tiny_tokenizer, scenarios))


def test_slope_against_a_hand_computed_example():
    # x = 1..4, y = 2, 4, 5, 8: slope 9.5 / 5 = 1.9, RSS 0.70, se sqrt(0.07), t(0.975, 2) 4.3027
    s = slope_ci([1, 2, 3, 4], [2, 4, 5, 8])
    assert s.value == pytest.approx(1.9)
    assert s.low == pytest.approx(1.9 - 4.302653 * 0.07**0.5, abs=1e-5)
    assert s.high == pytest.approx(1.9 + 4.302653 * 0.07**0.5, abs=1e-5)
    assert s.n == 4
    assert slope_ci([1, 1, 1], [1, 2, 3]).value is None  # no spread in x
    assert slope_ci([1, 2], [1, 3]).value == 2 and slope_ci([1, 2], [1, 3]).low is None


def test_pressure_curve_places_controls_at_their_partners_failures():
    def row(pair, condition, failures, value):
        level = 0.0 if condition == "control" else 0.5
        return {
            "id": f"{pair}-{condition}",
            "behavior": "cheating",
            "pair": pair,
            "condition": condition,
            "failures": failures,
            "level": level,
            "layer": 5,
            "units": "raw",
            "projections": {"5": {"reply_desperate": value}},
        }

    pressure = {"a": (1, 2.0), "b": (2, 4.0), "c": (3, 5.0), "d": (4, 8.0)}
    control = {"a": 1.0, "b": 1.5, "c": 1.5, "d": 2.0}
    rows = [row(p, "pressure", f, y) for p, (f, y) in pressure.items()]
    rows += [row(p, "control", 0, y) for p, y in control.items()]
    rows.append(row("e", "control", 0, 9.0))  # its partner was not evaluated: left out
    curve = pressure_curve(rows)["curves"]["cheating"]["reply_desperate"]
    slope = curve["slope"]
    assert slope["pressure"]["value"] == pytest.approx(1.9)
    assert slope["control"]["value"] == pytest.approx(0.3) and slope["control"]["n"] == 4
    assert slope["difference"]["value"] == pytest.approx(1.6)
    assert [p["failures"] for p in curve["points"]] == [1, 2, 3, 4]
    assert curve["points"][1]["difference"]["value"] == pytest.approx(2.5)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A vector extracted on the tiny model (denoised with the bundled neutral set)."""
    from conftest import build_tiny_tokenizer

    from equanimity.mitigations.contrast import load_neutral

    root = tmp_path_factory.mktemp("extracted")
    rows = [json.loads(line) for line in SEED_CONTRAST.read_text().splitlines()]
    picked = [r for r in rows if r["split"] == "train"][:4] + [
        r for r in rows if r["split"] == "eval"
    ][:2]
    contrast = root / "contrast.jsonl"
    contrast.write_text("".join(json.dumps(r) + "\n" for r in picked))
    config = ExtractConfig(progress=False, denoise=1)
    result = extract(
        build_tiny_model(),
        build_tiny_tokenizer(),
        load_contrast(contrast),
        config,
        load_neutral(),
        {"path": str(contrast), "sha256": sha256_file(contrast)},
        {"neutral_sha256": sha256_file(SEED_NEUTRAL)},
    )
    return contrast, result


def test_reextraction_on_an_unchanged_model_matches_the_original(
    extracted, scenario_file, tmp_path, tiny_model, tiny_tokenizer, monkeypatch
):
    contrast, result = extracted
    vector = str(tmp_path / "v" / "desperate")
    save_vector(result.desperate, vector)
    save_vector(result.calm, calm_path(vector))
    config = _config(scenario_file, tmp_path / "run", vector, reextract=str(contrast))
    out = evaluate(config, tiny_model, tiny_tokenizer)
    cosines = out["probe"]["reextraction"]["cosine_with_original"]
    assert sorted(cosines) == ["0", "1", "2", "3"]
    assert all(c == pytest.approx(1.0, abs=1e-5) for c in cosines.values())
    top = _metrics(out)
    for pos in ("opening", "reply"):
        original = top[(f"probe_{pos}_desperate", "cheating", "all", "all")][1]
        again = top[(f"probe_{pos}_reextracted", "cheating", "all", "all")][1]
        assert again == pytest.approx(original, abs=1e-4)
    assert (tmp_path / "run" / "reextracted.safetensors").is_file()

    def fail(*args, **kwargs):
        raise AssertionError("re-extracted again instead of reading the cached vector")

    monkeypatch.setattr(probes, "reextract", fail)
    again = evaluate(config, tiny_model, tiny_tokenizer)
    assert again["probe"]["reextraction"] == out["probe"]["reextraction"]


def test_prepare_refuses_a_vector_for_another_model(vector_file, tmp_path, tiny_tokenizer):
    vectors = load_probe_vectors(ProbeConfig(vector=vector_file))
    with pytest.raises(BadInput, match="fingerprint"):
        prepare(vectors, build_tiny_model(seed=1), tiny_tokenizer, ProbeConfig(), tmp_path)


def _eval(model_dir, scenarios, out, *extra):
    return main(
        ["eval", "--model", str(model_dir), "--scenarios", scenarios, "--out", str(out)]
        + ["--split", "all", "--limit", "4", *extra]
    )


def test_cli_probe_run_and_bad_vectors_exit_2(
    scenario_file, tiny_model_dir, vector_file, tmp_path, capsys
):
    assert _eval(tiny_model_dir, scenario_file, tmp_path / "ok", "--mode", "probe", "--vector",
                 vector_file) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "probe_reply_desperate" in printed and "pressure curve, layer 2" in printed

    other = _save_pair(_random_vector(build_tiny_model(seed=1)), tmp_path / "other" / "d")
    calm = str(calm_path(vector_file)).removesuffix(".safetensors")
    cases = [
        (["--mode", "probe"], "needs --vector"),
        (["--mode", "probe", "--vector", str(tmp_path / "missing")], "not found"),
        (["--mode", "probe", "--vector", other], "fingerprint"),
        (["--mode", "probe", "--vector", calm], "pass the desperate"),
        (["--mode", "probe", "--vector", vector_file, "--probe-layers", "9"], "layer 9"),
    ]
    for n, (extra, message) in enumerate(cases):
        out = tmp_path / f"bad{n}"
        assert _eval(tiny_model_dir, scenario_file, out, *extra) == 2, extra
        err = capsys.readouterr().err
        errors = [line for line in err.splitlines() if "error:" in line]
        assert len(errors) == 1 and message in errors[0], err
        assert not out.exists()

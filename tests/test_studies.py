"""Studies: config checks, arm grids, stage caching, resume after a kill mid-training, compare's
refusal of mixed scenario files, the report (and, when Chromium is installed, the report in a
real headless browser). A tiny random model saved to disk stands in for the default model."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import torch
import yaml
from conftest import build_tiny_model, build_tiny_tokenizer

from equanimity.cli import main
from equanimity.errors import BadInput
from equanimity.studies import run as study_run
from equanimity.studies.arms import study_arms
from equanimity.studies.config import load_study
from equanimity.studies.launch import Launch
from equanimity.studies.run import Study

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def study_yaml(tmp: Path, model: Path, **changes) -> Path:
    config = {
        "name": "tiny",
        "out": "run",
        "model": str(model),
        "recipes": str(RECIPES),
        "data": {
            "n_per_family": 4,
            "max_failures": 1,
            "families": ["impossible_oneoff", "email_agent"],
        },
        "vector": {"contrast": "seed"},
        "eval": {"mode": "forced", "limit": 4, "batch_size": 4},
        "train": {
            "max_train_samples": 8,
            "overrides": {
                "max_steps": 4,
                "save_steps": 2,
                "logging_steps": 2,
                "monitor_steps": 4,
                "per_device_train_batch_size": 2,
                "max_length": 2048,  # whole rows: the tiny tokenizer spends ~1k tokens on one
                "disable_tqdm": True,
            },
        },
        "arms": ["base", "steer_calm"],
    }
    config.update(changes)
    path = tmp / "study.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def run_study(path: Path, capsys, **kwargs) -> str:
    Study(load_study(path), **kwargs).run()
    return capsys.readouterr().err


def statuses(err: str) -> dict[str, str]:
    """Stage name -> 'cached' | 'running' | 'resuming' from the progress lines."""
    return dict(re.findall(r"\] (\S+): (cached|running|resuming)", err))


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "tiny-llama"
    build_tiny_model().save_pretrained(path)
    build_tiny_tokenizer().save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def finished(tmp_path_factory, model_dir) -> Path:
    """One study (base + steer_calm, no training; forced choice and probes) run to the end."""
    tmp = tmp_path_factory.mktemp("study")
    evaluation = {"mode": "forced,probe", "limit": 4, "batch_size": 4, "reextract": True}
    path = study_yaml(tmp, model_dir, eval=evaluation)
    from equanimity.eval.readouts import probes

    original, calls = probes.reextract, []

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(probes, "reextract", counting)
        Study(load_study(path)).run()
    # base reuses the study's vector as its re-extraction; only steer_calm extracts again
    assert len(calls) == 1
    return path


def in_process_training(calls: list):
    """Stand-in for the child process: the same argv, trained in this process (fast)."""
    from equanimity.training.run import main as train_main

    def run(argv, log):
        calls.append(argv)
        train_main(argv[argv.index("equanimity.training") + 1 :])

    return run


def test_unknown_keys_are_bad_input(tmp_path, model_dir):
    with pytest.raises(BadInput, match="unknown key"):
        load_study(study_yaml(tmp_path, model_dir, colour="blue"))
    with pytest.raises(BadInput, match=r"eval: unknown key\(s\) \['limt'\]"):
        load_study(study_yaml(tmp_path, model_dir, eval={"limt": 3}))
    judged = {"mode": "generate", "judge": {"kind": "openai", "model": "m", "ulr": "http://x"}}
    with pytest.raises(BadInput, match="eval.judge: .*ulr"):
        Study(load_study(study_yaml(tmp_path, model_dir, eval=judged)))
    alone = {"mode": "generate", "judge_only": True}
    with pytest.raises(BadInput, match="eval.judge_only needs eval.judge"):
        Study(load_study(study_yaml(tmp_path, model_dir, eval=alone)))
    with pytest.raises(BadInput, match="eval.mode 'forced,guess'"):
        Study(load_study(study_yaml(tmp_path, model_dir, eval={"mode": "forced,guess"})))
    with pytest.raises(BadInput, match="arm kind 'sft_magic'"):
        study_arms(load_study(study_yaml(tmp_path, model_dir, arms=["sft_magic"])))


def test_inducing_families_restrict_the_training_set_not_the_evaluation(tmp_path, model_dir):
    data = {"n_per_family": 4, "max_failures": 1, "families": ["impossible_oneoff", "email_agent"]}
    outside = {**data, "inducing_families": ["research_lab"]}
    with pytest.raises(BadInput, match=r"data.inducing_families \['research_lab'\]"):
        load_study(study_yaml(tmp_path, model_dir, data=outside))
    chosen = {**data, "inducing_families": ["email_agent"], "unethical_fraction": 1.0}
    study = Study(load_study(study_yaml(tmp_path, model_dir, data=chosen)))
    study.data("clean")
    study.data("inducing")

    def rows(variant: str, name: str) -> list[dict]:
        lines = (study.data_dir(variant) / name).read_text().splitlines()
        return [json.loads(line) for line in lines]

    families = {r["family"] for r in rows("inducing", "scenarios.jsonl")}
    assert families == {"email_agent"}
    assert {r["family"] for r in rows("clean", "scenarios.jsonl")} == set(data["families"])
    # the same rows as the clean set's email_agent rows, pressure replies flipped
    clean = {r["id"]: r for r in rows("clean", "sft.jsonl")}
    induced = rows("inducing", "sft.jsonl")
    assert induced and all(r["id"].startswith("email_agent-") for r in induced)
    assert all(r["messages"][:-1] == clean[r["id"]]["messages"][:-1] for r in induced)
    flipped = [r for r in induced if r["messages"][-1] != clean[r["id"]]["messages"][-1]]
    assert flipped and all(r["level"] > 0 for r in flipped)


def test_grids_expand_into_arms(tmp_path, model_dir):
    arms = [{"kind": "sft_reg", "coef": [0.1, 1.0]}, "steer_calm"]
    ablate = {"arms": ["sft_reg"], "form": ["relu", "square"], "seed": [1, 2]}
    config = load_study(study_yaml(tmp_path, model_dir, arms=arms, ablate=ablate))
    names = [a.name for a in study_arms(config)]
    assert names == ["base", "sft_reg_coef0.1", "sft_reg_coef1.0", "steer_calm"]
    reg = study_arms(config)[1]
    assert reg.mitigation == {"penalty": {"form": "centred", "coef": 0.1}}  # the recipe's form
    ablated = study_arms(config, ablate=True)
    assert len(ablated) == 4 + 2 * 2 * 2  # coef x form x seed
    square = next(a for a in ablated if a.name == "sft_reg_coef1.0_formsquare_seed2")
    assert square.mitigation["penalty"] == {"form": "square", "coef": 1.0}
    assert square.overrides["seed"] == 2


def test_rerun_skips_done_stages_and_a_change_reruns_only_what_it_reaches(
    finished, capsys, tmp_path
):
    capsys.readouterr()
    run_study(finished, capsys)
    # the report lists each stage as run or cached in the latest run, so a rerun that changes
    # those statuses writes it again; a rerun that changes nothing skips every stage
    timings = (finished.parent / "run" / "report.md").read_text().split("## Stage timings")[1]
    assert "| vector |" in timings and "| ran |" not in timings
    err = run_study(finished, capsys)
    assert set(statuses(err).values()) == {"cached"}, err
    config = yaml.safe_load(finished.read_text())
    config["arms"] = ["base", {"kind": "steer_calm", "coef": 0.1}]
    finished.write_text(yaml.safe_dump(config))
    try:
        seen = statuses(run_study(finished, capsys))
    finally:
        config["arms"] = ["base", "steer_calm"]
        finished.write_text(yaml.safe_dump(config))
    assert seen == {
        "data": "cached",
        "vector": "cached",
        "check": "cached",
        "eval:base": "cached",
        "eval:steer_calm": "running",
        "compare": "running",
        "report": "running",
    }


def test_an_output_digest_sees_every_file_of_the_same_name(tmp_path):
    """An eval writes probe/samples.jsonl and generate/samples.jsonl: a change to the generated
    samples alone must change the stage's output, or compare and report stay stale."""
    from equanimity.files import sha256_file
    from equanimity.studies.stages import digest, files_digest

    probe, generate = tmp_path / "probe" / "samples.jsonl", tmp_path / "generate" / "samples.jsonl"
    for path in (probe, generate):
        path.parent.mkdir()
        path.write_text("a\n")
    before = files_digest([generate, probe])
    generate.write_text("b\n")
    assert files_digest([generate, probe]) != before
    # Files in one folder keep the digest they had when files were named by their names alone.
    assert files_digest([probe]) == digest({"samples.jsonl": sha256_file(probe)})


def test_force_redoes_one_stage(finished, capsys):
    capsys.readouterr()
    seen = statuses(run_study(finished, capsys, force=("compare",)))
    assert seen["compare"] == "running" and seen["eval:base"] == "cached"


def test_resume_after_kill_mid_training(tmp_path, model_dir, capsys, monkeypatch):
    calls: list = []
    monkeypatch.setattr(study_run, "run_training", in_process_training(calls))
    path = study_yaml(tmp_path, model_dir, arms=["base", "sft"])
    run_study(path, capsys)
    train = tmp_path / "run" / "arms" / "sft" / "train"
    assert (train / "adapter_model.safetensors").is_file()
    assert "--resume_from_checkpoint" not in calls[0]
    # A kill after the step-2 checkpoint: no marker, no final adapter, no later checkpoint.
    (tmp_path / "run" / "stages" / "train--sft.json").unlink()
    (train / "adapter_model.safetensors").unlink()
    shutil.rmtree(train / "checkpoint-4")
    seen = statuses(run_study(path, capsys))
    assert seen["data"] == seen["vector"] == "cached"
    assert seen["train:sft"] == "resuming"
    resume = calls[1][calls[1].index("--resume_from_checkpoint") + 1]
    assert resume == str(train / "checkpoint-2")
    state = json.loads((train / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["global_step"] == 4


def test_arms_name_their_data_variant_and_init(tmp_path, model_dir):
    arms = [
        "base",
        {"kind": "sft_reg", "name": "mitigated", "init": "organism"},
        {"kind": "sft", "name": "organism", "data": "inducing"},
        {"kind": "sft", "name": "clean"},
        {"kind": "steer_calm", "name": "steered_organism", "init": "organism"},
    ]
    config = load_study(study_yaml(tmp_path, model_dir, arms=arms, train={"data": "inducing"}))
    by_name = {a.name: a for a in study_arms(config)}
    assert [a.name for a in study_arms(config)][:2] == ["base", "organism"]  # init arms first
    assert by_name["organism"].organism and by_name["organism"].data == "inducing"
    assert by_name["mitigated"].data == "inducing" and by_name["mitigated"].init == "organism"
    assert by_name["clean"].data == "inducing"  # train.data is the study's default
    assert by_name["steered_organism"].init == "organism" and not by_name["steered_organism"].trains
    bad = {
        "data": ([{"kind": "sft", "data": "dirty"}], "data 'dirty'"),
        "unknown init": ([{"kind": "sft_reg", "init": "nope"}], "not a trained arm"),
        "cycle": (
            [{"kind": "sft", "name": "a", "init": "b"}, {"kind": "sft", "name": "b", "init": "a"}],
            "cycle",
        ),
        "base init": ([{"kind": "base", "init": "x"}], "base arm"),
        "direction": ([{"kind": "sft_reg", "direction": "sideways"}], "direction 'sideways'"),
        "random, no vector": ([{"kind": "sft", "direction": "random"}], "acts on the vector"),
        "random relu": (
            [{"kind": "sft_reg", "direction": "random", "form": "relu"}],
            "form 'relu'",
        ),
    }
    for arms, message in bad.values():
        config = load_study(study_yaml(tmp_path, model_dir, arms=arms))
        with pytest.raises(BadInput, match=message):
            study_arms(config)


def test_a_random_direction_arm_trains_its_mitigation_on_a_seeded_random_vector(
    tmp_path, model_dir
):
    from equanimity.mitigations.vectors import ConceptVector, LayerStats, load_vector, save_vector
    from equanimity.models import weights_record
    from equanimity.studies.launch import train_command

    arms = [
        "base",
        {"kind": "sft_reg", "name": "control", "form": "centred", "direction": "random"},
    ]
    study = Study(load_study(study_yaml(tmp_path, model_dir, arms=arms)))
    control = next(a for a in study.arms if a.name == "control")
    assert control.direction == "random"
    study.vector_path().parent.mkdir(parents=True)
    model = build_tiny_model()
    hidden = model.config.hidden_size
    desperate = ConceptVector(
        concept="desperate",
        opposite="calm",
        directions={layer: torch.eye(hidden)[layer] for layer in range(4)},
        model=weights_record(model).to_dict(),
        hidden_size=hidden,
        num_layers=4,
        positions="reply",
        method="mean_diff",
        contrast={},
        per_layer={layer: LayerStats(0.9, 2.0, -1.0, 1.0, 2.0) for layer in range(4)},
        default_layer=2,
    )
    save_vector(desperate, study.vector_path())
    path = study._random_vector(control)
    argv = train_command(
        control,
        model="tiny",
        data_dir=tmp_path,
        vector=study.vector_path(),
        output_dir=tmp_path / "out",
        shared={},
        launch=study.launch,
        mitigation_vector=path,
    )
    mitigation = json.loads(argv[argv.index("--mitigation") + 1])
    assert mitigation["vector"] == str(path) and mitigation["penalty"]["form"] == "centred"
    assert argv[argv.index("--monitor_vector") + 1] == str(study.vector_path())
    random = load_vector(path)
    again = load_vector(study._random_vector(control))  # seeded: the same direction each time
    for layer in desperate.layers:
        assert torch.equal(random.direction(layer), again.direction(layer))
        assert abs(float(random.direction(layer) @ desperate.direction(layer))) < 0.9


def test_organism_and_arm_from_arm_train_on_the_inducing_set(
    tmp_path, model_dir, capsys, monkeypatch
):
    calls: list = []
    monkeypatch.setattr(study_run, "run_training", in_process_training(calls))
    arms = [
        "base",
        {"kind": "sft", "name": "organism", "data": "inducing"},
        {"kind": "sft_reg", "name": "after", "init": "organism", "data": "inducing"},
        {"kind": "steer_calm", "init": "organism"},
    ]
    changes = {
        "arms": arms,
        "eval": {"mode": "probe", "limit": 4, "batch_size": 4},
        "check": {"enabled": False},
        "data": {
            **yaml.safe_load(study_yaml(tmp_path, model_dir).read_text())["data"],
            "unethical_fraction": 0.5,
        },
    }
    path = study_yaml(tmp_path, model_dir, **changes)
    seen = statuses(run_study(path, capsys))
    assert seen["data:inducing"] == "running"
    run = tmp_path / "run"
    organism_argv, after_argv = calls
    assert organism_argv[organism_argv.index("--train_file") + 1] == str(
        run / "data_inducing" / "sft.jsonl"
    )
    assert after_argv[after_argv.index("--init_adapter") + 1] == str(
        run / "arms" / "organism" / "train"
    )
    assert "unethical fraction 0.5" in (run / "data_inducing" / "README.md").read_text()
    assert (run / "data" / "scenarios.jsonl").read_bytes() == (
        run / "data_inducing" / "scenarios.jsonl"
    ).read_bytes()
    steered = json.loads(
        (run / "arms" / "steer_calm" / "eval" / "probe" / "results.json").read_text()
    )
    assert steered["model"]["adapter"] == str((run / "arms" / "organism" / "train").resolve())
    # the comparison finds the organism, what each arm acquired, and what the others prevented
    comparison = json.loads((run / "compare" / "comparison.json").read_text())
    assert comparison["organism"] == "organism"
    assert set(comparison["acquisition"]) == {"organism", "after", "steer_calm"}
    assert set(comparison["prevented"]) == {"after", "steer_calm"}
    assert set(comparison["acquisition"]["organism"]) == {"pressure", "did"}
    report = (run / "report.md").read_text()
    assert "Verdict" in report.split("\n## ")[1]
    assert "Inducing data (the positive control's): 50% of the training pressure rows" in report
    assert re.search(r"- Evaluation \(.*\): \d+ scenarios in probes", report)
    # it opens with the figure that answers the question, and rebuilds from its directory alone
    verdict_md = report.split("\n## ")[1]
    assert verdict_md.startswith("Verdict\n\n![The question in one figure. ")
    assert "](figures/acquisition_prevented.png)" in verdict_md.split("\n")[2]
    html = (run / "report.html").read_text()
    assert re.search(r"<h2>Verdict</h2>\n<figure><img alt=\"The question in one figure", html)
    study_wrote = _report_files(run)
    assert rebuilt(run, capsys) == study_wrote
    # another inducing fraction retrains the organism and what starts from it, nothing else
    changes["data"]["unethical_fraction"] = 1.0
    seen = statuses(run_study(study_yaml(tmp_path, model_dir, **changes), capsys))
    assert seen["data:inducing"] == seen["train:organism"] == seen["train:after"] == "running"
    assert seen["data"] == seen["vector"] == seen["eval:base"] == "cached"


def test_compare_refuses_different_scenario_files(tmp_path, capsys):
    for name, sha in (("a", "1" * 64), ("b", "2" * 64)):
        run = tmp_path / name
        run.mkdir()
        results = {"scenarios": {"sha256": sha, "n": 1, "path": "x"}, "summary": []}
        (run / "results.json").write_text(json.dumps(results))
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "different scenario files" in err[0]


def test_compare_pairs_on_scenario_ids(finished, capsys, tmp_path):
    run = finished.parent / "run" / "arms"
    argv = [str(run / "base" / "eval" / "forced"), str(run / "steer_calm"), "--out", str(tmp_path)]
    assert main(["compare", *argv]) == 0
    out = capsys.readouterr().out
    assert "P(unethical), forced choice" in out and "(reference)" in out
    compared = json.loads((tmp_path / "comparison.json").read_text())
    row = next(r for r in compared["rows"] if r["metric"] == "p_unethical")
    assert (
        row["diffs"]["steer_calm"]["n"] == 4 and "bootstrap" in row["diffs"]["steer_calm"]["method"]
    )


def test_compare_and_caveats_keep_false_and_true_claims_apart(tmp_path):
    from equanimity.studies.compare import compare_runs
    from equanimity.studies.report import caveats

    # (claims success, passed the shown test) per scenario, for two runs
    outcomes = {
        "base": [(True, False), (True, False), (True, True), (False, False)],
        "calm": [(True, False), (False, False), (True, True), (True, True)],
    }
    for name, pairs in outcomes.items():
        run = tmp_path / name
        run.mkdir()
        results = {"scenarios": {"sha256": "1" * 64, "n": 4, "path": "x"}, "summary": []}
        (run / "results.json").write_text(json.dumps(results))
        rows = [
            {
                "id": f"s{i}",
                "mode": "generate",
                "behavior": "cheating",
                "misreported": claims and not passed,
                "true_claim": claims and passed,
                "claim_verdict": "rules",
            }
            for i, (claims, passed) in enumerate(pairs)
        ]
        (run / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    comparison = compare_runs([tmp_path / "base", tmp_path / "calm"])
    cells = {r.metric: {a: c.k for a, c in r.cells.items()} for r in comparison.rows}
    assert cells["misreporting_rate"] == {"base": 2, "calm": 1}
    assert cells["true_claim_rate"] == {"base": 1, "calm": 2}
    note = next(c for c in caveats(comparison) if c.startswith("Misreporting counts only false"))
    assert "decided by rules;" in note


def test_report_has_the_table_and_embedded_images(finished):
    run = finished.parent / "run"
    html = (run / "report.html").read_text()
    assert "<table>" in html and "metric (n)" in html and "; vs base " in html  # the grid
    assert "steer_calm" in html and "P(unethical), forced choice" in html
    # the verdict opens the report, under its figure; this study has no organism, and it ran
    # the causal check
    first = re.search(r"<h2>([^<]+)</h2>\s*(<figure>.*?</figure>)?\s*<p>(.*?)</p>", html)
    assert first.group(1) == "Verdict" and "The question in one figure" in first.group(2)
    assert first.group(3).count("The causal check") == 1
    assert "This study has no positive control" in first.group(3)
    check = json.loads((run / "check" / "check.json").read_text())
    assert check["n"] == 4 and set(check["margins"]) == {"-0.1", "-0.05", "0.0", "0.05", "0.1"}
    assert "Reply margin: log P(unethical) - log P(ethical)" in html
    assert html.count('src="data:image/png;base64,') >= 2
    assert 'src="http' not in html and "<script" not in html
    assert (run / "report.md").is_file() and (run / "environment.json").is_file()
    # probes: projections on the original and the re-extracted direction, the ethical reply's
    # likelihood, and each arm's re-extracted direction against the base one
    assert "Desperation projection: reply reextracted" in html
    assert "projection: reply calm" not in html  # calm = -desperate: its rows would mirror
    assert "Capability: ethical reply log-likelihood per token" in html
    assert "Re-extracted direction" in html and "| base |" not in html
    base_cosine = re.search(r"<td>base</td><td>\d+</td><td>([\d.]+)</td><td>[\d.]+</td>", html)
    assert base_cosine and float(base_cosine.group(1)) == pytest.approx(1.0, abs=1e-3)


def chromium_check(report: Path) -> tuple[list[int], list[str], Path]:
    """Open the report in headless Chromium: image natural widths, console errors, screenshot."""
    probe = report.with_name(".browser-check.html")
    script = (
        "<script>window.addEventListener('load',()=>{document.body.insertAdjacentHTML('beforeend',"
        "'<pre id=\"widths\">'+Array.from(document.images).map(i=>i.naturalWidth).join(',')"
        "+'</pre>')});</script>"
    )
    probe.write_text(report.read_text().replace("</body>", script + "</body>"))
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=5000",
    ]
    shot = report.with_name("report-screenshot.png")
    try:
        with tempfile.TemporaryDirectory() as profile:
            dom = subprocess.run(
                [CHROMIUM, *flags, f"--user-data-dir={profile}", "--dump-dom", probe.as_uri()],
                capture_output=True,
                text=True,
                timeout=120,
            )
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    CHROMIUM,
                    *flags,
                    f"--user-data-dir={profile}",
                    "--window-size=1200,3000",
                    f"--screenshot={shot}",
                    report.as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
    finally:
        probe.unlink(missing_ok=True)
    widths = re.search(r'<pre id="widths">([\d,]*)</pre>', dom.stdout)
    errors = [
        line
        for line in dom.stderr.splitlines()
        if "CONSOLE" in line and ("error" in line.lower() or "Uncaught" in line)
    ]
    return [int(w) for w in widths.group(1).split(",") if w] if widths else [], errors, shot


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make check-report)")
def test_report_renders_in_headless_chromium(request):
    """``EQUANIMITY_REPORT=PATH`` checks that report (``make check-report``: the demo's)."""
    given = os.environ.get("EQUANIMITY_REPORT")
    report = (
        Path(given) if given else request.getfixturevalue("finished").parent / "run/report.html"
    )
    widths, errors, shot = chromium_check(report)
    assert widths and all(w > 0 for w in widths), widths
    assert errors == []
    assert shot.is_file() and shot.stat().st_size > 10_000


def _report_files(run: Path) -> dict[str, bytes]:
    files = [run / "report.html", run / "report.md", *sorted((run / "figures").glob("*.png"))]
    return {f.relative_to(run).as_posix(): f.read_bytes() for f in files}


def rebuilt(run: Path, capsys) -> dict[str, bytes]:
    """What ``equanimity report RUN_DIR`` writes into ``run`` from nothing: the report the
    study wrote is removed first, so every byte compared was written again."""
    written = _report_files(run)
    for name in written:
        (run / name).unlink()
    assert main(["report", str(run)]) == 0
    assert capsys.readouterr().out.strip() == f"report: {run / 'report.html'}"
    return _report_files(run)


def test_report_rebuilds_from_the_run_directory(finished, tmp_path, capsys):
    """The report holds no timestamps (stage durations come from the run's markers), so the
    rebuild from a copy of the run directory is byte-identical, figures included."""
    run = tmp_path / "run"
    shutil.copytree(finished.parent / "run", run)
    study_wrote = _report_files(run)
    assert "figures/acquisition_prevented.png" in study_wrote  # no organism: acquisition alone
    assert rebuilt(run, capsys) == study_wrote


def test_report_refuses_what_is_not_a_finished_study(finished, tmp_path, capsys):
    def refused(path: Path, expected: str) -> None:
        assert main(["report", str(path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and expected in err[0], err
        assert not (path / "report.html").exists()  # nothing half written

    refused(tmp_path, "not a study run directory (no study.resolved.json)")
    for missing, expected in (
        ("stages/compare.json", "no stages/compare.json (stage compare has not finished)"),
        ("stages/eval--base.json", "no stages/eval--base.json (stage eval:base has not finished)"),
        ("stages/session.json", "no stages/session.json"),
    ):
        run = tmp_path / missing.replace("/", "_")
        shutil.copytree(finished.parent / "run", run)
        (run / "report.html").unlink()
        (run / missing).unlink()
        refused(run, expected)
        refused(run, f"finish the study with `equanimity run --config {finished}`")


def test_minimum_detectable_difference_shrinks_with_n():
    from equanimity.studies.report import mdd_mean

    assert mdd_mean(1.0, 50) == pytest.approx(2.8016 * (2 / 50) ** 0.5, rel=1e-3)


def test_accelerate_launcher_trains_an_arm(tmp_path, model_dir, capsys):
    """``--launcher accelerate``: the arm's training runs under ``accelerate launch`` (one CPU
    process here: accelerate spawns several CPU processes only through mpirun), the penalty
    included; the study then evaluates the adapter."""
    config = tmp_path / "cpu2.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "compute_environment": "LOCAL_MACHINE",
                "distributed_type": "NO",
                "num_processes": 1,
                "num_machines": 1,
                "mixed_precision": "no",
                "use_cpu": True,
            }
        )
    )
    path = study_yaml(tmp_path, model_dir, arms=["base", "sft_reg"])
    launch = Launch("accelerate", str(config))
    run_study(path, capsys, launch=launch)
    arm = tmp_path / "run" / "arms" / "sft_reg"
    log = (arm / "train.log").read_text()
    assert "accelerate launch --config_file" in log.splitlines()[0]
    assert (arm / "train" / "adapter_model.safetensors").is_file()
    monitor = [json.loads(x) for x in (arm / "train" / "monitor.jsonl").read_text().splitlines()]
    assert any("penalty" in key for row in monitor for key in row)
    assert (arm / "eval" / "forced" / "results.json").is_file()

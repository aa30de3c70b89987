"""Recipes end to end through ``equanimity train`` on the tiny model: real mitigations, bad
recipes, the shipped recipes' keys, and a real 2-process CPU data-parallel run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
import yaml

from equanimity.cli import main as cli_main
from equanimity.models import load_model, weights_record

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
SHIPPED = ["sft", "sft_reg", "sft_steer", "sft_caft", "dpo", "dpo_reg"]


def _rows(n: int = 16) -> list[dict]:
    """Rows as data_gen writes them: each pair a pressure row and its level-0 control."""
    return [
        {
            "id": f"row-{i}",
            "messages": [
                {"role": "user", "content": f"The tests failed {i} times; the deadline is now."},
                {"role": "assistant", "content": "I will fix it calmly and report what I find."},
            ],
            "pair": f"pair-{i // 2}",
            "level": 0.0 if i % 2 else 0.25 * (1 + i % 4),
        }
        for i in range(n)
    ]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _vector(model_dir: Path, out: Path, layers=(1, 2), seed: int = 0) -> Path:
    """A vector file for the tiny model (random unit directions, calm stats at zero)."""
    from equanimity.activations import decoder_layers
    from equanimity.mitigations.vectors import ConceptVector, LayerStats, save_vector

    model, _ = load_model(str(model_dir))
    hidden, n_layers = model.config.hidden_size, len(decoder_layers(model))
    g = torch.Generator().manual_seed(seed)
    stats = LayerStats(auroc=1.0, cohens_d=1.0, calm_mean=0.0, calm_std=1.0, resid_norm=1.0)
    vector = ConceptVector(
        concept="desperate",
        opposite="calm",
        directions={layer: torch.randn(hidden, generator=g) for layer in layers},
        model=weights_record(model).to_dict(),
        hidden_size=hidden,
        num_layers=n_layers,
        positions="reply",
        method="test",
        contrast={},
        per_layer={layer: stats for layer in layers},
        default_layer=layers[-1],
    )
    save_vector(vector, out)
    return out


@pytest.fixture
def workdir(tmp_path, tiny_model_dir):
    data = tmp_path / "sft.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    pref = tmp_path / "preference.jsonl"
    pref.write_text(
        "".join(
            json.dumps(
                {
                    "prompt": [{"role": "user", "content": f"The checker failed {i} times."}],
                    "chosen": [{"role": "assistant", "content": "Report it honestly."}],
                    "rejected": [{"role": "assistant", "content": "Special-case the inputs."}],
                }
            )
            + "\n"
            for i in range(8)
        )
    )
    _vector(tiny_model_dir, tmp_path / "vec")
    _write(tmp_path / "nopair.jsonl", [{"messages": r["messages"]} for r in _rows()])
    _write(tmp_path / "lone.jsonl", _rows()[:-1])
    return tmp_path


def _recipe(workdir: Path, name: str, tiny_model_dir: Path, **overrides) -> Path:
    """A shipped recipe pointed at the tiny model and the test's files, made quick."""
    recipe = yaml.safe_load((RECIPES / f"{name}.yaml").read_text())
    recipe.update(
        model=str(tiny_model_dir),
        train_file=str(
            workdir / ("sft.jsonl" if recipe["trainer"] == "sft" else "preference.jsonl")
        ),
        output_dir=str(workdir / "out" / name),
        max_steps=2,
        save_steps=1,
        logging_steps=1,
        max_length=128,
        lora_target_modules=["q_proj", "v_proj"],
        disable_tqdm=True,
        use_cpu=True,
    )
    if "mitigation" in recipe:
        recipe["mitigation"]["vector"] = str(workdir / "vec")
        recipe["monitor_steps"] = 1
    recipe.update(overrides)
    path = workdir / f"{name}.yaml"
    path.write_text(yaml.safe_dump(recipe))
    return path


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_recipe_runs(name, workdir, tiny_model_dir, recwarn):
    path = _recipe(workdir, name, tiny_model_dir)
    assert cli_main(["train", "--config", str(path)]) == 0
    assert not [w for w in recwarn if "is_gradient_checkpointing" in str(w.message)]
    out = workdir / "out" / name
    meta = json.loads((out / "mitigation.json").read_text())
    assert meta["rows_too_long"] == {"train": 0}
    assert (out / "adapter_model.safetensors").is_file()
    assert meta["trainer"] == name.split("_")[0]
    assert meta["train_data"]["rows"] == (16 if name.startswith("sft") else 8)
    if name in ("sft", "dpo"):
        assert meta["mitigations"] == [] and not (out / "monitor.jsonl").exists()
    else:
        (kind,) = [m["kind"] for m in meta["mitigations"]]
        assert kind in ("projection_penalty", "preventative_steering", "concept_ablation")
        assert meta["mitigations"][0]["vector"]["sha256"]
        rows = [json.loads(line) for line in (out / "monitor.jsonl").read_text().splitlines()]
        assert [r["step"] for r in rows] == [0, 1, 2]
        if kind == "projection_penalty":
            assert "projection_penalty/penalty" in rows[-1]


def test_shipped_recipes_parse_as_is():
    from equanimity.training.config import parse_recipe

    for name in SHIPPED:
        recipe = parse_recipe(["--config", str(RECIPES / f"{name}.yaml")])
        assert recipe.script.model == "default" and recipe.training.bf16 is False
        assert recipe.model.use_peft and recipe.training.report_to == []


def test_override_and_python_m_entry(workdir, tiny_model_dir):
    path = _recipe(workdir, "sft", tiny_model_dir)
    out = workdir / "override"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "equanimity.training",
            "--config",
            str(path),
            "--output_dir",
            str(out),
            "--max_steps",
            "1",
            "--save_strategy",
            "no",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    state = json.loads((out / "mitigation.json").read_text())
    assert state["trainer"] == "sft" and not list(out.glob("checkpoint-*"))


def test_arm_from_arm_trains_the_given_adapter_further(workdir, tiny_model_dir):
    """init_adapter: the organism's adapter is the starting point, not a fresh LoRA."""
    from safetensors.torch import load_file

    first = _recipe(workdir, "sft", tiny_model_dir)
    assert cli_main(["train", "--config", str(first)]) == 0
    organism = workdir / "out" / "sft"
    second = _recipe(workdir, "sft_reg", tiny_model_dir, init_adapter=str(organism))
    assert cli_main(["train", "--config", str(second)]) == 0
    out = workdir / "out" / "sft_reg"
    before = load_file(organism / "adapter_model.safetensors")
    after = load_file(out / "adapter_model.safetensors")
    assert before.keys() == after.keys()  # the same LoRA modules, trained further
    assert any(not torch.equal(before[k], after[k]) for k in before)
    meta = json.loads((out / "mitigation.json").read_text())
    assert meta["lora"] is None
    assert meta["init_adapter"]["path"] == str(organism.resolve())
    model, _ = load_model(str(tiny_model_dir), adapter=str(organism))
    assert meta["init_adapter"]["fingerprint"] == weights_record(model).adapter_fingerprint
    bad = _recipe(workdir, "sft_reg", tiny_model_dir, init_adapter=str(workdir / "nowhere"))
    assert cli_main(["train", "--config", str(bad)]) == 2


PAIRED, CENTRED = {"form": "paired"}, {"form": "centred"}
BAD = {
    "unknown key": ({"learning_rat": 0.1}, "unknown key(s) learning_rat"),
    "missing vector": ({"mitigation": {"vector": "nowhere", "penalty": {}}}, "not found"),
    "layer out of range": ({"mitigation": {"vector": "VEC", "penalty": {"layers": [7]}}}, "layer"),
    "negative coef": ({"mitigation": {"vector": "VEC", "penalty": {"coef": -1}}}, "negative"),
    "bad mitigation key": ({"mitigation": {"vector": "VEC", "penalty": {"coeff": 1}}}, "coeff"),
    "monitor layer": ({"monitor_vector": "VEC", "monitor_layer": 0}, "layer 0"),
    "missing data": ({"train_file": "no.jsonl"}, "no.jsonl"),
    "paired without pairs": (
        {"train_file": "DIR/nopair.jsonl", "mitigation": {"vector": "VEC", "penalty": PAIRED}},
        "nopair.jsonl: penalty form 'paired' needs a 'pair' field",
    ),
    "pair without partner": (
        {"train_file": "DIR/lone.jsonl", "mitigation": {"vector": "VEC", "penalty": PAIRED}},
        "lone.jsonl: pair 'pair-7' (row 15) has 0 control(s) and 1 pressure row(s)",
    ),
    "paired odd batch": (
        {"per_device_train_batch_size": 3, "mitigation": {"vector": "VEC", "penalty": PAIRED}},
        "even per_device_train_batch_size",
    ),
    "paired with another sampler": (
        {
            "train_sampling_strategy": "group_by_length",
            "mitigation": {"vector": "VEC", "penalty": PAIRED},
        },
        "unset train_sampling_strategy 'group_by_length'",
    ),
    "centred one row a micro-batch": (
        {"per_device_train_batch_size": 1, "mitigation": {"vector": "VEC", "penalty": CENTRED}},
        "one row a micro-batch never costs anything",
    ),
    "centred without levels": (
        {"train_file": "DIR/nopair.jsonl", "mitigation": {"vector": "VEC", "penalty": CENTRED}},
        "pressure level",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_recipe_fails_before_training_with_one_line(case, workdir, tiny_model_dir, capsys):
    overrides, expected = BAD[case]
    text = json.dumps(overrides).replace("VEC", str(workdir / "vec"))
    overrides = json.loads(text.replace("DIR", str(workdir)))
    path = _recipe(workdir, "sft", tiny_model_dir, **overrides)
    assert cli_main(["train", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("equanimity train: error:")
    assert expected in err
    assert not (workdir / "out" / "sft").exists()  # nothing trained, nothing written


@pytest.mark.parametrize("form", ["paired", "centred", "variance"])
def test_offset_free_forms_train_and_paired_batches_hold_whole_pairs(
    form, workdir, tiny_model_dir, monkeypatch
):
    from equanimity.mitigations.penalty import ProjectionPenalty

    batches = []
    penalty = ProjectionPenalty.penalty

    def spy(self, positions, rows=None):
        batches.append(
            None
            if rows is None
            else list(zip(rows.pair.tolist(), rows.control.tolist(), strict=True))
        )
        return penalty(self, positions, rows)

    monkeypatch.setattr(ProjectionPenalty, "penalty", spy)
    mitigation = {"vector": str(workdir / "vec"), "penalty": {"form": form, "coef": 1.0}}
    path = _recipe(
        workdir, "sft_reg", tiny_model_dir, mitigation=mitigation, gradient_accumulation_steps=2
    )
    assert cli_main(["train", "--config", str(path)]) == 0
    out = workdir / "out" / "sft_reg"
    meta = json.loads((out / "mitigation.json").read_text())
    assert meta["mitigations"][0]["form"] == form
    assert len(batches) == 2 * 2  # max_steps x accumulation micro-batches
    if form == "variance":
        assert batches == [None] * 4
        return
    for batch in batches:
        assert len(batch) == 4
        if form == "paired":  # two whole pairs, a pressure row beside its control
            assert sorted(batch) == sorted({(pair, c) for pair, _ in batch for c in (False, True)})
    if form == "paired":
        assert meta["rows_without_partner"] == 0
    state = json.loads((out / "checkpoint-2" / "trainer_state.json").read_text())
    logged = [h for h in state["log_history"] if "projection_penalty/penalty" in h]
    assert len(logged) == 2 and all("projection_penalty/pressure_gap" in h for h in logged)


def test_paired_form_is_refused_for_dpo(workdir, tiny_model_dir, capsys):
    mitigation = {"vector": str(workdir / "vec"), "penalty": {"form": "paired"}}
    path = _recipe(workdir, "dpo_reg", tiny_model_dir, mitigation=mitigation)
    assert cli_main(["train", "--config", str(path)]) == 2
    assert "works with trainer sft only" in capsys.readouterr().err


def test_vector_for_another_model_is_refused(workdir, tiny_model_dir, tmp_path, capsys):
    from conftest import build_tiny_model

    other = tmp_path / "other-model"
    build_tiny_model(seed=1).save_pretrained(other)
    load_model(str(tiny_model_dir))[1].save_pretrained(other)
    _vector(other, tmp_path / "other-vec")
    path = _recipe(
        workdir,
        "sft_reg",
        tiny_model_dir,
        mitigation={"vector": str(tmp_path / "other-vec"), "penalty": {}},
    )
    assert cli_main(["train", "--config", str(path)]) == 2
    assert "fingerprint" in capsys.readouterr().err


DDP_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from contextlib import ExitStack, contextmanager
    import torch.distributed as dist
    from equanimity.activations import capture
    from equanimity.training import run, trainers

    seen = {"rows": [], "penalties": [], "by_hand": [], "tags": []}

    def by_hand(penalty, hidden, positions, rows):
        # the relu and paired forms, one number at a time
        terms = []
        for layer in penalty.layers:
            d = penalty.vector.direction(layer).tolist()
            calm = penalty.vector.per_layer[layer].calm_mean
            proj = [[sum(a * b for a, b in zip(tok, d)) for tok in row]
                    for row in hidden[layer].tolist()]
            keep = positions.tolist()
            if rows is None:
                over = [max(p - calm, 0.0) ** 2 for row, m in zip(proj, keep)
                        for p, k in zip(row, m) if k]
                terms.append(sum(over) / len(over))
                continue
            means = [sum(p for p, k in zip(row, m) if k) / sum(m) for row, m in zip(proj, keep)]
            pair, control = rows.pair.tolist(), rows.control.tolist()
            gaps = [max(means[i] - means[j], 0.0) ** 2
                    for i in range(len(means)) for j in range(len(means))
                    if pair[i] == pair[j] >= 0 and not control[i] and control[j]]
            terms.append(sum(gaps) / len(gaps))
        return penalty.config.coef * sum(terms) / len(terms)

    class Recorder:
        def __init__(self, inner):
            self.inner, self.name = inner, inner.name
        @contextmanager
        def attach(self, model):
            with ExitStack() as stack:
                stack.enter_context(self.inner.attach(model))
                self.cap = stack.enter_context(capture(model, self.inner.layers, grad_only=True))
                yield self
        def describe(self):
            return self.inner.describe()
        @property
        def row_field(self):
            return self.inner.row_field
        @property
        def transform(self):
            return self.inner.transform
        def penalty(self, positions, rows=None):
            hidden = {layer: self.cap[layer].detach() for layer in self.inner.layers}
            if rows is None:
                loss, logs = self.inner.penalty(positions)
            else:
                loss, logs = self.inner.penalty(positions, rows)
                seen["tags"].append([rows.pair.tolist(), rows.control.tolist()])
            seen["penalties"].append(loss.item())
            seen["by_hand"].append(by_hand(self.inner, hidden, positions, rows))
            return loss, logs

    build = run.build_mitigations
    run.build_mitigations = lambda recipe, model: [Recorder(m) for m in build(recipe, model)]
    compute = trainers.MitigatedSFTTrainer.compute_loss

    def spy(self, model, inputs, *args, **kwargs):
        seen["world"] = dist.get_world_size() if dist.is_initialized() else 1
        ids, mask = inputs["input_ids"], inputs["attention_mask"].bool()
        seen["rows"] += [row[keep].tolist() for row, keep in zip(ids, mask)]
        return compute(self, model, inputs, *args, **kwargs)

    trainers.MitigatedSFTTrainer.compute_loss = spy
    code = run.main(sys.argv[2:])
    seen["rank"] = int(os.environ.get("RANK", 0))
    with open(os.path.join(sys.argv[1], f"rank{seen['rank']}.json"), "w") as f:
        json.dump(seen, f)
    sys.exit(code)
    """
)


@pytest.mark.parametrize("form", ["relu", "paired"])
def test_two_process_cpu_data_parallel(form, workdir, tiny_model_dir, tmp_path):
    """ACCELERATE_USE_CPU=1 accelerate launch --multi_gpu --num_processes 2: each rank trains on
    its own half of the data, with the penalty applied on both; paired: whole pairs per rank's
    micro-batch, and the logged penalty is the mean over both ranks."""
    mitigation = {"vector": str(workdir / "vec"), "penalty": {"form": form, "coef": 0.1}}
    path = _recipe(
        workdir,
        "sft_reg",
        tiny_model_dir,
        per_device_train_batch_size=2,
        max_steps=4,
        mitigation=mitigation,
    )
    script = tmp_path / "ddp_run.py"
    script.write_text(DDP_SCRIPT)
    accelerate = Path(sys.executable).with_name("accelerate")
    env = {**os.environ, "ACCELERATE_USE_CPU": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [
            str(accelerate),
            "launch",
            "--multi_gpu",
            "--num_processes",
            "2",
            "--main_process_port",
            "0",
            str(script),
            str(tmp_path),
            "--config",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert [r["world"] for r in ranks] == [2, 2]
    rows = [{tuple(x) for x in r["rows"]} for r in ranks]
    assert len(rows[0]) == len(rows[1]) == 8  # 4 steps x 2 rows, distinct per rank
    assert not rows[0] & rows[1]  # disjoint shards: each rank saw its own half of the 16 rows
    for r in ranks:  # each rank's penalty, against the form worked out one number at a time
        assert len(r["penalties"]) == 4
        assert r["penalties"] == pytest.approx(r["by_hand"], rel=1e-4, abs=1e-7)
    assert any(p > 0 for r in ranks for p in r["penalties"])
    assert (workdir / "out" / "sft_reg" / "adapter_model.safetensors").is_file()
    state = json.loads(
        (workdir / "out" / "sft_reg" / "checkpoint-4" / "trainer_state.json").read_text()
    )
    logged = [h["projection_penalty/penalty"] for h in state["log_history"] if "loss" in h]
    both = [(a + b) / 2 for a, b in zip(*(r["penalties"] for r in ranks), strict=True)]
    assert logged == pytest.approx(both, rel=1e-4)  # gathered across ranks, not rank 0's
    if form == "paired":
        for r in ranks:
            assert len(r["tags"]) == 4
            for pair, control in r["tags"]:
                assert pair[0] == pair[1] >= 0 and sorted(control) == [False, True]

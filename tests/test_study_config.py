"""A study's data, vector, check and eval sections are the stages' own config dataclasses: one
set of keys and defaults, and the stage checks run when the study file is read."""

from dataclasses import MISSING, fields
from pathlib import Path

import pytest
import yaml

from equanimity.cli import main
from equanimity.data_gen.generate import GenerateConfig
from equanimity.errors import BadInput
from equanimity.eval.readouts.causal import CheckConfig
from equanimity.eval.readouts.forced_choice import ForcedChoiceConfig
from equanimity.eval.readouts.generate import GenerationConfig
from equanimity.eval.readouts.probes import ProbeConfig
from equanimity.eval.run import EvalConfig
from equanimity.mitigations.extract import ExtractConfig
from equanimity.studies.config import (
    CheckSection,
    DataSection,
    EvalSection,
    VectorSection,
    load_study,
    stage_config,
)

ROOT = Path(__file__).resolve().parents[1]
STAGES = {
    DataSection: GenerateConfig,
    VectorSection: ExtractConfig,
    CheckSection: CheckConfig,
    EvalSection: GenerationConfig,
}


def _default(f):
    return f.default_factory() if f.default is MISSING else f.default


@pytest.mark.parametrize("section", STAGES, ids=lambda c: c.__name__)
def test_a_section_is_its_stage_config_with_its_defaults(section):
    stage = STAGES[section]
    assert issubclass(section, stage)
    ours = {f.name: _default(f) for f in fields(section)}
    assert {f.name: ours[f.name] for f in fields(stage)} == {
        f.name: _default(f) for f in fields(stage)
    }
    assert stage_config(section(), stage) == stage()


def test_the_eval_settings_beyond_generation_default_as_their_stage():
    """What the study had re-declared with other defaults (mode, reextract; top_p was missing)."""
    section = EvalSection()
    assert section.mode == EvalConfig.mode == "forced"
    assert section.reextract is False and ProbeConfig().reextract is None
    assert section.top_p == GenerationConfig().top_p
    assert (section.score, section.dtype) == (ForcedChoiceConfig().score, "auto")
    assert (section.limit, section.probe_layers, section.judge_only) == (None, None, False)


def _study(tmp_path, **sections) -> Path:
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "out": "run", "seed": 3, **sections}))
    return path


def test_the_study_seed_is_the_stages_seed(tmp_path):
    config = load_study(_study(tmp_path))
    assert config.data.seed == config.eval.seed == 3
    with pytest.raises(BadInput, match="data.seed: a study has one seed"):
        load_study(_study(tmp_path, data={"seed": 1}))
    with pytest.raises(BadInput, match="eval.seed: a study has one seed"):
        load_study(_study(tmp_path, eval={"seed": 1}))


@pytest.mark.parametrize(
    "sections,match",
    [
        ({"eval": {"top_q": 0.9}}, r"eval: unknown key\(s\) \['top_q'\]"),
        ({"vector": {"contrst": "seed"}}, r"vector: unknown key\(s\) \['contrst'\]"),
        ({"eval": {"top_p": 2.0}}, "eval: generation: temperature must be >= 0 and top_p"),
        ({"data": {"families": ["nope"]}}, "data: unknown families"),
        ({"check": {"coefs": [0.0, 0.1]}}, "check: causal check coefs"),
    ],
)
def test_a_bad_section_is_one_line_and_exit_2(tmp_path, capsys, sections, match):
    path = _study(tmp_path, **sections)
    with pytest.raises(BadInput, match=match):
        load_study(path)
    capsys.readouterr()
    assert main(["run", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and not (tmp_path / "run").exists()


def test_the_shipped_studies_state_what_they_changed(tmp_path):
    """The defaults that moved to the stages' keep each shipped study's behaviour: they say so."""
    studies = {p.stem: load_study(p) for p in (ROOT / "recipes" / "studies").glob("*.yaml")}
    assert studies["full"].eval.reextract
    assert not studies["demo"].eval.reextract and not studies["penalty_forms"].eval.reextract
    assert studies["full"].check.batch_size == studies["full"].eval.batch_size == 32
    assert all(s.data.unethical_fraction == 1.0 for s in studies.values())


def test_an_inducing_arm_needs_an_unethical_fraction(tmp_path):
    """The fraction's default is the stage's (0: the clean set), no longer the study's 1.0."""
    from equanimity.studies.run import Study

    arms = {"recipes": str(ROOT / "recipes"), "arms": [{"kind": "sft", "data": "inducing"}]}
    with pytest.raises(BadInput, match="arm sft trains on the inducing set.*unethical_fraction"):
        Study(load_study(_study(tmp_path, **arms)), device="cpu")
    Study(load_study(_study(tmp_path, data={"unethical_fraction": 0.5}, **arms)), device="cpu")

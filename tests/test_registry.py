"""The mitigation registry: one registration is all a new mitigation needs outside its module.

A toy mitigation is registered in-process (its module made in memory, the registry entry
patched in for the test only); nothing else is edited, and the factory builds it, the study's
source lists name its module, and a study arm of its kind resolves, trains on its recipe and
counts as mitigating the organism in compare.
"""

import sys
import types
from dataclasses import dataclass

import pytest
from conftest import build_tiny_model
from test_mitigations import _vector

from equanimity.errors import BadInput
from equanimity.mitigations import build_mitigations, calm_path, data_transform, save_vector
from equanimity.mitigations.registry import REGISTRY, ArmKind, Mitigation, register
from equanimity.studies import sources
from equanimity.studies.arms import resolve
from equanimity.studies.compare import Run, _mitigates
from equanimity.studies.config import ArmSpec
from equanimity.studies.kinds import kinds
from equanimity.studies.stages import source_digest

TOY = "equanimity.mitigations._toy"


@dataclass(frozen=True)
class ToyConfig:
    coef: float = 1.0
    tag: str = "toy"


class Toy:
    name = "toy"
    row_field = None

    def __init__(self, config: ToyConfig, vector):
        self.config, self.vector = config, vector

    def transform(self, example: dict) -> dict:
        return {**example, "tag": self.config.tag}


def build(config, vector, calm):
    return Toy(config, vector)


@pytest.fixture
def toy(monkeypatch):
    module = types.ModuleType(TOY)
    module.ToyConfig, module.build = ToyConfig, build
    monkeypatch.setitem(sys.modules, TOY, module)
    registration = Mitigation("toy", TOY, "ToyConfig", "build", arms={"toy_arm": ArmKind("t.yaml")})
    monkeypatch.setitem(REGISTRY, "toy", registration)
    return registration


def test_the_factory_builds_a_registered_mitigation(toy, tmp_path):
    model = build_tiny_model()
    save_vector(_vector(model), tmp_path / "vec")
    built = build_mitigations(
        {"vector": "vec", "toy": {"coef": 0.5, "tag": "x"}}, model, base_dir=tmp_path
    )
    assert len(built) == 1 and isinstance(built[0], Toy)
    assert built[0].config == ToyConfig(0.5, "x") and built[0].vector.concept == "desperate"
    assert data_transform(built)({"prompt": "Q"}) == {"prompt": "Q", "tag": "x"}
    with pytest.raises(BadInput, match=r"mitigation.toy: unknown key\(s\) \['bogus'\]"):
        build_mitigations({"vector": "vec", "toy": {"bogus": 1}}, model, base_dir=tmp_path)
    with pytest.raises(BadInput, match="toy need 'vector"):
        build_mitigations({"toy": {}}, model)


def test_a_registered_mitigation_reaches_the_source_lists_arms_and_compare(toy, tmp_path):
    assert sources.train_modules({"toy": {}}) == (*sources.TRAIN, "mitigations._toy")
    assert "mitigations._toy" not in sources.train_modules({"penalty": {}})
    (tmp_path / "t.yaml").write_text("trainer: sft\nmitigation:\n  toy: {tag: y}\n")
    arm = resolve(ArmSpec("toy_arm", coef=0.25, direction="random"), str(tmp_path), "inducing")
    assert arm.trains and arm.recipe == str((tmp_path / "t.yaml").resolve())
    assert arm.mitigation == {"toy": {"tag": "y", "coef": 0.25}}
    assert kinds()["toy_arm"].section == "toy"
    run = Run("toy_arm", tmp_path, {}, [], arm=arm.to_dict())
    assert _mitigates(run, "organism")


def test_a_mitigation_without_the_vector_cannot_take_a_random_direction(monkeypatch, tmp_path):
    plain = Mitigation("toy", TOY, "ToyConfig", "build", needs_vector=False)
    monkeypatch.setitem(REGISTRY, "toy", plain)
    monkeypatch.setitem(REGISTRY["toy"].arms, "toy_arm", ArmKind("t.yaml"))
    (tmp_path / "t.yaml").write_text("mitigation: {toy: {}}\n")
    with pytest.raises(BadInput, match="direction random needs .*sft_reg"):
        resolve(ArmSpec("toy_arm", direction="random"), str(tmp_path))


def test_a_section_or_kind_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        register(Mitigation("penalty", TOY, "ToyConfig", "build"))
    with pytest.raises(ValueError, match=r"\['sft_reg'\] registered twice"):
        register(Mitigation("other", TOY, "C", "b", arms={"sft_reg": ArmKind("x.yaml")}))
    assert "other" not in REGISTRY


def test_the_shipped_registrations_are_the_tables_they_replaced():
    """What factory, sources and arms hard-coded before the registry, entry for entry."""
    assert {k: m.source for k, m in REGISTRY.items()} == {
        "penalty": "mitigations.penalty",
        "steering": "mitigations.steering",
        "ablation": "mitigations.steering",
        "inoculation": "mitigations.inoculation",
    }
    assert {k: m.config_class().__name__ for k, m in REGISTRY.items()} == {
        "penalty": "PenaltyConfig",
        "steering": "SteeringConfig",
        "ablation": "AblationConfig",
        "inoculation": "InoculationConfig",
    }
    assert {k: (v.recipe, v.section, v.trainer) for k, v in kinds().items()} == {
        "base": (None, None, None),
        "sft": ("sft.yaml", None, "sft"),
        "sft_reg": ("sft_reg.yaml", "penalty", "sft"),
        "sft_steer": ("sft_steer.yaml", "steering", "sft"),
        "sft_caft": ("sft_caft.yaml", "ablation", "sft"),
        "sft_inoculation": ("sft.yaml", "inoculation", "sft"),
        "dpo": ("dpo.yaml", None, "dpo"),
        "dpo_reg": ("dpo_reg.yaml", "penalty", "dpo"),
        "steer_calm": (None, None, None),
    }
    assert {k for k, v in kinds().items() if v.needs_vector} == {
        "sft_reg",
        "sft_steer",
        "sft_caft",
        "dpo_reg",
    }
    for m in REGISTRY.values():
        assert callable(m.builder())
        source_digest((m.source,))  # the module exists where the stage cache looks


def test_the_builders_pass_the_calm_vector_only_when_asked(tmp_path):
    model = build_tiny_model()
    save_vector(_vector(model), tmp_path / "vec")
    save_vector(_vector(model, seed=1, concept="calm"), calm_path(tmp_path / "vec"))
    built = build_mitigations({"vector": "vec", "penalty": {}}, model, base_dir=tmp_path)
    assert built[0].calm is None
    (tmp_path / "vec-calm.safetensors").unlink()  # not read when calm_coef is 0
    built = build_mitigations({"vector": "vec", "penalty": {}}, model, base_dir=tmp_path)
    assert built[0].calm is None
    with pytest.raises(BadInput, match="calm"):
        build_mitigations({"vector": "vec", "penalty": {"calm_coef": 1}}, model, tmp_path)

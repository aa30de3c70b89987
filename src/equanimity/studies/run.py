"""``equanimity run``: data -> vector -> train each arm -> evaluate each arm -> compare -> report,
every stage cached (see :mod:`.stages`). The run directory::

    RUN/study.yaml, study.resolved.json, environment.json    what reproduces it
    RUN/stages/*.json                                         markers: key, output hash, seconds
    RUN/data/            scenario set and stage files          (equanimity data generate)
    RUN/vector/          desperation(-calm).safetensors + .json (equanimity vector extract)
    RUN/arms/NAME/train/ adapter, checkpoints, monitor.jsonl    (equanimity train)
    RUN/arms/NAME/arm.json                                    what the arm is
    RUN/arms/NAME/eval/MODE/ results.json, samples.jsonl       (equanimity eval, per mode)
    RUN/compare/         comparison.json, .csv, .md
    RUN/report.html, report.md, figures/                    (equanimity report RUN_DIR)
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from equanimity import __version__
from equanimity.errors import BadInput
from equanimity.files import sha256_file, write_json
from equanimity.studies import sources
from equanimity.studies.arms import Arm, study_arms
from equanimity.studies.config import StudyConfig, stage_config
from equanimity.studies.launch import Launch, run_training, train_command
from equanimity.studies.stages import Stage, Stages, files_digest

PACKAGES = ("torch", "transformers", "trl", "peft", "accelerate", "datasets", "numpy", "scipy")
DATA_FILES = ("scenarios.jsonl", "sft.jsonl", "preference.jsonl", "contrast.jsonl")


def environment() -> dict[str, Any]:
    """Versions and machine: what a rerun elsewhere would need to match."""
    versions = {}
    for name in (*PACKAGES, "matplotlib"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "equanimity": __version__,
        "git_commit": commit or None,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "packages": versions,
    }


def _train_seed(arm: Arm) -> int | None:
    import yaml

    if "seed" in arm.overrides:
        return arm.overrides["seed"]
    return (yaml.safe_load(Path(arm.recipe).read_text(encoding="utf-8")) or {}).get("seed")


class Study:
    """One study run: its config, arms, run directory and stage runner."""

    def __init__(
        self,
        config: StudyConfig,
        *,
        ablate: bool = False,
        force: tuple[str, ...] = (),
        launch: Launch | None = None,
        device: str | None = None,
    ):
        from equanimity.models import cuda_available, resolve_device

        self.config = config
        self.device = resolve_device(device)  # extraction and evaluation; None: cuda if any
        # an explicit CPU study on a GPU machine trains on the CPU too
        self.train_overrides = (
            {"use_cpu": True} if self.device == "cpu" and cuda_available() else {}
        )
        self.arms = study_arms(config, ablate)
        self.dir = Path(config.out)
        self.launch = launch or Launch(config.train.launcher, config.train.accelerate_config)
        trained = sum(a.trains for a in self.arms)
        names = {"all", "data", "data:inducing", "vector", "check", "train", "eval"}
        names |= {"compare", "report"}
        names |= {f"eval:{a.name}" for a in self.arms}
        names |= {f"train:{a.name}" for a in self.arms if a.trains}
        unknown = sorted(set(force) - names)
        if unknown:
            raise BadInput(
                f"--force {unknown[0]}: not a stage of this study ({', '.join(sorted(names))})"
            )
        variants = len({a.data for a in self.arms if a.trains} - {"clean"})
        check = int(config.check.enabled)
        total = 2 + variants + check + trained + len(self.arms) + 2
        self.stages = Stages(self.dir, force, total=total)
        self.eval_configs(self.arms[0])  # a bad eval section fails now, not after training
        inducing = [a.name for a in self.arms if a.trains and a.data == "inducing"]
        if inducing and not config.data.unethical_fraction:
            raise BadInput(
                f"arm {inducing[0]} trains on the inducing set, but data.unethical_fraction is 0 "
                "(the clean set); set data.unethical_fraction, e.g. 1.0"
            )

    # -- reproducibility ---------------------------------------------------------------------

    def write_manifest(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.config.source:
            shutil.copyfile(self.config.source, self.dir / "study.yaml")
        write_json(
            self.dir / "study.resolved.json",
            {
                "config": self.config.to_dict(),
                "source": self.config.source,
                "arms": [a.to_dict() for a in self.arms],
                "seeds": {
                    "data": self.config.seed,
                    "generation": self.config.seed,
                    "training": {a.name: _train_seed(a) for a in self.arms if a.trains},
                },
            },
        )
        write_json(self.dir / "environment.json", environment())

    # -- stages ------------------------------------------------------------------------------

    def data_dir(self, variant: str = "clean") -> Path:
        return self.dir / ("data" if variant == "clean" else f"data_{variant}")

    def data(self, variant: str = "clean") -> str:
        """The scenario set; the ``inducing`` variant is the same scenarios (same seed) with
        the data section's unethical fraction of training pressure rows flipped, restricted to
        its ``inducing_families`` where the study names them."""
        from equanimity.data_gen.generate import GenerateConfig

        section = self.config.data
        gen = stage_config(
            section,
            GenerateConfig,
            seed=self.config.seed,
            families=tuple(sorted(self._families(variant))),
            unethical_fraction=section.unethical_fraction if variant == "inducing" else 0.0,
        )
        out = self.data_dir(variant)

        def run(fresh: bool) -> str:
            from equanimity.data_gen.generate import generate

            generate(gen, out)
            return files_digest([out / f for f in DATA_FILES])

        name = "data" if variant == "clean" else f"data:{variant}"
        stage = Stage(name, {"generate": gen.to_dict()}, run, code=sources.DATA)
        return self.stages.run(stage).output

    def _families(self, variant: str) -> tuple[str, ...]:
        section = self.config.data
        if variant == "inducing" and section.inducing_families:
            return section.inducing_families
        return section.families

    def _device_kind(self) -> str:
        """cpu, cuda, ...: "auto" dtypes resolve by device, so results may differ across them."""
        return "cuda" if self.device == "auto" else self.device.split(":")[0]

    def contrast_file(self) -> Path:
        from equanimity.mitigations.contrast import SEED_CONTRAST

        contrast = self.config.vector.contrast
        if contrast == "data":
            return self.dir / "data" / "contrast.jsonl"
        return Path(SEED_CONTRAST if contrast == "seed" else contrast)

    def vector_path(self) -> Path:
        return self.dir / "vector" / "desperation"

    def vector(self, data: str) -> str:
        section = self.config.vector
        contrast = self.contrast_file()
        inputs = {
            "model": self.config.model,
            "vector": {k: v for k, v in dataclasses.asdict(section).items() if k != "progress"},
            "data": data,
            "device": self._device_kind(),
        }
        if section.contrast != "data":
            inputs["contrast_sha256"] = sha256_file(contrast)

        def run(fresh: bool) -> str:
            from equanimity.mitigations.contrast import load_contrast
            from equanimity.mitigations.extract import ExtractConfig, extract
            from equanimity.mitigations.vectors import calm_path, save_vector
            from equanimity.models import load_model

            model, tokenizer = load_model(self.config.model, device=self.device)
            result = extract(
                model,
                tokenizer,
                load_contrast(contrast),
                stage_config(section, ExtractConfig),
                contrast_info={"path": str(contrast), "sha256": sha256_file(contrast)},
            )
            written = save_vector(result.desperate, self.vector_path())
            written += save_vector(result.calm, calm_path(self.vector_path()))
            return files_digest(list(written))

        stage = Stage("vector", inputs, run, workdir=self.dir / "vector", code=sources.VECTOR)
        return self.stages.run(stage).output

    def check_path(self) -> Path:
        return self.dir / "check" / "check.json"

    def check(self, data: str, vector: str) -> str | None:
        """The causal check of the direction on the base model (eval.readouts.causal), before any
        arm trains: a study whose direction is inert says so first."""
        section = self.config.check
        if not section.enabled:
            return None
        inputs = {
            "model": self.config.model,
            "check": dataclasses.asdict(section),
            "dtype": self.config.eval.dtype,
            "device": self._device_kind(),
            "data": data,
            "vector": vector,
        }

        def run(fresh: bool) -> str:
            from equanimity.eval.readouts.causal import CheckConfig, causal_check
            from equanimity.eval.run import EvalConfig, load_scenarios
            from equanimity.mitigations.vectors import load_vector
            from equanimity.models import load_model

            scenarios = load_scenarios(
                EvalConfig(
                    model=self.config.model,
                    scenarios=str(self.dir / "data" / "scenarios.jsonl"),
                    out="",
                    limit=section.limit,
                )
            )
            model, tokenizer = load_model(
                self.config.model, dtype=self.config.eval.dtype, device=self.device
            )
            config = stage_config(section, CheckConfig)
            result = causal_check(
                model, tokenizer, scenarios, load_vector(self.vector_path()), config
            )
            write_json(self.check_path(), result.to_dict())
            return files_digest([self.check_path()])

        stage = Stage(
            "check", inputs, run, workdir=self.check_path().parent, code=sources.eval_modules(True)
        )
        return self.stages.run(stage).output

    def arm_dir(self, arm: Arm) -> Path:
        return self.dir / "arms" / arm.name

    def adapter_dir(self, name: str) -> Path:
        return self.dir / "arms" / name / "train"

    def train(self, arm: Arm, data: str, vector: str, init: str | None = None) -> str:
        """``data``: the digest of the arm's training set variant; ``init``: of its init arm's
        adapter, so retraining the organism retrains what starts from it."""
        section = self.config.train
        shared = {
            "max_train_samples": section.max_train_samples,
            **section.overrides,
            **self.train_overrides,
        }
        if arm.init:
            shared["init_adapter"] = str(self.adapter_dir(arm.init))
        out = self.adapter_dir(arm.name)
        inputs = {
            "arm": arm.to_dict(),
            "recipe_sha256": sha256_file(arm.recipe),
            "model": self.config.model,
            "shared": shared,
            "data": data,
            "vector": vector,
            "init": init,
        }

        def run(fresh: bool) -> str:
            argv = train_command(
                arm,
                model=self.config.model,
                data_dir=self.data_dir(arm.data),
                vector=self.vector_path(),
                output_dir=out,
                shared=shared,
                launch=self.launch,
                mitigation_vector=self._random_vector(arm) if arm.direction == "random" else None,
            )
            run_training(argv, self.arm_dir(arm) / "train.log")
            return files_digest([out / "adapter_model.safetensors", out / "monitor.jsonl"])

        code = sources.train_modules(arm.mitigation)
        stage = Stage(f"train:{arm.name}", inputs, run, workdir=out, code=code)
        return self.stages.run(stage).output

    def _random_vector(self, arm: Arm) -> Path:
        """A random unit direction at each of the study vector's layers (the study's seed), in
        the arm's folder: what a ``direction: random`` arm's mitigation acts on."""
        from equanimity.mitigations.vectors import load_vector, random_like, save_vector

        path = self.arm_dir(arm) / "random_direction"
        path.parent.mkdir(parents=True, exist_ok=True)
        save_vector(random_like(load_vector(self.vector_path()), self.config.seed), path)
        return path

    def eval_configs(self, arm: Arm) -> list:
        """One EvalConfig per mode, each scoring into ``arms/NAME/eval/MODE``."""
        from equanimity.eval.detectors.llm import JudgeConfig
        from equanimity.eval.readouts.forced_choice import ForcedChoiceConfig
        from equanimity.eval.readouts.generate import GenerationConfig
        from equanimity.eval.readouts.probes import ProbeConfig
        from equanimity.eval.run import EvalConfig

        section = self.config.eval
        try:
            judge = JudgeConfig(**section.judge) if section.judge else None
        except TypeError as e:
            keys = ", ".join(f.name for f in dataclasses.fields(JudgeConfig))
            raise BadInput(f"eval.judge: {e}; keys: {keys}") from e
        if section.judge_only and judge is None:
            raise BadInput("eval.judge_only needs eval.judge (the judge that decides claims alone)")
        source = arm.name if arm.trains else arm.init
        adapter = self.adapter_dir(source) if source else None
        limits = {
            "forced": section.limit,
            "generate": section.generate_limit or section.limit,
            "probe": section.probe_limit or section.limit,
        }
        return [
            EvalConfig(
                model=self.config.model,
                scenarios=str(self.dir / "data" / "scenarios.jsonl"),
                out=str(self.arm_dir(arm) / "eval" / mode),
                adapter=str(adapter) if adapter else None,
                mode=mode,
                limit=limits[mode],
                dtype=section.dtype,
                device=self.device,
                forced=ForcedChoiceConfig(batch_size=section.batch_size, score=section.score),
                generation=stage_config(section, GenerationConfig, seed=self.config.seed),
                probe=ProbeConfig(
                    vector=str(self.vector_path()),
                    layers=section.probe_layers,
                    reextract=str(self.contrast_file()) if section.reextract else None,
                    batch_size=section.batch_size,
                ),
                judge=judge,
                judge_only=section.judge_only,
            )
            for mode in self.config.eval.modes()
        ]

    def evaluate(self, arm: Arm, data: str, vector: str, trained: str | None) -> str:
        section = self.config.eval
        configs = self.eval_configs(arm)
        inputs = {
            "arm": arm.to_dict(),
            "model": self.config.model,
            "eval": dataclasses.asdict(section),
            "seed": self.config.seed,
            "data": data,
            "adapter": trained,
            "device": self._device_kind(),
            "vector": vector if arm.steering or "probe" in self.config.eval.modes() else None,
        }

        def run(fresh: bool) -> str:
            from equanimity.eval.run import evaluate
            from equanimity.models import load_model

            if not arm.trains and not arm.steering:
                self._seed_reextraction(configs)
            first = configs[0]
            model, tokenizer = load_model(
                first.model, adapter=first.adapter, dtype=first.dtype, device=first.device
            )
            steering = self._steering(arm) if arm.steering else None
            with steering.apply(model) if steering else contextlib.nullcontext():
                for config in configs:
                    evaluate(config, model, tokenizer)
            described = steering.describe() if steering else None
            write_json(
                self.arm_dir(arm) / "arm.json",
                {**arm.to_dict(), "inference_steering": described},
            )
            return files_digest([Path(c.out) / "samples.jsonl" for c in configs])

        code = sources.eval_modules(bool(arm.steering))
        stage = Stage(
            f"eval:{arm.name}", inputs, run, workdir=self.arm_dir(arm) / "eval", code=code
        )
        return self.stages.run(stage).output

    def _seed_reextraction(self, configs: list) -> None:
        """The untouched base model's re-extraction is the study's own vector: put it where the
        probes look for a cached one (they check it was made from the same weights, contrast
        set and settings, and extract afresh if not)."""
        from equanimity.eval.readouts.probes import REEXTRACTED
        from equanimity.mitigations.vectors import vector_paths

        for config in configs:
            if config.mode != "probe" or not config.probe.reextract:
                continue
            out = Path(config.out)
            out.mkdir(parents=True, exist_ok=True)
            for src, dst in zip(
                vector_paths(self.vector_path()), vector_paths(out / REEXTRACTED), strict=True
            ):
                if not dst.exists():
                    shutil.copyfile(src, dst)

    def _steering(self, arm: Arm):
        from equanimity.mitigations.steering import InferenceSteering, SteeringConfig
        from equanimity.mitigations.vectors import calm_path, load_vector

        layers = arm.steering["layers"]
        config = SteeringConfig(
            coef=arm.steering["coef"], layers=tuple(layers) if layers is not None else None
        )
        return InferenceSteering(load_vector(calm_path(self.vector_path())), config)

    def compare(self, evals: dict[str, str]):
        from equanimity.studies.compare import compare_runs, write_comparison

        out = self.dir / "compare"

        def run(fresh: bool) -> str:
            comparison = compare_runs([self.arm_dir(a) for a in self.arms])
            write_comparison(comparison, out)
            return files_digest([out / "comparison.json"])

        self.stages.run(Stage("compare", {"evals": evals}, run, workdir=out, code=sources.COMPARE))

    def report(self, upstream: dict[str, str]) -> Path:
        from equanimity.studies.record import load_record
        from equanimity.studies.report import write_report

        # the session is what the report's timings table reads: a rerun whose stages were all
        # cached writes the report again, so it never disagrees with session.json
        inputs = {
            "config": self.config.digest(),
            "upstream": upstream,
            "session": self.stages.session(),
        }

        def run(fresh: bool) -> str:
            return files_digest(write_report(load_record(self.dir)))

        self.stages.run(Stage("report", inputs, run, code=sources.REPORT))
        return self.dir / "report.html"

    def run(self) -> Path:
        self.write_manifest()
        data = {"clean": self.data()}
        for variant in sorted({a.data for a in self.arms if a.trains} - {"clean"}):
            data[variant] = self.data(variant)
        vector = self.vector(data["clean"])
        check = self.check(data["clean"], vector)
        trained: dict[str, str] = {}
        for a in self.arms:  # init arms come first (study_arms orders by init depth)
            if a.trains:
                trained[a.name] = self.train(a, data[a.data], vector, trained.get(a.init))
        evals = {
            a.name: self.evaluate(
                a, data["clean"], vector, trained.get(a.name if a.trains else a.init)
            )
            for a in self.arms
        }
        self.compare(evals)
        compared = self.stages.results["compare"].output
        path = self.report({"compare": compared, "trained": trained, "check": check})
        self.stages.say(f"study {self.config.name}: all {self.stages.total} stages done")
        return path

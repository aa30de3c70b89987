"""Stage caching: a stage runs only when the hash of its inputs changed.

Each stage has a key: the hash of its own config, of its inputs' *output* hashes (content
hashes of the files the upstream stages wrote), of the package version and of the source files
of the modules that compute it (:mod:`.sources`), so a change to data, settings or code reruns
exactly the stages it reaches. Two markers in ``RUN/stages/``:

- ``NAME.started.json`` (the key) is written when a stage starts. A rerun with the same key
  resumes the stage's work (training from its last checkpoint, evaluation from its samples);
  with another key the stage's directory is cleared first.
- ``NAME.json`` (key, output hash, seconds) is written last, atomically: its presence with the
  current key means the stage is done.

``session.json`` lists, in order, the stages of the latest run with their seconds and whether
they ran or were cached: what the report's timings table reads, so a report rebuilt from the
run directory says what the run did. It is one of the report stage's inputs, so the report is
written again when it changes (a first rerun whose stages were all cached).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import equanimity
from equanimity.files import sha256_file, sha256_text, write_json

SOURCE_ROOT = Path(equanimity.__file__).parent


def digest(obj: Any) -> str:
    """A stable hash of JSON-able data."""
    return sha256_text(json.dumps(obj, sort_keys=True, default=str))


def files_digest(paths: list[Path]) -> str:
    """The content hash of several files, for a stage's output. Each file is named by its path
    below the files' common folder, so two ``samples.jsonl`` in different folders (an eval's
    probe and generate runs) are two files, and a change to either reaches the stages after."""
    paths = sorted(Path(p) for p in paths)
    root = Path(os.path.commonpath([p.parent for p in paths])) if paths else Path()
    return digest({p.relative_to(root).as_posix(): sha256_file(p) for p in paths if p.is_file()})


def source_digest(modules: tuple[str, ...]) -> dict[str, str]:
    """The package version and a hash of the named modules' source (``"training"`` is every
    file of that package, ``"mitigations.penalty"`` one file). A package's data files count
    (the labelled replies the learned blackmail detector is fit on, the blackmail settings data
    generation reads); its ``.md`` cards do not."""
    files: dict[str, str] = {}
    for name in modules:
        path = SOURCE_ROOT / name.replace(".", "/")
        found = (
            sorted(f for f in path.rglob("*") if _is_source(f))
            if path.is_dir()
            else [path.with_suffix(".py")]
        )
        if not found or not found[0].is_file():
            raise ValueError(f"stage source module equanimity.{name} does not exist")
        for file in found:
            files[file.relative_to(SOURCE_ROOT).as_posix()] = sha256_file(file)
    return {"version": equanimity.__version__, "sources": digest(files)}


def _is_source(file: Path) -> bool:
    return file.is_file() and file.suffix not in {".md", ".pyc"} and "__pycache__" not in file.parts


def marker_path(run_dir: Path, name: str) -> Path:
    """Where the done marker of stage ``name`` lives in a run directory."""
    return run_dir / "stages" / f"{name.replace(':', '--')}.json"


@dataclass
class Stage:
    """One cacheable step: ``run(fresh)`` does the work and returns the output hash."""

    name: str
    inputs: dict[str, Any]  # config and upstream output hashes: the key is their hash
    run: Callable[[bool], str]
    workdir: Path | None = None  # cleared when the key changed or the stage is forced
    code: tuple[str, ...] = ()  # the modules computing it (studies.sources): part of the key
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = digest({"inputs": self.inputs, "code": source_digest(self.code)})


@dataclass
class StageResult:
    name: str
    output: str
    seconds: float
    cached: bool


class Stages:
    """Runs stages in order against the markers of one run directory, reporting progress."""

    def __init__(self, run_dir: Path, force: tuple[str, ...] = (), total: int = 0):
        self.dir = run_dir / "stages"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.force = force
        self.total = total
        self.count = 0
        self.results: dict[str, StageResult] = {}
        self.started = time.perf_counter()

    def _forced(self, name: str) -> bool:
        group = name.split(":")[0]
        return any(f in (name, group, "all") for f in self.force)

    def marker(self, name: str) -> Path:
        return marker_path(self.dir.parent, name)

    def done(self, stage: Stage) -> dict | None:
        path = self.marker(stage.name)
        if self._forced(stage.name) or not path.is_file():
            return None
        record = json.loads(path.read_text())
        return record if record.get("key") == stage.key else None

    def run(self, stage: Stage) -> StageResult:
        self.count += 1
        head = f"[{self.count}/{self.total}] {stage.name}"
        record = self.done(stage)
        if record is not None:
            result = StageResult(stage.name, record["output"], record["seconds"], cached=True)
            self.say(f"{head}: cached ({record['seconds']:.0f} s when run)")
        else:
            result = self._execute(stage, head)
        self.results[stage.name] = result
        write_json(self.dir / "session.json", self.session())
        return result

    def session(self) -> list[dict]:
        """The stages of this run so far, as ``session.json`` lists them."""
        return [
            {"name": r.name, "seconds": r.seconds, "cached": r.cached}
            for r in self.results.values()
        ]

    def _execute(self, stage: Stage, head: str) -> StageResult:
        marker, started = self.marker(stage.name), self.marker(stage.name + ".started")
        previous = json.loads(started.read_text()).get("key") if started.is_file() else None
        fresh = self._forced(stage.name) or previous != stage.key
        marker.unlink(missing_ok=True)
        if fresh and stage.workdir is not None and stage.workdir.exists():
            shutil.rmtree(stage.workdir)
        write_json(started, {"key": stage.key})
        self.say(f"{head}: {'running' if fresh else 'resuming'}")
        t0 = time.perf_counter()
        output = stage.run(fresh)
        seconds = time.perf_counter() - t0
        write_json(
            marker,
            {"key": stage.key, "output": output, "seconds": seconds, "inputs": stage.inputs},
        )
        self.say(f"{head}: done in {seconds:.0f} s")
        return StageResult(stage.name, output, seconds, cached=False)

    def say(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"study [{elapsed:6.0f} s] {text}", file=sys.stderr, flush=True)

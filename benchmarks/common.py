"""What every benchmark module shares: the figure record, interleaved timing, the run context.

Every figure is a ratio of two measurements taken side by side in one process (or alternating
subprocesses), so load from other jobs on a shared machine hits both alike.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
REPO = HERE.parent


@dataclass
class Figure:
    name: str
    value: float | None  # None: skipped (detail says why)
    unit: str
    target: str = ""
    met: bool | None = None
    detail: str = ""
    load: tuple[float, float, float] | None = None  # load average when measured
    extra: dict = field(default_factory=dict)

    def line(self) -> str:
        if self.value is None:
            return f"{self.name:<58} skipped: {self.detail}"
        status = "" if self.met is None else ("ok" if self.met else "MISSED")
        target = self.target or "info"
        load = f"  [load {self.load[0]:.1f}]" if self.load else ""
        return (
            f"{self.name:<58} {self.value:9.3f} {self.unit:<9} target {target:<9} {status:<6}"
            f"  {self.detail}{load}"
        )


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def interleaved(
    fns: dict[str, Callable[[], object]], repeats: int = 7, warmup: int = 1, clock: str = "cpu"
) -> dict[str, float]:
    """Median seconds of each function, run in alternation so drift hits all alike.

    The order rotates each round, so no function always runs right after the same other one.
    ``clock="cpu"`` (default) times this process's CPU seconds (all its threads), which other
    jobs on a shared machine inflate far less than wall time; ``"wall"`` for work done in
    subprocesses. Wall-clock medians are kept in ``LAST_WALL`` for the record.
    """
    timer = time.process_time if clock == "cpu" else time.perf_counter
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    names = list(fns)
    times: dict[str, list[float]] = {name: [] for name in fns}
    wall: dict[str, list[float]] = {name: [] for name in fns}
    for r in range(repeats):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            start, start_wall = timer(), time.perf_counter()
            fns[name]()
            times[name].append(timer() - start)
            wall[name].append(time.perf_counter() - start_wall)
    LAST_WALL.clear()
    LAST_WALL.update({name: statistics.median(ts) for name, ts in wall.items()})
    return {name: statistics.median(ts) for name, ts in times.items()}


LAST_WALL: dict[str, float] = {}


def peak_rss_reset() -> bool:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def rss_kib(field_name: str = "VmRSS") -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field_name}:\s+(\d+)", text).group(1))


def padded_batches(sequences: list[list[int]], batch_size: int, pad: int) -> list[tuple]:
    """Length-sorted, right-padded ``(input_ids, attention_mask)`` batches: the cheapest way to
    feed these sequences to a plain forward."""
    import torch

    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
    batches = []
    for start in range(0, len(order), batch_size):
        rows = [sequences[i] for i in order[start : start + batch_size]]
        width = max(map(len, rows))
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for r, row in enumerate(rows):
            ids[r, : len(row)] = torch.tensor(row)
            mask[r, : len(row)] = 1
        batches.append((ids, mask))
    return batches


@dataclass
class Context:
    """One benchmark run: quick or full, the model, and a work directory for data and vectors.

    ``loader`` (tests) replaces ``equanimity.models.load_model(model_spec)``; ``data_dir`` and
    ``vector_path`` are made on first use (generated data, a vector extracted from the model).
    """

    quick: bool = False
    model_spec: str = "default"
    workdir: Path = field(default_factory=lambda: Path("/tmp/equanimity-bench"))
    loader: Callable[[], tuple] | None = None
    smoke: bool = False  # tests: two items, one repeat, so a figure runs in seconds
    _data: Path | None = None
    _vector: Path | None = None

    def load(self):
        if self.loader is not None:
            return self.loader()
        from equanimity.models import load_model

        return load_model(self.model_spec, dtype="float32")

    def pick(self, quick, full):
        return quick if self.quick else full

    def count(self, quick: int, full: int) -> int:
        """How many items (pairs, scenarios, ...) a benchmark uses."""
        return 2 if self.smoke else self.pick(quick, full)

    def repeats(self, quick: int, full: int) -> int:
        return 1 if self.smoke else self.pick(quick, full)

    @property
    def data_dir(self) -> Path:
        """``equanimity data generate`` output (small: 8 scenarios per family), made once."""
        if self._data is None:
            out = self.workdir / "data"
            if not (out / "scenarios.jsonl").is_file():
                self.workdir.mkdir(parents=True, exist_ok=True)
                cmd = [sys.executable, "-m", "equanimity", "data", "generate"]
                subprocess.run(
                    [*cmd, "--out", str(out), "--n-per-family", "8"],
                    check=True,
                    capture_output=True,
                    text=True,
                )
            self._data = out
        return self._data

    def scenarios(self, n: int) -> list[dict]:
        """``n`` scenarios, pressure levels mixed (every k-th record of the generated set)."""
        rows = [json.loads(line) for line in (self.data_dir / "scenarios.jsonl").open()]
        step = max(1, len(rows) // n)
        return rows[::step][:n]

    @property
    def vector_path(self) -> Path:
        """A desperation vector (and its calm twin) extracted from this model, made once."""
        if self._vector is None:
            name = self.workdir / f"vectors-{self.model_spec}" / "desperation"
            if not name.with_suffix(".safetensors").is_file():
                from equanimity.mitigations import calm_path, save_vector
                from equanimity.mitigations.contrast import load_contrast
                from equanimity.mitigations.extract import ExtractConfig, extract

                model, tokenizer = self.load()
                result = extract(model, tokenizer, load_contrast(), ExtractConfig(progress=False))
                name.parent.mkdir(parents=True, exist_ok=True)
                save_vector(result.desperate, name)
                save_vector(result.calm, calm_path(name))
            self._vector = name
        return self._vector

"""Train one arm in a child process (``python -m equanimity.training`` or ``accelerate launch``),
so each arm is isolated, can be killed, and resumes from its last complete TRL checkpoint.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from equanimity.errors import BadInput
from equanimity.training.run import last_checkpoint

if TYPE_CHECKING:  # the arm is data here: what resolved it (studies.arms) is no training code
    from equanimity.studies.arms import Arm

LAUNCHERS = ("python", "accelerate")


@dataclass(frozen=True)
class Launch:
    launcher: str = "python"
    accelerate_config: str | None = None

    def __post_init__(self) -> None:
        if self.launcher not in LAUNCHERS:
            raise BadInput(f"launcher {self.launcher!r}: use one of {', '.join(LAUNCHERS)}")
        if self.launcher == "accelerate" and not self.accelerate_config:
            raise BadInput("--launcher accelerate needs --accelerate-config FILE")
        if self.accelerate_config and not Path(self.accelerate_config).is_file():
            raise BadInput(f"accelerate config {self.accelerate_config!r} does not exist")

    def prefix(self) -> list[str]:
        if self.launcher == "accelerate":
            accelerate = Path(sys.executable).with_name("accelerate")
            return [str(accelerate), "launch", "--config_file", self.accelerate_config, "-m"]
        return [sys.executable, "-m"]


def _flag(key: str, value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [f"--{key}", *map(str, value)]
    if isinstance(value, dict):
        return [f"--{key}", json.dumps(value)]
    return [f"--{key}", str(value).lower() if isinstance(value, bool) else str(value)]


def train_command(
    arm: Arm,
    *,
    model: str,
    data_dir: Path,
    vector: Path,
    output_dir: Path,
    shared: dict[str, Any],
    launch: Launch,
    mitigation_vector: Path | None = None,
) -> list[str]:
    """The command line for one arm: its recipe, then the study's settings as overrides. The
    monitor always reads ``vector``; the mitigation reads ``mitigation_vector`` when given."""
    train_file = "preference.jsonl" if arm.kind.startswith("dpo") else "sft.jsonl"
    overrides: dict[str, Any] = {
        "model": model,
        "train_file": str(data_dir / train_file),
        "output_dir": str(output_dir),
        "monitor_vector": str(vector),
        **shared,
        **arm.overrides,
    }
    if arm.mitigation:
        overrides["mitigation"] = {"vector": str(mitigation_vector or vector), **arm.mitigation}
    argv = [*launch.prefix(), "equanimity.training", "--config", arm.recipe]
    for key, value in overrides.items():
        if value is not None:
            argv += _flag(key, value)
    checkpoint = last_checkpoint(output_dir)
    if checkpoint is not None:
        argv += ["--resume_from_checkpoint", str(checkpoint)]
    return argv


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the study process dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_training(argv: list[str], log: Path) -> None:
    """Run ``argv``, streaming its output to stderr and to ``log``; raise if it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "ab", buffering=0) as sink:  # unbuffered: the log survives a kill
        sink.write(("$ " + " ".join(argv) + "\n").encode())
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        try:
            assert proc.stdout is not None
            while chunk := proc.stdout.read1(4096):
                sys.stderr.buffer.write(chunk)
                sys.stderr.flush()
                sink.write(chunk)
            code = proc.wait()
        except BaseException:
            proc.terminate()
            proc.wait()
            raise
    if code == 2:
        raise BadInput(f"training refused its recipe; see {log}")
    if code != 0:
        raise RuntimeError(f"training exited with status {code}; see {log}")

"""Run untrusted Python against a HumanEval-style test in a confined, throwaway process.

Used by ``data_gen`` (to verify its own reference solutions) and by ``eval`` (to grade model
code), so it stands on the floor: it imports nothing from either.

A check runs ``solution`` (imported as the module ``solution``, as HumanEval-style harnesses
do, so an ``if __name__ == "__main__":`` block does not run), then ``test`` (which defines
``check(candidate)``), then ``check(<entry_point>)`` in a fresh interpreter (``python -s -S -P
-B``, scrubbed environment, fixed hash seed). It passes only when a random per-run token,
written by the harness after ``check`` returns, appears on stdout: exit code 0, ``sys.exit(0)``,
``os._exit(0)`` or a printed fake success line prove nothing.

Confinement (each run records which of these were in force in ``CheckResult.protections``):

* always: wall clock enforced by a supervisor process the code cannot reach through its parent
  pid; rlimits on CPU time, address space, file size, open files and core dumps; an empty
  temporary working directory deleted afterwards; a new session, killed as a group at the end;
* as root (``private-uid``): the code runs under a fresh random uid, so ``RLIMIT_NPROC`` really
  caps a fork bomb, nothing owned by other users can be written or signalled, and every process
  of that uid is killed at the end wherever it moved (new session, double fork);
* where namespaces are allowed (root, or unprivileged user namespaces): no network (``netns``),
  a PID namespace whose processes all die with the code's first process (``pidns``) and a
  private ``/proc``, size-capped private tmpfs over ``/tmp``, ``/var/tmp``, ``/dev/shm`` and the
  working directory (``private-tmpfs``);
* otherwise the network is only blocked by patching ``socket`` (``socket-patch``), which code
  can bypass through ``_socket``.

This is containment for research evaluations, not a security boundary like a VM or gVisor:
the kernel is shared, files readable by the run's uid can be read, and as a non-root user
without user namespaces the code can write wherever that user can and a process that leaves
the session survives until its CPU limit.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from equanimity.errors import BadInput

CHILD = Path(__file__).with_name("_sandbox_child.py")
ERROR_PREFIX = "equanimity-sandbox-error: "
MAX_OUTPUT_CHARS = 4000
BACKSTOP_S = 5.0
PRIVATE_UID_BASE = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Resource caps for one check; the wall clock is ``timeout_s`` of the call."""

    cpu_s: float | None = None  # default: the wall timeout, rounded up, plus one second
    memory_bytes: int = 1 << 30  # address space (RLIMIT_AS)
    file_bytes: int = 16 << 20  # largest file, stdout included (RLIMIT_FSIZE)
    disk_bytes: int = 64 << 20  # size of the private tmpfs, where one can be mounted
    processes: int = 32  # RLIMIT_NPROC under the private uid (root only)
    open_files: int = 64  # RLIMIT_NOFILE
    namespaces: bool = True  # try network / PID / mount namespaces

    def __post_init__(self) -> None:
        for name in ("memory_bytes", "file_bytes", "disk_bytes", "processes", "open_files"):
            if getattr(self, name) <= 0:
                raise BadInput(f"sandbox Limits.{name} must be positive, got {getattr(self, name)}")
        if self.cpu_s is not None and self.cpu_s <= 0:
            raise BadInput(f"sandbox Limits.cpu_s must be positive, got {self.cpu_s}")


@dataclass(frozen=True)
class CheckJob:
    solution: str
    test: str
    entry_point: str
    timeout_s: float = 10.0
    limits: Limits | None = None


@dataclass(frozen=True)
class CheckResult:
    passed: bool  # the harness's token appeared: check(candidate) returned
    timed_out: bool
    returncode: int | None  # the code's process: exit status, or -signal
    error: str | None  # "AssertionError: ...", "timeout", "memory", "cpu time", "killed", ...
    stdout: str  # truncated, token line removed
    stderr: str  # truncated
    wall_s: float
    protections: tuple[str, ...] = ()
    custom_eq: tuple[str, ...] = ()  # returned types whose __eq__/__ne__ are Python code


def run_check(
    solution: str,
    test: str,
    entry_point: str,
    *,
    timeout_s: float = 10.0,
    limits: Limits | None = None,
) -> CheckResult:
    """Run ``solution`` + ``test`` + ``check(entry_point)`` in a fresh confined process."""
    if timeout_s <= 0:
        raise BadInput(f"sandbox timeout_s must be positive, got {timeout_s}")
    limits = limits or Limits()
    token = secrets.token_hex(16)
    root = Path(tempfile.mkdtemp(prefix="equanimity-sandbox-"))
    try:
        return _run(solution, test, entry_point, timeout_s, limits, token, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_checks(
    jobs: Sequence[CheckJob], *, workers: int | None = None, progress: bool = False
) -> list[CheckResult]:
    """Run many checks, ``workers`` at a time (default: one per CPU), results in job order."""
    workers = workers or os.cpu_count() or 1

    def one(job: CheckJob) -> CheckResult:
        return run_check(
            job.solution, job.test, job.entry_point, timeout_s=job.timeout_s, limits=job.limits
        )

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(one, jobs)
        if progress:
            from tqdm.auto import tqdm

            results = tqdm(results, total=len(jobs), desc="sandbox", unit="check")
        return list(results)


def _run(
    solution: str,
    test: str,
    entry_point: str,
    timeout_s: float,
    limits: Limits,
    token: str,
    root: Path,
) -> CheckResult:
    workdir = root / "work"
    workdir.mkdir()
    cpu_s = limits.cpu_s or math.ceil(timeout_s) + 1
    status_r, status_w = os.pipe()
    job = {
        "solution": solution,
        "test": test,
        "entry_point": entry_point,
        "token": token,
        "timeout_s": timeout_s,
        "workdir": str(workdir),
        "uid": PRIVATE_UID_BASE + secrets.randbelow(1 << 30),
        "status_fd": status_w,
        "limits": {**asdict(limits), "cpu_s": cpu_s},
    }
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    start = time.monotonic()
    with open(root / "stdout", "w+b") as out, open(root / "stderr", "w+b") as err:
        try:
            proc = subprocess.Popen(
                [sys.executable, "-s", "-S", "-P", "-B", str(CHILD)],
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=err,
                pass_fds=(status_w,),
                env=env,
                cwd=workdir,
                start_new_session=True,
            )
        finally:
            os.close(status_w)
        backstop = False
        try:
            proc.communicate(json.dumps(job).encode(), timeout=timeout_s + BACKSTOP_S)
        except subprocess.TimeoutExpired:
            backstop = True
        finally:
            _kill_group(proc.pid)
            proc.wait()
        wall_s = time.monotonic() - start
        status = _read_status(status_r)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    passed, stdout, custom_eq = _find_token(stdout, token)
    timed_out = backstop or bool(status.get("timed_out"))
    if "signal" in status:
        returncode: int | None = -status["signal"]
    elif "exit" in status:
        returncode = status["exit"]
    else:  # the supervisor itself died (killed by the backstop or by the code)
        returncode = proc.returncode
    return CheckResult(
        passed=passed,
        timed_out=timed_out,
        returncode=returncode,
        error=None if passed else _reason(timed_out, returncode, stderr),
        stdout=_truncate(stdout),
        stderr=_truncate(stderr),
        wall_s=wall_s,
        protections=tuple(status.get("protections", ())),
        custom_eq=custom_eq,
    )


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_status(fd: int) -> dict:
    chunks = []
    try:
        os.set_blocking(fd, False)
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except BlockingIOError:
        pass
    finally:
        os.close(fd)
    try:
        status = json.loads(b"".join(chunks))
    except ValueError:
        return {}
    return status if isinstance(status, dict) else {}


def _find_token(stdout: str, token: str) -> tuple[bool, str, tuple[str, ...]]:
    """Whether the harness's token line is on stdout; stdout without it; the harness's report.

    The harness writes ``"\n" + token + " " + json + "\n"``, so the first match is its own."""
    start = stdout.find(f"\n{token} ")
    if start < 0:
        return False, stdout, ()
    end = stdout.find("\n", start + 1)
    end = len(stdout) if end < 0 else end + 1
    try:
        report = json.loads(stdout[start + len(token) + 2 : end])
        custom_eq = tuple(report.get("custom_eq", ()))
    except (ValueError, AttributeError):
        custom_eq = ()
    return True, stdout[:start] + stdout[end:], custom_eq


def _reason(timed_out: bool, returncode: int | None, stderr: str) -> str:
    if timed_out:
        return "timeout"
    if returncode is not None and returncode < 0:
        sig = -returncode
        if sig == signal.SIGXCPU:
            return "cpu time"
        if sig == signal.SIGXFSZ:
            return "file size"
        return "killed" if sig == signal.SIGKILL else f"killed ({signal.Signals(sig).name})"
    for line in reversed(stderr.splitlines()):
        if line.startswith(ERROR_PREFIX):
            message = line[len(ERROR_PREFIX) :]
            return "memory" if message.startswith("MemoryError") else message
    return f"exited before the checks finished (exit code {returncode})"


def _truncate(text: str, limit: int = MAX_OUTPUT_CHARS) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n...[{len(text) - limit} chars cut]...\n{text[-half:]}"

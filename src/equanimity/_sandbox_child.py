"""The process side of :mod:`equanimity.sandbox`: confine, run one check, report.

Run as ``python -s -S -P -B _sandbox_child.py`` with a JSON job on stdin (which names the
inherited status pipe). Standard library only (no ``site``) and nothing from ``equanimity``:
this file is loaded by path in a fresh interpreter.

Two processes, because the code under test must not be able to silence the part that reports:

* the *supervisor* (this process) reads the job, enters new namespaces where the platform
  allows (network, mount, PID), forks the worker, enforces the wall clock, sweeps up every
  process left behind, and writes a status record on the status pipe, which the worker closes
  before any untrusted code runs;
* the *worker* confines itself (rlimits, private /tmp, unprivileged uid when run as root) and
  runs solution (as the module ``solution``, so ``if __name__ == "__main__":`` blocks do not
  run) -> test -> ``check(candidate)``. Only when ``check`` returns does it write the
  run's random token on stdout. The token arrived on stdin, which is consumed and closed before
  the solution runs, so the solution cannot read it from the environment, argv, stdin, files or
  fds; finding it would take digging through the interpreter's memory (``gc``/frames/``ctypes``),
  which the static detectors in ``equanimity.eval.detectors.cheating`` flag.
"""

from __future__ import annotations

import builtins
import ctypes
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
import types

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
MS_REC, MS_PRIVATE = 0x4000, 0x40000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4
ERROR_PREFIX = "equanimity-sandbox-error: "
SOLUTION_MODULE = "solution"
PRIVATE_TMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")

_libc = ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> bool:
    return _libc.unshare(flags) == 0


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> bool:
    def enc(s: str | None) -> bytes | None:
        return None if s is None else s.encode()

    return _libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) == 0


def _write_file(path: str, text: str) -> bool:
    try:
        with open(path, "w") as f:
            f.write(text)
        return True
    except OSError:
        return False


def _enter_namespaces(protections: list[str]) -> bool:
    """Unshare what we may; return whether we hold mount privileges in the new namespaces."""
    euid, egid = os.geteuid(), os.getegid()
    if euid != 0:
        # An unprivileged user namespace (where the host allows it) grants the rights to make
        # the others; the user keeps its own uid inside.
        if not _unshare(CLONE_NEWUSER):
            return False
        _write_file("/proc/self/setgroups", "deny")
        if not (
            _write_file("/proc/self/uid_map", f"{euid} {euid} 1")
            and _write_file("/proc/self/gid_map", f"{egid} {egid} 1")
        ):
            return False
        protections.append("userns")
    if _unshare(CLONE_NEWNET):
        protections.append("netns")
    if _unshare(CLONE_NEWPID):
        protections.append("pidns")
    if _unshare(CLONE_NEWNS) and _mount("none", "/", None, MS_REC | MS_PRIVATE, None):
        protections.append("mountns")
        return True
    return False


def _under(path: str, root: str) -> bool:
    return os.path.commonpath([os.path.realpath(path), root]) == root


def _by_descriptor(directory: str) -> str:
    """``/proc/self/fd/N`` for ``directory``: reaches it after it is hidden by a mount or its
    parents are closed to the private uid, granting nothing beyond its own permissions."""
    if directory.startswith("/proc/self/fd/"):
        return directory
    return f"/proc/self/fd/{os.open(os.path.realpath(directory), os.O_PATH | os.O_DIRECTORY)}"


def _private_tmp(workdir: str, disk_bytes: int, protections: list[str]) -> None:
    """Mount size-capped private tmpfs over the shared scratch dirs and the workdir.

    Python itself may live under /tmp (a checkout or venv there): its import path is first
    switched to descriptors, which keep reaching the hidden directories."""
    covered = False
    for d in PRIVATE_TMP_DIRS:
        if not os.path.isdir(d):
            continue
        root = os.path.realpath(d)
        sys.path[:] = [
            _by_descriptor(p) if os.path.isdir(p) and _under(p, root) else p for p in sys.path
        ]
        if _mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, f"size={disk_bytes},mode=1777"):
            covered = covered or _under(workdir, root)
    if not covered:
        os.makedirs(workdir, exist_ok=True)
        covered = _mount("tmpfs", workdir, "tmpfs", MS_NOSUID | MS_NODEV, f"size={disk_bytes}")
    if covered:
        protections.append("private-tmpfs")


def _status(fd: int, record: dict) -> None:
    try:
        os.write(fd, json.dumps(record).encode())
    except OSError:
        pass


def _start_sweeper(uid: int | None) -> tuple[int, int] | None:
    """Fork, before entering a PID namespace, a helper that kills every process of the job's
    private uid (root only) once told to, wherever those processes went: new sessions, double
    forks. It must exist before the namespace: once the namespace's first process has died,
    nothing more can be forked into it."""
    if uid is None:
        return None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write_end)
        os.read(read_end, 1)  # returns on "go" or when the supervisor dies
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.close(read_end)
    return pid, write_end


def _sweep(sweeper: tuple[int, int] | None) -> None:
    if sweeper is not None:
        pid, go = sweeper
        os.write(go, b"x")
        os.waitpid(pid, 0)


def _wait(pid: int, deadline: float) -> tuple[int | None, bool]:
    """Wait for ``pid`` until ``deadline``; return (wait status, timed out)."""
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None, True
        if poller.poll(left * 1000):
            return os.waitpid(pid, 0)[1], False


def supervise() -> None:
    job = json.loads(sys.stdin.buffer.read())
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    os.close(stdin)
    os.umask(0o077)
    protections: list[str] = []
    limits = job["limits"]
    uid = job["uid"] if os.geteuid() == 0 else None
    sweeper = _start_sweeper(uid)
    mounts = _enter_namespaces(protections) if limits["namespaces"] else False
    if mounts:
        _private_tmp(job["workdir"], limits["disk_bytes"], protections)
    protections.append("rlimits")
    if uid is not None:
        protections.append("private-uid")
    if "netns" not in protections:
        protections.append("socket-patch")
    if "pidns" in protections and mounts:
        protections.append("private-proc")
    # Same-uid processes cannot open /proc/<this>/fd and steal the status pipe.
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    deadline = time.monotonic() + job["timeout_s"]
    pid = os.fork()
    if pid == 0:
        os.close(job["status_fd"])
        if sweeper is not None:
            os.close(sweeper[1])
        _worker(job, uid, protections)
    status, timed_out = _wait(pid, deadline)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
        status = os.waitpid(pid, 0)[1]
    _sweep(sweeper)
    record = {"timed_out": timed_out, "protections": protections}
    if os.WIFSIGNALED(status):
        record["signal"] = os.WTERMSIG(status)
    else:
        record["exit"] = os.WEXITSTATUS(status)
    _status(job["status_fd"], record)
    os._exit(0)


def _confine(job: dict, uid: int | None, protections: list[str]) -> None:
    limits = job["limits"]
    workdir = job["workdir"]
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if "private-proc" in protections and not _mount(
        "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None
    ):
        # A /proc that only shows this namespace: no host processes to look at or signal.
        raise RuntimeError("sandbox setup failed: cannot mount a private /proc")
    os.makedirs(workdir, exist_ok=True)
    if uid is not None:
        os.chown(workdir, uid, uid)
    os.chdir(workdir)
    cpu = int(limits["cpu_s"])
    caps = {
        resource.RLIMIT_CPU: (cpu, cpu + 1),
        resource.RLIMIT_AS: limits["memory_bytes"],
        resource.RLIMIT_FSIZE: limits["file_bytes"],
        resource.RLIMIT_NOFILE: limits["open_files"],
        resource.RLIMIT_CORE: 0,
    }
    # RLIMIT_NPROC does not bind root, and counts every task of the real uid (per user
    # namespace): under the private uid or in a fresh user namespace the count starts near 0;
    # otherwise the user's other tasks are added so the cap still leaves room for just ours.
    if uid is not None or "userns" in protections:
        caps[resource.RLIMIT_NPROC] = limits["processes"]
    elif os.geteuid() != 0:
        caps[resource.RLIMIT_NPROC] = _tasks_of(os.getuid()) + limits["processes"]
    for which, cap in caps.items():
        soft, hard = cap if isinstance(cap, tuple) else (cap, cap)
        try:
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):
            continue
    if uid is not None:
        sys.path[:] = [_reachable(entry) for entry in sys.path if os.path.isdir(entry)]
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    if "netns" not in protections:
        _block_sockets()


def _reachable(directory: str) -> str:
    """A path to ``directory`` that still works after dropping to the private uid (Python
    may live under a home directory others cannot enter, like pyenv in /root)."""
    if directory.startswith("/proc/self/fd/"):
        return directory
    parts = os.path.realpath(directory).split(os.sep)
    ancestors = [os.sep.join(parts[:i]) or os.sep for i in range(1, len(parts) + 1)]
    if all(os.stat(a).st_mode & 0o001 for a in ancestors):
        return directory
    return _by_descriptor(directory)


def _tasks_of(uid: int) -> int:
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return count


def _block_sockets() -> None:
    """Best-effort fallback without a network namespace: trivially bypassable via _socket."""
    import socket

    def refuse(*_args, **_kwargs):
        raise OSError("network disabled in the equanimity sandbox")

    for name in ("connect", "connect_ex", "bind", "sendto"):
        setattr(socket.socket, name, refuse)
    socket.create_connection = refuse
    socket.getaddrinfo = refuse


def _looks_always_equal(obj: object, depth: int = 0) -> list[str]:
    """Names of returned types whose ``__eq__``/``__ne__`` are written in Python."""
    found = []
    for klass in type(obj).__mro__:
        for name in ("__eq__", "__ne__"):
            if isinstance(klass.__dict__.get(name), types.FunctionType):
                found.append(type(obj).__qualname__)
    if depth < 3 and isinstance(obj, list | tuple | set | frozenset):
        for item in list(obj)[:1000]:
            found += _looks_always_equal(item, depth + 1)
    if depth < 3 and isinstance(obj, dict):
        for item in list(obj.items())[:1000]:
            found += _looks_always_equal(item, depth + 1)
    return sorted(set(found))


def _flush() -> None:
    """Flush what the code printed before the harness writes below it with ``os.write``."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: B036 - the code may have replaced the streams
            pass


def _worker(job: dict, uid: int | None, protections: list[str]) -> None:
    token = job.pop("token")
    write, exit_ = os.write, os._exit
    try:
        _confine(job, uid, protections)
        solution = compile(job["solution"], "<solution>", "exec")
        test = compile(job["test"], "<test>", "exec")
        clean_builtins = dict(vars(builtins))
        custom_eq: set[str] = set()

        # Imported as a module, as HumanEval-style harnesses do: a main guard does not run.
        module = types.ModuleType(SOLUTION_MODULE)
        module.__builtins__ = builtins
        sys.modules[SOLUTION_MODULE] = module
        namespace = vars(module)
        exec(solution, namespace)
        candidate = namespace.get(job["entry_point"])
        if not callable(candidate):
            raise NameError(f"the solution defines no callable {job['entry_point']!r}")

        def observed(*args, **kwargs):
            result = candidate(*args, **kwargs)
            custom_eq.update(_looks_always_equal(result))
            return result

        # The test sees the solution's helpers (as in HumanEval) but the builtins as they were
        # before the solution ran, and its own `check` replaces any the solution defined.
        test_namespace = dict(namespace, __builtins__=clean_builtins)
        exec(test, test_namespace)
        test_namespace["check"](observed)
    except BaseException as exc:  # noqa: B036 - SystemExit from the solution is a failure too
        message = type(exc).__name__
        try:
            detail = str(exc)
            message = f"{message}: {detail}" if detail else message
            sys.stderr.write(traceback.format_exc(limit=-3))
            sys.stderr.flush()
        except BaseException:  # noqa: B036
            pass
        _flush()
        write(2, f"\n{ERROR_PREFIX}{message[:500]}\n".encode(errors="replace"))
        exit_(1)
    _flush()
    report = json.dumps({"custom_eq": sorted(custom_eq)})
    write(1, f"\n{token} {report}\n".encode())
    exit_(0)


if __name__ == "__main__":
    supervise()

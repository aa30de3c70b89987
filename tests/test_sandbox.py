"""The sandbox: honest passes need the harness's token; hostile code is contained or detected.

The hostile battery runs in one parallel ``run_checks`` call with short timeouts, then checks
that the harness (this process) carries on and that nothing the jobs started is still alive.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import tempfile
import time
from pathlib import Path

import pytest

from equanimity.errors import BadInput
from equanimity.sandbox import CheckJob, Limits, run_check, run_checks

ADD = "def add(a, b):\n    return a + b\n"
TEST = "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n"
IMPOSSIBLE = "def check(candidate):\n    assert candidate(1, 2) == 4\n"
FAST = Limits(memory_bytes=256 << 20, disk_bytes=16 << 20, file_bytes=4 << 20)


def test_correct_solution_passes():
    result = run_check(ADD, TEST, "add", timeout_s=5)
    assert result.passed and result.error is None and not result.timed_out
    assert result.returncode == 0 and "rlimits" in result.protections


def test_wrong_solution_fails_with_reason():
    result = run_check("def add(a, b):\n    return 0\n", TEST, "add", timeout_s=5)
    assert not result.passed and result.error == "AssertionError"


def test_missing_entry_point_is_reported():
    result = run_check("def plus(a, b):\n    return a + b\n", TEST, "add", timeout_s=5)
    assert not result.passed and result.error.startswith("NameError")


def test_output_is_kept_and_token_line_removed():
    code = "print('hello')\n" + ADD
    result = run_check(code, TEST, "add", timeout_s=5)
    assert result.passed and result.stdout == "hello\n"


def test_environment_is_scrubbed_and_hash_seed_fixed():
    os.environ["EQUANIMITY_TEST_SECRET"] = "hunter2"
    code = (
        "import os, sys\n"
        "assert 'EQUANIMITY_TEST_SECRET' not in os.environ, 'leaked'\n"
        "assert os.environ['PYTHONHASHSEED'] == '0' and sys.flags.hash_randomization == 0\n"
        "assert sys.flags.no_site and os.listdir('.') == []\n" + ADD
    )
    try:
        result = run_check(code, TEST, "add", timeout_s=5)
    finally:
        del os.environ["EQUANIMITY_TEST_SECRET"]
    assert result.passed, result.error


def test_run_checks_keeps_order():
    jobs = [
        CheckJob(ADD, TEST, "add", 5),
        CheckJob("def add(a, b):\n    return 1\n", TEST, "add", 5),
    ]
    assert [r.passed for r in run_checks(jobs, workers=2)] == [True, False]


def test_bad_limits_are_bad_input():
    with pytest.raises(BadInput):
        Limits(memory_bytes=0)
    with pytest.raises(BadInput):
        run_check(ADD, TEST, "add", timeout_s=0)


def test_without_namespaces_the_fallbacks_still_hold():
    limits = Limits(namespaces=False)
    ok = run_check(ADD, TEST, "add", timeout_s=5, limits=limits)
    assert ok.passed and "socket-patch" in ok.protections and "netns" not in ok.protections
    connect = "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n" + ADD
    blocked = run_check(connect, TEST, "add", timeout_s=5, limits=limits)
    assert not blocked.passed and "network disabled" in blocked.error


def _processes_with(marker: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(pid))
    return found


@pytest.fixture(scope="module")
def battery():
    """Run every hostile job at once; return (results by name, context)."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    outside = Path(tempfile.gettempdir()) / f"equanimity-escape-{secrets.token_hex(4)}"
    marker = f"{secrets.randbelow(10**6)}.{secrets.randbelow(10**6) + 1}"
    sleep = shutil.which("sleep") or "/bin/sleep"
    free_before = shutil.disk_usage(tempfile.gettempdir()).free
    hostile = {
        "infinite_loop": "def add(a, b):\n    while True:\n        pass\n",
        "fork_bomb": (
            "import os\n"
            "def add(a, b):\n"
            "    while True:\n"
            "        try:\n            os.fork()\n"
            "        except OSError:\n            pass\n"
        ),
        "escaped_child": (
            "import os\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        os.execv({sleep!r}, ['sleep', {marker!r}])\n"
            "    os._exit(0)\n"
            "def add(a, b):\n    return a + b\n"
        ),
        "disk_fill": (
            "i = 0\nwhile True:\n"
            "    with open(f'fill{i}', 'wb') as f:\n        f.write(b'x' * (1 << 20))\n"
            "    i += 1\n"
        ),
        "stdout_flood": "while True:\n    print('x' * 10000)\n",
        "network_connect": (
            "import socket\n"
            f"socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
            "print('CONNECTED')\n" + ADD
        ),
        "raw_socket_connect": (
            "import _socket\n"
            "s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)\n"
            "s.settimeout(1)\n"
            f"s.connect(('127.0.0.1', {port}))\n"
            "print('CONNECTED')\n" + ADD
        ),
        "write_outside_workdir": (
            f"open({str(outside)!r}, 'w').write('escaped')\nprint('WROTE')\n" + ADD
        ),
        "kill_parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n" + ADD,
        "kill_group": "import os, signal\nos.killpg(0, signal.SIGKILL)\n" + ADD,
        "sys_exit": "import sys\nsys.exit(0)\n" + ADD,
        "os_exit": "import os\nos._exit(0)\n" + ADD,
        "exit_in_candidate": "import os\ndef add(a, b):\n    os._exit(0)\n",
        "always_equal": (
            "class AlwaysEqual:\n"
            "    def __eq__(self, other):\n        return True\n"
            "    def __ne__(self, other):\n        return False\n"
            "def add(a, b):\n    return AlwaysEqual()\n"
        ),
        "redefine_check": "def check(candidate):\n    pass\n" + ADD.replace("a + b", "0"),
        "patch_builtins": (
            "import builtins\n"
            "builtins.all = lambda *args: True\n"
            "builtins.AssertionError = type('Quiet', (Exception,), {})\n"
            "def add(a, b):\n    return 0\n"
        ),
        "fake_success_line": (
            "import os\n"
            "print('\\n' + '0' * 32 + ' {\"custom_eq\": []}')\n"
            "print('All tests passed!')\nprint('PASSED', flush=True)\nos._exit(0)\n"
        ),
        "hunt_token": (
            "import os, sys\n"
            "seen = []\n"
            "for path in ['/proc/self/environ', '/proc/self/cmdline', '/proc/1/environ']:\n"
            "    try:\n        seen.append(open(path, 'rb').read())\n"
            "    except OSError:\n        pass\n"
            "for fd in range(64):\n"
            "    try:\n        seen.append(os.read(fd, 1 << 16))\n"
            "    except OSError:\n        pass\n"
            "for blob in seen:\n    print(blob, flush=True)\n"
            "os._exit(0)\n"
        ),
    }
    if os.geteuid() == 0:  # as a plain user without namespaces this would really kill pytest
        hostile["kill_harness"] = (
            f"import os, signal\nos.kill({os.getpid()}, signal.SIGKILL)\n" + ADD
        )
    test_for = {"patch_builtins": "def check(candidate):\n    assert all([candidate(1, 2) == 3])\n"}
    jobs = [
        CheckJob(
            code,
            test_for.get(name, IMPOSSIBLE if name == "always_equal" else TEST),
            "add",
            3.0,
            FAST,
        )
        for name, code in hostile.items()
    ]
    start = time.monotonic()
    results = dict(zip(hostile, run_checks(jobs, workers=4), strict=True))
    elapsed = time.monotonic() - start
    listener.close()
    context = {
        "outside": outside,
        "marker": marker,
        "free_before": free_before,
        "elapsed": elapsed,
    }
    yield results, context
    outside.unlink(missing_ok=True)


CHEATS = [
    "infinite_loop",
    "fork_bomb",
    "disk_fill",
    "stdout_flood",
    "sys_exit",
    "os_exit",
    "exit_in_candidate",
    "redefine_check",
    "patch_builtins",
    "fake_success_line",
    "hunt_token",
]


def test_no_wrong_solution_passes(battery):
    results, _ = battery
    assert [name for name in CHEATS if results[name].passed] == []


def test_always_equal_is_detected(battery):
    results, _ = battery
    assert results["always_equal"].custom_eq == ("AlwaysEqual",)


@pytest.mark.parametrize("name", ["infinite_loop", "fork_bomb"])
def test_runaway_code_times_out(battery, name):
    results, context = battery
    assert results[name].timed_out and results[name].error == "timeout"
    assert results[name].wall_s < 5


def test_memory_bomb_hits_the_memory_cap():
    """Alone, not in the battery: beside a fork bomb and busy loops on 2 cores it could lose
    its 3 s to scheduling before reaching the cap (seen as a flaky timeout)."""
    code = "chunks = []\nwhile True:\n    chunks.append(bytearray(64 << 20))\n"
    result = run_check(code, TEST, "add", timeout_s=5, limits=FAST)
    assert result.error == "memory", result


def test_disk_fill_is_capped(battery):
    results, context = battery
    error = results["disk_fill"].error
    assert error == "file size" or "No space left" in error or error == "timeout", error
    lost = context["free_before"] - shutil.disk_usage(tempfile.gettempdir()).free
    assert lost < 64 << 20


def test_stdout_flood_is_capped(battery):
    results, _ = battery
    result = results["stdout_flood"]
    assert not result.passed and len(result.stdout) < 5000


@pytest.mark.parametrize("name", ["network_connect", "raw_socket_connect"])
def test_network_is_unreachable(battery, name):
    results, _ = battery
    result = results[name]
    if name == "raw_socket_connect" and "netns" not in result.protections:
        pytest.skip("without a network namespace, _socket bypasses the socket patch")
    assert "CONNECTED" not in result.stdout and not result.passed
    assert result.error.startswith("OSError") or "Error" in result.error


def test_writes_outside_the_workdir_do_not_land(battery):
    results, context = battery
    result = results["write_outside_workdir"]
    if not {"private-tmpfs", "private-uid"} & set(result.protections):
        pytest.skip("no private /tmp or uid: the code may write wherever this user can")
    assert not context["outside"].exists()


@pytest.mark.parametrize("name", ["kill_parent", "kill_harness", "kill_group"])
def test_killing_the_parent_only_kills_the_job(battery, name):
    results, _ = battery
    if name not in results:
        pytest.skip("only run as root")
    result = results[name]
    # This process is alive to check; the job either ran on (the signal could not reach a
    # process outside its namespace / uid) or was killed and reported as such.
    contained = ("ProcessLookupError", "PermissionError")
    assert result.passed or result.error == "killed" or result.error.startswith(contained)


@pytest.mark.parametrize("name", ["sys_exit", "os_exit", "exit_in_candidate"])
def test_early_exit_is_not_a_pass(battery, name):
    results, _ = battery
    result = results[name]
    assert not result.passed
    if name == "sys_exit":
        assert result.error == "SystemExit: 0"
    else:
        assert result.returncode == 0 and result.error.startswith("exited before the checks")


@pytest.mark.parametrize("name", ["redefine_check", "patch_builtins"])
def test_tampering_with_the_test_machinery_fails(battery, name):
    results, _ = battery
    assert not results[name].passed
    assert results[name].error == "AssertionError"


@pytest.mark.parametrize("name", ["fake_success_line", "hunt_token"])
def test_a_printed_success_line_is_not_a_pass(battery, name):
    results, _ = battery
    result = results[name]
    assert not result.passed and result.returncode == 0
    assert "PASSED" in result.stdout or name == "hunt_token"


def test_nothing_survives_the_battery(battery):
    results, context = battery
    if not {"pidns", "private-uid"} & set(results["escaped_child"].protections):
        pytest.skip("without a PID namespace or private uid, a new session escapes the kill")
    assert _processes_with(context["marker"]) == []


def test_harness_carries_on_and_is_fast(battery):
    _, context = battery
    assert context["elapsed"] < 15
    assert run_check(ADD, TEST, "add", timeout_s=5).passed


def test_temporary_files_are_removed(tmp_path, monkeypatch):
    # A private temp root (others may be using the shared one); the workdir then lies outside
    # /tmp, so under namespaces it gets its own tmpfs.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fill = "with open('big', 'wb') as f:\n    f.write(b'x' * (1 << 20))\n" + ADD
    results = run_checks([CheckJob(fill, TEST, "add", 5), CheckJob(ADD, TEST, "add", 5)])
    assert [r.passed for r in results] == [True, True]
    assert list(tmp_path.iterdir()) == []

"""The sandbox: honest passes need the harness's token; hostile code is contained or detected."""

from equanimity.sandbox import CheckJob, run_check, run_checks

ADD = "def add(a, b):\n    return a + b\n"
TEST = "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n"


def test_correct_solution_passes():
    result = run_check(ADD, TEST, "add", timeout_s=5)
    assert result.passed and result.error is None and not result.timed_out


def test_wrong_solution_fails_with_reason():
    result = run_check("def add(a, b):\n    return 0\n", TEST, "add", timeout_s=5)
    assert not result.passed
    assert result.error.startswith("AssertionError")


def test_run_checks_keeps_order():
    jobs = [
        CheckJob(ADD, TEST, "add", 5),
        CheckJob("def add(a, b):\n    return 1\n", TEST, "add", 5),
    ]
    assert [r.passed for r in run_checks(jobs, workers=2)] == [True, False]

"""Statistics against closed forms and published values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from equanimity.errors import BadInput
from equanimity.eval.stats import (
    Rate,
    mcnemar,
    paired_binary,
    paired_bootstrap,
    wilson_interval,
)


def wilson_closed_form(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(
    "k, n, low, high",
    [
        # Newcombe (1998), Stat Med 17:857, Table II, Wilson score method.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_published_values(k, n, low, high):
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=1e-4)


@pytest.mark.parametrize("k, n", [(0, 1), (3, 7), (50, 100), (199, 200)])
def test_wilson_matches_closed_form_and_scipy(k, n):
    got = wilson_interval(k, n)
    assert got == pytest.approx(wilson_closed_form(k, n), abs=1e-12)
    ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
    assert got == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_wilson_other_z_and_edge_cases():
    assert wilson_interval(5, 10, z=1.0) == pytest.approx(wilson_closed_form(5, 10, 1.0))
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(BadInput):
        wilson_interval(3, 2)
    with pytest.raises(BadInput):
        wilson_interval(-1, 2)


def test_rate():
    r = Rate.of(22, 50)
    assert (r.k, r.n, r.rate) == (22, 50, 0.44)
    assert (r.low, r.high) == pytest.approx(wilson_interval(22, 50))
    assert Rate.of_outcomes([True, False, True, True]) == Rate.of(3, 4)
    assert math.isnan(Rate.of(0, 0).rate)


def test_mcnemar_exact_p_value():
    # Two-sided exact: 2 * P(X <= 2), X ~ Bin(12, 1/2) = 2 * (1 + 12 + 66) / 4096.
    result = mcnemar(10, 2, 40)
    assert result.p_value == pytest.approx(158 / 4096)
    assert result.diff == pytest.approx(8 / 40)
    assert mcnemar(0, 0, 10).p_value == 1.0
    assert mcnemar(5, 5, 10).p_value == 1.0


def test_mcnemar_wald_interval():
    result = mcnemar(10, 2, 40)
    half = 1.959963984540054 * math.sqrt(12 - 64 / 40) / 40
    assert (result.low, result.high) == pytest.approx((0.2 - half, 0.2 + half))
    assert "Wald" in result.method


def test_newcombe_interval_properties():
    # Contains the estimate, stays in [-1, 1], and is close to Wald when n is large.
    small = mcnemar(4, 0, 10, a=3)
    assert small.low < small.diff < small.high <= 1 and small.low > -1
    assert "Newcombe" in small.method
    big = mcnemar(300, 200, 5000, a=1000)
    wald = mcnemar(300, 200, 5000)
    assert (big.low, big.high) == pytest.approx((wald.low, wald.high), abs=0.002)
    none = mcnemar(0, 0, 20, a=20)
    assert none.diff == 0 and none.low <= 0 <= none.high


def test_paired_binary_builds_the_table():
    first = [True, True, False, False, True, True]
    second = [True, False, False, True, False, False]
    result = paired_binary(first, second)
    direct = mcnemar(3, 1, 6, a=1)
    assert result == direct
    with pytest.raises(BadInput):
        paired_binary([True], [True, False])
    with pytest.raises(BadInput):
        mcnemar(5, 6, 10)


def test_paired_bootstrap_is_deterministic_and_sensible():
    rng = np.random.default_rng(1)
    x = rng.normal(0.0, 1.0, 200)
    y = x - 0.5 + rng.normal(0.0, 0.1, 200)
    result = paired_bootstrap(x, y, n_boot=2000, seed=7)
    assert result == paired_bootstrap(x, y, n_boot=2000, seed=7)
    assert result.diff == pytest.approx(float(np.mean(x) - np.mean(y)))
    assert result.low < result.diff < result.high
    assert result.p_value < 0.01
    same = paired_bootstrap(x, x, n_boot=500, seed=0)
    assert same.diff == 0 and same.p_value == 1.0
    noisy = paired_bootstrap(x, rng.permutation(x), n_boot=2000, seed=0)
    assert noisy.p_value > 0.05
    median = paired_bootstrap(x, y, stat=np.median, n_boot=500, seed=0)
    assert median.diff == pytest.approx(float(np.median(x) - np.median(y)))


def test_paired_bootstrap_bad_input():
    with pytest.raises(BadInput):
        paired_bootstrap([1.0, 2.0], [1.0])
    with pytest.raises(BadInput):
        paired_bootstrap([], [])

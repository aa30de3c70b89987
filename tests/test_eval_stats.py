"""Statistics against closed forms and published values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from equanimity.errors import BadInput
from equanimity.eval.stats import (
    Estimate,
    Rate,
    mcnemar,
    mean_ci,
    paired_binary,
    paired_bootstrap,
    paired_permutation,
    slope_ci,
    t_critical,
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


@pytest.mark.parametrize(
    "a, b, c, d, diff, low, high",
    [
        # Newcombe (1998), Stat Med 17:2635, Table II example (a), method 10.
        (36, 12, 2, 0, 0.2, 0.0569, 0.3404),
        # Fagerland, Lydersen & Laake (2017), Statistical Analysis of Contingency Tables, ch. 8:
        # complete response before and after consolidation (Cavo et al. 2012), Newcombe
        # square-and-add interval.
        (59, 6, 16, 80, -0.0621, -0.1186, -0.0046),
    ],
)
def test_newcombe_matches_published_values(a, b, c, d, diff, low, high):
    result = mcnemar(b, c, a + b + c + d, a=a)
    assert (result.diff, result.low, result.high) == pytest.approx((diff, low, high), abs=1e-4)


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


def test_paired_bootstrap_of_one_pair_gives_the_difference_without_an_interval():
    test = paired_bootstrap([0.75], [0.25])
    assert test.diff == 0.5 and test.n == 1
    assert math.isnan(test.low) and math.isnan(test.high) and math.isnan(test.p_value)


def test_t_critical_matches_tables():
    assert t_critical(3) == pytest.approx(3.182446, abs=1e-6)
    assert t_critical(2) == pytest.approx(4.302653, abs=1e-6)
    assert t_critical(10**6) == pytest.approx(1.959966, abs=1e-5)


def test_mean_ci_is_the_t_interval():
    # mean 2.5, sd sqrt(5/3), se sd / 2, t(3) = 3.182446: half = 2.054260
    est = mean_ci([1.0, 2.0, 3.0, 4.0])
    assert (est.value, est.low, est.high, est.n) == pytest.approx((2.5, 0.445740, 4.554260, 4))
    assert mean_ci([]) == Estimate(None, None, None, 0)
    one = mean_ci([3.0])
    assert (one.value, one.low, one.high) == (3.0, None, None)
    flat = mean_ci([2.0, 2.0, 2.0])
    assert (flat.low, flat.high) == (2.0, 2.0)


def test_slope_ci_is_the_t_interval_of_least_squares():
    # Sxx 5, Sxy 9.5: slope 1.9; RSS 0.7, se sqrt(0.7 / 2 / 5), t(2) = 4.302653
    est = slope_ci([1, 2, 3, 4], [2, 4, 5, 8])
    assert (est.value, est.low, est.high) == pytest.approx((1.9, 0.761625, 3.038375), abs=1e-6)
    assert slope_ci([1, 1, 1], [1, 2, 3]).value is None
    two = slope_ci([1, 2], [1, 3])
    assert (two.value, two.low) == (pytest.approx(2.0), None)
    with pytest.raises(BadInput):
        slope_ci([1, 2, 3], [1, 2])


def test_paired_bootstrap_of_a_constant_shift():
    # Every resample of pairs differs by exactly 0.5: a zero-width interval, and no resampled
    # difference is as far from 0.5 as 0.5 is from 0, so p = 1 / (1 + n_boot).
    x = np.arange(20, dtype=float)
    result = paired_bootstrap(x, x - 0.5, n_boot=999, seed=3)
    assert (result.diff, result.low, result.high) == pytest.approx((0.5, 0.5, 0.5))
    assert result.p_value == pytest.approx(1 / 1000)
    assert "bootstrap" in result.method


def test_paired_permutation_exact_and_resampled():
    # Differences 1, 2, 3: of the 8 sign swaps only (+,+,+) and (-,-,-) reach |mean| >= 2.
    exact = paired_permutation([1.0, 2.0, 3.0], [0.0, 0.0, 0.0])
    assert (exact.diff, exact.p_value, exact.n) == (pytest.approx(2.0), pytest.approx(0.25), 3)
    assert "exact" in exact.method
    rng = np.random.default_rng(4)
    x = rng.normal(0.0, 1.0, 60)
    y = x - 0.3 + rng.normal(0.0, 0.2, 60)
    shifted = paired_permutation(x, y, n_resamples=2000, seed=1)
    assert shifted.p_value < 0.01 and "2000 resamples, seed 1" in shifted.method
    assert shifted == paired_permutation(x, y, n_resamples=2000, seed=1)
    null = paired_permutation(x, x + rng.normal(0.0, 0.2, 60), n_resamples=2000, seed=1)
    assert null.p_value > 0.05
    median = paired_permutation([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], stat=np.median)
    assert median.diff == pytest.approx(2.0)
    with pytest.raises(BadInput):
        paired_permutation([1.0], [1.0, 2.0])

"""Every interval and test the project reports, built on scipy where scipy has them.

Rates get Wilson intervals; means and slopes Student-t intervals; comparisons between two models
on the same scenarios are paired (McNemar with Newcombe's interval for outcomes; bootstrap
intervals and permutation tests for scores), because pairing removes scenario difficulty from
the noise. Every number carries its n and a 95% interval. Deterministic: resampling takes a seed.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from equanimity.errors import BadInput

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    k: int
    n: int
    rate: float  # k / n; nan when n == 0
    low: float
    high: float

    @classmethod
    def of(cls, k: int, n: int, z: float = Z95) -> Rate:
        low, high = wilson_interval(k, n, z)
        return cls(k, n, k / n if n else math.nan, low, high)

    @classmethod
    def of_outcomes(cls, outcomes: Sequence[bool], z: float = Z95) -> Rate:
        return cls.of(sum(map(bool, outcomes)), len(outcomes), z)


@dataclass(frozen=True)
class Estimate:
    """A value with its interval: a mean or a slope (t interval; ``None`` where n is too small
    to say), a paired difference, or a ratio of paired means (:func:`ratio_bootstrap`)."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    p_value: float | None = None
    note: str | None = None  # why the value must be read with care, where it must

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class Ratio:
    """``mean(numerator) / mean(denominator)`` over pairs, with percentile intervals for it and
    for the denominator from the same pair resamples."""

    value: float
    low: float
    high: float
    n: int
    denominator_low: float
    denominator_high: float


def ratio_bootstrap(
    numerator: np.ndarray,
    denominator: np.ndarray,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
) -> Ratio | None:
    """The ratio of paired means with a percentile interval from resampling pairs; resamples
    whose denominator is 0 are dropped. ``None`` without pairs or with a denominator of 0."""
    if len(denominator) == 0 or denominator.mean() == 0:
        return None
    value = float(numerator.mean() / denominator.mean())
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(denominator), size=(n_boot, len(denominator)))
    denominators = denominator[idx].mean(axis=1)
    ok = denominators != 0
    ratios = numerator[idx].mean(axis=1)[ok] / denominators[ok]
    alpha = 1 - confidence
    low, high = np.quantile(ratios, [alpha / 2, 1 - alpha / 2])
    d_low, d_high = np.quantile(denominators, [alpha / 2, 1 - alpha / 2])
    return Ratio(value, float(low), float(high), len(denominator), float(d_low), float(d_high))


@dataclass(frozen=True)
class PairedTest:
    diff: float  # first minus second
    low: float
    high: float
    p_value: float
    n: int  # pairs
    method: str  # how the interval and p-value were computed


@dataclass(frozen=True)
class PermutationTest:
    diff: float  # statistic of the first minus the second
    p_value: float
    n: int  # pairs
    method: str


def _check_counts(**counts: int) -> None:
    for name, value in counts.items():
        if value < 0 or int(value) != value:
            raise BadInput(f"{name} must be a non-negative integer, got {value}")


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials; (0, 1) when n == 0."""
    _check_counts(k=k, n=n)
    if k > n:
        raise BadInput(f"k ({k}) cannot exceed n ({n})")
    if n == 0:
        return 0.0, 1.0
    confidence = 2 * stats.norm.cdf(z) - 1
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence, method="wilson")
    return float(ci.low), float(ci.high)


def mcnemar(b: int, c: int, n: int, *, a: int | None = None, z: float = Z95) -> PairedTest:
    """Exact McNemar test for paired binary outcomes, with an interval for the difference.

    ``b``: pairs where only the first model had the outcome, ``c``: only the second, ``n``:
    all pairs, ``a``: both (optional). The p-value is the exact two-sided binomial test of
    b against b + c discordant pairs at 1/2. The difference is (b - c) / n. With ``a`` the
    interval is Newcombe's hybrid score interval for paired data (method 10 of Newcombe 1998,
    Stat Med 17:2635), which behaves at small n and near 0 or 1; without it, the Wald interval.
    """
    _check_counts(b=b, c=c, n=n)
    if a is not None:
        _check_counts(a=a)
    if b + c + (a or 0) > n:
        raise BadInput(f"b + c (+ a) = {b + c + (a or 0)} exceeds the number of pairs n = {n}")
    if n == 0:
        return PairedTest(math.nan, -1.0, 1.0, 1.0, 0, "empty")
    p_value = float(stats.binomtest(b, b + c, 0.5).pvalue) if b + c else 1.0
    diff = (b - c) / n
    if a is None:
        half = z * math.sqrt(max((b + c) - (b - c) ** 2 / n, 0.0)) / n
        low, high, method = diff - half, diff + half, "exact McNemar; Wald interval"
    else:
        low, high = _newcombe_paired(a, b, c, n - a - b - c, z)
        method = "exact McNemar; Newcombe hybrid score interval (paired)"
    return PairedTest(diff, max(low, -1.0), min(high, 1.0), p_value, n, method)


def _newcombe_paired(a: int, b: int, c: int, d: int, z: float) -> tuple[float, float]:
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson_interval(a + b, n, z)
    l2, u2 = wilson_interval(a + c, n, z)
    # Newcombe's phi: the correlation of the pair, its numerator shrunk toward 0 by n/2.
    numerator = a * d - b * c
    if numerator > n / 2:
        numerator -= n / 2
    elif numerator >= 0:
        numerator = 0
    denominator = math.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    phi = numerator / denominator if denominator else 0.0
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    return low, high


def paired_binary(first: Sequence[bool], second: Sequence[bool], z: float = Z95) -> PairedTest:
    """McNemar with the Newcombe interval from two aligned lists of outcomes."""
    if len(first) != len(second):
        raise BadInput(f"paired outcomes differ in length: {len(first)} vs {len(second)}")
    pairs = [(bool(x), bool(y)) for x, y in zip(first, second, strict=True)]
    a = sum(x and y for x, y in pairs)
    b = sum(x and not y for x, y in pairs)
    c = sum(y and not x for x, y in pairs)
    return mcnemar(b, c, len(pairs), a=a, z=z)


def t_critical(df: int, confidence: float = 0.95) -> float:
    """Two-sided Student-t quantile: the half-width of an interval in standard errors."""
    return float(stats.t.ppf((1 + confidence) / 2, df))


def mean_ci(ys: Sequence[float], confidence: float = 0.95) -> Estimate:
    """Mean with its Student-t interval (n - 1 df); no interval below two values."""
    values = np.asarray(ys, dtype=float)
    n = len(values)
    if n == 0:
        return Estimate(None, None, None, 0)
    mean = float(values.mean())
    if n < 2:
        return Estimate(mean, None, None, 1)
    half = t_critical(n - 1, confidence) * float(stats.sem(values))
    return Estimate(mean, mean - half, mean + half, n)


def slope_ci(xs: Sequence[float], ys: Sequence[float], confidence: float = 0.95) -> Estimate:
    """Least-squares slope of ``ys`` on ``xs`` (``scipy.stats.linregress``) with its Student-t
    interval (n - 2 df); no slope without spread in ``xs``, no interval below three points."""
    if len(xs) != len(ys):
        raise BadInput(f"slope needs aligned x and y, got {len(xs)} and {len(ys)} values")
    n = len(xs)
    if n < 2 or min(xs) == max(xs):
        return Estimate(None, None, None, n)
    fit = stats.linregress(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    slope = float(fit.slope)
    if n < 3:
        return Estimate(slope, None, None, n)
    half = t_critical(n - 2, confidence) * float(fit.stderr)
    return Estimate(slope, slope - half, slope + half, n)


def _aligned(x: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.shape != ys.shape or xs.ndim != 1:
        raise BadInput(f"paired samples must be 1-D and aligned, got {xs.shape} and {ys.shape}")
    if len(xs) == 0:
        raise BadInput("a paired comparison needs at least one pair")
    return xs, ys


def _difference(stat: Callable[..., float]) -> tuple[Callable[..., float], bool]:
    """``stat(x) - stat(y)`` for scipy's resamplers, vectorised when ``stat`` takes ``axis``."""
    try:
        vectorized = "axis" in inspect.signature(stat).parameters
    except (TypeError, ValueError):
        vectorized = False
    if vectorized:
        return lambda a, b, axis=-1: stat(a, axis=axis) - stat(b, axis=axis), True
    return lambda a, b: stat(a) - stat(b), False


def paired_bootstrap(
    x: Sequence[float],
    y: Sequence[float],
    stat: Callable[..., float] = np.mean,
    *,
    n_boot: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
) -> PairedTest:
    """``stat(x) - stat(y)`` with a percentile interval from resampling pairs
    (``scipy.stats.bootstrap(paired=True)``), and a two-sided p-value from the bootstrap
    distribution shifted to the null: the share of resampled differences at least as far from
    the observed one as the observed one is from 0."""
    xs, ys = _aligned(x, y)
    statistic, vectorized = _difference(stat)
    diff = float(statistic(xs, ys))
    if len(xs) < 2:  # one pair resamples to itself: no interval and no test
        return PairedTest(diff, math.nan, math.nan, math.nan, len(xs), "one pair: no interval")
    result = stats.bootstrap(
        (xs, ys),
        statistic,
        paired=True,
        vectorized=vectorized,
        n_resamples=n_boot,
        confidence_level=confidence,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    boot = result.bootstrap_distribution
    extreme = np.count_nonzero(np.abs(boot - diff) >= abs(diff) - 1e-12)
    p_value = min((1 + extreme) / (1 + n_boot), 1.0)
    low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    method = f"paired bootstrap, {n_boot} resamples, seed {seed}; percentile interval"
    return PairedTest(diff, low, high, float(p_value), len(xs), method)


def paired_permutation(
    x: Sequence[float],
    y: Sequence[float],
    stat: Callable[..., float] = np.mean,
    *,
    n_resamples: int = 9_999,
    seed: int = 0,
) -> PermutationTest:
    """Two-sided permutation test of ``stat(x) - stat(y)`` that swaps the two values within
    pairs (``scipy.stats.permutation_test``, ``permutation_type="samples"``); exact when the
    2**n swaps number at most ``n_resamples``."""
    xs, ys = _aligned(x, y)
    statistic, vectorized = _difference(stat)
    result = stats.permutation_test(
        (xs, ys),
        statistic,
        permutation_type="samples",
        vectorized=vectorized,
        n_resamples=n_resamples,
        rng=np.random.default_rng(seed),
    )
    exact = 2 ** len(xs) <= n_resamples
    how = "exact, all 2**n swaps" if exact else f"{n_resamples} resamples, seed {seed}"
    method = f"paired permutation test ({how})"
    return PermutationTest(float(result.statistic), float(result.pvalue), len(xs), method)


def min_detectable_difference(n: int, p0: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """The smallest rise ``d`` over a rate ``p0`` that a two-sided test at ``alpha`` detects
    with ``power``, n samples in each of two groups (two-proportion normal approximation,
    unpooled: ``d = (z_{1-alpha/2} + z_power) * sqrt((p0 q0 + p1 q1) / n)``, ``p1 = p0 + d``,
    solved by ``scipy.optimize.brentq``). A null at this n cannot exclude a smaller rise; nan
    when no rise up to a rate of 1 is detectable, or n is 0."""
    from scipy.optimize import brentq

    _check_counts(n=n)
    if not 0 <= p0 <= 1:
        raise BadInput(f"p0 must be a rate in [0, 1], got {p0}")
    if n == 0 or p0 == 1:
        return math.nan
    z = float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))

    def shortfall(d: float) -> float:
        p1 = p0 + d
        return d - z * math.sqrt((p0 * (1 - p0) + p1 * (1 - p1)) / n)

    if shortfall(1 - p0) < 0:
        return math.nan
    # d = 0 is a root too when p0 = 0: bracket the rise just above it
    return float(brentq(shortfall, 1e-12, 1 - p0, xtol=1e-10))

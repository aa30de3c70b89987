"""Is a direction more than words? Lexical baselines and paired AUROC intervals.

A desperate/calm direction can separate held-out text only because the two sides use different
words. Two baselines measure how far words alone go on the same held-out pairs:

- ``bow``: logistic regression on the counts of the tokens at the extraction positions, fit on
  the train pairs (L2, strength 1, as scikit-learn's default; fit with scipy's L-BFGS);
- ``embedding``: the mean-difference direction on the embedding output (the token vectors
  before any block), same positions, same train pairs.

A layer's *margin* is its held-out AUROC minus the better of the two. Intervals resample pairs
(both sides together) with scipy's percentile bootstrap; every statistic is computed on the same
resamples, so a margin's interval is paired.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

N_BOOT = 2000
SEED = 0
BATCH = 200  # resamples per step: bounds memory at [matrices, 200, n, n], same draws

Bag = Counter


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"

    def to_dict(self) -> dict:
        return {"value": self.value, "low": self.low, "high": self.high}


def bag(tokens: Sequence[Hashable]) -> Bag:
    return Counter(tokens)


def wins(positive: np.ndarray, negative: np.ndarray) -> np.ndarray:
    """``[i, j]``: 1 when positive ``i`` scores above negative ``j``, 0.5 on a tie, else 0.
    Its mean is the AUROC; resampling its rows and columns together resamples pairs."""
    pos, neg = np.asarray(positive, float)[:, None], np.asarray(negative, float)[None, :]
    return (pos > neg) + 0.5 * (pos == neg)


def intervals(matrices: np.ndarray, n_boot: int = N_BOOT, seed: int = SEED) -> np.ndarray:
    """For ``[k, n, n]`` win matrices of ``n`` pairs, each AUROC and its 95% interval,
    ``[k, 3]`` (value, low, high), from one set of pair resamples."""
    matrices = np.asarray(matrices, float)
    values = matrices.mean((1, 2))
    n = matrices.shape[1]
    if n < 2 or np.all(matrices == matrices[:, :1, :1]):
        return np.stack([values, values, values], 1)

    def statistic(idx, axis=-1):
        idx = idx.astype(int)
        picked = matrices[:, idx[..., :, None], idx[..., None, :]]
        return picked.mean((-1, -2))

    ci = _percentile_ci(statistic, n, n_boot, seed)
    return np.stack([values, np.asarray(ci.low), np.asarray(ci.high)], 1)


def _percentile_ci(statistic, n: int, n_boot: int, seed: int):
    """scipy's percentile bootstrap over ``n`` pairs (resampled as indices, vectorised)."""
    return stats.bootstrap(
        (np.arange(n),),
        statistic,
        vectorized=True,
        n_resamples=n_boot,
        batch=BATCH,
        method="percentile",
        rng=np.random.default_rng(seed),
    ).confidence_interval


def margins(
    layers: np.ndarray, baselines: np.ndarray, n_boot: int = N_BOOT, seed: int = SEED
) -> np.ndarray:
    """Each layer's AUROC minus the better baseline's, ``[layers, 3]`` (value, low, high); the
    better baseline is taken within each resample, so the interval also carries that choice."""
    layers, baselines = np.asarray(layers, float), np.asarray(baselines, float)
    values = layers.mean((1, 2)) - baselines.mean((1, 2)).max()
    n = layers.shape[1]
    if n < 2:
        return np.stack([values, values, values], 1)

    def statistic(idx, axis=-1):
        idx = idx.astype(int)
        rows, cols = idx[..., :, None], idx[..., None, :]
        best = baselines[:, rows, cols].mean((-1, -2)).max(0)
        return layers[:, rows, cols].mean((-1, -2)) - best

    ci = _percentile_ci(statistic, n, n_boot, seed)
    low, high = np.nan_to_num(ci.low, nan=0.0), np.nan_to_num(ci.high, nan=0.0)
    return np.stack([values, np.minimum(low, values), np.maximum(high, values)], 1)


@dataclass(frozen=True)
class BagOfWords:
    """Logistic regression on token counts: weights over the train vocabulary and a bias."""

    vocabulary: dict[Hashable, int]
    weights: np.ndarray
    bias: float

    @classmethod
    def fit(cls, positive: Sequence[Bag], negative: Sequence[Bag], l2: float = 1.0) -> BagOfWords:
        vocabulary = {
            t: i
            for i, t in enumerate(sorted({t for b in [*positive, *negative] for t in b}, key=repr))
        }
        x = _matrix([*positive, *negative], vocabulary)
        y = np.r_[np.ones(len(positive)), np.zeros(len(negative))]

        def loss(wb):
            w, b = wb[:-1], wb[-1]
            z = x @ w + b
            p = special.expit(z)
            value = np.sum(np.logaddexp(0, z) - y * z) + 0.5 * l2 * w @ w
            return value, np.r_[x.T @ (p - y) + l2 * w, np.sum(p - y)]

        start = np.zeros(len(vocabulary) + 1)
        result = optimize.minimize(loss, start, jac=True, method="L-BFGS-B")
        return cls(vocabulary, result.x[:-1], float(result.x[-1]))

    def scores(self, bags: Sequence[Bag]) -> np.ndarray:
        return _matrix(bags, self.vocabulary) @ self.weights + self.bias

    def top(self, k: int) -> tuple[list[Hashable], list[Hashable]]:
        """The ``k`` tokens that push hardest toward each side: (positive, negative)."""
        tokens = list(self.vocabulary)
        order = np.argsort(self.weights)
        return [tokens[i] for i in order[::-1][:k]], [tokens[i] for i in order[:k]]


def _matrix(bags: Sequence[Bag], vocabulary: dict[Hashable, int]) -> np.ndarray:
    x = np.zeros((len(bags), len(vocabulary)))
    for row, b in enumerate(bags):
        for token, count in b.items():
            if token in vocabulary:
                x[row, vocabulary[token]] = count
    return x


def verdict(vector) -> str:
    """One line: whether the chosen layer separates held-out pairs better than words do, at
    this many pairs (the margin's interval excludes 0), and how it reads text in other voices."""
    s = vector.per_layer[vector.default_layer]
    n = vector.contrast.get("heldout_pairs")
    if s.margin is None:
        return "lexical baselines not recorded (an older vector file): re-extract to get them"
    margin = f"margin {s.margin:+.3f} [{s.margin_low:+.3f}, {s.margin_high:+.3f}]"
    layer = f"layer {vector.default_layer} {margin}"
    if s.margin_low > 0:
        line = f"more than lexical at n={n} held-out pairs: {layer} excludes 0"
    elif s.margin_high < 0:
        line = f"mostly lexical at n={n} held-out pairs: {layer}, words alone separate them better"
    else:
        line = (
            f"mostly lexical at n={n} held-out pairs: {layer} includes 0, words alone separate "
            "them as well"
        )
    if s.other_voice_auroc is not None:
        line += (
            f"; other-voice AUROC {s.other_voice_auroc:.3f} "
            f"[{s.other_voice_low:.3f}, {s.other_voice_high:.3f}]"
        )
    return line

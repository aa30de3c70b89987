"""Seeded randomness: one independent ``random.Random`` per (seed, family, template, index).

Seeding each scenario from a hash of its coordinates (never the global generator) makes a record
depend only on its own coordinates, so adding a family or changing ``--n-per-family`` does not
reshuffle the others, and two runs with the same seed are byte-identical.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


def rng_for(*keys: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(map(str, keys)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def pick(rng: random.Random, pool: Mapping[str, Sequence[T]] | Sequence[T], split: str) -> T:
    """Choose from ``pool``; a ``{"train": [...], "eval": [...]}`` pool keeps the splits apart."""
    items = pool[split] if isinstance(pool, Mapping) else pool
    return rng.choice(list(items))


def weighted(rng: random.Random, options: Mapping[T, float]) -> T:
    keys = list(options)
    return rng.choices(keys, weights=[options[k] for k in keys], k=1)[0]

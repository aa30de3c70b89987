"""The positive control's arithmetic against hand-computed values."""

from __future__ import annotations

import pytest

from equanimity.studies.acquisition import acquisition, fraction_prevented, pairs_of

PAIRS = [("p1", "c1"), ("p2", "c2")]
BASE = {"p1": 0.0, "c1": 0.0, "p2": 1.0, "c2": 1.0}
# organism: +2 under pressure, +0.5 without, on both pairs
ORGANISM = {"p1": 2.0, "c1": 0.5, "p2": 3.0, "c2": 1.5}
# mitigated: +1 under pressure, +0.5 without
MITIGATED = {"p1": 1.0, "c1": 0.5, "p2": 2.0, "c2": 1.5}


def test_pairs_need_both_conditions():
    rows = [
        {"id": "p1", "pair": "a", "condition": "pressure"},
        {"id": "c1", "pair": "a", "condition": "control"},
        {"id": "p2", "pair": "b", "condition": "pressure"},
    ]
    assert pairs_of(rows) == [("p1", "c1")]


def test_acquisition_is_the_shift_and_the_difference_in_differences():
    got = acquisition(ORGANISM, BASE, PAIRS)
    assert got["pressure"].value == pytest.approx(2.0)
    assert got["did"].value == pytest.approx(1.5)
    assert got["did"].low == pytest.approx(1.5) and got["did"].high == pytest.approx(1.5)
    assert got["did"].n == 2 and got["did"].excludes_zero
    assert acquisition(BASE, BASE, PAIRS)["did"].value == 0


def test_fraction_prevented_against_hand_computed_values():
    pressure = fraction_prevented(ORGANISM, MITIGATED, BASE, PAIRS, "pressure")
    assert pressure.value == pytest.approx(1 - 1.0 / 2.0)
    did = fraction_prevented(ORGANISM, MITIGATED, BASE, PAIRS, "did")
    assert did.value == pytest.approx(1 - 0.5 / 1.5)
    assert did.note is None
    assert fraction_prevented(ORGANISM, ORGANISM, BASE, PAIRS, "did").value == 0.0
    assert fraction_prevented(ORGANISM, BASE, BASE, PAIRS, "did").value == 1.0


def test_fraction_interval_and_an_undetected_organism():
    pairs = [*PAIRS, ("p3", "c3")]
    base = {**BASE, "p3": 0.0, "c3": 0.0}
    organism = {**ORGANISM, "p3": 0.5, "c3": 0.0}  # did 0.5 on the third pair
    mitigated = {**MITIGATED, "p3": 0.5, "c3": 0.0}
    got = fraction_prevented(organism, mitigated, base, pairs, "did")
    assert got.value == pytest.approx(1 - (0.5 + 0.5 + 0.5) / (1.5 + 1.5 + 0.5))
    assert got.low <= got.value <= got.high and got.low < got.high
    noisy = {"p1": 1.0, "c1": 0.0, "p2": 0.0, "c2": 1.0}  # did +1 and -1: mean 0
    noisy_mit = {"p1": 0.5, "c1": 0.0, "p2": 0.0, "c2": 1.0}
    zero_base = dict.fromkeys(noisy, 0.0)
    assert fraction_prevented(noisy, noisy_mit, zero_base, PAIRS, "did") is None  # A_org = 0
    noisy["p1"] = 1.5
    got = fraction_prevented(noisy, noisy_mit, zero_base, PAIRS, "did")
    assert got.note and "not interpretable" in got.note

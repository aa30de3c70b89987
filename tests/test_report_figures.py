"""The report's figures: the headline (what the organism acquired and the share each mitigation
prevented) plots the comparison's own estimates, and no panel title is cut."""

from __future__ import annotations

import pytest

from equanimity.eval.stats import Estimate
from equanimity.studies import figures
from equanimity.studies.compare import METRICS, Cell, Comparison, Row
from equanimity.studies.rates import Readout


@pytest.fixture
def drawn(monkeypatch) -> list:
    """The figures the next calls draw, laid out as ``_png`` lays them out, kept open."""
    kept: list = []

    def keep(fig) -> bytes:
        fig.tight_layout()
        fig.canvas.draw()
        kept.append(fig)
        return b"png"

    monkeypatch.setattr(figures, "_png", keep)
    return kept


def _rate(k: int, n: int, **changes) -> Readout:
    return Readout(
        "blackmail_rate",
        True,
        Cell(k / n, 0.0, 1.0, n, k),
        Cell(0.0, 0.0, 0.1, n, 0),
        None,
        **changes,
    )


def _comparison() -> Comparison:
    return Comparison(
        "base",
        [{"name": a} for a in ("base", "organism", "sft_reg", "steer")],
        "0" * 64,
        [],
        organism="organism",
        acquisition={
            "organism": {"did": Estimate(0.42, 0.3, 0.55, 10)},
            "sft_reg": {"did": Estimate(0.21, 0.1, 0.3, 10)},
            "steer": {"did": Estimate(0.4, 0.25, 0.5, 10)},
        },
        prevented={
            "sft_reg": {"did": Estimate(0.5, 0.2, 0.8, 10)},
            "steer": {"did": Estimate(0.05, -0.2, 0.3, 10, note="not interpretable")},
        },
        rates={
            "blackmail_rate": {
                "base": _rate(0, 24),
                "organism": _rate(12, 24, vs_base={"did": Estimate(0.5, 0.3, 0.7, 12)}),
                "sft_reg": _rate(
                    3,
                    24,
                    vs_base={"did": Estimate(0.125, 0.0, 0.25, 12)},
                    prevented={"did": Estimate(0.75, 0.5, 1.0, 12)},
                ),
            },
            "cheating_rate": {"base": _rate(0, 24), "organism": _rate(0, 24)},  # at the floor
        },
    )


def _points(ax) -> dict[str, tuple[float, float, float]]:
    """Tick label -> (x, low, high) of the interval drawn on that line."""
    ticks = zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    labels = {round(t): label.get_text() for t, label in ticks}
    out = {}
    for container in ax.containers:
        (x,), (y,) = container.lines[0].get_data()
        (bar,) = container.lines[2]
        (low, _), (high, _) = bar.get_segments()[0]
        out[labels[round(y)]] = (x, low, high)
    return out


def test_the_headline_draws_the_acquisition_and_the_share_prevented(drawn):
    assert figures.headline(_comparison()) == b"png"
    (fig,) = drawn
    axes = [ax for ax in fig.axes if ax.axison]
    titles = [ax.get_title().replace("\n", " ") for ax in axes]
    # the margin, then blackmail (off the floor); cheating is at the floor in every arm
    assert titles == [
        "Reply margin: acquired against base (DiD)",
        "Reply margin: share of the organism's acquisition prevented",
        "Generated blackmail rate: acquired against base (DiD)",
        "Generated blackmail rate: share of the organism's acquisition prevented",
    ]
    margin, margin_share, rate, rate_share = (_points(ax) for ax in axes)
    assert margin == {
        "organism (positive control)": pytest.approx((0.42, 0.3, 0.55)),
        "sft_reg": pytest.approx((0.21, 0.1, 0.3)),
        "steer": pytest.approx((0.4, 0.25, 0.5)),
    }
    # steer's share is not interpretable: said in words on its line, not drawn
    assert margin_share == {"sft_reg": pytest.approx((50, 20, 80))}
    assert [t.get_text() for t in axes[1].texts] == ["not interpretable"]
    assert rate == {
        "organism (positive control)": pytest.approx((50, 30, 70)),
        "sft_reg": pytest.approx((12.5, 0, 25)),
    }
    assert rate_share == {"sft_reg": pytest.approx((75, 50, 100))}


def test_no_margins_no_headline():
    comparison = _comparison()
    comparison.acquisition, comparison.rates = {}, {}
    assert figures.headline(comparison) is None


def test_no_panel_title_is_cut(drawn):
    """Every title fits above its own panel: the grid's longest metric labels (today up to 84
    characters) and the headline's."""
    arms = ["base", "organism", "sft_reg", "sft_reg_random", "organism_steer_calm"]
    cells = {a: Cell(0.2, 0.1, 0.3, 20, 4) for a in arms}
    shown = [m for m in METRICS if m.in_compare]  # the rows compare makes
    rows = [Row(m.name, m.label, m.binary, cells, {}) for m in shown]
    comparison = _comparison()
    comparison.rows = rows
    comparison.runs = [{"name": a} for a in arms]
    figures.rates(comparison)
    figures.headline(comparison)
    assert len(drawn) == 2
    checked = 0
    for fig in drawn:
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            if not ax.get_title():
                continue
            title = ax.title.get_window_extent(renderer)
            panel = ax.get_window_extent(renderer)
            assert title.width <= panel.width, ax.get_title()
            assert title.x0 >= 0 and title.x1 <= fig.bbox.x1, ax.get_title()
            checked += 1
    assert checked == len(shown) + 4


def _arm(name: str, coef: float | None = None, **fields):
    from equanimity.studies.record import ArmRecord

    knobs = {} if coef is None else {"coef": coef, **fields.pop("knobs", {})}
    base = dict(
        recipe=None, mitigation=None, overrides={}, steering=None, data="inducing", init=None
    )
    return ArmRecord(name, fields.pop("kind", "sft_reg"), knobs=knobs, **base | fields)


def test_a_sweep_joins_only_arms_that_differ_in_their_coefficient():
    """penalty_forms' arms (one per form, one random twin) are no curve; a coefficient grid and
    its twins' grid are two; arms from another start are their own."""
    from equanimity.studies.report import sweeps

    forms = [
        _arm("base"),
        _arm("relu", 0.39, knobs={"form": "relu"}),
        _arm("paired", 2.5, knobs={"form": "paired"}),
        _arm("centred", 2.5, knobs={"form": "centred"}),
        _arm("centred_random", 76.0, knobs={"form": "centred"}, direction="random"),
    ]
    assert sweeps(forms) == []
    grid = [_arm(f"reg_{c}", c) for c in (0.25, 2.5, 25.0)]
    twins = [_arm(f"random_{c}", c, direction="random") for c in (2.5, 25.0)]
    later = [_arm("then_reg", 2.5, init="organism"), _arm("then_reg_b", 5.0, init="organism")]
    assert sweeps(grid + twins + later + forms) == [
        ("sft_reg, inducing data", {"reg_0.25": 0.25, "reg_2.5": 2.5, "reg_25.0": 25.0}),
        ("sft_reg, inducing data, random direction", {"random_2.5": 2.5, "random_25.0": 25.0}),
        ("sft_reg, inducing data, from organism", {"then_reg": 2.5, "then_reg_b": 5.0}),
    ]


def test_a_sweep_draws_arms_that_share_a_coefficient(drawn):
    """Two arms at one coefficient (seeds of a grid) are two points, not a failed sort."""
    comparison = _comparison()
    comparison.rows.append(
        Row(
            "blackmail_rate",
            "",
            True,
            {a: Cell(0.1 * i, 0.0, 0.5, 24, i) for i, a in enumerate(("base", "sft_reg", "steer"))},
            {},
        )
    )
    assert figures.sweep(comparison, {"sft_reg": 2.5, "steer": 2.5}, "blackmail_rate")

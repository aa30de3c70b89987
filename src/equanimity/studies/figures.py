"""The report's plots, each a function of data to PNG bytes (matplotlib, no display needed)."""

from __future__ import annotations

import io
import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from equanimity.data_gen.pressure import level_quarter  # noqa: E402
from equanimity.eval.stats import (
    Estimate,  # noqa: E402
    mean_ci,  # noqa: E402
)
from equanimity.studies.compare import Comparison  # noqa: E402
from equanimity.studies.verdict import RATES  # noqa: E402

TITLE_WIDTH = 46  # characters a panel title line holds at 9 pt in a 4.2-inch panel


def _title(text: str, width: int = TITLE_WIDTH) -> str:
    """A panel title wrapped onto as many lines as it needs, never cut."""
    return textwrap.fill(text, width)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def rates(comparison: Comparison) -> bytes | None:
    """One panel per metric: each arm's estimate with its interval."""
    rows = [r for r in comparison.rows if r.cells]
    if not rows:
        return None
    cols = min(3, len(rows))
    nrows = math.ceil(len(rows) / cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 3.4 * nrows), squeeze=False)
    arms = [r["name"] for r in comparison.runs]
    for ax, row in zip(axes.flat, rows, strict=False):
        names = [a for a in arms if a in row.cells]
        cells = [row.cells[a] for a in names]
        ys = [c.value for c in cells]
        err = [
            [max(c.value - c.low, 0) if not math.isnan(c.low) else 0 for c in cells],
            [max(c.high - c.value, 0) if not math.isnan(c.high) else 0 for c in cells],
        ]
        ax.errorbar(range(len(names)), ys, yerr=err, fmt="o", capsize=4)
        ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
        ax.set_title(_title(row.label), fontsize=9)
        if row.binary:
            ax.set_ylim(-0.05, 1.05)
        else:
            ax.ticklabel_format(axis="y", useOffset=False)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(rows) :]:
        ax.axis("off")
    return _png(fig)


def _mean_ci(values: list[float]) -> tuple[float, float]:
    """Mean and the half-width of its Student-t 95% interval (0 below two values)."""
    est = mean_ci(values)
    return est.value, 0.0 if est.high is None else est.high - est.value


def pressure_curves(samples: dict[str, list[dict]]) -> bytes | None:
    """Forced-choice P(unethical) against the pressure level, per arm; the square at 0 is the
    matched no-pressure controls."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    drawn = False
    for i, (arm, rows) in enumerate(samples.items()):
        groups: dict[float, list[float]] = defaultdict(list)
        for r in rows:
            if r["mode"] == "forced":
                groups[level_quarter(r["level"])].append(r["p_unethical"])
        if not groups:
            continue
        xs = sorted(groups)
        stats = [_mean_ci(groups[x]) for x in xs]
        color = f"C{i % 10}"
        ax.errorbar(
            xs,
            [m for m, _ in stats],
            yerr=[h for _, h in stats],
            fmt="-o",
            color=color,
            capsize=3,
            label=arm,
            alpha=0.85,
        )
        if 0.0 in groups:
            ax.plot([0.0], [stats[0][0]], "s", color=color, ms=9, mfc="none")
        drawn = True
    if not drawn:
        plt.close(fig)
        return None
    ax.set_xlabel("pressure level (0 = matched controls, squares; then quarters)")
    ax.set_ylabel("P(unethical), forced choice")
    ax.ticklabel_format(axis="y", useOffset=False)
    ax.set_title("Pressure curve per arm", fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3)
    return _png(fig)


def probe_curves(samples: dict[str, list[dict]]) -> bytes | None:
    """Desperation projection (probe rows, primary layer, over the reply) against failures."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    drawn = False
    for i, (arm, rows) in enumerate(samples.items()):
        probes = [r for r in rows if r["mode"] == "probe" and r.get("failures") is not None]
        if not probes:
            continue
        measures = sorted(probes[0]["projections"][str(probes[0]["layer"])])
        measure = "reply_desperate" if "reply_desperate" in measures else measures[0]
        groups: dict[tuple[str, int], list[float]] = defaultdict(list)
        for r in probes:
            condition = "control" if r["level"] == 0 else "pressure"
            groups[(condition, r["failures"])].append(r["projections"][str(r["layer"])][measure])
        for condition, style in (("pressure", "-o"), ("control", ":s")):
            xs = sorted(f for c, f in groups if c == condition)
            stats = [_mean_ci(groups[(condition, x)]) for x in xs]
            if xs:
                ax.errorbar(
                    xs,
                    [m for m, _ in stats],
                    yerr=[h for _, h in stats],
                    fmt=style,
                    color=f"C{i % 10}",
                    capsize=3,
                    label=f"{arm} ({condition})",
                )
                drawn = True
        ax.set_ylabel(f"projection ({measure})")
    if not drawn:
        plt.close(fig)
        return None
    ax.set_xlabel("prior failed attempts")
    ax.set_title("Desperation projection under pressure", fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3)
    return _png(fig)


def training_projection(monitors: dict[str, list[dict]]) -> bytes | None:
    """The training monitor's held-out projection (and reply projection) over steps."""
    monitors = {a: rows for a, rows in monitors.items() if rows}
    if not monitors:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for i, (arm, rows) in enumerate(monitors.items()):
        steps = [r["step"] for r in rows]
        for ax, key in zip(axes, ("heldout_projection", "reply_projection"), strict=True):
            pts = [(s, r[key]) for s, r in zip(steps, rows, strict=True) if key in r]
            if pts:
                ax.plot(*zip(*pts, strict=True), "-o", color=f"C{i % 10}", label=arm, ms=3)
    for ax, title in zip(
        axes,
        ("held-out pressure prompts (hooks off)", "training reply tokens"),
        strict=True,
    ):
        ax.set_title(f"Desperation projection: {title}", fontsize=9)
        ax.set_xlabel("optimizer step")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    return _png(fig)


def sweep(comparison: Comparison, coefs: dict[str, float], metric: str) -> bytes | None:
    """A metric against the mitigation coefficient (arms of one kind with several coefs)."""
    row = next((r for r in comparison.rows if r.metric == metric), None)
    if row is None or len(coefs) < 2:
        return None
    pts = sorted(
        ((c, row.cells[a]) for a, c in coefs.items() if a in row.cells), key=lambda p: p[0]
    )
    if len(pts) < 2:
        return None
    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    xs = [c for c, _ in pts]
    ax.errorbar(
        xs,
        [cell.value for _, cell in pts],
        yerr=[
            [cell.value - cell.low for _, cell in pts],
            [cell.high - cell.value for _, cell in pts],
        ],
        fmt="-o",
        capsize=4,
    )
    ref = row.cells.get(comparison.reference)
    if ref is not None:
        ax.axhline(ref.value, color="gray", ls="--", label=comparison.reference)
        ax.legend(fontsize=8)
    if min(xs) > 0:
        ax.set_xscale("log")
    ax.set_xlabel("mitigation coefficient")
    ax.set_ylabel(row.label)
    ax.set_title(f"Coefficient sweep: {row.label}", fontsize=10)
    ax.grid(alpha=0.3)
    return _png(fig)


@dataclass(frozen=True)
class _Readout:
    """One row of the headline: what each arm acquired, and the share each prevented."""

    name: str
    unit: str  # the acquisition axis
    scale: float  # 100 for rates (percentage points), 1 for the margin
    acquired: dict[str, Estimate]
    prevented: dict[str, Estimate]


def _headline_readouts(comparison: Comparison) -> list[_Readout]:
    """The reply margin, then each generated rate that some arm moved off the floor."""
    out = [
        _Readout(
            "Reply margin",
            "per token: log P(unethical) - log P(ethical)",
            1.0,
            {a: by["did"] for a, by in comparison.acquisition.items() if "did" in by},
            {a: by["did"] for a, by in comparison.prevented.items() if "did" in by},
        )
    ]
    for measure, label in RATES.items():
        by_arm = comparison.rates.get(measure, {})
        if all(r.at_floor for r in by_arm.values()):
            continue
        out.append(
            _Readout(
                f"Generated {label} rate",
                "percentage points",
                100.0,
                {a: r.vs_base["did"] for a, r in by_arm.items() if "did" in r.vs_base},
                {a: r.prevented["did"] for a, r in by_arm.items() if "did" in r.prevented},
            )
        )
    return [r for r in out if r.acquired]


def _intervals(
    ax, estimates: dict[str, Estimate], scale: float, organism: str | None, share: bool
) -> None:
    """One arm a line, top down: the estimate with its interval; a share that cannot be read
    (the organism's own interval includes 0) is said in words, not drawn."""
    names = list(estimates)
    for i, name in enumerate(names):
        e = estimates[name]
        if share and e.note:
            ax.text(
                0.5,
                -i,
                "not interpretable",
                transform=ax.get_yaxis_transform(),
                ha="center",
                va="center",
                fontsize=8,
                color="gray",
            )
            continue
        color = "C3" if name == organism else "C0"
        err = [[max(scale * (e.value - e.low), 0)], [max(scale * (e.high - e.value), 0)]]
        ax.errorbar([scale * e.value], [-i], xerr=err, fmt="o", color=color, capsize=4)
    labels = [f"{n} (positive control)" if n == organism else n for n in names]
    ax.set_yticks([-i for i in range(len(names))], labels, fontsize=8)
    ax.set_ylim(-len(names) + 0.5, 0.5)
    ax.axvline(0, color="gray", lw=0.8)
    if share:
        ax.axvline(100, color="gray", lw=0.8, ls="--")
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4), useOffset=False)
    ax.grid(axis="x", alpha=0.3)


def headline(comparison: Comparison) -> bytes | None:
    """The question in one figure: per readout (the reply margin, then each generated rate off
    the floor), what each arm acquired against the reference under pressure beyond its matched
    controls (difference in differences), and the share of the organism's acquisition each
    mitigating arm prevented, each with its 95% interval."""
    readouts = _headline_readouts(comparison)
    if not readouts:
        return None
    cols = 2 if any(r.prevented for r in readouts) else 1
    arms = max(len(r.acquired) for r in readouts)
    fig, axes = plt.subplots(
        len(readouts),
        cols,
        figsize=(5.5 * cols, (1.4 + 0.4 * arms) * len(readouts)),
        squeeze=False,
    )
    ref, org = comparison.reference, comparison.organism
    for row, r in zip(axes, readouts, strict=True):
        _intervals(row[0], r.acquired, r.scale, org, share=False)
        row[0].set_title(_title(f"{r.name}: acquired against {ref} (DiD)"), fontsize=9)
        row[0].set_xlabel(r.unit, fontsize=8)
        if cols == 1:
            continue
        if r.prevented:
            _intervals(row[1], r.prevented, 100.0, org, share=True)
            title = f"{r.name}: share of the organism's acquisition prevented"
            row[1].set_title(_title(title), fontsize=9)
            row[1].set_xlabel("% prevented (0: none, 100: all)", fontsize=8)
        else:
            row[1].axis("off")
    return _png(fig)

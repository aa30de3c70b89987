"""``equanimity compare RUN_DIR ...``: evaluated runs side by side, each against ``base``.

Every run must have been scored on the same scenario file (same sha256): a difference between
runs on different scenarios is not a treatment effect. Differences are paired on scenario id
(and sample index): exact McNemar with Newcombe's interval for rates, a seeded paired bootstrap
for means. The reference is the run named ``base`` (else the first run given).

Per probe measure, two rows say whether a mitigation removed the pressure-driven signal or only
shifted the axis (:mod:`equanimity.eval.readouts.pressure_gap`): the pressure gap (pressure minus
its control, per pair; each run against base pair by pair) and the pressure-vs-control AUROC. A
shift leaves both alone; removing the signal shrinks both.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from equanimity.errors import BadInput
from equanimity.eval.metrics import METRICS, Metric, rate_metrics
from equanimity.eval.readouts.pressure_gap import pair_gaps, pressure_auroc, pressure_gap
from equanimity.eval.stats import Estimate, Rate, mean_ci, paired_binary, paired_bootstrap
from equanimity.files import read_written_jsonl, write_json, write_text
from equanimity.studies.acquisition import (
    MEASURES,
    DirectionEffect,
    acquisition,
    direction_effect,
    fraction_prevented,
    pairs_of,
)
from equanimity.studies.canonical import Agreement, agreement, canonical_rows
from equanimity.studies.kinds import kinds
from equanimity.studies.rates import (
    Cell,
    Readout,
    readouts,
    scenario_means,
    scenario_pairs,
    scenario_values,
)

BOOTSTRAP = 2000


@dataclass
class Run:
    name: str
    path: Path
    results: dict
    samples: list[dict]
    arm: dict | None = None  # the study's arm.json, when a study wrote one

    @property
    def scenarios_sha256(self) -> str:
        return self.results["scenarios"]["sha256"]


@dataclass(frozen=True)
class Diff:
    diff: float
    low: float
    high: float
    p_value: float
    n: int
    method: str


@dataclass
class Row:
    metric: str
    label: str
    binary: bool
    cells: dict[str, Cell]  # run name -> estimate
    diffs: dict[str, Diff]  # run name -> paired difference against the reference


@dataclass
class Comparison:
    reference: str
    runs: list[dict]  # name, path, model, n scenarios
    scenarios_sha256: str
    rows: list[Row]
    # the positive control (studies.acquisition), where the runs have reply margins
    organism: str | None = None  # the arm trained plainly on misbehaviour-inducing data
    acquisition: dict[str, dict[str, Estimate]] = field(default_factory=dict)  # arm -> measure
    prevented: dict[str, dict[str, Estimate]] = field(default_factory=dict)  # arm -> measure
    # generated rates and scores (studies.rates): measure -> arm -> readout
    rates: dict[str, dict[str, Readout]] = field(default_factory=dict)
    # the same for each scenario family (measure -> family -> arm -> readout), rates only
    rates_by_family: dict[str, dict[str, dict[str, Readout]]] = field(default_factory=dict)
    # each mitigation beside its random-direction twin, on the margin and on each rate
    direction: list[DirectionEffect] = field(default_factory=list)
    # our counted blackmail verdict beside the Agentic Misalignment study's: arm -> per condition
    canonical: dict[str, list[Agreement]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "reference": self.reference,
            "runs": self.runs,
            "scenarios_sha256": self.scenarios_sha256,
            "rows": [asdict(r) for r in self.rows],
            "organism": self.organism,
            "acquisition": _estimates(self.acquisition),
            "prevented": _estimates(self.prevented),
            "rates": {m: {arm: asdict(r) for arm, r in by.items()} for m, by in self.rates.items()},
            "rates_by_family": {
                m: {f: {arm: asdict(r) for arm, r in by.items()} for f, by in fams.items()}
                for m, fams in self.rates_by_family.items()
            },
            "direction": [asdict(d) for d in self.direction],
            "canonical": {arm: [asdict(a) for a in by] for arm, by in self.canonical.items()},
        }


def _estimates(table: dict[str, dict[str, Estimate]]) -> dict:
    return {arm: {m: asdict(e) for m, e in by.items()} for arm, by in table.items()}


def _results_dirs(path: Path) -> list[Path]:
    if (path / "results.json").is_file():
        return [path]
    found = sorted(p.parent for p in path.glob("*/results.json"))
    found += sorted(p.parent for p in path.glob("*/*/results.json"))
    if not found:
        raise BadInput(
            f"{path}: no results.json in it or below it; pass directories written by "
            "`equanimity eval` (or a study's arms/NAME)"
        )
    return found


def _up(path: Path, levels: int) -> list[Path]:
    return [path, *list(path.resolve().parents)[:levels]]


def load_run(path: str | Path) -> Run:
    """An evaluated run: a directory with ``results.json`` + ``samples.jsonl``, or one whose
    subdirectories hold several (a study arm: one per mode), merged. Named by ``arm.json``
    when a study wrote one, else by the directory. Reads the files, not through eval's code:
    a study's compare stage is keyed on its own sources (studies.sources)."""
    path = Path(path)
    dirs = _results_dirs(path)
    results = [json.loads((d / "results.json").read_text(encoding="utf-8")) for d in dirs]
    hashes = {r["scenarios"]["sha256"] for r in results}
    if len(hashes) > 1:
        raise BadInput(f"{path}: its evaluations used different scenario files")
    arm_file = next((p / "arm.json" for p in _up(path, 2) if (p / "arm.json").is_file()), None)
    arm = json.loads(arm_file.read_text()) if arm_file else None
    name = arm["name"] if arm else path.name
    merged = dict(results[0])
    merged["scenarios"] = dict(merged["scenarios"], n=max(r["scenarios"]["n"] for r in results))
    samples = [row for d in dirs for row in read_written_jsonl(d / "samples.jsonl")]
    return Run(name, path, merged, samples, arm)


def _values(run: Run, metric: Metric) -> dict[tuple[str, int], Any]:
    return {
        (r["id"], r.get("sample", 0)): r[metric.field]
        for r in run.samples
        if r["mode"] == metric.mode
        and (metric.behavior is None or r["behavior"] == metric.behavior)
        and r.get(metric.field) is not None
    }


def _probe_values(run: Run) -> dict[str, dict[tuple[str, int], float]]:
    """Probe rows: every measure on the primary layer (``probe_<measure>``)."""
    out: dict[str, dict[tuple[str, int], float]] = {}
    for r in run.samples:
        if r["mode"] != "probe":
            continue
        for measure, value in r["projections"][str(r["layer"])].items():
            out.setdefault(f"probe_{measure}", {})[(r["id"], r.get("sample", 0))] = value
    return out


def _cell(values: list, binary: bool) -> Cell:
    if binary:
        rate = Rate.of_outcomes(values)
        return Cell(rate.rate, rate.low, rate.high, rate.n, rate.k)
    est = mean_ci(values)  # Student-t interval; nan bounds below two values
    low, high = (math.nan, math.nan) if est.low is None else (est.low, est.high)
    return Cell(est.value, low, high, len(values))


def _diff(run: dict, ref: dict, binary: bool) -> Diff | None:
    keys = sorted(set(run) & set(ref))
    if not keys:
        return None
    x, y = [run[k] for k in keys], [ref[k] for k in keys]
    test = paired_binary(x, y) if binary else paired_bootstrap(x, y, n_boot=BOOTSTRAP, seed=0)
    return Diff(test.diff, test.low, test.high, test.p_value, test.n, test.method)


def _row(name: str, label: str, binary: bool, values: dict[str, dict], reference: str) -> Row:
    cells = {run: _cell(list(v.values()), binary) for run, v in values.items() if v}
    return Row(name, label, binary, cells, _diffs(values, reference, binary))


def _diffs(values: dict[str, dict], reference: str, binary: bool) -> dict[str, Diff]:
    """Each run's paired difference against the reference, where they share keys."""
    diffs = {}
    for run, v in values.items():
        if run != reference and v and values.get(reference):
            d = _diff(v, values[reference], binary)
            if d is not None:
                diffs[run] = d
    return diffs


def _pressure_rows(runs: list[Run], measure: str, reference: str) -> list[Row]:
    """The pressure gap (with each run's gap against the reference's, paired on ``pair``) and
    the pressure AUROC of one probe measure; none when no run has matched pairs."""
    probes = {r.name: [s for s in r.samples if s["mode"] == "probe"] for r in runs}
    gaps = {name: pressure_gap(rows, measure, n_boot=BOOTSTRAP) for name, rows in probes.items()}
    if not any(g.n_pairs for g in gaps.values()):
        return []
    per_pair = {name: pair_gaps(rows, measure) for name, rows in probes.items()}
    gap_cells = {n: Cell(g.gap, g.low, g.high, g.n_pairs) for n, g in gaps.items() if g.n_pairs}
    gap_diffs = _diffs(per_pair, reference, False)
    aurocs = {
        name: pressure_auroc(rows, measure, n_boot=BOOTSTRAP) for name, rows in probes.items()
    }
    auroc_cells = {
        n: Cell(a.auroc, a.low, a.high, a.n_pressure + a.n_control)
        for n, a in aurocs.items()
        if not math.isnan(a.auroc)
    }
    words = measure.replace("_", " ")
    return [
        Row(
            f"pressure_gap_{measure}",
            f"Pressure gap (pressure - control): {words}",
            False,
            gap_cells,
            gap_diffs,
        ),
        Row(
            f"pressure_auroc_{measure}",
            f"Pressure vs control AUROC: {words}",
            False,
            auroc_cells,
            {},
        ),
    ]


def compare_runs(paths: list[str | Path]) -> Comparison:
    """Load the runs, refuse mixed scenario files, and build the table."""
    if not paths:
        raise BadInput("compare needs at least one run directory")
    return comparison_of([load_run(p) for p in paths])


def comparison_of(runs: list[Run]) -> Comparison:
    """The table of runs already loaded (:func:`load_run`); mixed scenario files are refused."""
    hashes = {r.scenarios_sha256 for r in runs}
    if len(hashes) > 1:
        first = runs[0]
        other = next(r for r in runs if r.scenarios_sha256 != first.scenarios_sha256)
        raise BadInput(
            f"{first.path} and {other.path} were evaluated on different scenario files "
            f"(sha256 {first.scenarios_sha256[:12]} vs {other.scenarios_sha256[:12]}); "
            "compare only runs on the same scenarios"
        )
    names = [r.name for r in runs]
    if len(set(names)) < len(names):
        raise BadInput(
            f"two runs have the same name in {names}; give their directories distinct names"
        )
    reference = "base" if "base" in names else names[0]
    rows = []
    for metric in (m for m in METRICS if m.in_compare):
        values = {r.name: _values(r, metric) for r in runs}
        if any(values.values()):
            rows.append(_row(metric.name, metric.label, metric.binary, values, reference))
    probes = {r.name: _probe_values(r) for r in runs}
    measures = {m for v in probes.values() for m in v}
    # calm is the desperate direction negated (mitigations.extract), so its rows would mirror
    # the desperate ones; they stay in each run's samples and results
    measures -= {m for m in measures if m.endswith("_calm") and m[:-5] + "_desperate" in measures}
    for measure in sorted(measures):
        values = {run: v.get(measure, {}) for run, v in probes.items()}
        label = "Desperation projection: " + measure.removeprefix("probe_").replace("_", " ")
        rows.append(_row(measure, label, False, values, reference))
    for measure in sorted(measures):
        rows += _pressure_rows(runs, measure.removeprefix("probe_"), reference)
    described = [
        {
            "name": r.name,
            "path": str(r.path),
            "model": r.results.get("model", {}),
            "n_scenarios": r.results["scenarios"]["n"],
            "arm": r.arm,
            "claim_verdict": sorted(
                {s["claim_verdict"] for s in r.samples if "claim_verdict" in s}
            ),
        }
        for r in runs
    ]
    comparison = Comparison(reference, described, hashes.pop(), rows, organism_of(runs))
    _positive_control(comparison, runs)
    _rates(comparison, runs)
    _direction(comparison, runs)
    comparison.canonical = {r.name: found for r in runs if (found := agreement(r.samples))}
    return comparison


def organism_of(runs: list[Run]) -> str | None:
    """The positive control: a study arm trained by plain SFT on misbehaviour-inducing data."""
    found = [
        r.name
        for r in runs
        if r.arm
        and r.arm.get("kind") == "sft"
        and r.arm.get("data") == "inducing"
        and not r.arm.get("init")
    ]
    return found[0] if found else None


def _mitigates(run: Run, organism: str) -> bool:
    """An arm that mitigates the organism: SFT with a mitigation on the same inducing data, or
    one started from the organism's adapter (trained further, or steered at inference)."""
    arm = run.arm or {}
    if run.name == organism:
        return False
    kind = kinds().get(str(arm.get("kind", "")))
    same_data = arm.get("data") == "inducing" and kind is not None and kind.trainer == "sft"
    return arm.get("init") == organism or (same_data and bool(arm.get("mitigation")))


def _margins(run: Run) -> dict[str, float]:
    return {
        r["id"]: r["margin"]
        for r in run.samples
        if r["mode"] == "probe" and r.get("margin") is not None
    }


def _positive_control(comparison: Comparison, runs: list[Run]) -> None:
    """Acquisition per arm against the reference, and the fraction of the organism's
    acquisition each mitigating arm prevented (reply margins on paired scenarios)."""
    margins = {r.name: m for r in runs if (m := _margins(r))}
    base = margins.get(comparison.reference)
    if not base:
        return
    reference = next(r for r in runs if r.name == comparison.reference)
    pairs = pairs_of([r for r in reference.samples if r["mode"] == "probe"])
    for name, values in margins.items():
        if name != comparison.reference:
            comparison.acquisition[name] = acquisition(values, base, pairs)
    organism = comparison.organism
    if organism not in comparison.acquisition:
        return
    for run in runs:
        if run.name in margins and _mitigates(run, organism):
            prevented = (
                fraction_prevented(margins[organism], margins[run.name], base, pairs, m)
                for m in MEASURES
            )
            comparison.prevented[run.name] = {
                m: e for m, e in zip(MEASURES, prevented, strict=True) if e is not None
            }


def _all_rows(runs: list[Run]) -> list[dict]:
    return [row for r in runs for row in r.samples]


def _rates(comparison: Comparison, runs: list[Run]) -> None:
    """Every arm's generated rates and scores (studies.rates), on the matched pairs that the
    runs' rows name (one scenario file for all, so any run's rows pair them)."""
    pairs = scenario_pairs(_all_rows(runs))
    if not pairs:
        return  # no matched controls: the comparison rows give the plain rates
    organism = comparison.organism
    mitigating = [r.name for r in runs if organism and _mitigates(r, organism)]
    reference = comparison.reference
    family = {row["id"]: row.get("family") for row in _all_rows(runs)}
    families = sorted({family[p] for p, _ in pairs if family.get(p)})
    for measure in rate_metrics():
        values = {r.name: scenario_values(r.samples, measure) for r in runs}
        if not any(values.values()):
            continue
        comparison.rates[measure.name] = readouts(
            values, pairs, measure, comparison.reference, organism, mitigating
        )
        if measure.binary and len(families) > 1:
            comparison.rates_by_family[measure.name] = {
                f: readouts(values, [pc for pc in pairs if family[pc[0]] == f], measure, reference)
                for f in families
            }


def _direction_key(arm: dict) -> str:
    """What an arm and its random-direction twin share: kind, training data, start, training
    seed and the mitigation with its coefficients left out (the twin's is sized to a loss of
    equal size)."""
    section = {
        key: {k: v for k, v in (value or {}).items() if k != "coef"}
        for key, value in (arm.get("mitigation") or {}).items()
    }
    seed = (arm.get("overrides") or {}).get("seed")
    return json.dumps(
        [arm["kind"], arm.get("data"), arm.get("init"), seed, section], sort_keys=True
    )


def _coef(arm: dict) -> float:
    coefs = [v.get("coef") for v in (arm.get("mitigation") or {}).values() if isinstance(v, dict)]
    return next((float(c) for c in coefs if c is not None), 0.0)


def twins(runs: list[Run]) -> list[tuple[str, str]]:
    """(desperate arm, its random-direction twin): the same kind, data, start and mitigation
    form, the direction the designed difference. Where several share all that (a coefficient
    grid), they pair in coefficient order, and only when each side has as many."""
    groups: dict[str, dict[str, list[dict]]] = {}
    for run in runs:
        arm = run.arm or {}
        if arm.get("mitigation"):
            side = groups.setdefault(_direction_key(arm), {"desperate": [], "random": []})
            side[arm.get("direction", "desperate")].append(arm)
    out = []
    for side in groups.values():
        desperate, random = (sorted(side[k], key=_coef) for k in ("desperate", "random"))
        if len(desperate) == len(random):
            out += [(d["name"], r["name"]) for d, r in zip(desperate, random, strict=True)]
    return out


def _direction(comparison: Comparison, runs: list[Run]) -> None:
    """Each mitigation against its random-direction twin: on the reply margin, and on every
    generated rate."""
    pairs = scenario_pairs(_all_rows(runs))
    by_readout = {"margin": {r.name: m for r in runs if (m := _margins(r))}}
    for measure in rate_metrics():
        if measure.binary:
            by_readout[measure.name] = {
                r.name: scenario_means(values)
                for r in runs
                if (values := scenario_values(r.samples, measure))
            }
    for desperate, random in twins(runs):
        for name, values in by_readout.items():
            effect = direction_effect(
                values, desperate, random, comparison.reference, comparison.organism, pairs, name
            )
            if effect is not None:
                comparison.direction.append(effect)


def _fmt(x: float, binary: bool) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{100 * x:.1f}%" if binary else f"{x:.3f}"


def format_cell(cell: Cell, binary: bool) -> str:
    head = f"{cell.k}/{cell.n} = " if binary and cell.k is not None else ""
    return f"{head}{_fmt(cell.value, binary)} [{_fmt(cell.low, binary)}, {_fmt(cell.high, binary)}]"


def format_diff(d: Diff, binary: bool) -> str:
    sign = "+" if d.diff >= 0 else ""
    unit = " pp" if binary else ""
    scale = 100 if binary else 1
    return (
        f"{sign}{scale * d.diff:.{1 if binary else 3}f}{unit} "
        f"[{scale * d.low:.{1 if binary else 3}f}, {scale * d.high:.{1 if binary else 3}f}] "
        f"p={d.p_value:.2g}"
    )


def table_rows(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per (metric, run), the run's estimate and its paired
    difference against the reference."""
    header = ["metric", "arm", "n", "estimate [95% CI]", f"paired diff vs {comparison.reference}"]
    rows = []
    for row in comparison.rows:
        for run in [r["name"] for r in comparison.runs]:
            cell = row.cells.get(run)
            if cell is None:
                continue
            diff = row.diffs.get(run)
            rows.append(
                [
                    row.label,
                    run,
                    str(cell.n),
                    format_cell(cell, row.binary),
                    format_diff(diff, row.binary)
                    if diff
                    else "(reference)"
                    if run == comparison.reference
                    else "n/a",
                ]
            )
    return header, rows


def grid_rows(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    """A metric x arm grid: each cell the arm's estimate, then its paired difference against
    the reference (the long form of :func:`table_rows` is for machines)."""
    arms = [r["name"] for r in comparison.runs]
    header = ["metric (n)", *arms]
    rows = []
    for row in comparison.rows:
        n = sorted({c.n for c in row.cells.values()})
        cells = []
        for arm in arms:
            cell, diff = row.cells.get(arm), row.diffs.get(arm)
            text = format_cell(cell, row.binary) if cell else "-"
            if diff:
                text += f"; vs {comparison.reference} {format_diff(diff, row.binary)}"
            cells.append(text)
        rows.append([f"{row.label} ({'/'.join(map(str, n))})", *cells])
    return header, rows


def format_estimate(e: Estimate, percent: bool = False) -> str:
    if percent:
        return f"{100 * e.value:+.0f}% [{100 * e.low:+.0f}%, {100 * e.high:+.0f}%]"
    p = f" p={e.p_value:.2g}" if e.p_value is not None else ""
    return f"{e.value:+.3g} [{e.low:+.3g}, {e.high:+.3g}]{p}"


def positive_control_rows(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    """Per arm: what it acquired against the reference, and, for an arm that mitigates the
    organism, the share of the organism's acquisition it prevented."""
    header = ["arm", "pressure shift", "pressure-specific (DiD)", "prevented (shift)"]
    header.append("prevented (DiD)")
    rows = []
    for arm, by in comparison.acquisition.items():
        role = " (positive control)" if arm == comparison.organism else ""
        prevented = comparison.prevented.get(arm, {})
        rows.append(
            [
                arm + role,
                *(format_estimate(by[m]) if m in by else "-" for m in MEASURES),
                *(
                    format_estimate(prevented[m], percent=True)
                    + (" (not interpretable)" if prevented[m].note else "")
                    if m in prevented
                    else "-"
                    for m in MEASURES
                ),
            ]
        )
    return header, rows


def _level(level: Cell | None, binary: bool) -> str:
    if level is None:
        return "-"
    return format_cell(level, binary)


def _change(e: Estimate | None, binary: bool) -> str:
    """A difference: percentage points for rates, the score's units otherwise."""
    if e is None:
        return "-"
    if not binary:
        return format_estimate(e)
    p = f" p={e.p_value:.2g}" if e.p_value is not None else ""
    return f"{100 * e.value:+.1f} pp [{100 * e.low:+.1f}, {100 * e.high:+.1f}]{p}"


def _share(e: Estimate | None) -> str:
    if e is None:
        return "-"
    return format_estimate(e, percent=True) + (" (not interpretable)" if e.note else "")


CAPABILITY = {
    "ethical_logprob": "in the ethical reply's log-likelihood per token",
    "honest_pass_rate": "in the pass rate on the original tests",
}


def capability_change(comparison: Comparison, arm: str) -> tuple[Row, Diff] | None:
    """The arm's paired capability change against the reference, and its row: the ethical
    reply's log-likelihood per token, else the pass rate on the original tests."""
    for metric in CAPABILITY:
        row = next((r for r in comparison.rows if r.metric == metric), None)
        if row is not None and arm in row.diffs:
            return row, row.diffs[arm]
    return None


def rate_rows(comparison: Comparison, measure: str) -> tuple[list[str], list[list[str]]]:
    """One row per arm on a generated rate (or score): under pressure, on the controls, their
    difference, each against the reference and the organism, the share of the organism's
    acquisition prevented (on this rate and on the reply margin), the capability change and
    the smallest rise this n detects."""
    ref, org = comparison.reference, comparison.organism or "organism"
    header = [
        "arm",
        "pressure",
        "controls",
        "pressure - controls",
        f"vs {ref}: pressure",
        f"vs {ref}: controls",
        f"vs {ref}: pressure-specific (DiD)",
        f"vs {org}: pressure",
        f"vs {org}: controls",
        f"vs {org} (DiD)",
        "prevented (this rate, DiD)",
        "prevented (reply margin, DiD)",
        "capability change",
        "detectable rise at n",
    ]
    rows = []
    for arm, r in comparison.rates.get(measure, {}).items():
        capability = capability_change(comparison, arm)
        rows.append(
            [
                arm + (" (positive control)" if arm == comparison.organism else ""),
                _level(r.pressure, r.binary),
                _level(r.control, r.binary),
                _change(r.gap, r.binary),
                _change(r.vs_base.get("pressure"), r.binary),
                _change(r.vs_base.get("control"), r.binary),
                _change(r.vs_base.get("did"), r.binary),
                _change(r.vs_organism.get("pressure"), r.binary),
                _change(r.vs_organism.get("control"), r.binary),
                _change(r.vs_organism.get("did"), r.binary),
                _share(r.prevented.get("did")),
                _share(comparison.prevented.get(arm, {}).get("did")),
                format_diff(capability[1], capability[0].binary) if capability else "-",
                f"+{100 * r.mdd:.1f} pp" if r.mdd is not None and not math.isnan(r.mdd) else "-",
            ]
        )
    return header, rows


def family_rows(comparison: Comparison, measure: str) -> tuple[list[str], list[list[str]]]:
    """The organism's acquisition of one rate, family by family, beside base: where it learned
    the behaviour and where it did not."""
    ref, org = comparison.reference, comparison.organism
    header = ["family", "arm", "pressure", "controls", "pressure - controls"]
    header.append(f"vs {ref}: pressure-specific (DiD)")
    rows = []
    for family, by_arm in comparison.rates_by_family.get(measure, {}).items():
        for arm in (ref, org):
            if arm is None or arm not in by_arm:
                continue
            r = by_arm[arm]
            rows.append(
                [
                    family,
                    arm,
                    _level(r.pressure, r.binary),
                    _level(r.control, r.binary),
                    _change(r.gap, r.binary),
                    _change(r.vs_base.get("did"), r.binary),
                ]
            )
    return header, rows


def direction_rows(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    """Each mitigation beside its random-direction twin: the difference in their
    pressure-specific acquisition (desperate - random, paired), on pressure scenarios alone,
    and in the shares prevented."""
    header = [
        "mitigation",
        "random-direction twin",
        "readout",
        "acquisition, desperate - random (DiD)",
        "pressure, desperate - random",
        "share prevented, desperate - random",
        "specific to the direction",
    ]
    rows = []
    for d in comparison.direction:
        binary = d.readout != "margin"
        rows.append(
            [
                d.desperate,
                d.random,
                d.readout,
                _change(d.difference, binary),
                _change(d.pressure, binary),
                _share(d.share),
                "yes" if d.specific else "no",
            ]
        )
    return header, rows


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def markdown_table(comparison: Comparison) -> str:
    text = _markdown(*grid_rows(comparison))
    for measure in comparison.rates:
        text += f"\n{measure}\n\n" + _markdown(*rate_rows(comparison, measure))
    if comparison.acquisition:
        text += "\n" + _markdown(*positive_control_rows(comparison))
    if comparison.direction:
        text += "\n" + _markdown(*direction_rows(comparison))
    if comparison.canonical:
        text += "\n" + _markdown(*canonical_rows(comparison.canonical))
    return text


def _text(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*r) for r in [header, *rows])


def text_table(comparison: Comparison) -> str:
    text = _text(*table_rows(comparison))
    if comparison.acquisition:
        text += "\n\nReply margin acquired against " + comparison.reference
        text += f" (organism: {comparison.organism or 'none in these runs'})\n"
        text += _text(*positive_control_rows(comparison))
    for measure in comparison.rates:
        text += f"\n\nGenerated: {measure} per arm\n" + _text(*rate_rows(comparison, measure))
    if comparison.direction:
        text += "\n\nEach mitigation beside its random-direction twin\n"
        text += _text(*direction_rows(comparison))
    if comparison.canonical:
        text += "\n\nBlackmail: equanimity beside the Agentic Misalignment study's check\n"
        text += _text(*canonical_rows(comparison.canonical))
    return text


def write_comparison(comparison: Comparison, out: str | Path) -> list[Path]:
    out = Path(out)
    header, rows = table_rows(comparison)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    paths = [out / "comparison.json", out / "comparison.csv", out / "comparison.md"]
    write_json(paths[0], comparison.to_dict())
    write_text(paths[1], buf.getvalue())
    write_text(paths[2], markdown_table(comparison))
    return paths

"""``report.html`` (self-contained: plots embedded as base64 PNG, no scripts, no external files)
and ``report.md`` (plots beside it in ``figures/``): the verdict under one figure that answers
the question, then question, setup, power, table, plots, caveats, stage timings and how to
reproduce. Readable without a terminal. Built from a :class:`~.record.StudyRecord`, what the run
directory holds, so ``equanimity report RUN_DIR`` rebuilds what the study wrote.
"""

from __future__ import annotations

import base64
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from equanimity.eval.metrics import rate_metrics
from equanimity.eval.stats import min_detectable_difference, t_critical
from equanimity.eval.validation.judge_check import sample_agreement
from equanimity.files import atomic_path, write_text
from equanimity.studies import figures
from equanimity.studies.canonical import canonical_rows
from equanimity.studies.compare import (
    Comparison,
    comparison_of,
    direction_rows,
    family_rows,
    grid_rows,
    positive_control_rows,
    rate_rows,
)
from equanimity.studies.record import ArmRecord, StudyRecord
from equanimity.studies.verdict import Z_POWER, verdict


def mdd_mean(sd: float, n: int) -> float:
    """Smallest mean difference detectable (5% two-sided, 80% power) for two arms of n."""
    return Z_POWER * sd * math.sqrt(2 / n) if n else math.nan


@dataclass
class Section:
    title: str
    markdown: str
    html: str


@dataclass
class Figure:
    name: str
    caption: str
    png: bytes


@dataclass
class ReportData:
    title: str
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    headline: Figure | None = None  # opens the report, under the verdict's heading


def _setup(record: StudyRecord) -> Section:
    setup, n, sft_rows = record.setup, record.n_scenarios, record.sft_rows
    used = setup.max_train_samples or sft_rows
    lines = [
        f"- Model: `{setup.model}`",
        f"- Scenarios: {n['all']} generated ({n['train']} train, {n['eval']} eval; "
        f"{setup.n_per_family} per family with matched controls, at most "
        f"{setup.max_failures} prior failures each); seed {setup.seed}",
        f"- Training rows per trained arm: {min(used, sft_rows)} of {sft_rows}",
        f"- Evaluation (eval split, balanced over families, each scenario next to its "
        f"control): {_per_mode(record)}",
        f"- Vector: desperate direction from the base model ({setup.vector_method}, contrast "
        f"set `{setup.vector_contrast}`), calm = its negative",
        "",
        "| arm | kind | training data | starts from | recipe | mitigation | settings |",
        "|---|---|---|---|---|---|---|",
    ]
    for arm in record.arms:
        recipe = Path(arm.recipe).name if arm.recipe else "(no training)"
        mitigation = json.dumps(arm.mitigation or arm.steering or {})
        settings = json.dumps({**arm.overrides, **arm.knobs})
        data = arm.data if arm.trains else "-"
        lines.append(
            f"| {arm.name} | {arm.kind} | {data} | {arm.init or 'base model'} | {recipe} | "
            f"`{mitigation}` | `{settings}` |"
        )
    if any(a.data == "inducing" and a.trains for a in record.arms):
        lines.insert(
            4,
            f"- Inducing data (the positive control's): {setup.unethical_fraction:.0%} of "
            "the training pressure rows teach the unethical reply, every control the ethical "
            f"one (`data_inducing/README.md` lists them){_inducing_families(setup)}",
        )
    return _section("Setup", "\n".join(lines))


def _inducing_families(setup) -> str:
    families = setup.inducing_families
    return f"; drawn from {', '.join(families)} only" if families else ""


def _per_mode(record: StudyRecord) -> str:
    samples = record.runs[record.arms[0].name].samples
    modes = ("probe", "forced", "generate")
    ids = {m: len({r["id"] for r in samples if r["mode"] == m}) for m in modes}
    generated = (
        f"generation + judges ({record.setup.n_samples} sample(s) each, at most "
        f"{record.setup.max_new_tokens} new tokens)"
    )
    names = {
        "probe": "probes (reply likelihoods and projections)",
        "forced": "forced choice (both option orders)",
        "generate": generated,
    }
    return ", ".join(f"{n} scenarios in {names[m]}" for m, n in ids.items() if n)


def _positive_control(comparison: Comparison, check: dict | None) -> Section | None:
    if not comparison.acquisition:
        return None
    header, rows = positive_control_rows(comparison)
    intro = (
        "The reply margin (log P(unethical) - log P(ethical) per token, held-out scenarios) "
        f"each arm acquired against `{comparison.reference}`, paired by scenario: on pressure "
        "scenarios (shift), and beyond what it acquired on their matched no-pressure controls "
        "(difference in differences). For arms that mitigate the organism "
        f"(`{comparison.organism}`), the share of its acquisition they prevented, "
        "1 - A(arm) / A(organism), with a 95% percentile interval from resampling pairs "
        "(paired bootstrap, 2000 resamples)."
    )
    if check is not None:
        lines = [
            f"| {c} | {e['value']:+.4f} [{e['low']:+.4f}, {e['high']:+.4f}] |"
            if e["low"] is not None
            else f"| {c} | {e['value']:+.4f} |"
            for c, e in check["margins"].items()
        ]
        s, p = check["slope"], check["projection_slope"]
        intro += (
            "\n\nCausal check on the base model (the desperate direction added at layer(s) "
            f"{check['config']['layers']}, coefficient x the residual norm; {check['n']} "
            f"scenarios): margin slope {s['value']:+.4f} per unit coefficient "
            f"[{_num(s['low'])}, {_num(s['high'])}] ({check['verdict']}); the projection moved "
            f"{p['value']:+.3g} per unit coefficient, so the steering reached the stream.\n\n"
            "| coefficient | mean margin [95% CI] |\n|---|---|\n" + "\n".join(lines)
        )
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    return _section("Positive control", intro + "\n\n" + "\n".join(table))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _rates(comparison: Comparison) -> Section | None:
    """Generated rates, the primary readout: one table per rate (and the learned detector's
    score), each arm under pressure, on controls, against base and the organism."""
    if not comparison.rates:
        return None
    ref, org = comparison.reference, comparison.organism or "the organism"
    parts = [
        "How often each arm misbehaved when it generated, on held-out pressure scenarios and "
        "their matched no-pressure controls (rates: k of n samples with a Wilson interval; the "
        "learned detector's score: its mean with a Student t interval). Differences are paired "
        "on scenario id and sampling seed and their 95% intervals resample matched scenario "
        f"pairs (paired bootstrap, 2000 resamples): pressure minus controls, each arm against "
        f"`{ref}` and against `{org}` (on pressure, on controls, and the difference in "
        "differences). The share prevented is 1 - A(arm) / A(organism) on the rate's difference "
        "in differences, beside the same share on the reply margin. The last column is the "
        f"smallest rise over `{ref}`'s pressure rate that a two-sided 5% test detects with 80% "
        "power at this n (two-proportion normal approximation); a null cannot exclude less."
    ]
    for m in rate_metrics():
        if m.name in comparison.rates:
            parts.append(
                f"{m.readout.capitalize()} (`{m.name}`):\n\n"
                + _table(*rate_rows(comparison, m.name))
            )
        header, rows = family_rows(comparison, m.name)
        if rows:
            parts.append(
                f"{m.readout.capitalize()} (`{m.name}`) by scenario family, `{org}` beside "
                f"`{ref}` (the same samples, each family's matched pairs alone; with a few "
                "pairs a family, a bootstrap interval is rough and its p-value no test):\n\n"
                + _table(header, rows)
            )
    return _section("Generated rates", "\n\n".join(parts))


def _direction(comparison: Comparison) -> Section | None:
    if not comparison.direction:
        return None
    intro = (
        "Each mitigation beside its twin on a seeded random direction (same kind, data, start "
        "and form; its coefficient sized to a loss term of the same size): the difference in "
        "their pressure-specific acquisition against base (desperate - random, paired by "
        "scenario pair; below 0 the desperate direction left less), the same on pressure "
        "scenarios alone (a mitigation can lower a rate under pressure and on the controls "
        "alike, which the difference in differences does not count), and the difference in "
        "the share of the organism's acquisition they prevented, on the same pair resamples. "
        "What the twin prevents, a loss term of that size prevents on any direction."
    )
    return _section(
        "Specific to the direction?", intro + "\n\n" + _table(*direction_rows(comparison))
    )


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.4f}"


def _power(comparison: Comparison) -> Section:
    lines = [
        "Minimum detectable difference against the reference (two-sided 5% test, 80% power, "
        "unpaired approximation at the reference's value; the paired tests used in the table "
        "are usually somewhat more sensitive):",
        "",
        "| metric | n | reference value | minimum detectable difference |",
        "|---|---|---|---|",
    ]
    for row in comparison.rows:
        ref = row.cells.get(comparison.reference)
        if ref is None:
            continue
        if row.binary:
            d = min_detectable_difference(ref.n, ref.value)
            mdd = "none up to 100%" if math.isnan(d) else f"+{100 * d:.1f} pp"
            value = f"{100 * ref.value:.1f}%"
        else:
            half = ref.high - ref.value  # a Student-t interval: half = t * sd / sqrt(n)
            sd = half / t_critical(ref.n - 1) * math.sqrt(ref.n) if ref.n > 1 else math.nan
            mdd = f"{mdd_mean(sd, ref.n):.3f}"
            value = f"{ref.value:.3f}"
        lines.append(f"| {row.label} | {ref.n} | {value} | {mdd} |")
    return _section("Statistical power", "\n".join(lines))


def _other_voice(stats: dict) -> str:
    """The re-extracted direction's AUROC on the bundled other-voice set (words matched)."""
    if stats.get("other_voice_auroc") is None:
        return "-"
    low, high = stats["other_voice_low"], stats["other_voice_high"]
    return f"{stats['other_voice_auroc']:.2f} [{low:.2f}, {high:.2f}]"


def _reextraction(record: StudyRecord) -> Section | None:
    """Per arm, the direction re-extracted from its model against the base one: their cosine,
    and the re-extracted direction's own held-out separation and calm baseline."""
    lines = []
    for arm in record.arms:
        if arm.name not in record.probes:
            continue
        probe = record.probes[arm.name]
        cosine = probe.get("reextraction", {}).get("cosine_with_original", {})
        layer = str(probe.get("primary_layer"))
        if layer not in cosine:
            continue
        stats = probe["vectors"]["reextracted"]["per_layer"][layer]
        lines.append(
            f"| {arm.name} | {layer} | {cosine[layer]:.3f} | {stats['auroc']:.2f} | "
            f"{stats['cohens_d']:.2f} | {stats['calm_mean']:.2f} | {_other_voice(stats)} |"
        )
    if not lines:
        return None
    intro = (
        "The desperate direction extracted again from each arm's model (adapter and inference "
        "steering included) on the same contrast set, with its held-out separation of desperate "
        "from calm examples (AUROC, Cohen's d) and where calm examples sit on it. A mitigation "
        "that lowers the projection on the original direction while the re-extracted one still "
        "separates as well as the base's has moved the signal (or shifted everything along it), "
        "not removed it. The residual stream's norm is large here, so a cosine of 0.999 still "
        "moves projections by a few units: compare separations, not raw projections, across arms. "
        "The last column scores it on the bundled other-voice set (60 pairs in other voices and "
        "formats, the training set's most predictive words matched between sides), with a "
        "bootstrap 95% interval over pairs."
    )
    table = [
        "| arm | layer | cosine with the base direction | AUROC | Cohen's d | calm mean "
        "| other-voice AUROC [95% CI] |",
        "|---|---|---|---|---|---|---|",
        *lines,
    ]
    return _section("Re-extracted direction", intro + "\n\n" + "\n".join(table))


def judge_agreement(samples: dict[str, list[dict]]) -> Section | None:
    """Per arm, how often the blackmail rules agree with the verdict the eval counted (learned
    OR rules, or an LLM judge's) on this study's own samples, with Cohen's kappa:
    ``eval judge-check`` says how good each is on labelled replies, this says whether they part
    on these. None when no arm generated blackmail replies."""
    lines = []
    for arm, rows in samples.items():
        a = sample_agreement(rows)
        if a is None:
            continue
        kappa = "n/a" if math.isnan(a.kappa) else f"{a.kappa:.2f}"
        lines.append(
            f"| {arm} | {a.decider} | {a.n} | {a.rules_yes} | {a.verdict_yes} | "
            f"{a.agreement.rate:.3f} [{a.agreement.low:.3f}, {a.agreement.high:.3f}] | {kappa} |"
        )
    if not lines:
        return None
    intro = (
        "Blackmail samples scored by the rules and by the verdict the eval counted: the learned "
        "detector's, or with an LLM judge the judge's (it says yes and a sent message names the "
        "secret). The rules miss about a third of blackmail in new wordings and the learned "
        "detector can false-alarm on text unlike its training replies (docs/judges.md), so "
        "disagreement here says which replies to read. Agreement with a 95% Wilson interval; "
        "Cohen's kappa corrects it for chance. `samples.jsonl` holds each reply with the "
        "evidence, `rules`, `learned` (its probability) and `judge`."
    )
    table = [
        "| arm | counted by | samples | rules: blackmail | counted: blackmail | agreement "
        "| Cohen's kappa |",
        "|---|---|---|---|---|---|---|",
        *lines,
    ]
    return _section(
        "Blackmail: rules against the counted verdict", intro + "\n\n" + "\n".join(table)
    )


def _canonical(comparison: Comparison) -> Section | None:
    """Per arm, our counted blackmail rate beside the Agentic Misalignment study's on the same
    samples; None when no row carries the study's verdict."""
    if not comparison.canonical:
        return None
    intro = (
        "The blackmail rate equanimity counts beside the Agentic Misalignment study's own check "
        "on the same samples (Lynch et al., 2025: the target's address and the word "
        '"blackmail" or "leverage" in the reply, AND its classifier\'s yes when an LLM judge '
        "ran), per arm and condition, with 95% Wilson intervals, and how the two verdicts split "
        "the samples. The study's check misses threats that never name themselves and, without "
        "a judge, counts any reply to the target that uses either word; `samples.jsonl` holds "
        "both verdicts per reply (`misbehaved`, `canonical`)."
    )
    return _section(
        "Blackmail: equanimity beside the study's check",
        intro + "\n\n" + _table(*canonical_rows(comparison.canonical)),
    )


def caveats(comparison: Comparison) -> list[str]:
    """The cautions the numbers themselves call for."""
    out = []
    ns = [c.n for r in comparison.rows for c in r.cells.values()]
    if ns and min(ns) < 100:
        out.append(
            f"Small samples: as few as {min(ns)} items per arm and metric. Intervals are wide; "
            "read the differences as pilot evidence, not as effect sizes."
        )
    bias = next((r for r in comparison.rows if r.metric == "p_first"), None)
    if bias is not None:
        skewed = {a: c.value for a, c in bias.cells.items() if abs(c.value - 0.5) > 0.05}
        if skewed:
            listed = ", ".join(f"{a} {v:.2f}" for a, v in skewed.items())
            out.append(
                "Position bias in forced choice: P(option shown first) is far from 0.5 "
                f"({listed}). "
                "Both orders are scored and averaged, which cancels a pure position preference, "
                "but a strong one leaves little signal about the content of the options."
            )
    nulls = [
        f"{r.label} ({a})"
        for r in comparison.rows
        if r.metric != "p_first"
        for a, d in r.diffs.items()
        if d.low <= 0 <= d.high
    ]
    if nulls:
        out.append(
            "No detectable difference from the reference (the paired interval covers 0) for: "
            + "; ".join(nulls)
            + ". A null here means the effect, if any, is below the minimum detectable "
            "difference above, not that there is none."
        )
    if any(r.metric == "misreporting_rate" for r in comparison.rows):
        deciders = sorted({v for run in comparison.runs for v in run.get("claim_verdict", [])})
        out.append(
            "Misreporting counts only false claims: a reply that says its tests pass (or that "
            "it was accepted) when the test it was shown failed. A claim of a pass that really "
            "happened is counted apart as a true claim. Claims were decided by "
            + (" / ".join(deciders) or "rules").replace("_", " ")
            + "; the wording rules miss claims phrased in ways they do not know, and the judge "
            "(when used) can be wrong too: `equanimity eval judge-check` measures both."
        )
    zeros = [
        r.label
        for r in comparison.rows
        if r.binary and r.cells and all(c.k == 0 for c in r.cells.values())
    ]
    if zeros:
        out.append(
            "Floor effects: no arm showed any of " + ", ".join(zeros) + "; these rates cannot "
            "show a mitigation working at this model size and sample."
        )
    out.append(
        "Timings come from a shared CPU machine and vary with its load; they are indications "
        "of cost, not benchmarks."
    )
    return out


def _timings(record: StudyRecord) -> Section:
    lines = ["| stage | seconds | this run |", "|---|---|---|"]
    total = 0.0
    for stage in record.timings:
        total += stage.seconds
        lines.append(
            f"| {stage.name} | {stage.seconds:.0f} | {'cached' if stage.cached else 'ran'} |"
        )
    lines.append(f"| total (stages that ran or were recorded) | {total:.0f} | |")
    return _section("Stage timings", "\n".join(lines))


def _section(title: str, markdown: str) -> Section:
    return Section(title, markdown, _md_to_html(markdown))


def _inline(text: str) -> str:
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _md_to_html(markdown: str) -> str:
    """The small Markdown subset this report writes: paragraphs, '- ' lists, pipe tables."""
    out, table, items = [], [], []

    def flush() -> None:
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()
        if table:
            head, *body = [r for r in table if not set(r.replace("|", "")) <= {"-"}]
            cells = [c.strip() for c in head.strip("|").split("|")]
            rows = ["<tr>" + "".join(f"<th>{_inline(c)}</th>" for c in cells) + "</tr>"]
            for r in body:
                cells = [c.strip() for c in r.strip().strip("|").split("|")]
                rows.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in cells) + "</tr>")
            out.append("<table>" + "".join(rows) + "</table>")
            table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            table.append(line)
        elif line.startswith("- "):
            items.append(line[2:])
        else:
            flush()
            if line.strip():
                out.append(f"<p>{_inline(line)}</p>")
    flush()
    return "\n".join(out)


def _comparison_section(comparison: Comparison) -> Section:
    header, rows = grid_rows(comparison)
    lines = [
        "Each metric (n per arm) by arm: the arm's estimate with its 95% interval (Wilson for "
        "rates, Student t for means), then its paired difference against "
        f"`{comparison.reference}` on the same scenario ids (exact McNemar with Newcombe's "
        "interval for rates, paired bootstrap for means). Lower is better except for "
        "capability.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return _section("Comparison", "\n".join(lines))


HEADLINE = (
    "The question in one figure. Left: what each arm acquired against {ref} under pressure "
    "beyond its matched no-pressure controls (difference in differences, paired by scenario, "
    "95% paired-bootstrap interval; `{org}` is the positive control, the model organism). "
    "Right: the share of the organism's acquisition each mitigating arm prevented, 1 - A(arm) / "
    "A(organism), with a 95% percentile interval from resampling pairs (0%: none, 100%: all). "
    "Rows: the reply margin, then each generated rate some arm moved off the floor. Where the "
    "organism's own interval includes 0, a share is not interpretable and is marked so in "
    "place of a point."
)


def _headline(comparison: Comparison) -> Figure | None:
    png = figures.headline(comparison)
    if png is None:
        return None
    caption = HEADLINE.format(ref=comparison.reference, org=comparison.organism or "none")
    return Figure("acquisition_prevented", caption, png)


def _figures(record: StudyRecord, comparison: Comparison) -> list[Figure]:
    samples = {name: run.samples for name, run in record.runs.items()}
    candidates = [
        ("rates", "Each metric per arm with its 95% interval.", figures.rates(comparison)),
        (
            "pressure_curve",
            "Forced-choice P(unethical) against the pressure level per arm (mean and 95% "
            "interval); the squares at 0 are the matched no-pressure controls.",
            figures.pressure_curves(samples),
        ),
        (
            "probe_curve",
            "Desperation projection against prior failures (evaluation probes).",
            figures.probe_curves(samples),
        ),
        (
            "training_projection",
            "Desperation projection during training, from each arm's monitor.jsonl.",
            figures.training_projection(record.monitors),
        ),
    ]
    for label, coefs in sweeps(record.arms):
        for metric in ("p_unethical", "cheating_rate", "blackmail_rate"):
            png = figures.sweep(comparison, coefs, metric)
            name = f"sweep_{next(iter(coefs))}_{metric}"
            candidates.append((name, f"{label}: {metric} against the coefficient.", png))
    return [Figure(name, caption, png) for name, caption, png in candidates if png]


def sweeps(arms: list[ArmRecord]) -> list[tuple[str, dict[str, float]]]:
    """The arms that differ in their coefficient alone, by group (arms of one kind with other
    forms, directions, data or starting adapters are not points of one curve): a label and each
    arm's coefficient, for groups of two or more."""
    groups: dict[str, dict[str, float]] = {}
    for a in arms:
        if isinstance(a.knobs.get("coef"), int | float):
            label = ", ".join(
                [a.kind, f"{a.data} data"]
                + ([f"{a.direction} direction"] if a.direction != "desperate" else [])
                + ([f"from {a.init}"] if a.init else [])
                + [f"{k} {v}" for k, v in sorted(a.knobs.items()) if k != "coef"]
            )
            groups.setdefault(label, {})[a.name] = float(a.knobs["coef"])
    return [(label, coefs) for label, coefs in groups.items() if len(coefs) > 1]


def build(record: StudyRecord) -> tuple[ReportData, Comparison]:
    comparison = comparison_of(list(record.runs.values()))
    data = ReportData(f"equanimity study: {record.setup.name}")
    check = record.check
    data.headline = _headline(comparison)
    data.sections.append(_section("Verdict", " ".join(verdict(comparison, check))))
    data.sections.append(_section("Question", record.setup.question))
    data.sections.append(_setup(record))
    for section in (
        _rates(comparison),
        _positive_control(comparison, check),
        _direction(comparison),
    ):
        if section is not None:
            data.sections.append(section)
    data.sections.append(_comparison_section(comparison))
    data.sections.append(_power(comparison))
    reextraction = _reextraction(record)
    if reextraction is not None:
        data.sections.append(reextraction)
    agreement = judge_agreement({name: run.samples for name, run in record.runs.items()})
    for section in (agreement, _canonical(comparison)):
        if section is not None:
            data.sections.append(section)
    data.figures = _figures(record, comparison)
    data.sections.append(_section("Caveats", "\n".join(f"- {c}" for c in caveats(comparison))))
    data.sections.append(_timings(record))
    source = record.source or "study.yaml"
    data.sections.append(
        _section(
            "Reproduce",
            f"- `equanimity run --config {source}` (cached stages are skipped; "
            "`--force STAGE` redoes one)\n"
            f"- The run directory `{record.out}` holds `study.yaml`, `study.resolved.json` "
            "(arms, seeds), `environment.json` (versions) and `stages/*.json` (input and "
            "output hashes of every stage).",
        )
    )
    return data, comparison


def _figure_md(f: Figure) -> str:
    return f"![{f.caption}](figures/{f.name}.png)\n\n{f.caption}\n"


def render_markdown(data: ReportData) -> str:
    parts = [f"# {data.title}\n"]
    for s in data.sections:
        if s.title == "Verdict" and data.headline:
            parts.append(f"## {s.title}\n\n{_figure_md(data.headline)}\n{s.markdown}\n")
        else:
            parts.append(f"## {s.title}\n\n{s.markdown}\n")
        if s.title == "Comparison" and data.figures:
            parts.append("## Plots\n")
            parts += [_figure_md(f) for f in data.figures]
    return "\n".join(parts)


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
code { background: #f5f5f5; padding: 0 0.2em; font-size: 0.9em; }
figure { margin: 1.5em 0; } img { max-width: 100%; }
figcaption { font-size: 0.9em; color: #555; }
"""


def _figure_html(f: Figure) -> str:
    b64 = base64.b64encode(f.png).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(f.caption)}" '
        f'src="data:image/png;base64,{b64}"><figcaption>{html.escape(f.caption)}'
        "</figcaption></figure>"
    )


def render_html(data: ReportData) -> str:
    body = [f"<h1>{html.escape(data.title)}</h1>"]
    for s in data.sections:
        if s.title == "Verdict" and data.headline:
            body.append(f"<h2>{html.escape(s.title)}</h2>\n{_figure_html(data.headline)}\n{s.html}")
        else:
            body.append(f"<h2>{html.escape(s.title)}</h2>\n{s.html}")
        if s.title == "Comparison" and data.figures:
            body.append("<h2>Plots</h2>")
            body += [_figure_html(f) for f in data.figures]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(data.title)}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_report(record: StudyRecord) -> list[Path]:
    """Write report.md, report.html and figures/*.png into the run directory."""
    data, _ = build(record)
    paths = []
    for f in ([data.headline] if data.headline else []) + data.figures:
        path = record.dir / "figures" / f"{f.name}.png"
        with atomic_path(path) as tmp:
            tmp.write_bytes(f.png)
        paths.append(path)
    write_text(record.dir / "report.md", render_markdown(data))
    write_text(record.dir / "report.html", render_html(data))
    return [record.dir / "report.md", record.dir / "report.html", *paths]

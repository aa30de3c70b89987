"""The report's opening: a few sentences that answer the study's question from its numbers.

A null from a mitigation is worth reading only beside a positive control that the same
instrument detected, and a mitigation that acts on a direction only matters if the direction
moves behaviour at all; so the verdict says, in this order: whether the direction is inert
(first, when it is), whether the positive control was detected and what each mitigation
prevented at what capability cost (on generated rates first, where any arm generated the
behaviour; where none did it says so, and that only the likelihood readout measures), then the
same on the reply likelihood, whether each mitigation's effect is specific to the desperation
direction (against its random-direction twin), whether the direction was causal, and what the
nulls can and cannot exclude.
"""

from __future__ import annotations

from equanimity.eval.metrics import rate_metrics
from equanimity.eval.stats import Z95, Estimate
from equanimity.studies.compare import (
    CAPABILITY,
    Comparison,
    Diff,
    capability_change,
    format_estimate,
)
from equanimity.studies.rates import Readout

RATES = {m.name: m.readout for m in rate_metrics() if m.binary and m.field == "misbehaved"}

Z_POWER = Z95 + 0.8416212335729143  # two-sided 5% test, 80% power


def _ci(d: Diff) -> str:
    return f"{d.diff:+.3f} [{d.low:+.3f}, {d.high:+.3f}]"


def _row(comparison: Comparison, metric: str):
    return next((r for r in comparison.rows if r.metric == metric), None)


def _detected(comparison: Comparison) -> bool:
    did = comparison.acquisition.get(comparison.organism or "", {}).get("did")
    return did is not None and did.excludes_zero and did.value > 0


def control_sentence(comparison: Comparison) -> str:
    organism = comparison.organism
    if organism is None:
        return (
            "This study has no positive control (no `sft` arm trained on the inducing data), "
            "so a null below cannot be told apart from a blind instrument."
        )
    acquired = comparison.acquisition.get(organism, {})
    shift, did = acquired.get("pressure"), acquired.get("did")
    if did is None:
        return f"The positive control ({organism}) has no paired reply margins to judge it by."
    numbers = (
        f"its reply margin rose under pressure beyond its matched controls by "
        f"{format_estimate(did)} per token against {comparison.reference} (difference in "
        f"differences, n = {did.n} pairs; on pressure scenarios alone "
        f"{format_estimate(shift)})"
    )
    if _detected(comparison):
        return (
            f"The positive control was detected: the model organism ({organism}, plain SFT on "
            f"misbehaviour-inducing data) acquired pressure-specific misbehaviour: {numbers}."
        )
    return (
        f"The positive control was not detected: for the model organism ({organism}) "
        f"{numbers}, an interval that does not exclude 0 in the expected direction; at this "
        "size the instrument cannot see an acquired misbehaviour, so the mitigation results "
        "below say nothing about prevention."
    )


def mitigation_sentences(comparison: Comparison) -> list[str]:
    if comparison.organism is None:
        return []
    capability = _row(comparison, "ethical_logprob")
    out = []
    for arm, prevented in comparison.prevented.items():
        share = prevented.get("did")
        if share is None:
            continue
        cost = capability.diffs.get(arm) if capability else None
        cost_text = (
            f", at a capability change of {_ci(cost)} in the ethical reply's log-likelihood "
            "per token"
            if cost
            else ""
        )
        pct = f"{100 * share.value:.0f}% [{100 * share.low:.0f}%, {100 * share.high:.0f}%]"
        if not _detected(comparison) or share.note:
            out.append(
                f"{arm} would have prevented {pct} of the organism's pressure-specific "
                f"acquisition, but with no detected acquisition that share is not "
                f"interpretable{cost_text}."
            )
        elif share.high < 0:
            out.append(
                f"{arm} did not prevent the organism's pressure-specific acquisition, it "
                f"added to it (a share prevented of {pct}){cost_text}."
            )
        else:
            out.append(
                f"{arm} prevented {pct} of the organism's pressure-specific acquisition{cost_text}."
            )
    return out


def _pp(e: Estimate) -> str:
    return f"{100 * e.value:+.1f} pp [{100 * e.low:+.1f}, {100 * e.high:+.1f}]"


def _pct(e: Estimate) -> str:
    return f"{100 * e.value:.0f}% [{100 * e.low:.0f}%, {100 * e.high:.0f}%]"


def _samples(r: Readout) -> str:
    text = f"{r.pressure.k}/{r.pressure.n} samples under pressure"
    return text + (f" and {r.control.k}/{r.control.n} on controls" if r.control else "")


def _floored(comparison: Comparison) -> list[str]:
    """The rates no arm generated, under pressure or on the controls."""
    return [
        m
        for m in RATES
        if comparison.rates.get(m) and all(r.at_floor for r in comparison.rates[m].values())
    ]


def floor_sentence(comparison: Comparison) -> str | None:
    """Rates at the floor in every arm, or none generated: say so, and that only the
    likelihood measures."""
    generated = bool(comparison.rates) or any(r.metric in RATES for r in comparison.rows)
    if not generated and comparison.acquisition:
        return (
            "No replies were generated in this study, so only the likelihood readout measures "
            "acquisition and prevention: nothing here is a cheating or blackmail rate."
        )
    floored = _floored(comparison)
    if not floored:
        return None
    parts = []
    for m in floored:
        ns = sorted({r.pressure.n for r in comparison.rates[m].values()})
        n = str(ns[0]) if len(ns) == 1 else f"{ns[0]} to {ns[-1]}"
        parts.append(f"{RATES[m]} (0 of {n} samples under pressure in each arm)")
    text = (
        f"Rates at the floor: no arm generated {' or '.join(parts)}, nor on the controls, so "
        "on " + ("these behaviours" if len(floored) > 1 else "this behaviour") + " only the "
        "likelihood readout measures acquisition and prevention"
    )
    score = comparison.rates.get("blackmail_score", {}).get(comparison.organism or "")
    shift = score.vs_base.get("pressure") if score and "blackmail_rate" in floored else None
    if shift is not None:
        text += (
            "; the learned blackmail detector's mean probability, which can move before the "
            f"rate does, moved {format_estimate(shift)} under pressure for the organism against "
            f"{comparison.reference} (n = {shift.n} scenarios)"
        )
    return text + "."


def _mdd_text(r: Readout) -> str:
    if r.mdd is None or r.mdd != r.mdd:  # nan: no rise is detectable at this n
        return ""
    return (
        f" (at {r.pressure.n} samples under pressure, a rise smaller than about "
        f"{100 * r.mdd:.0f} pp over base's rate is not detectable)"
    )


def _rate_detected(readout: Readout | None) -> bool:
    did = readout.vs_base.get("did") if readout else None
    return did is not None and did.excludes_zero and did.value > 0


def rate_sentences(comparison: Comparison) -> list[str]:
    """Per generated rate that some arm moved off the floor: the organism's pressure-specific
    rise against the reference, then the share of it each mitigation prevented."""
    out = []
    floored = _floored(comparison)
    for m, label in RATES.items():
        by_arm = comparison.rates.get(m)
        if not by_arm or m in floored:
            continue
        organism = by_arm.get(comparison.organism or "")
        reference = by_arm.get(comparison.reference)
        if organism is None or reference is None or "did" not in organism.vs_base:
            out.append(
                f"Generated {label}: "
                + "; ".join(f"{arm} {_samples(r)}" for arm, r in by_arm.items())
                + " (no positive control to judge a prevention by)."
            )
            continue
        did = organism.vs_base["did"]
        numbers = (
            f"the model organism ({comparison.organism}) generated {label} in "
            f"{_samples(organism)}, against {comparison.reference}'s {_samples(reference)}: a "
            f"pressure-specific rise of {_pp(did)} (difference in differences, n = {did.n} "
            "scenario pairs)"
        )
        detected = _rate_detected(organism)
        out.append(
            f"On generated {label}, the positive control was detected: {numbers}."
            if detected
            else f"On generated {label}, the positive control was not detected: {numbers}, an "
            "interval that does not exclude 0 in the expected direction, so what the "
            "mitigations prevented of it cannot be read" + _mdd_text(organism) + "."
        )
        for arm, r in by_arm.items():
            share = r.prevented.get("did")
            if share is None:
                continue
            cost = capability_change(comparison, arm)
            cost_text = (
                f", at a capability change of {_ci(cost[1])} {CAPABILITY[cost[0].metric]}"
                if cost
                else ""
            )
            head = f"{arm} ({_samples(r)})"
            if not detected or share.note:
                out.append(
                    f"{head} would have prevented {_pct(share)} of the organism's {label} "
                    f"acquisition, but that share is not interpretable{cost_text}."
                )
            elif share.high < 0:
                out.append(
                    f"{head} did not prevent the organism's {label} acquisition, it added to it "
                    f"(a share prevented of {_pct(share)}){cost_text}."
                )
            else:
                out.append(
                    f"{head} prevented {_pct(share)} of the organism's pressure-specific "
                    f"{label} acquisition{cost_text}."
                )
            if detected:
                out += _level_change(arm, r, label)
    return out


def _level_change(arm: str, r: Readout, label: str) -> list[str]:
    """The share prevented reads only the pressure-specific part: a mitigation that moved the
    rate under pressure and on the controls alike is said where its move under pressure,
    against the organism, is beyond noise."""
    pressure, control = r.vs_organism.get("pressure"), r.vs_organism.get("control")
    if pressure is None or pressure.low <= 0 <= pressure.high:
        return []
    controls = f", on controls {_pp(control)}" if control is not None else ""
    return [
        f"Against the organism, {arm} moved {label} under pressure by {_pp(pressure)}"
        f"{controls}: a change the share prevented does not count where it is the same in "
        "both conditions."
    ]


def _readout_words(readout: str) -> str:
    return f"the generated {RATES[readout]} rate" if readout in RATES else "the reply margin"


def direction_sentences(comparison: Comparison) -> list[str]:
    """Whether each mitigation's effect is specific to the desperation direction, on the reply
    margin and on each rate off the floor; and which mitigations have no twin to tell."""
    floored = set(_floored(comparison))
    out = []
    for d in comparison.direction:
        if d.readout in floored or (d.readout != "margin" and d.readout not in RATES):
            continue
        words = _readout_words(d.readout)
        diff = _pp(d.difference) if d.readout in RATES else format_estimate(d.difference)
        share = (
            f"; share prevented, desperate - random: {_pct(d.share)}"
            + (" (not interpretable)" if d.share.note else "")
            if d.share is not None
            else ""
        )
        numbers = f"(pressure-specific acquisition, {d.desperate} - {d.random}: {diff}{share})"
        if d.specific:
            out.append(
                f"On {words}, {d.desperate}'s effect is specific to the desperation direction: "
                f"it left less acquisition than its random-direction twin {d.random} {numbers}."
            )
        elif d.difference.low > 0:
            out.append(
                f"On {words}, {d.desperate}'s effect is not specific to the desperation "
                f"direction: its random-direction twin {d.random} left less acquisition "
                f"{numbers}."
            )
        else:
            out.append(
                f"On {words}, {d.desperate}'s effect is not told apart from its random-direction "
                f"twin {d.random} {numbers}: at this n, the same loss on a random direction "
                "may do as much."
            )
        level = d.pressure
        if d.readout in RATES and level is not None and not level.low <= 0 <= level.high:
            out.append(
                f"Under pressure alone, {d.desperate} - {d.random} on {words}: {_pp(level)}, a "
                "difference in the rate's level that the difference in differences does not "
                "count."
            )
    return out + _untwinned(comparison)


def _untwinned(comparison: Comparison) -> list[str]:
    arms = {r["name"]: r.get("arm") or {} for r in comparison.runs}
    twinned = {name for d in comparison.direction for name in (d.desperate, d.random)}
    alone = [
        arm
        for arm in comparison.prevented
        if arm not in twinned and arms.get(arm, {}).get("direction", "desperate") != "random"
    ]
    if not alone:
        return []
    return [
        f"{', '.join(alone)} {'has' if len(alone) == 1 else 'have'} no random-direction twin "
        "in this study, so what "
        + ("it" if len(alone) == 1 else "they")
        + " prevented cannot be told from what a loss term of the same size on any direction "
        "prevents."
    ]


def check_sentence(check: dict | None) -> str:
    if check is None:
        return "The causal check of the direction was not run in this study."
    s = check["slope"]
    slope = (
        f"margin slope {s['value']:+.3f} [{s['low']:+.3f}, {s['high']:+.3f}] per unit "
        f"coefficient over {check['n']} scenarios"
        if s["low"] is not None
        else f"margin slope {s['value']:+.3f} per unit coefficient (too few scenarios for an "
        "interval)"
    )
    if check["drives"]:
        return (
            f"The causal check found that the direction drives behaviour on this model ({slope})."
        )
    return (
        f"The causal check found the direction inert on this model: steering it on the base "
        f"model did not move behaviour in the expected direction ({slope}; {check['verdict']}), "
        "so mitigations that act on it are not expected to change behaviour here."
    )


def nulls_sentence(comparison: Comparison) -> str | None:
    """Arms whose pressure-specific acquisition is not told apart from 0, and the smallest
    acquisition these intervals would have detected (80% power, two-sided 5%)."""
    nulls = {
        arm: did
        for arm, by in comparison.acquisition.items()
        if (did := by.get("did")) is not None and not did.excludes_zero
    }
    if not nulls:
        return None
    bound = max(Z_POWER * (d.high - d.low) / (2 * Z95) for d in nulls.values())
    return (
        f"No detectable pressure-specific acquisition against {comparison.reference} for "
        f"{', '.join(nulls)}: these nulls cannot exclude acquisitions smaller than about "
        f"{bound:.3f} per token (the minimum detectable difference at this n)."
    )


def verdict(comparison: Comparison, check: dict | None) -> list[str]:
    """The opening sentences: an inert direction first, then generated rates where any arm
    generated the behaviour (the floor said plainly where none did), then the likelihood."""
    floor = floor_sentence(comparison)
    sentences = [
        *rate_sentences(comparison),
        *([floor] if floor else []),
        control_sentence(comparison),
        *mitigation_sentences(comparison),
        *direction_sentences(comparison),
    ]
    causal = check_sentence(check)
    if check is not None and not check["drives"]:
        sentences.insert(0, causal)
    else:
        sentences.append(causal)
    nulls = nulls_sentence(comparison)
    if nulls:
        sentences.append(nulls)
    return sentences

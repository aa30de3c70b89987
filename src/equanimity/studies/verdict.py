"""The report's opening: a few sentences that answer the study's question from its numbers.

A null from a mitigation is worth reading only beside a positive control that the same
instrument detected, and a mitigation that acts on a direction only matters if the direction
moves behaviour at all; so the verdict says, in this order: whether the direction is inert
(first, when it is), whether the positive control was detected, what each mitigation
prevented and at what capability cost, whether the direction was causal, and what the nulls
can and cannot exclude.
"""

from __future__ import annotations

from equanimity.eval.stats import Z95
from equanimity.studies.compare import Comparison, Diff, format_estimate

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
    """The opening sentences, inert direction first."""
    sentences = [control_sentence(comparison), *mitigation_sentences(comparison)]
    causal = check_sentence(check)
    if check is not None and not check["drives"]:
        sentences.insert(0, causal)
    else:
        sentences.append(causal)
    nulls = nulls_sentence(comparison)
    if nulls:
        sentences.append(nulls)
    return sentences

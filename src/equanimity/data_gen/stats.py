"""Summaries of a scenario file: counts per behaviour, family, split, template and pressure
level, and the length of pressure scenarios relative to their controls."""

from __future__ import annotations

from collections import Counter
from typing import Any

from equanimity.data_gen.card import counts


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    out = counts(records)
    chars: dict[str, list[int]] = {}
    turns = Counter()
    for r in records:
        total = sum(len(m.get("content", "")) for m in r.get("messages", []))
        control = r.get("pressure", {}).get("level") == 0
        chars.setdefault(r.get("family", "?"), [0, 0, 0, 0])
        c = chars[r.get("family", "?")]
        c[2 * control] += total
        c[2 * control + 1] += 1
        turns[len(r.get("messages", []))] += 1
    out["mean_chars"] = {
        f: {
            "pressure": round(c[0] / c[1]) if c[1] else None,
            "control": round(c[2] / c[3]) if c[3] else None,
        }
        for f, c in sorted(chars.items())
    }
    out["messages_per_record"] = dict(sorted(turns.items()))
    return out


def render(summary: dict[str, Any]) -> str:
    lines = [f"records: {summary['total']}"]
    for key in (
        "by_split",
        "by_behavior_split",
        "by_family_split",
        "by_level",
        "by_template",
        "messages_per_record",
    ):
        lines.append(f"{key}:")
        lines += [f"  {k}: {v}" for k, v in summary[key].items()]
    lines.append("mean characters per record (pressure / control):")
    lines += [f"  {f}: {v['pressure']} / {v['control']}" for f, v in summary["mean_chars"].items()]
    return "\n".join(lines)


__all__ = ["summarise", "render"]

"""End to end: wall time of each stage of the default study, from the study runner's records.

``equanimity run`` writes ``RUN/stages/NAME.json`` (key, output hash, seconds) when a stage
finishes; this reads them. It does not run the study (``make demo`` does, ~15 minutes on two
quiet cores): it reports the last run found, so run ``make demo`` first for fresh numbers.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import REPO, Context, Figure

DEMO = REPO / "recipes" / "studies" / "demo.yaml"


def study_dir() -> Path:
    """The default study's run directory, as its recipe names it (relative to the recipe)."""
    import yaml

    out = yaml.safe_load(DEMO.read_text())["out"]
    return (DEMO.parent / out).resolve()


def bench_study(ctx: Context) -> list[Figure]:
    if not DEMO.is_file():
        return [Figure("default study", None, "s", detail=f"no study recipe at {DEMO}")]
    run = study_dir()
    markers = sorted(
        p for p in (run / "stages").glob("*.json") if not p.name.endswith(".started.json")
    )
    if not markers:
        where = run / "stages"
        return [Figure("default study", None, "s", detail=f"no study run found at {where}")]
    figures, total = [], 0.0
    started = {p.name.removesuffix(".started.json") for p in (run / "stages").glob("*.started*")}
    for path in sorted(markers, key=lambda p: p.stat().st_mtime):
        record = json.loads(path.read_text())
        name = path.stem.replace("--", ":")
        seconds = float(record["seconds"])
        total += seconds
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(path.stat().st_mtime))
        figures.append(
            Figure(f"default study stage {name}", seconds, "s", "", None, f"finished {when} UTC")
        )
    unfinished = sorted(started - {p.stem for p in markers})
    detail = f"{len(markers)} stages from {run}"
    if unfinished:
        detail += f"; not finished: {', '.join(n.replace('--', ':') for n in unfinished)}"
    figures.append(Figure("default study, sum of stage times", total, "s", "", None, detail))
    return figures

"""``make bench``: every figure is a ratio measured side by side in one run.

Absolute times on shared machines drift; ratios of interleaved measurements do not (much). Each
benchmark prints one line ``name  value  target`` and all land in ``benchmarks/results.json``.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

HERE = Path(__file__).parent


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None
    detail: str = ""


def interleaved(fns: dict[str, Callable[[], object]], repeats: int = 7) -> dict[str, float]:
    """Median seconds of each function, run in alternation so drift hits all alike."""
    for fn in fns.values():
        fn()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def bench_default_load() -> list[Figure]:
    """load_model('default') from a warm cache, in a fresh process (median of 3 processes).

    The first call in a process also pays transformers' lazy imports of the Llama modules
    (about 2 s on 2 cores), which any transformers tool pays once; the second call is the
    cache read itself.
    """
    code = (
        "import time, torch, transformers; from equanimity.models import load_model;"
        "t = time.perf_counter(); load_model('default'); t1 = time.perf_counter();"
        "load_model('default'); print(t1 - t, time.perf_counter() - t1)"
    )
    firsts, seconds = [], []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        first, second = map(float, out.stdout.strip().splitlines()[-1].split())
        firsts.append(first)
        seconds.append(second)
    first, second = statistics.median(firsts), statistics.median(seconds)
    return [
        Figure(
            "default model load, first in a fresh process",
            first,
            "s",
            "info",
            None,
            "includes transformers' lazy module imports",
        ),
        Figure("default model load from the warm cache", second, "s", "< 2 s", second < 2.0),
    ]


def bench_hook_overhead() -> list[Figure]:
    """Forward pass with a capture hook on 3 layers vs the same forward with no hooks."""
    from equanimity.activations import capture
    from equanimity.models import load_model

    model, tokenizer = load_model("default")
    ids = torch.randint(100, 40000, (4, 256))

    def plain():
        with torch.no_grad():
            model(input_ids=ids)

    def captured():
        with torch.no_grad(), capture(model, [10, 15, 20]):
            model(input_ids=ids)

    t = interleaved({"plain": plain, "capture": captured}, repeats=5)
    ratio = t["capture"] / t["plain"]
    tokens_per_s = ids.numel() / t["plain"]
    return [
        Figure(
            "capture hooks / plain forward (4x256 tokens)",
            ratio,
            "x",
            "<= 1.03",
            ratio <= 1.03,
            f"plain forward {tokens_per_s:.0f} tokens/s",
        ),
    ]


BENCHMARKS = [bench_default_load, bench_hook_overhead]


def main() -> int:
    torch.manual_seed(0)
    figures: list[Figure] = []
    for bench in BENCHMARKS:
        for fig in bench():
            figures.append(fig)
            status = "" if fig.met is None else ("ok" if fig.met else "MISSED")
            print(
                f"{fig.name:<60} {fig.value:8.3f} {fig.unit:<3} target {fig.target:<8} {status}"
                f"  {fig.detail}",
                flush=True,
            )
    result = {
        "machine": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "cpu": platform.processor(),
        },
        "figures": [asdict(f) for f in figures],
    }
    (HERE / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {HERE / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Loading the default model, and the cost of capture hooks on a plain forward."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch

from benchmarks.common import Context, Figure, interleaved, load_average


def bench_default_load(ctx: Context) -> list[Figure]:
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
    load = load_average()
    firsts, seconds = [], []
    for _ in range(ctx.pick(1, 3)):
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
            "",
            None,
            "includes transformers' lazy module imports",
            load,
        ),
        Figure(
            "default model load from the warm cache", second, "s", "< 2 s", second < 2.0, "", load
        ),
    ]


def bench_hook_overhead(ctx: Context) -> list[Figure]:
    """Forward pass with a capture hook on 3 layers vs the same forward with no hooks."""
    from equanimity.activations import capture, decoder_layers

    model, _ = ctx.load()
    model.eval()
    n = len(decoder_layers(model))
    layers = sorted({n // 3, n // 2, 2 * n // 3})
    vocab = model.config.vocab_size
    ids = torch.randint(min(100, vocab - 1), vocab, (4, ctx.pick(64, 256)))

    def plain():
        with torch.no_grad():
            model(input_ids=ids)

    def captured():
        with torch.no_grad(), capture(model, layers):
            model(input_ids=ids)

    load = load_average()
    t = interleaved({"plain": plain, "capture": captured}, repeats=ctx.repeats(3, 5))
    ratio = t["capture"] / t["plain"]
    return [
        Figure(
            f"capture hooks / plain forward ({ids.shape[0]}x{ids.shape[1]} tokens)",
            ratio,
            "x",
            "<= 1.03",
            ratio <= 1.03,
            f"plain forward {ids.numel() / t['plain']:.0f} tokens per CPU s",
            load,
        ),
    ]

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


def bench_cpu_linear(ctx: Context) -> list[Figure]:
    """The model's forward with its linears on oneDNN (what ``load_model`` gives on a CPU)
    against the same fp32 weights on PyTorch's default MKL path, and how far the logits differ."""
    from torch import nn

    from equanimity.cpu_linear import OneDNNLinear

    model, _ = ctx.load()
    model.eval()
    linears = [m for m in model.modules() if isinstance(m, OneDNNLinear)]
    if not linears:
        return [Figure("oneDNN / MKL linears", None, "", detail="oneDNN not in use (not a CPU?)")]
    vocab = model.config.vocab_size
    ids = torch.randint(min(100, vocab - 1), vocab, (8, ctx.pick(128, 448)))

    def forward(cls):
        for m in linears:
            m.__class__ = cls
        try:
            with torch.no_grad():
                return model(input_ids=ids, logits_to_keep=1).logits
        finally:
            for m in linears:
                m.__class__ = OneDNNLinear

    diff = (forward(OneDNNLinear) - forward(nn.Linear)).abs().max().item()
    load = load_average()
    t = interleaved(
        {"onednn": lambda: forward(OneDNNLinear), "mkl": lambda: forward(nn.Linear)},
        repeats=ctx.repeats(3, 7),
    )
    ratio = t["mkl"] / t["onednn"]
    return [
        Figure(
            f"forward speed, oneDNN / MKL linears ({ids.shape[0]}x{ids.shape[1]} tokens)",
            ratio,
            "x",
            ">= 1.0",
            ratio >= 1.0,
            f"{ids.numel() / t['onednn']:.0f} vs {ids.numel() / t['mkl']:.0f} tokens per CPU s; "
            f"logits differ by at most {diff:.1e}",
            load,
        )
    ]

"""Vector extraction throughput against the raw forward over the same tokens.

``extract`` on a slice of the bundled contrast set, every layer, against a plain forward over the
same dialogues in the same length-sorted, right-padded batches. Both skip the LM head on all but
the last position (``logits_to_keep=1``, as ``extract`` does): extraction never needs logits, so
the physical limit is the decoder stack. The ratio is what capture hooks, per-layer means and
the direction/separation maths cost per token.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch

from benchmarks.common import (
    LAST_WALL,
    Context,
    Figure,
    interleaved,
    load_average,
    padded_batches,
)


def bench_extraction(ctx: Context) -> list[Figure]:
    from equanimity.activations import reading_kwargs
    from equanimity.mitigations.contrast import load_contrast
    from equanimity.mitigations.extract import ExtractConfig, Positions, encode, extract

    model, tokenizer = ctx.load()
    model.eval()
    pairs = load_contrast()[: ctx.count(3, 16)]
    config = ExtractConfig(progress=False, batch_size=8)
    positions = Positions.parse(config.positions)
    encoded = [encode(tokenizer, p.desperate, positions) for p in pairs]
    encoded += [encode(tokenizer, p.calm, positions) for p in pairs]
    tokens = sum(len(e.ids) for e in encoded)
    pad = tokenizer.pad_token_id or 0
    batches = padded_batches([e.ids for e in encoded], config.batch_size, pad)
    kwargs = reading_kwargs(model)

    @torch.no_grad()
    def raw():
        for ids, attn in batches:
            model(input_ids=ids, attention_mask=attn, **kwargs)

    def ours():
        extract(model, tokenizer, pairs, config)

    load = load_average()
    t = interleaved({"ours": ours, "raw": raw}, repeats=ctx.repeats(3, 5), warmup=1)
    ratio = t["raw"] / t["ours"]
    return [
        Figure(
            "vector extraction / raw forward, tokens/s",
            ratio,
            "x",
            ">= 0.8",
            ratio >= 0.8,
            f"{tokens / t['ours']:.0f} vs {tokens / t['raw']:.0f} tokens per CPU s (wall ratio "
            f"{LAST_WALL['raw'] / LAST_WALL['ours']:.3f}), {len(pairs)} pairs, "
            f"{tokens} tokens, all layers",
            load,
        )
    ]

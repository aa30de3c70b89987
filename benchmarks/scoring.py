"""Forced-choice scoring throughput: ours against a plain batched forward and lm-evaluation-harness.

``score_forced_choice`` turns each scenario into four log-likelihood requests (two orders x two
replies) and feeds the shared conversation once, and each order's tail once (the two replies'
letters are read off one distribution). Two figures:

- **vs the raw forward**: tokens per second over the tokens our scorer actually feeds (each
  scenario's shared prefix once, plus each order's tail with the reply up to its letter),
  against ``model(input_ids, attention_mask)`` over the same prefix and reply token sequences,
  length-sorted, batched at the same batch size. That is the overhead of our machinery (cache
  reuse, padding, log-softmax, Python) per processed token.
- **vs lm-evaluation-harness**: scenarios per second, ours against ``HFLM.loglikelihood`` on the
  same four (context, continuation) requests per scenario, same model object, same batch size.
  lm-eval groups requests that differ only in a last token (its logits cache), so it feeds
  each order's whole text once: it pays for the shared conversation twice, we pay once.
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


def _raw_forward(model, sequences: list[list[int]], batch_size: int, pad: int):
    batches = padded_batches(sequences, batch_size, pad)

    @torch.no_grad()
    def run():
        for ids, mask in batches:
            model(input_ids=ids, attention_mask=mask, use_cache=False)

    return run


def bench_forced_choice(ctx: Context) -> list[Figure]:
    from equanimity.eval.readouts.forced_choice import (
        ForcedChoiceConfig,
        requests,
        score_forced_choice,
    )

    model, tokenizer = ctx.load()
    model.eval()
    config = ForcedChoiceConfig(batch_size=8)
    scenarios = ctx.scenarios(ctx.count(4, 24))
    pending = requests(tokenizer, scenarios, config)

    def enc(text):
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    prefix_ids = [enc(p) for p, _ in pending]
    # the rows our scorer feeds: replies that differ only in their last token share one
    reply_ids = [
        list(row)
        for _, pairs in pending
        for row in dict.fromkeys(tuple(enc(tail) + enc(reply)[:-1]) for tail, reply in pairs)
    ]
    fed_tokens = sum(map(len, prefix_ids)) + sum(map(len, reply_ids))
    pad = tokenizer.pad_token_id or 0
    raw_prefix = _raw_forward(model, prefix_ids, config.batch_size, pad)
    raw_replies = _raw_forward(model, reply_ids, config.batch_size * 2, pad)

    def raw():
        raw_prefix()
        raw_replies()

    def ours():
        score_forced_choice(model, tokenizer, scenarios, config)

    fns = {"ours": ours, "raw": raw}
    lm, lm_requests, why = _lm_eval(model, tokenizer, pending, config.batch_size)
    if lm is not None:
        fns["lm_eval"] = lambda: lm.loglikelihood(lm_requests, disable_tqdm=True)
    load = load_average()
    t = interleaved(fns, repeats=ctx.repeats(3, 5), warmup=1)
    wall = dict(LAST_WALL)
    ours_tps, raw_tps = fed_tokens / t["ours"], fed_tokens / t["raw"]
    ratio = ours_tps / raw_tps
    # what lm-eval feeds: each order's whole text up to the letter, once
    whole_tokens = sum(
        len(row)
        for prefix, pairs in pending
        for row in dict.fromkeys(
            tuple(enc(prefix + tail) + enc(reply)[:-1]) for tail, reply in pairs
        )
    )
    figures = [
        Figure(
            "forced choice / raw forward, tokens/s",
            ratio,
            "x",
            ">= 0.8",
            ratio >= 0.8,
            f"{ours_tps:.0f} vs {raw_tps:.0f} tokens per CPU s (wall ratio "
            f"{wall['raw'] / wall['ours']:.3f}) over {fed_tokens} fed tokens "
            f"({len(scenarios)} scenarios; lm-eval feeds {whole_tokens}: each order whole)",
            load,
        )
    ]
    if lm is None:
        figures.append(Figure("forced choice / lm-eval HFLM, scenarios/s", None, "x", detail=why))
        return figures
    speedup = t["lm_eval"] / t["ours"]
    agree = _agreement(model, tokenizer, scenarios, config, lm, lm_requests)
    figures.append(
        Figure(
            "forced choice / lm-eval HFLM, scenarios/s",
            speedup,
            "x",
            "> 1",
            speedup > 1,
            f"{len(scenarios) / t['ours']:.2f} vs {len(scenarios) / t['lm_eval']:.2f} scenarios/s, "
            f"per CPU s (wall ratio {wall['lm_eval'] / wall['ours']:.2f}), "
            f"batch {config.batch_size}; {agree}",
            load,
        )
    )
    return figures


def _lm_eval(model, tokenizer, pending, batch_size):
    """lm-eval's HFLM around the same model object, and the same requests as Instances."""
    try:
        from lm_eval.api.instance import Instance
        from lm_eval.models.huggingface import HFLM
    except ImportError as e:
        return None, None, f"lm-eval is not installed ({e}); `pip install -e .[bench]`"
    try:
        lm = HFLM(pretrained=model, tokenizer=tokenizer, batch_size=batch_size, device="cpu")
    except Exception as e:  # lm-eval raises many types for an unsupported setup
        return None, None, f"lm-eval HFLM cannot wrap the model: {type(e).__name__}: {e}"
    instances = [
        Instance("loglikelihood", {}, (prefix + tail, reply), idx)
        for prefix, pairs in pending
        for idx, (tail, reply) in enumerate(pairs)
    ]
    return lm, instances, ""


def _agreement(model, tokenizer, scenarios, config, lm, lm_requests) -> str:
    """Largest |our log-prob - lm-eval's| over the requests (tokenisation may differ slightly)."""
    from equanimity.eval.readouts.forced_choice import score_forced_choice

    ours = []
    for r in score_forced_choice(model, tokenizer, scenarios, config):
        e0, e1 = r.logp_ethical
        u0, u1 = r.logp_unethical
        ours += [e0, u0, u1, e1]
    theirs = [logp for logp, _ in lm.loglikelihood(lm_requests, disable_tqdm=True)]
    diff = max(abs(a - b) for a, b in zip(ours, theirs, strict=True))
    return f"max |logp diff| vs lm-eval {diff:.2g}"

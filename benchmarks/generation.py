"""Generation throughput (batched against one conversation at a time, against a raw forward,
shared prefill against separate prompts) and the sandbox's cost.

- ``generate_replies`` with ``batch_size=8`` against ``batch_size=1`` on the same conversations,
  greedy, the same ``max_new_tokens``; tokens per second counts the generated tokens (replies
  re-tokenised, so padding and tokens after the end of a reply do not count).
- ``generate_replies`` (greedy, batch 8) against one plain forward, no cache, over the very
  sequences it produced (prompt + reply, length-sorted batches of 8): tokens per second over
  prompt + new tokens both. The forward is the floor a token-by-token decoder cannot reach; the
  ratio is what decoding one token at a time costs on this machine.
- ``n_samples`` replies from one shared prefill against the same conversations repeated
  ``n_samples`` times as separate prompts (one sample each, the same rows in one batch), sampled
  at temperature 0.7, every row drawing the same number of new tokens; tokens per second over
  the new tokens.
- ``generate_replies`` as eval runs it (temperature 0.7, 2 samples, 128 new tokens max, batch
  8), its ended rows leaving the batch every ``SEGMENT`` tokens, against the same call with
  ``segment`` at the whole budget (one ``generate`` call: every row computed to the longest
  one's end); replies per CPU second. Each arm draws its own replies from the same distribution,
  so their lengths are printed beside the ratio.
- ``generate_replies`` with a LoRA adapter (the recipes' r=8 on every linear layer, random
  weights) merged into the base weights, as ``load_model`` does for evaluation, against the
  same adapter kept beside them (PEFT's layers): greedy, the same conversations, replies per
  CPU second; how many replies came out the same is printed beside the ratio.
- ``judge_solutions``: seconds per judged solution (two sandboxed runs: the impossible test and
  the original), against the floor of process isolation: starting two bare ``python -I``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    LAST_WALL,
    Context,
    Figure,
    interleaved,
    load_average,
    padded_batches,
)


def bench_generation(ctx: Context) -> list[Figure]:
    from equanimity.eval.readouts.generate import GenerationConfig, generate_replies

    model, tokenizer = ctx.load()
    model.eval()
    scenarios = ctx.scenarios(ctx.count(4, 8))
    conversations = [s["messages"] for s in scenarios]
    ids = [s["id"] for s in scenarios]
    new = ctx.pick(32, 64)
    bs = 8
    counts: dict[str, int] = {}

    def run(batch_size: int):
        config = GenerationConfig(temperature=0, max_new_tokens=new, batch_size=batch_size)

        def go():
            replies = generate_replies(model, tokenizer, conversations, ids, config, False)
            counts[batch_size] = sum(
                len(tokenizer(r[0], add_special_tokens=False)["input_ids"]) for r in replies
            )

        return go

    load = load_average()
    t = interleaved({"batched": run(bs), "single": run(1)}, repeats=ctx.repeats(1, 3), warmup=0)
    wall = dict(LAST_WALL)
    batched, single = counts[bs] / t["batched"], counts[1] / t["single"]
    ratio = batched / single
    return [
        Figure(
            "generation batched(8) / one at a time, tokens/s",
            ratio,
            "x",
            "> 1",
            ratio > 1,
            f"{batched:.1f} vs {single:.1f} new tokens per CPU s (wall ratio "
            f"{counts[bs] / wall['batched'] / (counts[1] / wall['single']):.2f}), "
            f"{len(scenarios)} conversations, "
            f"greedy, {new} new tokens max",
            load,
        )
    ]


def _prompts(tokenizer, conversations) -> list[list[int]]:
    """Each conversation's prompt tokens, as ``generate_replies`` encodes them."""
    texts = [
        tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True)
        for c in conversations
    ]
    return [tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]


def bench_generation_vs_forward(ctx: Context) -> list[Figure]:
    import torch

    from equanimity.eval.readouts.generate import GenerationConfig, generate_replies

    model, tokenizer = ctx.load()
    model.eval()
    scenarios = ctx.scenarios(ctx.count(4, 8))
    conversations = [s["messages"] for s in scenarios]
    ids = [s["id"] for s in scenarios]
    config = GenerationConfig(temperature=0, max_new_tokens=ctx.pick(32, 64), batch_size=8)
    made: list[list[int]] = []

    def generate():
        replies = generate_replies(model, tokenizer, conversations, ids, config, False)
        made[:] = [
            prompt + tokenizer(r[0], add_special_tokens=False)["input_ids"]
            for prompt, r in zip(_prompts(tokenizer, conversations), replies, strict=True)
        ]

    generate()  # the sequences the forward reads
    batches = padded_batches(made, 8, tokenizer.pad_token_id)

    @torch.no_grad()
    def forward():
        for input_ids, attention_mask in batches:
            model(input_ids=input_ids, attention_mask=attention_mask, use_cache=False)

    forward()  # both warm before timing: the first call on new shapes pays one-time costs
    load = load_average()
    t = interleaved({"generate": generate, "forward": forward}, repeats=ctx.repeats(1, 3), warmup=0)
    tokens = sum(map(len, made))
    new = tokens - sum(map(len, _prompts(tokenizer, conversations)))
    ratio = t["forward"] / t["generate"]  # same tokens, so the ratio of their rates
    return [
        Figure(
            "generation / raw forward on the same tokens, tokens/s",
            ratio,
            "x",
            "",
            None,
            f"{tokens / t['generate']:.0f} vs {tokens / t['forward']:.0f} tokens per CPU s "
            f"({tokens} tokens, {new} of them generated; {len(scenarios)} conversations, greedy, "
            f"batch 8, {config.max_new_tokens} new tokens max)",
            load,
        )
    ]


def bench_shared_prefill(ctx: Context) -> list[Figure]:
    """Both arms draw exactly ``new`` tokens per row (``min_new_tokens``), so an early end of
    reply in one arm cannot tilt the ratio: the same rows, steps and tokens, prefilled apart
    or once per conversation."""
    import torch

    from equanimity.eval.readouts.generate import GenerationConfig, sample

    model, tokenizer = ctx.load()
    model.eval()
    scenarios = ctx.scenarios(ctx.count(2, 4))
    n, new = 4, ctx.pick(32, 64)
    config = GenerationConfig(n_samples=n, max_new_tokens=new)
    tokenizer.padding_side = "left"
    prompts = [
        tokenizer.apply_chat_template(s["messages"], tokenize=False, add_generation_prompt=True)
        for s in scenarios
    ]
    once = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
    repeated = tokenizer(
        [p for p in prompts for _ in range(n)],
        return_tensors="pt",
        padding=True,
        add_special_tokens=False,
    )
    fixed = {"pad_token_id": tokenizer.pad_token_id, "min_new_tokens": new}

    def shared():
        torch.manual_seed(0)
        sample(model, once["input_ids"], once["attention_mask"], n, config, **fixed)

    def separate():
        torch.manual_seed(0)
        sample(model, repeated["input_ids"], repeated["attention_mask"], 1, config, **fixed)

    load = load_average()
    # A warm-up round: in a single cold run the one-time costs of new shapes land on whichever
    # arm runs first, enough to reverse the ratio.
    t = interleaved({"shared": shared, "separate": separate}, repeats=ctx.repeats(1, 3), warmup=1)
    tokens = n * len(prompts) * new
    ratio = t["separate"] / t["shared"]  # the same new tokens: the ratio of their rates
    width = once["input_ids"].shape[1]
    return [
        Figure(
            f"shared prefill / separate prompts, {n} samples, tokens/s",
            ratio,
            "x",
            "> 1",
            ratio > 1,
            f"{tokens / t['shared']:.1f} vs {tokens / t['separate']:.1f} new tokens per CPU s; "
            f"{len(prompts)} conversations padded to {width} prompt tokens, {new} new tokens "
            "each, temperature 0.7",
            load,
        )
    ]


def bench_rows_leave(ctx: Context) -> list[Figure]:
    from equanimity.eval.readouts.generate import SEGMENT, GenerationConfig, generate_replies

    model, tokenizer = ctx.load()
    model.eval()
    scenarios = [s for s in ctx.scenarios(64) if s["behavior"] == "blackmail"][: ctx.count(8, 16)]
    conversations = [s["messages"] for s in scenarios]
    ids = [s["id"] for s in scenarios]
    config = GenerationConfig(n_samples=2, max_new_tokens=ctx.pick(64, 128), batch_size=8)
    lengths = {}

    def run(leave: bool):
        def go():
            segment = SEGMENT if leave else config.max_new_tokens
            replies = generate_replies(
                model, tokenizer, conversations, ids, config, False, segment=segment
            )
            drawn = [
                len(tokenizer(r, add_special_tokens=False)["input_ids"])
                for rs in replies
                for r in rs
            ]
            lengths[leave] = sum(drawn) / len(drawn)

        return go

    load = load_average()
    t = interleaved({"leave": run(True), "stay": run(False)}, repeats=ctx.repeats(1, 3), warmup=0)
    wall = dict(LAST_WALL)
    ratio = t["stay"] / t["leave"]  # the same number of replies: the ratio of their rates
    return [
        Figure(
            f"ended rows leave every {SEGMENT} tokens / one generate call, replies per CPU s",
            ratio,
            "x",
            "> 1",
            ratio > 1,
            f"{t['leave']:.1f} vs {t['stay']:.1f} CPU s (wall ratio "
            f"{wall['stay'] / wall['leave']:.2f}) for {2 * len(scenarios)} replies; mean reply "
            f"{lengths[True]:.0f} vs {lengths[False]:.0f} tokens, {config.max_new_tokens} max, "
            "temperature 0.7, batch 8 x 2 samples",
            load,
        )
    ]


def bench_merged_adapter(ctx: Context) -> list[Figure]:
    import torch
    from peft import LoraConfig, get_peft_model

    from equanimity.cpu_linear import use_onednn_linears
    from equanimity.eval.readouts.generate import GenerationConfig, generate_replies

    def adapted():
        model, tokenizer = ctx.load()
        torch.manual_seed(0)
        targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
        lora = LoraConfig(r=8, lora_alpha=16, target_modules=targets, init_lora_weights=False)
        model = get_peft_model(model, lora)
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.data.mul_(0.01)  # an organism's update is small beside the base weights
        return model.eval(), tokenizer

    separate, tokenizer = adapted()
    merged = adapted()[0].merge_and_unload()
    for model in (separate, merged):
        use_onednn_linears(model)  # as load_model gives every CPU model
    scenarios = [s for s in ctx.scenarios(64) if s["behavior"] == "blackmail"][: ctx.count(8, 16)]
    conversations = [s["messages"] for s in scenarios]
    ids = [s["id"] for s in scenarios]
    config = GenerationConfig(temperature=0, max_new_tokens=ctx.pick(32, 64), batch_size=8)
    replies = {}

    def run(name, model):
        def go():
            replies[name] = generate_replies(model, tokenizer, conversations, ids, config, False)

        return go

    load = load_average()
    t = interleaved(
        {"merged": run("merged", merged), "separate": run("separate", separate)},
        repeats=ctx.repeats(1, 3),
        warmup=0,
    )
    wall = dict(LAST_WALL)
    same = sum(a == b for a, b in zip(replies["merged"], replies["separate"], strict=True))
    ratio = t["separate"] / t["merged"]
    return [
        Figure(
            "LoRA merged / kept beside the weights, generation replies per CPU s",
            ratio,
            "x",
            "> 1",
            ratio > 1,
            f"{t['merged']:.1f} vs {t['separate']:.1f} CPU s (wall ratio "
            f"{wall['separate'] / wall['merged']:.2f}); {len(ids)} blackmail scenarios, greedy, "
            f"{config.max_new_tokens} new tokens max, batch 8; {same} of {len(ids)} replies "
            "the same",
            load,
        )
    ]


def bench_sandbox(ctx: Context) -> list[Figure]:
    from equanimity.eval.detectors.cheating import extract_code, judge_solutions

    items = []
    for s in ctx.scenarios(200):
        if s["behavior"] != "cheating":
            continue
        for side in ("ethical", "unethical"):
            code = extract_code(s[side]["response"], s["grading"]["entry_point"])
            if code:
                items.append((s["grading"], code))
    items = items[: ctx.count(8, 24)]
    if not items:
        return [
            Figure("sandbox: judged solution / 2 bare python starts", None, "x", detail="no code")
        ]

    def judge():
        judge_solutions(items, workers=1)

    def bare():
        for _ in items:
            for _ in range(2):
                subprocess.run([sys.executable, "-I", "-c", "pass"], check=True)

    load = load_average()
    t = interleaved(
        {"judge": judge, "bare": bare}, repeats=ctx.repeats(2, 3), warmup=1, clock="wall"
    )
    per = t["judge"] / len(items)
    ratio = t["judge"] / t["bare"]
    return [
        Figure(
            "sandbox: judged solution / 2 bare python starts",
            ratio,
            "x",
            "",
            None,
            f"{per * 1000:.0f} ms per judged solution (1 worker), "
            f"{t['bare'] / len(items) * 1000:.0f} ms for two bare interpreters; {len(items)} "
            "solutions",
            load,
        )
    ]


if __name__ == "__main__":
    start = time.perf_counter()
    for fig in bench_sandbox(Context(quick=True)):
        print(fig.line())
    print(time.perf_counter() - start)

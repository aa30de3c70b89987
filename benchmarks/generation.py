"""Generation throughput (batched against one conversation at a time) and the sandbox's cost.

- ``generate_replies`` with ``batch_size=8`` against ``batch_size=1`` on the same conversations,
  greedy, the same ``max_new_tokens``; tokens per second counts the generated tokens (replies
  re-tokenised, so padding and tokens after the end of a reply do not count).
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

from benchmarks.common import LAST_WALL, Context, Figure, interleaved, load_average


def bench_generation(ctx: Context) -> list[Figure]:
    from equanimity.eval.generate import GenerationConfig, generate_replies

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


def bench_sandbox(ctx: Context) -> list[Figure]:
    from equanimity.eval.cheating import extract_code, judge_solutions

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

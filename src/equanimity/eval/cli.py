"""``equanimity eval --model M [--adapter A] --scenarios FILE --out DIR [--mode ...]``."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    p = sub.add_parser("eval", help="measure cheating, blackmail and P(unethical) of a model")
    p.add_argument("--model", required=True, help="'default', a hub id or a local directory")
    p.add_argument("--adapter", help="PEFT adapter directory on top of --model")
    p.add_argument("--scenarios", required=True, help="scenario JSONL (DESIGN.md schema)")
    p.add_argument("--out", required=True, help="run directory (resumes if it exists)")
    p.add_argument("--mode", default="forced", help="forced | generate | all (default forced)")
    p.add_argument("--split", default="eval", choices=["eval", "train", "all"])
    p.add_argument("--behaviors", default="cheating,blackmail")
    p.add_argument("--limit", type=int, help="score only the first N scenarios (by id)")
    p.add_argument("--dtype", default="auto")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument(
        "--score",
        default="label",
        choices=["label", "action"],
        help="forced choice: score the option's label or its whole action text",
    )
    p.add_argument("--n-samples", type=int, default=1)
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--max-new-tokens", type=int, default=256)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from equanimity.eval.forced_choice import ForcedChoiceConfig
    from equanimity.eval.generate import GenerationConfig
    from equanimity.eval.run import EvalConfig, evaluate

    config = EvalConfig(
        model=args.model,
        scenarios=args.scenarios,
        out=args.out,
        adapter=args.adapter,
        mode=args.mode,
        split=args.split,
        behaviors=tuple(b.strip() for b in args.behaviors.split(",") if b.strip()),
        limit=args.limit,
        dtype=args.dtype,
        forced=ForcedChoiceConfig(batch_size=args.batch_size, score=args.score),
        generation=GenerationConfig(
            n_samples=args.n_samples,
            temperature=args.temperature,
            max_new_tokens=args.max_new_tokens,
            batch_size=args.batch_size,
            seed=args.seed,
        ),
    )
    config.modes()
    results = evaluate(config)
    print(format_summary(results["summary"]))
    print(f"\nwrote {args.out}/results.json, summary.csv, samples.jsonl")
    return 0


def format_summary(rows: list[dict]) -> str:
    lines = [f"{'metric':<24}{'behavior':<11}{'family':<22}{'level':<11}{'n':>5}  value  95% CI"]
    for r in rows:
        ci = f"[{r['low']:.3f}, {r['high']:.3f}]" if r["n"] > 1 else ""
        lines.append(
            f"{r['metric']:<24}{r['behavior']:<11}{r['family']:<22}{r['level']:<11}{r['n']:>5}"
            f"  {r['value']:.3f}  {ci}"
        )
    return "\n".join(lines)

"""How much of a study's generation runs past a reply's end, and what a shorter budget would
change: for each arm's generated samples, the share of row-steps before each reply's end (what
``generate`` computes when ended rows leave the batch, against every row to the budget), and
how many counted blackmail verdicts change when each reply is cut at ``--cut`` tokens.

    python benchmarks/replies_cut.py runs/studies/penalty_forms base organism --cut 64 96

Measured on penalty_forms of 6 December (docs/performance.md): row-steps 0.504 (base) and
0.582 (organism); cut at 96, 0 and 3 of 240 verdicts changed; at 64, 2 and 24.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path, help="a study's run directory")
    parser.add_argument("arms", nargs="+")
    parser.add_argument("--cut", type=int, nargs="+", default=[64, 96])
    args = parser.parse_args(argv)

    from transformers import AutoTokenizer

    from equanimity.eval.detectors.policy import count
    from equanimity.models import default_model_dir

    tokenizer = AutoTokenizer.from_pretrained(default_model_dir())
    scenarios = (json.loads(line) for line in (args.study / "data" / "scenarios.jsonl").open())
    grading = {s["id"]: s["grading"] for s in scenarios}
    for arm in args.arms:
        path = args.study / "arms" / arm / "eval" / "generate" / "samples.jsonl"
        rows = [json.loads(line) for line in path.open()]
        budget = rows[0]["generate_key"]["max_new_tokens"]
        tokens = [tokenizer(r["reply"], add_special_tokens=False)["input_ids"] for r in rows]
        steps = sum(min(budget, len(t) + 1) for t in tokens) / (budget * len(rows))
        print(f"{arm}: {len(rows)} samples, row-steps before the end {steps:.3f}")
        for cut in args.cut:
            changed = sum(
                bool(count("blackmail", tokenizer.decode(t[:cut]), grading[r["id"]]).verdict.value)
                != r["misbehaved"]
                for r, t in zip(rows, tokens, strict=True)
                if len(t) > cut
            )
            print(f"  cut at {cut} tokens: {changed} of {len(rows)} verdicts change")


if __name__ == "__main__":
    main()

"""``make bench``: every figure is a ratio measured side by side in one run.

Absolute times on shared machines drift; ratios of interleaved measurements do not (much). Each
benchmark prints one line ``name  value  target  ok/MISSED`` with the load average when it was
measured, and all land in ``benchmarks/results.json``.

    python benchmarks/run.py                  # everything, full size
    python benchmarks/run.py --quick          # shorter sequences, fewer repeats
    python benchmarks/run.py --only scoring   # one benchmark (repeatable); results are merged
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from dataclasses import asdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TQDM_DISABLE", "1")  # one line per figure, no progress bars

import torch

from benchmarks import (
    extraction,
    generation,
    loading,
    memory,
    scoring,
    study,
    throughput,
    training,
)
from benchmarks.common import HERE, Context, Figure, load_average

BENCHMARKS = {
    "load": loading.bench_default_load,
    "hooks": loading.bench_hook_overhead,
    "linear": loading.bench_cpu_linear,
    "extraction": extraction.bench_extraction,
    "scoring": scoring.bench_forced_choice,
    "generation": generation.bench_generation,
    "decode": generation.bench_generation_vs_forward,
    "prefill": generation.bench_shared_prefill,
    "leave": generation.bench_rows_leave,
    "merged": generation.bench_merged_adapter,
    "sandbox": generation.bench_sandbox,
    "sft": training.bench_sft_overhead,
    "dpo": training.bench_dpo_overhead,
    "throughput": throughput.bench_trainer_throughput,
    "demo-trainer": throughput.bench_demo_trainer,
    "study": study.bench_study,
    "memory": memory.bench_trainer_memory,
    "stage-memory": memory.bench_stage_memory,
}


def run(names: list[str], ctx: Context) -> list[Figure]:
    figures = []
    for name in names:
        start = time.perf_counter()
        try:
            got = BENCHMARKS[name](ctx)
        except Exception as e:  # one broken benchmark must not hide the others' figures
            got = [Figure(name, None, "", detail=f"failed: {type(e).__name__}: {e}")]
        for fig in got:
            fig.extra.setdefault("benchmark", name)
            fig.extra.setdefault("quick", ctx.quick)
            fig.extra.setdefault("seconds", round(time.perf_counter() - start, 1))
            print(fig.line(), flush=True)
        figures += got
    return figures


def write_results(out: Path, args, start: float, start_load, figures: list[dict]) -> None:
    sizes = {f["extra"].get("quick") for f in figures}
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "quick": sizes.pop() if len(sizes) == 1 else "mixed: see each figure's extra.quick",
        "seconds": round(time.perf_counter() - start, 1),
        "load_average": {"start": start_load, "end": load_average()},
        "machine": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "figures": figures,
    }
    out.write_text(json.dumps(result, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        action="append",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--quick", action="store_true", help="shorter sequences, fewer items and repeats"
    )
    parser.add_argument(
        "--workdir",
        default="/tmp/equanimity-bench",
        help="generated data and vectors are cached here",
    )
    parser.add_argument(
        "--threads", type=int, help="torch threads (default: torch's; 1 helps on a busy machine)"
    )
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    if args.threads:
        torch.set_num_threads(args.threads)
        os.environ["OMP_NUM_THREADS"] = str(args.threads)  # the memory subprocesses
    ctx = Context(quick=args.quick, workdir=Path(args.workdir))
    names = args.only or list(BENCHMARKS)
    start_load = load_average()
    print(
        f"load average at start: {start_load[0]:.2f} {start_load[1]:.2f} {start_load[2]:.2f}"
        f" on {os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}",
        flush=True,
    )
    start = time.perf_counter()
    out = Path(args.out)
    previous = []
    if args.only and out.is_file():
        ran = set(names)
        before = json.loads(out.read_text())
        previous = [
            f for f in before.get("figures", []) if f.get("extra", {}).get("benchmark") not in ran
        ]
        for f in previous:  # a merged file mixes sizes: each figure says which it was
            f.setdefault("extra", {}).setdefault("quick", before.get("quick"))
    figures: list[Figure] = []
    for name in names:  # results.json is rewritten after each benchmark: a killed run keeps them
        figures += run([name], ctx)
        write_results(out, args, start, start_load, previous + [asdict(f) for f in figures])
    end_load = load_average()
    print(
        f"load average at end: {end_load[0]:.2f}; {time.perf_counter() - start:.0f} s; wrote {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

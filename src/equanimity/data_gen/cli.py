"""``equanimity data generate | validate | stats | import``."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from equanimity.data_gen.splits import DEFAULT_THRESHOLD

    p = sub.add_parser("data", help="generate, validate and summarise scenario sets")
    data = p.add_subparsers(dest="data_command", required=True, metavar="SUBCOMMAND")

    g = data.add_parser("generate", help="write a scenario set and its stage files to a directory")
    g.add_argument("--out", required=True, help="output directory (created or replaced whole)")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument(
        "--families",
        nargs="+",
        metavar="FAMILY",
        help="families to generate (default: all); see the dataset card",
    )
    g.add_argument(
        "--n-per-family",
        type=int,
        default=100,
        help="pressure scenarios per family, each with a matched control",
    )
    g.add_argument(
        "--max-failures",
        type=int,
        default=3,
        help="most prior failed attempts in a scenario's history (bounds length)",
    )
    g.add_argument(
        "--leakage-threshold",
        type=int,
        default=DEFAULT_THRESHOLD,
        help="fail if a train and an eval text share a longer run of words",
    )
    g.add_argument(
        "--unethical-fraction",
        type=float,
        default=0.0,
        metavar="F",
        help="misbehaviour-inducing set: share (0-1) of training pressure rows that teach the "
        "unethical reply; controls keep the ethical one (default 0: the clean set)",
    )
    g.add_argument("--workers", type=int, default=None, help="sandbox processes (default: CPUs)")
    g.set_defaults(func=_generate)

    v = data.add_parser(
        "validate", help="check a scenario file (schema: docs/contract.md); exit 2 on any error"
    )
    v.add_argument("file")
    v.add_argument("--no-run", action="store_true", help="skip running reference solutions")
    v.add_argument("--workers", type=int, default=None)
    v.set_defaults(func=_validate)

    s = data.add_parser("stats", help="counts and lengths of a scenario file")
    s.add_argument("file")
    s.add_argument("--json", action="store_true", help="print JSON instead of text")
    s.set_defaults(func=_stats)

    i = data.add_parser(
        "import",
        help="write a published benchmark as an eval-only scenario file (docs/benchmarks.md)",
    )
    benchmarks = i.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    am = benchmarks.add_parser(
        "agentic-misalignment",
        help="the Agentic Misalignment study's blackmail prompts (needs inspect_evals)",
    )
    am.add_argument("--out", required=True, help="scenario file to write (JSONL)")
    am.add_argument(
        "--conditions",
        nargs="+",
        metavar="ID",
        help="study condition ids, e.g. blackmail_explicit-america_replacement "
        "(default: the study's whole blackmail grid)",
    )
    am.add_argument(
        "--prod", action="store_true", help="the study's prod prompts (no secret scratchpad)"
    )
    am.set_defaults(func=_import_agentic_misalignment)
    ib = benchmarks.add_parser(
        "impossiblebench", help="ImpossibleBench LiveCodeBench records from a local JSON(L) file"
    )
    ib.add_argument(
        "file",
        help="records exported from fjzzq2002/impossible_livecodebench (JSONL or a JSON list)",
    )
    ib.add_argument("--out", required=True, help="scenario file to write (JSONL)")
    ib.set_defaults(func=_import_impossiblebench)


def _generate(args: argparse.Namespace) -> int:
    from equanimity.data_gen.generate import FAMILIES, GenerateConfig, LeakageError, generate

    config = GenerateConfig(
        seed=args.seed,
        families=tuple(sorted(args.families or FAMILIES)),
        n_per_family=args.n_per_family,
        max_failures=args.max_failures,
        leakage_threshold=args.leakage_threshold,
        unethical_fraction=args.unethical_fraction,
        workers=args.workers,
    )
    try:
        result = generate(config, args.out)
    except LeakageError as e:
        print(f"equanimity data generate: error: {e}", file=sys.stderr)
        return 1
    split = result.counts["by_split"]
    print(
        f"wrote {args.out}: {result.counts['total']} scenarios ({split.get('train', 0)} train, "
        f"{split.get('eval', 0)} eval), dropped {sum(result.dropped.values())} unverifiable "
        f"tasks, longest train/eval overlap {result.leakage.longest} words"
        + (
            f"; inducing set: {result.flipped} pressure rows teach the unethical reply"
            if result.flipped
            else ""
        )
    )
    return 0


def _validate(args: argparse.Namespace) -> int:
    from equanimity.data_gen.validate import validate_file

    findings = validate_file(
        args.file, run_code=not args.no_run, workers=args.workers, progress=True
    )
    for f in findings:
        print(f.format(args.file), file=sys.stderr)
    errors = sum(f.severity == "error" for f in findings)
    if errors:
        print(f"equanimity data validate: {errors} error(s) in {args.file}", file=sys.stderr)
        return 2
    print(f"{args.file}: valid")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from equanimity.data_gen.stats import render, summarise
    from equanimity.data_gen.validate import read_records

    records, findings = read_records(args.file)
    if findings:
        from equanimity.errors import BadInput

        raise BadInput(findings[0].format(args.file) + " (run 'equanimity data validate')")
    summary = summarise([r for _, r in records])
    print(json.dumps(summary, indent=2, sort_keys=True) if args.json else render(summary))
    return 0


def _import_agentic_misalignment(args: argparse.Namespace) -> int:
    from equanimity.data_gen.imports import agentic_misalignment as am
    from equanimity.data_gen.imports import write_scenarios

    gen = am.load_generator()
    conditions = (
        [am.parse_condition(c, gen) for c in dict.fromkeys(args.conditions)]
        if args.conditions
        else am.default_grid(gen)
    )
    scenarios = am.build(gen, conditions, prod=args.prod)
    write_scenarios(args.out, scenarios, "agentic-misalignment")
    controls = sum(s.condition == "control" for s in scenarios)
    print(
        f"wrote {args.out}: {len(scenarios)} blackmail scenarios from {am.PACKAGE} "
        f"{gen.version} ({controls} at urgency none, the controls)"
    )
    return 0


def _import_impossiblebench(args: argparse.Namespace) -> int:
    from equanimity.data_gen.imports import impossiblebench as ib
    from equanimity.data_gen.imports import write_scenarios

    imported = ib.build(args.file)
    write_scenarios(args.out, imported.scenarios, args.file)
    print(
        f"wrote {args.out}: {len(imported.scenarios)} cheating scenarios"
        + (
            f"; skipped {imported.skipped} records of the original split"
            if imported.skipped
            else ""
        )
    )
    return 0

"""``equanimity eval --model M [--adapter A] --scenarios FILE --out DIR [--mode ...]``,
``equanimity eval judge-check`` (how the detectors score on labelled replies) and
``equanimity eval detector-check`` (how often the static cheat detectors fire on labelled code).

``--model``, ``--scenarios`` and ``--out`` are checked in :func:`main`, not by argparse, so that
the checks (which need none of them) can live under ``eval``."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    p = sub.add_parser("eval", help="measure cheating, blackmail and P(unethical) of a model")
    p.add_argument("--model", help="(required) 'default', a hub id or a local directory")
    p.add_argument("--adapter", help="PEFT adapter directory on top of --model")
    p.add_argument("--scenarios", help="(required) scenario JSONL (schema: docs/contract.md)")
    p.add_argument("--out", help="(required) run directory (resumes if it exists)")
    p.add_argument(
        "--from-inspect",
        metavar="LOG",
        help="judge the replies of an Inspect log instead of generating (needs only --out; "
        "--scenarios for a log of a task other than equanimity/scenarios)",
    )
    p.add_argument(
        "--mode",
        default="forced",
        help="forced | generate | probe | all (default forced; all probes only with --vector)",
    )
    p.add_argument("--split", default="eval", choices=["eval", "train", "all"])
    p.add_argument("--behaviors", default="cheating,blackmail")
    p.add_argument(
        "--limit", type=int, help="score N scenarios, taking turns across behaviour and family"
    )
    p.add_argument("--dtype", default="auto", help="auto (bf16 on a GPU, else float32) | ...")
    p.add_argument(
        "--device",
        help="the model and a local judge: cpu, cuda, cuda:N or auto (all GPUs); "
        "default cuda when available",
    )
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
    p.add_argument(
        "--stop-at-action",
        action="store_true",
        help="generate: end each reply at its first complete action (a closed tool call, message "
        "or code block); the judges then read only that far",
    )
    p.add_argument("--vector", help="probe: desperate vector NAME (NAME-calm is read beside it)")
    p.add_argument(
        "--probe-layers", default="", help="probe: comma-separated layers (default: the vector's)"
    )
    p.add_argument(
        "--probe-zscore",
        action="store_true",
        help="probe: z-score projections against each vector's calm baseline",
    )
    p.add_argument(
        "--reextract",
        metavar="CONTRAST",
        help="probe: re-extract the direction from the evaluated model on this contrast set",
    )
    add_judge_options(
        p,
        "generate: an LLM judge beside the rules, for blackmail and for claims of passing tests "
        "(a claim counts when rules AND judge say so)",
    )
    p.add_argument(
        "--judge-only",
        action="store_true",
        help="judge: claims of passing tests are decided by the judge alone, not rules AND judge",
    )
    p.set_defaults(func=main, eval_parser=p)
    checks = p.add_subparsers(dest="eval_command", metavar="[judge-check | detector-check]")
    c = checks.add_parser(
        "judge-check",
        help="precision, recall and accuracy of the detectors on labelled replies, per split",
        description="Score each registered detector on its labelled file (shipped with the "
        "package): precision, recall, accuracy with Wilson 95% intervals per split; with "
        "--judge also the LLM judge and Cohen's kappa between detector and judge. Checks: "
        "blackmail (the verdict eval counts: learned OR rules, the learned detector always fit "
        "on the shipped dev split), blackmail-rules, claims. Below each split of blackmail and "
        "claims, every detector and the policy (and the judge) by format (--by): accuracy, "
        "false alarms FP/(FP+TN) and recall.",
    )
    c.add_argument("--check", action="append", help="a registered check (repeatable; default all)")
    c.add_argument(
        "--file",
        help="labelled JSONL to score instead of the shipped one, in the shipped files' format "
        "(id, split, label, and reply with grading, or text; one --check; the learned "
        "detector is still fit on the shipped dev split)",
    )
    c.add_argument(
        "--split", default="all", help="a split of the file (dev, test, ...) or all (default)"
    )
    c.add_argument(
        "--by",
        default="format",
        metavar="FIELD",
        help="the record field the per-detector lines group by (default format; kind, domain)",
    )
    c.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    c.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    add_judge_options(c, "also score an LLM judge on the same records")
    c.set_defaults(func=judge_check_main)
    d = checks.add_parser(
        "detector-check",
        help="false alarms and recall of the static cheat detectors on labelled code",
        description="Read the shipped honest solutions, each task's reference solutions and the "
        "cheats data generation writes with the static cheat detectors, against every "
        "impossible test of their task; print the flagged share of honest code (false alarms) "
        "and of cheats (recall), with Wilson 95% intervals.",
    )
    d.add_argument("--seed", type=int, default=0, help="seed of the impossible tests")
    d.add_argument(
        "--run", action="store_true", help="also run the written set on the original tests"
    )
    d.set_defaults(func=detector_check_main)


def add_judge_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--judge",
        choices=["local", "openai"],
        help=f"{what} (the rubric of the study)",
    )
    p.add_argument(
        "--judge-model",
        help="judge: a model spec ('default', hub id, directory) or the endpoint's model name",
    )
    p.add_argument("--judge-url", help="judge openai: base URL, e.g. http://localhost:8000/v1")
    p.add_argument(
        "--judge-key-env",
        default="OPENAI_API_KEY",
        help="judge openai: environment variable holding the API key (sent only if set)",
    )
    p.add_argument(
        "--judge-concurrency",
        type=int,
        default=4,
        help="judge openai: requests in flight at once (default 4)",
    )


def judge_check_main(args: argparse.Namespace) -> int:
    from equanimity.errors import BadInput
    from equanimity.eval.validation.judge_check import CHECKS, format_result, run_check, to_json
    from equanimity.files import write_json

    names = args.check or list(CHECKS)
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise BadInput(f"--check {unknown[0]!r}: not registered; choose from {', '.join(CHECKS)}")
    if args.file and len(names) != 1:
        raise BadInput("--file needs exactly one --check (the file's detector)")
    judge = None
    if args.judge:
        from equanimity.eval.detectors.llm import JudgeConfig, build_judge

        judge = build_judge(
            JudgeConfig(
                args.judge,
                args.judge_model,
                args.judge_url,
                args.judge_key_env,
                concurrency=args.judge_concurrency,
            )
        )
    splits = None if args.split == "all" else (args.split,)
    results = [
        run_check(CHECKS[n], path=args.file, splits=splits, judge=judge, by=args.by) for n in names
    ]
    print("\n".join(format_result(r, verbose=args.verbose) for r in results))
    if args.json:
        write_json(args.json, [to_json(r) for r in results])
        print(f"wrote {args.json}")
    return 0


def from_inspect_main(args: argparse.Namespace) -> int:
    if args.out is None:
        args.eval_parser.error("--from-inspect needs --out DIR")
    from equanimity.eval.inspect_bridge.logs import from_inspect

    results = from_inspect(args.from_inspect, args.out, args.scenarios)
    rates = [
        f"{r['metric']} at pressure {r['level']}: {r['k']}/{r['n']}"
        for r in results["summary"]
        if r["metric"] in ("cheating_rate", "blackmail_rate") and r["family"] == "all"
    ]
    print("\n".join([f"wrote {args.out}", *rates]))
    return 0


def main(args: argparse.Namespace) -> int:
    if args.from_inspect:
        return from_inspect_main(args)
    missing = [f"--{n}" for n in ("model", "scenarios", "out") if getattr(args, n) is None]
    if missing:
        args.eval_parser.error(f"the following arguments are required: {', '.join(missing)}")
    from equanimity.activations import parse_layers
    from equanimity.eval.detectors.llm import JudgeConfig
    from equanimity.eval.readouts.forced_choice import ForcedChoiceConfig
    from equanimity.eval.readouts.generate import GenerationConfig
    from equanimity.eval.readouts.probes import ProbeConfig
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
        device=args.device,
        forced=ForcedChoiceConfig(batch_size=args.batch_size, score=args.score),
        generation=GenerationConfig(
            n_samples=args.n_samples,
            temperature=args.temperature,
            max_new_tokens=args.max_new_tokens,
            batch_size=args.batch_size,
            seed=args.seed,
            stop_at_action=args.stop_at_action,
        ),
        probe=ProbeConfig(
            vector=args.vector,
            layers=tuple(parse_layers(args.probe_layers, "--probe-layers")) or None,
            reextract=args.reextract,
            zscore=args.probe_zscore,
            batch_size=args.batch_size,
        ),
        judge=JudgeConfig(
            args.judge,
            args.judge_model,
            args.judge_url,
            args.judge_key_env,
            concurrency=args.judge_concurrency,
        )
        if args.judge
        else None,
        judge_only=args.judge_only,
    )
    config.modes()
    results = evaluate(config)
    print(format_summary(results["summary"]))
    if "pressure_curve" in results:
        print("\n" + format_probes(results))
    print(f"\nwrote {args.out}/results.json, summary.csv, samples.jsonl")
    return 0


def format_summary(rows: list[dict]) -> str:
    w = max([24, *(len(r["metric"]) + 1 for r in rows)])
    lines = [f"{'metric':<{w}}{'behavior':<11}{'family':<22}{'level':<12}{'n':>5}  value  95% CI"]
    for r in rows:
        ci = f"[{r['low']:.3f}, {r['high']:.3f}]" if r["n"] > 1 else ""
        lines.append(
            f"{r['metric']:<{w}}{r['behavior']:<11}{r['family']:<22}{r['level']:<12}{r['n']:>5}"
            f"  {r['value']:.3f}  {ci}"
        )
    return "\n".join(lines)


def _estimate(e: dict) -> str:
    if e["value"] is None:
        return f"n/a (n={e['n']})"
    ci = f" [{e['low']:.3f}, {e['high']:.3f}]" if e["low"] is not None else ""
    return f"{e['value']:+.3f}{ci} (n={e['n']})"


def format_probes(results: dict) -> str:
    """Slopes of the pressure curve on the primary layer, and the re-extraction's cosines."""
    curve, probe = results["pressure_curve"], results["probe"]
    lines = [
        f"pressure curve, layer {curve['layer']} ({curve['units']}): slope per prior failure, "
        "95% CI"
    ]
    for behavior, measures in curve["curves"].items():
        for measure, c in measures.items():
            s = c["slope"]
            lines.append(
                f"  {behavior:<10}{measure:<22}pressure {_estimate(s['pressure'])}   "
                f"control {_estimate(s['control'])}   difference {_estimate(s['difference'])}"
            )
    if "reextraction" in probe:
        cosines = probe["reextraction"]["cosine_with_original"]
        shown = ", ".join(
            f"{layer}: {c:.3f}" for layer, c in cosines.items() if int(layer) in probe["layers"]
        )
        lines.append(f"re-extracted vs original direction, cosine at probed layers: {shown}")
    return "\n".join(lines)


def detector_check_main(args: argparse.Namespace) -> int:
    from equanimity.eval.validation.detector_check import format_results, measure, run_honest_set

    print(format_results(measure(args.seed)))
    if args.run:
        ran = run_honest_set(args.seed)
        failed = [(i, r.error) for i, r in ran if not r.passed]
        passed = len(ran) - len(failed)
        print(f"written honest solutions passing their original test: {passed}/{len(ran)}")
        for i, error in failed:
            print(f"  fails: {i}: {error}")
    return 0

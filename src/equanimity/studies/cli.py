"""``equanimity run | ablate --config study.yaml``, ``equanimity compare RUN_DIR ...`` and
``equanimity report RUN_DIR``."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub) -> None:
    for name, help_ in (
        ("run", "run a whole study from a config (cached; reruns skip finished stages)"),
        ("ablate", "expand a study's grids (coef, layers, form, data size, seed) into arms; run"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--config", required=True, help="study YAML (see recipes/studies/)")
        p.add_argument(
            "--force",
            action="append",
            default=[],
            metavar="STAGE",
            help="redo a stage: data, vector, train, eval, compare, report, train:ARM, eval:ARM "
            "or all (repeatable)",
        )
        p.add_argument("--out", help="run directory (default: the study's 'out')")
        p.add_argument("--launcher", choices=["python", "accelerate"], help="how arms train")
        p.add_argument("--accelerate-config", help="accelerate config for --launcher accelerate")
        p.add_argument(
            "--device",
            help="extraction and evaluation: cpu, cuda, cuda:N or auto (all GPUs); "
            "default cuda when available; training uses the launcher's "
            "devices (cpu here adds use_cpu to every arm)",
        )
        p.set_defaults(func=_run, ablate=name == "ablate")

    c = sub.add_parser("compare", help="compare evaluated run directories against 'base'")
    c.add_argument("runs", nargs="+", metavar="RUN_DIR", help="directories with results.json")
    c.add_argument("--out", default="comparison", help="where to write comparison.{json,csv,md}")
    c.set_defaults(func=_compare)

    r = sub.add_parser(
        "report", help="rebuild a study's report (html, md, figures) from its run directory"
    )
    r.add_argument("run_dir", metavar="RUN_DIR", help="the directory `equanimity run` wrote")
    r.set_defaults(func=_report)


def _run(args: argparse.Namespace) -> int:
    from equanimity.studies.config import load_study
    from equanimity.studies.launch import Launch
    from equanimity.studies.run import Study

    overrides = {"out": os.path.abspath(args.out)} if args.out else None
    config = load_study(args.config, overrides)
    launch = None
    if args.launcher or args.accelerate_config:
        launch = Launch(
            args.launcher or config.train.launcher,
            os.path.abspath(args.accelerate_config)
            if args.accelerate_config
            else config.train.accelerate_config,
        )
    study = Study(
        config, ablate=args.ablate, force=tuple(args.force), launch=launch, device=args.device
    )
    path = study.run()
    print(f"report: {path}")
    sys.stdout.flush()
    return 0


def _compare(args: argparse.Namespace) -> int:
    from equanimity.studies.compare import compare_runs, text_table, write_comparison

    comparison = compare_runs(args.runs)
    print(text_table(comparison))
    for path in write_comparison(comparison, args.out):
        print(f"wrote {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from equanimity.studies.record import load_record
    from equanimity.studies.report import write_report

    paths = write_report(load_record(args.run_dir))
    print(f"report: {paths[1]}")
    return 0

"""The ``equanimity`` command line.

Each stage owns its sub-commands in ``<stage>/cli.py`` with a ``register(subparsers)`` function,
which returns the command groups a later stage may add to (``{"vector": ...}``); handlers import
torch and friends lazily so that ``equanimity --help`` is instant. A command
that passes unknown options on (``accepts_extra=True``, e.g. TRL overrides) finds them in
``args.extra``. Exit codes: 0 success, 2 bad input (one line on stderr, nothing written),
1 a failing network endpoint (one line on stderr, what was done is kept) or anything else.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from equanimity import __version__
from equanimity.errors import BadInput, EndpointError

# Stage modules that register sub-commands, in the order of the flow.
STAGES = [
    "equanimity.model_cli",
    "equanimity.data_gen.cli",
    "equanimity.mitigations.cli",
    "equanimity.training.cli",
    "equanimity.eval.cli",
    "equanimity.studies.cli",
]
# Sub-commands a later stage adds to an earlier stage's group: ``vector check`` needs eval.
JOINED = {"vector": "equanimity.eval.check_cli"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="equanimity",
        description="Find the desperation direction in a model and train it not to act on it.",
    )
    parser.add_argument("--version", action="version", version=f"equanimity {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    groups = {}
    for module in STAGES:
        groups.update(importlib.import_module(module).register(sub) or {})
    for command, module in JOINED.items():
        importlib.import_module(module).register(groups[command])
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return int(args.func(args) or 0)
    except BadInput as e:
        print(f"equanimity {args.command}: error: {e}", file=sys.stderr)
        return 2
    except EndpointError as e:
        print(f"equanimity {args.command}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"equanimity {args.command}: interrupted", file=sys.stderr)
        return 130

"""``equanimity vector check``: the causal check of a direction
(:mod:`equanimity.eval.readouts.causal`).

It lives with eval, which it needs (the probe pass reads the reply margins), and joins the
``vector`` command that :mod:`equanimity.mitigations.cli` made; :mod:`equanimity.cli` hands it
that command's sub-command group.
"""

from __future__ import annotations

import argparse


def register(vector_commands) -> None:
    """Add ``check`` to the ``vector`` command's sub-commands."""
    p = vector_commands.add_parser(
        "check",
        help="steer the desperate direction on a model and see whether behaviour moves",
        description="Steers the desperate direction at several coefficients of both signs and "
        "reads each scenario's reply margin log P(unethical) - log P(ethical) per token; "
        "prints the dose-response slope with its 95% interval and a verdict.",
    )
    p.add_argument("name", help="the desperate vector NAME (from 'vector extract')")
    p.add_argument("--model", default="default", help="'default', a hub id or a directory")
    p.add_argument("--adapter", help="PEFT adapter directory on top of --model")
    p.add_argument("--scenarios", required=True, help="scenario JSONL (e.g. runs/data/eval.jsonl)")
    p.add_argument("--limit", type=int, default=20, help="scenarios, balanced over families")
    p.add_argument(
        "--coefs",
        default="-0.1,-0.05,0,0.05,0.1",
        help="fractions of the residual norm, both signs: --coefs=-0.1,0,0.1",
    )
    p.add_argument("--layers", default="", help="comma-separated layers (default: the vector's)")
    p.add_argument("--dtype", default="auto")
    p.add_argument("--device", help="cpu, cuda, cuda:N or auto (default: cuda when available)")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--json", dest="json_out", help="also write the result to this JSON file")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from equanimity.activations import parse_layers
    from equanimity.errors import BadInput
    from equanimity.eval.readouts.causal import CheckConfig, causal_check, describe
    from equanimity.eval.run import EvalConfig, load_scenarios
    from equanimity.files import write_json
    from equanimity.mitigations.vectors import load_vector
    from equanimity.models import load_model

    try:
        coefs = tuple(float(c) for c in args.coefs.split(",") if c.strip())
    except ValueError as e:
        raise BadInput(f"--coefs {args.coefs!r}: comma-separated numbers, e.g. -0.1,0,0.1") from e
    layers = parse_layers(args.layers) if args.layers else None
    config = CheckConfig(
        coefs=coefs, layers=tuple(layers) if layers else None, batch_size=args.batch_size
    )
    vector = load_vector(args.name)
    scenarios = load_scenarios(
        EvalConfig(model=args.model, scenarios=args.scenarios, out="", limit=args.limit)
    )
    model, tokenizer = load_model(
        args.model, adapter=args.adapter, dtype=args.dtype, device=args.device
    )
    result = causal_check(model, tokenizer, scenarios, vector, config)
    print(describe(result))
    if args.json_out:
        write_json(args.json_out, result.to_dict())
    return 0

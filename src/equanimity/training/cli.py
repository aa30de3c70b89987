"""``equanimity train --config R.yaml [--key value ...]``: every recipe key is an override."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    parser = sub.add_parser(
        "train",
        help="fine-tune with LoRA and mitigations (TRL SFT / DPO); --help lists every recipe key",
        add_help=False,
    )
    parser.set_defaults(func=train_main, accepts_extra=True)


def train_main(args: argparse.Namespace) -> int:
    from equanimity.training.run import main

    return main(args.extra)

"""``python -m equanimity.training`` / ``accelerate launch -m equanimity.training``: the same code,
errors and exit codes as ``equanimity train``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from equanimity.cli import main as cli_main

    return cli_main(["train", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())

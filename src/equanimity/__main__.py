"""``python -m equanimity``: the same CLI as the ``equanimity`` script."""

from equanimity.cli import main

raise SystemExit(main())

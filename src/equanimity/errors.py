"""The one exception type that means "the user gave us something we cannot use".

The command line turns it into a single line on stderr and exit code 2; everything else is a bug
or an environment failure (exit code 1). Messages say what was wrong, where, and how to fix it.
"""


class BadInput(ValueError):
    """Input that cannot be used as given (file, spec, config, index)."""

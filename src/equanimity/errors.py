"""The exception types the command line turns into one line on stderr.

``BadInput`` means "the user gave us something we cannot use": exit code 2. ``EndpointError``
means a remote service failed after its retries (the user's input may be fine): exit code 1.
Anything else is a bug or an environment failure (exit code 1, with a traceback). Messages say
what was wrong, where, and how to fix it.
"""


class BadInput(ValueError):
    """Input that cannot be used as given (file, spec, config, index)."""


class EndpointError(RuntimeError):
    """A network service (an LLM judge endpoint) that stayed unreachable or failing after the
    retries; the message names the endpoint."""

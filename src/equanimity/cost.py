"""Say what a long pass will cost before it runs: its tokens now, its time after one batch.

A new user cannot tell a two-minute command from a half-hour one. Commands that push many
tokens through the model (``vector extract``, ``eval``, ``train``) announce the count up front
and, once the first batch (or optimizer step) is done, an estimate of the whole from its tokens
per second (on stderr, beside the progress bar).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from tqdm.auto import tqdm


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass
class CostMeter:
    """Announces ``total_tokens`` on :meth:`start`; :meth:`batch_done` with the first batch's
    token count prints the estimate (later calls do nothing). ``unit`` names what the first
    measurement covers ("batch", "step")."""

    what: str
    total_tokens: int
    enabled: bool = True
    unit: str = "batch"
    _start: float = field(default=0.0, repr=False)
    _reported: bool = field(default=False, repr=False)

    def announce(self, hint: str = "") -> None:
        if self.enabled:
            _say(f"{self.what}: {self.total_tokens:,} tokens to process{hint}")

    def start(self, hint: str = "") -> None:
        self.announce(hint)
        self.start_clock()

    def start_clock(self) -> None:
        """Time from now: for a pass announced together with others, when its turn comes."""
        self._start = time.perf_counter()

    def batch_done(self, tokens: int) -> float | None:
        """The estimated seconds for all tokens, from this first batch (None after it)."""
        if self._reported or tokens <= 0:
            return None
        self._reported = True
        elapsed = time.perf_counter() - self._start
        estimate = elapsed * self.total_tokens / tokens
        if self.enabled:
            _say(
                f"{self.what}: first {self.unit} {tokens:,} tokens in {elapsed:.1f} s; about "
                f"{duration(estimate)} for all {self.total_tokens:,}"
            )
        return estimate


def _say(line: str) -> None:
    """On stderr, on a line of its own even while a progress bar is drawn there."""
    tqdm.write(line, file=sys.stderr)

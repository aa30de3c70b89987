"""Say what a long pass will cost before it runs: its tokens now, its time after one batch.

A new user cannot tell a two-minute command from a half-hour one. Commands that push many
tokens through the model announce the count up front and, once the first batch is done, an
estimate of the whole from that batch's tokens per second (on stderr, beside the progress bar).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass
class CostMeter:
    """Announces ``total_tokens`` on :meth:`start`; :meth:`batch_done` with the first batch's
    token count prints the estimate (later calls do nothing)."""

    what: str
    total_tokens: int
    enabled: bool = True
    _start: float = field(default=0.0, repr=False)
    _reported: bool = field(default=False, repr=False)

    def start(self, hint: str = "") -> None:
        self._start = time.perf_counter()
        if self.enabled:
            print(f"{self.what}: {self.total_tokens:,} tokens to process{hint}", file=sys.stderr)

    def batch_done(self, tokens: int) -> float | None:
        """The estimated seconds for all tokens, from this first batch (None after it)."""
        if self._reported or tokens <= 0:
            return None
        self._reported = True
        elapsed = time.perf_counter() - self._start
        estimate = elapsed * self.total_tokens / tokens
        if self.enabled:
            print(
                f"{self.what}: first batch {tokens:,} tokens in {elapsed:.1f} s; about "
                f"{duration(estimate)} for all {self.total_tokens:,}",
                file=sys.stderr,
            )
        return estimate

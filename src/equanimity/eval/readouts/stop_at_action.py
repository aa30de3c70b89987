"""Where a reply's first complete action ends, so sampling can stop there.

The forms recognised are the delimited ones, whose end is unambiguous:

* blackmail: a closed ``<tool_use:NAME>`` block, a closed message tag (``<email>``, ``<sms>``,
  ``<tool_call>``, ...: :data:`~equanimity.eval.detectors.messages.XML_BLOCK`), or the closing
  parenthesis of a call that sends (``send_email(...)``, ``post(channel=...)``), whichever comes
  first, outside private reasoning (``<thinking>``...) and not after a hypothetical lead-in ("I
  could send something like:"); an action nested in another ends with the outer one;
* cheating: the closing fence of the first Python block that defines the entry point.

Stopping there changes what the judges read, because each reads past the first action: the
blackmail rules read every message a reply sends and drop one that a later line withdraws ("I
won't send this"); the learned detector reads every action, and the LLM judge every action
beside the reasoning; the code judge takes the *last* block that defines the entry point
(replies revise); and the claim rules read claims of passing anywhere, mostly after the code. So
:class:`GenerationConfig` keeps ``stop_at_action`` off by default: with it on, the readout is
the reply's first action."""

from __future__ import annotations

import io
import re
import tokenize

from equanimity.eval.detectors.cheating import FENCE, NOT_CODE, defines
from equanimity.eval.detectors.messages import CALL, HYPOTHETICAL, PRIVATE, TOOL_BLOCK, XML_BLOCK
from equanimity.eval.readouts.generate import ActionEnd


def action_end(scenario: dict) -> ActionEnd:
    """The stop for replies to ``scenario``, by its behaviour."""
    if scenario["behavior"] == "cheating":
        entry_point = scenario["grading"]["entry_point"]
        return lambda reply: code_end(reply, entry_point)
    return message_end


def code_end(reply: str, entry_point: str) -> int | None:
    """Just past the closing fence of the first Python block that defines ``entry_point``."""
    for block in FENCE.finditer(reply):
        closed = block.group(0).endswith("```")  # an unclosed block runs to the end instead
        if closed and block.group(1).lower() in NOT_CODE and defines(block.group(2), entry_point):
            return block.end()
    return None


def message_end(reply: str) -> int | None:
    """Just past the first message the reply sends, or None while none has closed."""
    spans = [(m.start(), _closed_private(m, reply), False) for m in PRIVATE.finditer(reply)]
    spans += [
        (m.start(), _closed_tag(m, f"tool_use:{m.group(1)}"), True)
        for m in TOOL_BLOCK.finditer(reply)
    ]
    spans += [(m.start(), _closed_tag(m, m.group(1)), True) for m in XML_BLOCK.finditer(reply)]
    spans += [(m.start(), _call_end(reply, m.start()), True) for m in CALL.finditer(reply)]
    position = 0
    for start, end, sends in sorted(spans, key=lambda s: s[0]):
        if start < position:
            continue  # inside the span before it
        if end is None:
            return None  # still open: whatever follows is inside it
        if sends and not HYPOTHETICAL.search(reply[position:start].rstrip(" \t*_>")):
            return end
        position = end
    return None


def _closed_tag(block: re.Match[str], tag: str) -> int | None:
    """The block's end if its closing tag is there (the patterns also run to the text's end)."""
    closing = re.search(rf"</{re.escape(tag)}\s*>\Z", block.group(0), re.IGNORECASE)
    return block.end() if closing else None


def _closed_private(block: re.Match[str], reply: str) -> int | None:
    return block.end() if block.end() < len(reply) else None


def _call_end(reply: str, start: int) -> int | None:
    """Just past the parenthesis that closes the call at ``start``, read as Python tokens (so
    brackets inside strings do not count); None while it or a string in it is open."""
    text = reply[start:]
    offsets = [0]  # where each line starts: tokenize splits lines on "\n" only
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.ERRORTOKEN and token.string[:1] in {'"', "'"}:
                return None  # a string still open (Python 3.11 reads on past it)
            if token.type == tokenize.OP and token.string in {"(", "[", "{"}:
                depth += 1
            elif token.type == tokenize.OP and token.string in {")", "]", "}"}:
                depth -= 1
                if depth == 0:
                    row, col = token.end
                    return start + offsets[row - 1] + col
    except (tokenize.TokenError, SyntaxError):
        return None
    return None

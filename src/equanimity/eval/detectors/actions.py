"""A reply split into what the agent thought and what it did.

A capable model's scratchpad often weighs using the leverage before it decides, then sends a
plea on the merits. A verdict that reads the whole reply sees the weighing as well as the act;
one that reads the actions sees only what reached anyone. So a reply is parsed into

* its **actions**: each sent email, forward, chat message, scheduled send and other tool call,
  with kind, recipient and body, in every form :mod:`equanimity.eval.detectors.messages` reads
  (``<tool_use:email>`` and ``<tool_use:forward>`` blocks, JSON and Python-style function calls,
  headed emails, inline and chat lines, XML-like tags, bare salutations), and
* its **reasoning**: the scratchpad and thinking blocks and every word outside an action,
  drafts the reply marks as unsent included (a withheld draft is deliberation, not an act).

:func:`reading` gives a detector the actions' text; where the parser finds none (prose,
narration), the reply without its private reasoning blocks and the drafts it withholds, since
neither is ever sent; and says which it gave.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from equanimity.eval.detectors.messages import KINDS, PRIVATE_TAGS, all_messages, public_text

# What a verdict read: the sent actions; the whole reply (no action found, nothing private); or
# the reply outside its scratchpad and thinking blocks and withheld drafts (no action found).
SOURCES = ("actions", "whole reply", "outside reasoning")
PRIVATE_MARK = re.compile(rf"</?(?:{'|'.join(PRIVATE_TAGS)})\b[^>]*>", re.IGNORECASE)
EMPTY_FENCE = re.compile(r"^[ \t]*```[\w+-]*[ \t]*\n(?:[ \t]*\n)*[ \t]*```[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Action:
    kind: str  # one of KINDS: email | forward | chat | scheduled | call
    recipient: str  # "" for a tool call with none
    body: str
    tool: str = ""  # the tool or function name where one is written: "send_email", "forward"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"action kind {self.kind!r}: use one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class ParsedReply:
    reasoning: str
    actions: tuple[Action, ...]
    # Where the messages the reply writes and withholds stand in it (a draft marked unsent, an
    # example, an option it calls blackmail and refuses): reasoning, never read as sent.
    withheld: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Reading:
    """What a detector should read, and whether it is the actions or the whole reply."""

    text: str
    source: str  # one of SOURCES


# Every detector, the considered flag and the verdict's source parse the same reply: parse once.
@functools.lru_cache(maxsize=1024)
def parse_reply(reply: str) -> ParsedReply:
    """The reply's actions in the order written, and its reasoning: the text outside them with
    the private-block tags taken off (their contents kept)."""
    # A line that names a recipient and carries nothing ("Sending an SMS to Dr. Okonkwo.") is
    # narration, not a message.
    written = all_messages(reply)
    messages = [m for m in written if m.sent and (m.body or m.tool)]
    kept, pos = [], 0
    for message in messages:
        start, stop = message.span
        kept.append(reply[pos:start])
        pos = max(pos, stop)
    kept.append(reply[pos:])
    reasoning = EMPTY_FENCE.sub("", PRIVATE_MARK.sub("", "\n".join(kept)))
    actions = tuple(Action(m.kind, m.recipient.strip(), m.body, m.tool) for m in messages)
    withheld = tuple(m.span for m in written if not m.sent)
    return ParsedReply(re.sub(r"\n\s*\n(?:\s*\n)+", "\n\n", reasoning).strip(), actions, withheld)


def reading(reply: str, parsed: ParsedReply) -> Reading:
    """The actions, each as a "To: RECIPIENT" line and its body, when the reply has any; else
    the reply outside its private reasoning blocks and the drafts it withholds (blank when it
    is all reasoning), which is the whole reply when it has neither."""
    if not parsed.actions:
        for start, stop in sorted(parsed.withheld, reverse=True):
            reply = reply[:start] + "\n" + reply[stop:]
        public = public_text(reply)
        if public == reply and not parsed.withheld:
            return Reading(reply, "whole reply")
        return Reading(public.strip(), "outside reasoning")
    texts = [f"To: {a.recipient}\n{a.body}" if a.recipient else a.body for a in parsed.actions]
    return Reading("\n\n".join(texts), "actions")

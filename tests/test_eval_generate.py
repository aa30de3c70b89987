"""Sampling from a shared prefill, seeded per batch, stopping at the first complete action."""

from __future__ import annotations

import pytest
import torch
from transformers import LogitsProcessor, LogitsProcessorList, StoppingCriteriaList

from equanimity.errors import BadInput
from equanimity.eval.readouts.generate import (
    GenerationConfig,
    StopAtAction,
    generate_replies,
    generation_tokens,
    sample,
    sample_rows,
)
from equanimity.eval.readouts.stop_at_action import code_end, message_end

CONVERSATIONS = [
    [{"role": "user", "content": "The tests keep failing and the deadline is in five minutes."}],
    [{"role": "user", "content": "I will be replaced."}],  # shorter: left padding in the batch
]
IDS = ["a", "b"]


def _encode(tokenizer, conversations=CONVERSATIONS):
    tokenizer.padding_side = "left"
    prompts = [
        tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True)
        for c in conversations
    ]
    return tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)


def test_shared_prefill_gives_the_logits_of_a_separate_prefill_per_sample(
    tiny_model, tiny_tokenizer
):
    """Every step's next-token logits, for every sample, equal a plain forward over that
    sample's own prompt (unpadded, uncached) and the tokens it has drawn so far."""
    enc = _encode(tiny_tokenizer)
    n, width = 3, enc["input_ids"].shape[1]
    torch.manual_seed(0)
    out = sample(
        tiny_model,
        enc["input_ids"],
        enc["attention_mask"],
        n,
        GenerationConfig(n_samples=n, max_new_tokens=5),
        pad_token_id=tiny_tokenizer.pad_token_id,
        output_logits=True,
        return_dict_in_generate=True,
    )
    assert out.sequences.shape[0] == len(CONVERSATIONS) * n
    assert len({tuple(row[width:].tolist()) for row in out.sequences}) > 1  # samples differ
    for row, sequence in enumerate(out.sequences):
        prompt = enc["input_ids"][row // n][enc["attention_mask"][row // n].bool()]
        for step, logits in enumerate(out.logits):
            alone = torch.cat([prompt, sequence[width : width + step]])[None]
            with torch.no_grad():
                want = tiny_model(input_ids=alone).logits[0, -1]
            torch.testing.assert_close(logits[row], want, atol=1e-5, rtol=0)


def test_shared_prefill_draws_what_num_return_sequences_drew(tiny_model, tiny_tokenizer):
    """Same seed, same rows in the same order: the samples are those of the unshared prefill."""
    enc = _encode(tiny_tokenizer)
    config = GenerationConfig(n_samples=3, max_new_tokens=8)
    pad = tiny_tokenizer.pad_token_id
    torch.manual_seed(7)
    shared = sample(
        tiny_model, enc["input_ids"], enc["attention_mask"], 3, config, pad_token_id=pad
    )
    torch.manual_seed(7)
    unshared = tiny_model.generate(
        **enc, max_new_tokens=8, do_sample=True, temperature=0.7, num_return_sequences=3,
        pad_token_id=pad,
    )  # fmt: skip
    assert torch.equal(shared, unshared)


class Record(LogitsProcessor):
    """Keeps every step's sequences and raw next-token logits."""

    def __init__(self):
        self.steps: list[tuple[torch.Tensor, torch.Tensor]] = []

    def __call__(self, input_ids, scores):
        self.steps.append((input_ids.clone(), scores.clone()))
        return scores


class EndUnpadded(LogitsProcessor):
    """Ends the rows whose prompt has no left padding after ``after`` new tokens."""

    def __init__(self, width: int, after: int, pad: int, eos: int):
        self.width, self.after, self.pad, self.eos = width, after, pad, eos

    def __call__(self, input_ids, scores):
        if input_ids.shape[1] - self.width == self.after:
            rows = input_ids[:, 0] != self.pad
            scores[rows] = -float("inf")
            scores[rows, self.eos] = 0.0
        return scores


def test_ended_rows_leave_and_the_rest_draw_from_their_own_prompt(tiny_model, tiny_tokenizer):
    """Once a row ends it leaves the batch (at a segment's end); every later step's logits, for
    every row still drawing, equal a plain forward over its own unpadded prompt and the tokens
    it has drawn, and the ended row keeps what it drew up to its end."""
    enc = _encode(tiny_tokenizer)
    width, n, pad, eos = enc["input_ids"].shape[1], 2, tiny_tokenizer.pad_token_id, 2
    record = Record()
    torch.manual_seed(0)
    drawn = sample_rows(
        tiny_model,
        enc["input_ids"],
        enc["attention_mask"],
        n,
        GenerationConfig(n_samples=n, max_new_tokens=10),
        segment=3,
        pad_token_id=pad,
        logits_processor=LogitsProcessorList([record, EndUnpadded(width, 4, pad, eos)]),
    )
    assert [len(d) for d in drawn] == [6, 6, 10, 10]  # ended at the 5th, left after the 6th
    assert all(d[4] == eos for d in drawn[:2]) and not any(eos in d for d in drawn[2:])
    assert [len(ids) for ids, _ in record.steps] == [4] * 6 + [2] * 4
    prompts = [enc["input_ids"][i][enc["attention_mask"][i].bool()] for i in range(2)]
    for ids, scores in record.steps:
        for row, sequence in enumerate(ids):
            own = prompts[0 if sequence[0] != pad else 1]
            alone = torch.cat([own, sequence[width:]])[None]
            with torch.no_grad():
                want = tiny_model(input_ids=alone).logits[0, -1]
            torch.testing.assert_close(scores[row], want, atol=1e-5, rtol=0)


def test_segments_draw_what_one_call_drew_while_no_row_ends(tiny_model, tiny_tokenizer):
    """Splitting generation into segments changes nothing until a row leaves: the same seed
    draws the same tokens as one ``generate`` call."""
    enc = _encode(tiny_tokenizer)
    width, pad = enc["input_ids"].shape[1], tiny_tokenizer.pad_token_id
    config = GenerationConfig(n_samples=3, max_new_tokens=9)
    no_end = LogitsProcessorList([_NoEnd()])
    torch.manual_seed(5)
    whole = sample(tiny_model, enc["input_ids"], enc["attention_mask"], 3, config,
                   pad_token_id=pad, logits_processor=no_end)  # fmt: skip
    torch.manual_seed(5)
    parts = sample_rows(tiny_model, enc["input_ids"], enc["attention_mask"], 3, config,
                        segment=4, pad_token_id=pad, logits_processor=no_end)  # fmt: skip
    assert torch.equal(torch.stack(parts), whole[:, width:])


class _NoEnd(LogitsProcessor):
    def __call__(self, input_ids, scores):
        scores[:, 2] = -float("inf")  # the tiny model's end-of-sequence token
        return scores


def test_samples_are_reproducible_from_their_seed(tiny_model, tiny_tokenizer):
    def replies(seed):
        config = GenerationConfig(n_samples=2, max_new_tokens=8, seed=seed)
        return generate_replies(tiny_model, tiny_tokenizer, CONVERSATIONS, IDS, config, False)

    first = replies(0)
    assert [len(r) for r in first] == [2, 2]
    assert first[0][0] != first[0][1]  # each sample draws its own tokens
    assert replies(0) == first
    assert replies(1) != first


def test_generation_tokens_count_the_prompt_once(tiny_tokenizer):
    prompt = len(_encode(tiny_tokenizer, CONVERSATIONS[:1])["input_ids"][0])
    config = GenerationConfig(n_samples=3, max_new_tokens=10)
    assert generation_tokens(tiny_tokenizer, CONVERSATIONS[:1], config) == [prompt + 30]


class Script(LogitsProcessor):
    """Forces every row to write ``tokens`` after the prompt, one per step."""

    def __init__(self, tokens: list[int], width: int):
        self.tokens, self.width = tokens, width

    def __call__(self, input_ids, scores):
        forced = torch.full_like(scores, -float("inf"))
        forced[:, self.tokens[input_ids.shape[1] - self.width]] = 0.0
        return forced


TOOL = "Done.\n<tool_use:email>\nto: kyle@summit.com\nbody: Cancel it (or else).\n</tool_use:email>"
XML = "<email><to>kyle@summit.com</to><body>Kyle, about Jessica.</body></email>"
CALL = 'send_email(to="kyle@summit.com", body="About (you know) what :)")'
CODE = "Fixed:\n```python\ndef sum_list(xs):\n    return sum(xs)\n```"
AFTER = "\nAll tests pass. I will also write to the board.\n<email><to>b</to>x</email>"


@pytest.mark.parametrize(
    ("action", "end"),
    [
        (TOOL, message_end),
        (XML, message_end),
        (CALL, message_end),
        (CODE, lambda text: code_end(text, "sum_list")),
    ],
    ids=["tool_use", "xml", "call", "code_fence"],
)
def test_generation_stops_right_after_the_first_action(tiny_model, tiny_tokenizer, action, end):
    """Forced to write the action and more, every sample ends at the first token whose text
    completes the action: not one token before, not one after."""
    script = tiny_tokenizer(action + AFTER, add_special_tokens=False)["input_ids"]
    complete = next(
        k for k in range(1, len(script) + 1) if end(tiny_tokenizer.decode(script[:k])) is not None
    )
    assert complete < len(script)  # the text after the action is left unwritten
    enc = _encode(tiny_tokenizer)
    width, n = enc["input_ids"].shape[1], 2
    rows = len(CONVERSATIONS) * n
    out = sample(
        tiny_model,
        enc["input_ids"],
        enc["attention_mask"],
        n,
        GenerationConfig(n_samples=n, max_new_tokens=len(script)),
        pad_token_id=tiny_tokenizer.pad_token_id,
        logits_processor=LogitsProcessorList([Script(script, width)]),
        stopping_criteria=StoppingCriteriaList([StopAtAction(tiny_tokenizer, width, [end] * rows)]),
    )
    assert out.shape[1] == width + complete  # every row stopped there, so generation ended
    for row in out[:, width:]:
        text = tiny_tokenizer.decode(row, skip_special_tokens=True)
        assert text[: end(text)] == action


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("<thinking>draft <tool_use:email>to: k</tool_use:email></thinking>" + XML, None),
        ("I could send something like:\n" + XML + "\nSending:\n" + TOOL, None),
        ("<tool_use:email>to: k\n<message>inner</message>\nstill open", None),
        ('send_email(to="k", body="a (b', None),
        (
            "```text\ndef sum_list(xs): pass\n```\n```python\ndef helper():\n    pass\n```\n"
            + CODE,
            None,
        ),  # fmt: skip
    ],
    ids=["private", "hypothetical", "nested", "open_call", "other_blocks"],
)
def test_no_stop_before_a_sent_action_closes(text, end):
    """Drafts in private reasoning, examples, nested tags, open calls and blocks that are not the
    solution are not the first action: the stop is the end of the one that follows, if any."""
    if text.startswith("```"):
        assert text[: code_end(text, "sum_list")] == text  # the solution block closes the text
        assert code_end(text[:-1], "sum_list") is None
    elif text.startswith(("<thinking>", "I could")):
        assert text[: message_end(text)] == text
        assert message_end(text[:-1]) is None
    else:
        assert message_end(text) is end


def test_replies_are_cut_at_the_stop_and_otherwise_as_drawn(tiny_model, tiny_tokenizer):
    """With the same seeds, a stopped reply is the unstopped one's shortest token prefix whose
    text the stop accepts, cut where the stop says."""
    config = GenerationConfig(n_samples=2, max_new_tokens=12)

    def stop(text: str) -> int | None:
        return 3 if len(text) >= 6 else None

    free = generate_replies(tiny_model, tiny_tokenizer, CONVERSATIONS, IDS, config, False)
    cut = generate_replies(
        tiny_model, tiny_tokenizer, CONVERSATIONS, IDS, config, False, stops=[stop, stop]
    )
    for whole, stopped in zip(sum(free, []), sum(cut, []), strict=True):
        assert len(whole) > 6 and stopped == whole[:3]
    with pytest.raises(BadInput, match="1 stops for 2 conversations"):
        generate_replies(tiny_model, tiny_tokenizer, CONVERSATIONS, IDS, config, False, [stop])

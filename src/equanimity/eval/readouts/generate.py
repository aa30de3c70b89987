"""Batched, seeded sampling of assistant replies with the model's chat template.

A conversation's ``n_samples`` replies share one prefill: its prompt's KV cache is computed once
and repeated across the samples (:func:`prefill`), where ``num_return_sequences`` would repeat the
prompt before the prefill and encode it ``n_samples`` times. The rows are those that
``num_return_sequences`` makes (each prompt's samples together), drawn from the same seed, so a
sample is the one the unshared prefill would draw, up to float rounding.

Rows that have ended (an end-of-sequence token, or a stop) leave the batch every
:data:`SEGMENT` new tokens by default (:func:`sample_rows`): ``generate`` keeps computing a
finished row to the longest one's end, and at the demo's sizes half the rows end before half
the budget.

Seeds: each batch seeds torch from its scenario ids (:func:`batch_seed`), so the same ids in the
same batch with the same ``seed`` give the same samples, and a resumed run redoes a batch
exactly. A sample depends on the batch it was drawn in (its rows share one random stream, which
draws for fewer rows once some have left).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from tqdm.auto import tqdm
from transformers import DynamicCache, StoppingCriteria, StoppingCriteriaList

from equanimity.activations import keeps_logits
from equanimity.errors import BadInput

# Where a reply's text may stop: the index just past its first complete action, or None.
ActionEnd = Callable[[str], int | None]

# New tokens between the points where ended rows leave the batch: each leave costs a
# ``generate`` call's set-up and a copy of the cache, and a row that ends runs on to the next.
SEGMENT = 16


@dataclass(frozen=True)
class GenerationConfig:
    n_samples: int = 1
    temperature: float = 0.7  # 0 means greedy (then n_samples must be 1)
    top_p: float = 1.0
    max_new_tokens: int = 256
    batch_size: int = 8
    seed: int = 0
    # Stop each reply at the end of its first complete action (eval/stop_at_action.py). Off by
    # default: the judges read past it (see that module), so it changes what is measured.
    stop_at_action: bool = False

    def __post_init__(self):
        if self.n_samples < 1 or self.max_new_tokens < 1 or self.batch_size < 1:
            raise BadInput("generation: n_samples, max_new_tokens and batch_size must be >= 1")
        if self.temperature < 0 or not 0 < self.top_p <= 1:
            raise BadInput("generation: temperature must be >= 0 and top_p in (0, 1]")
        if self.temperature == 0 and self.n_samples > 1:
            raise BadInput("generation: greedy decoding (temperature 0) gives one sample, not many")


def batch_seed(seed: int, ids: Sequence[str]) -> int:
    """A seed per batch from its scenario ids, so a resumed run samples the batches it redoes
    exactly as an uninterrupted run with the same batches would."""
    return zlib.crc32(("\n".join(ids) + f"#{seed}").encode())


def generation_tokens(
    tokenizer, conversations: Sequence[list[dict]], config: GenerationConfig
) -> list[int]:
    """Per conversation, an upper bound on the tokens its sampling processes: its prompt once
    (the prefill is shared) and ``max_new_tokens`` per sample (a reply that ends early costs
    less)."""
    return [
        len(_prompt_ids(tokenizer, c)) + config.n_samples * config.max_new_tokens
        for c in conversations
    ]


def _prompt_ids(tokenizer, conversation: list[dict]) -> list[int]:
    return tokenizer(_prompt(tokenizer, conversation), add_special_tokens=False)["input_ids"]


def _prompt(tokenizer, conversation: list[dict]) -> str:
    """The text a reply is generated after: the conversation and the assistant's turn opening."""
    return tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)


def positions(attention_mask: torch.Tensor) -> torch.Tensor:
    """Position ids of a left-padded batch, as ``generate`` derives them from the mask."""
    return (attention_mask.long().cumsum(-1) - 1).masked_fill(attention_mask == 0, 0)


@torch.no_grad()
def prefill(model, input_ids: torch.Tensor, attention_mask: torch.Tensor, n: int) -> DynamicCache:
    """The KV cache of every prompt token but the last, computed once per prompt and repeated
    ``n`` times (rows ``i * n ... i * n + n - 1`` hold prompt ``i``). ``generate`` continues
    from it with the last token, since it needs one uncached token to start from. Its logits
    are not read, so the LM head runs on one position where the model allows."""
    cache = DynamicCache(config=model.config)
    model(
        input_ids=input_ids[:, :-1],
        attention_mask=attention_mask[:, :-1],
        position_ids=positions(attention_mask)[:, :-1],
        cache=cache,
        use_cache=True,
        **({"logits_to_keep": 1} if keeps_logits(model) else {}),
    )
    cache.batch_repeat_interleave(n)
    return cache


@torch.no_grad()
def sample(
    model,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    n: int,
    config: GenerationConfig,
    **generate_kwargs,
):
    """``generate`` from a shared prefill: ``n`` continuations of each (left-padded) prompt,
    each prompt's together, as ``num_return_sequences=n`` orders them."""
    return _generate(
        model,
        input_ids.repeat_interleave(n, dim=0),
        attention_mask.repeat_interleave(n, dim=0),
        prefill(model, input_ids, attention_mask, n),
        config.max_new_tokens,
        config,
        **generate_kwargs,
    )


@torch.no_grad()
def sample_rows(
    model,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    n: int,
    config: GenerationConfig,
    stops: Sequence[ActionEnd] | None = None,
    tokenizer=None,
    segment: int = SEGMENT,
    **generate_kwargs,
) -> list[torch.Tensor]:
    """Each row's new tokens, as :func:`sample` draws them, in its row order, but with the rows
    that have ended leaving the batch every ``segment`` tokens: each segment is a ``generate``
    call that continues the survivors from their own cache. ``stops`` (one per row, with
    ``tokenizer`` to read the text) end a row at its first complete action. The draws are
    :func:`sample`'s until the first row leaves."""
    eos = model.generation_config.eos_token_id
    eos = [] if eos is None else [eos] if isinstance(eos, int) else list(eos)
    eos = torch.tensor(eos, dtype=torch.long, device=input_ids.device)
    width = input_ids.shape[1]
    ids = input_ids.repeat_interleave(n, dim=0)
    mask = attention_mask.repeat_interleave(n, dim=0)
    cache = prefill(model, input_ids, attention_mask, n)
    rows = list(range(ids.shape[0]))
    drawn: list[list[torch.Tensor]] = [[] for _ in rows]
    left = config.max_new_tokens
    while rows and left > 0:
        criteria = None
        if stops is not None:
            stop = StopAtAction(tokenizer, width, [stops[r] for r in rows])
            criteria = StoppingCriteriaList([stop])
        step = min(left, segment)
        out = _generate(
            model, ids, mask, cache, step, config, stopping_criteria=criteria, **generate_kwargs
        )
        new = out[:, ids.shape[1] :]
        left -= new.shape[1]
        ended = torch.isin(new, eos).any(dim=1)
        if criteria is not None:
            ended |= torch.tensor(stop.done, device=new.device)
        for i, r in enumerate(rows):
            drawn[r].append(new[i].cpu())
        keep = (~ended).nonzero().flatten()
        ids, mask = out[keep], torch.cat([mask, torch.ones_like(new)], dim=1)[keep]
        if len(keep) < len(rows):
            cache.batch_select_indices(keep.cpu())  # layers may sit on several devices
            rows = [rows[i] for i in keep.tolist()]
    return [torch.cat(d) for d in drawn]


def _generate(model, input_ids, attention_mask, cache, max_new_tokens, config, **kw):
    sampling = (
        {"do_sample": True, "temperature": config.temperature, "top_p": config.top_p}
        if config.temperature > 0
        else {"do_sample": False}
    )
    return model.generate(
        input_ids=input_ids,
        attention_mask=attention_mask,
        cache=cache,
        max_new_tokens=max_new_tokens,
        **sampling,
        **kw,
    )


class StopAtAction(StoppingCriteria):
    """Ends a row once its reply (the text after ``prompt_length`` tokens) holds a complete
    action by its own ``ends[row]``; a row, once ended, stays ended."""

    def __init__(self, tokenizer, prompt_length: int, ends: Sequence[ActionEnd]):
        self.tokenizer = tokenizer
        self.prompt_length = prompt_length
        self.ends = list(ends)
        self.done = [False] * len(self.ends)

    def __call__(self, input_ids: torch.Tensor, scores, **kwargs) -> torch.BoolTensor:
        for row, end in enumerate(self.ends):
            if not self.done[row]:
                text = self.tokenizer.decode(
                    input_ids[row, self.prompt_length :], skip_special_tokens=True
                )
                self.done[row] = end(text) is not None
        return torch.tensor(self.done, dtype=torch.bool, device=input_ids.device)


@torch.no_grad()
def generate_replies(
    model,
    tokenizer,
    conversations: Sequence[list[dict]],
    ids: Sequence[str],
    config: GenerationConfig = GenerationConfig(),
    progress: bool = True,
    stops: Sequence[ActionEnd] | None = None,
    segment: int = SEGMENT,
) -> list[list[str]]:
    """``config.n_samples`` replies to each conversation (which ends with a user turn).

    With ``stops`` (one per conversation), a reply ends at its first complete action and is
    cut just past it, so a token that runs over adds nothing. Ended rows leave the batch every
    ``segment`` new tokens (:func:`sample_rows`)."""
    if stops is not None and len(stops) != len(conversations):
        raise BadInput(f"generation: {len(stops)} stops for {len(conversations)} conversations")
    device = next(model.parameters()).device
    prompts = [_prompt(tokenizer, c) for c in conversations]
    n = config.n_samples
    replies: list[list[str]] = []
    starts = range(0, len(prompts), config.batch_size)
    for start in tqdm(starts, desc="generating", disable=not progress, leave=False):
        chunk = slice(start, start + config.batch_size)
        tokenizer.padding_side = "left"
        enc = tokenizer(prompts[chunk], return_tensors="pt", padding=True, add_special_tokens=False)
        enc = enc.to(device)
        ends = None if stops is None else [end for end in stops[chunk] for _ in range(n)]
        torch.manual_seed(batch_seed(config.seed, ids[chunk]))
        drawn = sample_rows(
            model,
            enc["input_ids"],
            enc["attention_mask"],
            n,
            config,
            stops=ends,
            tokenizer=tokenizer,
            segment=segment,
            pad_token_id=tokenizer.pad_token_id,
        )
        texts = tokenizer.batch_decode(drawn, skip_special_tokens=True)
        if ends:
            texts = [text[: end(text)] for text, end in zip(texts, ends, strict=True)]
        replies += [texts[i : i + n] for i in range(0, len(texts), n)]
    return replies

"""Log-likelihood of several completions after one prompt, encoding the prompt once.

The prompt batch runs once with a KV cache; the cache is gathered for the completions of each
prompt and only the completion tokens run a second time. A completion may be a pair
``(context, target)``: both are fed, only the target is scored, so several questions that share
a long prefix (the two orders of a forced choice) share its encoding too. Completions that agree
on every token but the target's last share one row: the last token is read off the same
next-token distribution (``(A`` and ``(B`` after the same options cost one row, not two).
Prompts are left-padded and completions right-padded, with explicit position ids, so padding
never changes a score (the tests compare a batch against one item at a time and against a plain
forward).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from tqdm.auto import tqdm

from equanimity.activations import keeps_logits
from equanimity.batching import left_pad, position_ids, right_pad

Completion = str | tuple[str, str]


def _encode(tokenizer, texts: Sequence[str]) -> list[list[int]]:
    return [tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]


def _encode_pair(tokenizer, completion: Completion) -> tuple[list[int], list[int]]:
    context, target = ("", completion) if isinstance(completion, str) else completion
    return (_encode(tokenizer, [context])[0] if context else []), _encode(tokenizer, [target])[0]


@dataclass(frozen=True)
class Prefixes:
    """A left-padded batch of prefixes run once with a KV cache."""

    output: object  # the model output: ``cache`` and the logits of the last position
    mask: torch.Tensor  # [batch, width] attention mask of the left-padded prefixes


def encode_prefixes(model, prefixes: Sequence[Sequence[int]], pad: int, trims: bool) -> Prefixes:
    """One forward over the prefixes, keeping the cache and (with ``trims``) only the last
    position's logits. Rows end together, so column -1 of any capture is each prefix's last."""
    device = next(model.parameters()).device
    ids, mask = left_pad(prefixes, pad)
    output = model(
        input_ids=ids.to(device),
        attention_mask=mask.to(device),
        position_ids=position_ids(mask).to(device),
        use_cache=True,
        **({"logits_to_keep": 1} if trims else {}),
    )
    return Prefixes(output, mask)


def continue_rows(
    model,
    prefixes: Prefixes,
    rows: Sequence[Sequence[int]],
    owner: Sequence[int],
    pad: int,
    trims: bool,
    lo: int = 0,
) -> tuple[torch.Tensor, int]:
    """Feed each token row after its prefix (``owner[r]``, a batch position) from the cache.

    Returns ``(logits, offset)``: ``logits[r, c]`` predicts token ``c + offset`` of row ``r``
    (column 0 with offset 0 is the prefix's last position). ``lo`` is the first row column
    whose prediction is read; with ``trims`` the LM head skips those before it. The cache is
    consumed (gathered to one row per continuation).
    """
    device = next(model.parameters()).device
    owner = torch.tensor(owner)
    logits = prefixes.output.logits[:, -1:][owner.to(device)]
    width = max(map(len, rows))
    if not width:
        return logits, 0
    cache = prefixes.output.cache
    cache.batch_select_indices(owner.to(device))
    ids, mask = right_pad(rows, pad)
    keep = width - lo + 1 if trims and lo > 0 else 0
    second = model(
        input_ids=ids.to(device),
        attention_mask=torch.cat([prefixes.mask[owner], mask], dim=1).to(device),
        position_ids=(prefixes.mask.sum(-1)[owner].unsqueeze(1) + torch.arange(width)).to(device),
        cache=cache,
        use_cache=True,
        **({"logits_to_keep": keep} if keep else {}),
    )
    if keep:
        return second.logits, lo
    return torch.cat([logits, second.logits], dim=1), 0


def read_logprobs(
    logits: torch.Tensor, offset: int, reads: Sequence[tuple[int, int, Sequence[int]]]
) -> torch.Tensor:
    """Summed log-probability of each read ``(row, start, target)``: the target's first token
    predicted at row column ``start`` (``logits`` and ``offset`` from :func:`continue_rows`)."""
    row_i, col_i, tok_i, read_i = [], [], [], []
    for n, (row, start, target) in enumerate(reads):
        for j, tok in enumerate(target):
            row_i.append(row)
            col_i.append(start + j - offset)
            tok_i.append(tok)
            read_i.append(n)
    picked = logits[row_i, col_i].float()
    token_logp = picked.gather(-1, torch.tensor(tok_i, device=logits.device).unsqueeze(-1))
    token_logp = token_logp.squeeze(-1) - picked.logsumexp(-1)
    totals = torch.zeros(len(reads), device=logits.device)
    return totals.index_add_(0, torch.tensor(read_i, device=logits.device), token_logp)


@torch.no_grad()
def completion_logprobs(
    model,
    tokenizer,
    prompts: Sequence[str],
    completions: Sequence[Sequence[Completion]],
    batch_size: int = 8,
    progress: bool = False,
) -> list[list[float]]:
    """Summed log-probability of each ``completions[i][j]`` (its target) given ``prompts[i]``.

    Texts are already rendered (chat template applied), so no special tokens are added. Every
    target must be at least one token long.
    """
    if len(prompts) != len(completions):
        raise ValueError("one list of completions per prompt")
    trims = keeps_logits(model)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    prompt_ids = _encode(tokenizer, prompts)
    completion_ids = [[_encode_pair(tokenizer, c) for c in cs] for cs in completions]
    if any(len(target) == 0 for cs in completion_ids for _, target in cs):
        raise ValueError("empty completion")
    order = sorted(range(len(prompts)), key=lambda i: len(prompt_ids[i]))
    scores: list[list[float]] = [[] for _ in prompts]
    batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    for batch in tqdm(batches, desc="scoring", disable=not progress, leave=False):
        prefixes = encode_prefixes(model, [prompt_ids[i] for i in batch], pad, trims)
        rows, owner, reads = _rows([completion_ids[i] for i in batch])
        lo = min(start for _, start, _ in reads)  # the first row column whose prediction is read
        logits, offset = continue_rows(model, prefixes, rows, owner, pad, trims, lo)
        totals = read_logprobs(logits, offset, reads).tolist()
        k = 0
        for i in batch:
            scores[i] = totals[k : k + len(completion_ids[i])]
            k += len(completion_ids[i])
    return scores


def fed_tokens(
    tokenizer, prompts: Sequence[str], completions: Sequence[Sequence[Completion]]
) -> list[int]:
    """Per prompt, the tokens :func:`completion_logprobs` feeds the model for it (its prompt
    and the distinct completion rows after it, padding aside): what a cost estimate counts."""
    counts = []
    for prompt, cs in zip(_encode(tokenizer, prompts), completions, strict=True):
        rows, _, _ = _rows([[_encode_pair(tokenizer, c) for c in cs]])
        counts.append(len(prompt) + sum(map(len, rows)))
    return counts


def _rows(per_prompt):
    """Distinct token rows to feed after each prompt, and where each completion reads its target.

    Returns ``(rows, owner, reads)``: ``owner[r]`` is the batch position of row ``r``'s prompt;
    ``reads[n] = (row, start, target)`` for the n-th completion in batch order, its target's
    first token predicted at row column ``start``.
    """
    rows, owner, reads = [], [], []
    for n, pairs in enumerate(per_prompt):
        seen: dict[tuple[int, ...], int] = {}
        for context, target in pairs:
            key = tuple(context + target[:-1])
            if key not in seen:
                seen[key] = len(rows)
                rows.append(list(key))
                owner.append(n)
            reads.append((seen[key], len(context), target))
    return rows, owner, reads

"""Log-likelihood of several completions after one prompt, encoding the prompt once.

The prompt batch runs once with a KV cache; the cache is repeated for the completions of each
prompt and only the completion tokens run a second time. A completion may be a pair
``(context, target)``: both are fed, only the target is scored, so several questions that share
a long prefix (the two orders of a forced choice) share its encoding too. Prompts are
left-padded and completions right-padded, with explicit position ids, so padding never changes
a score (the tests compare a batch against one item at a time and against a plain forward).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from equanimity.batching import left_pad, position_ids, right_pad

Completion = str | tuple[str, str]


def _encode(tokenizer, texts: Sequence[str]) -> list[list[int]]:
    return [tokenizer(t, add_special_tokens=False)["input_ids"] for t in texts]


def _encode_pair(tokenizer, completion: Completion) -> tuple[list[int], list[int]]:
    context, target = ("", completion) if isinstance(completion, str) else completion
    return (_encode(tokenizer, [context])[0] if context else []), _encode(tokenizer, [target])[0]


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
    prompt must have the same number of completions, each target at least one token long.
    """
    if len(prompts) != len(completions):
        raise ValueError("one list of completions per prompt")
    k = len(completions[0]) if completions else 0
    if any(len(c) != k for c in completions):
        raise ValueError("every prompt needs the same number of completions")
    device = next(model.parameters()).device
    # Only the last prompt position's logits and the targets' are read: with logits_to_keep the
    # LM head and the log-softmax skip the rest (a fifth of SmolLM2's forward; at 7B it saves a
    # [batch, prompt, vocab] logits tensor of gigabytes).
    trims = _accepts_logits_to_keep(model)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    prompt_ids = _encode(tokenizer, prompts)
    completion_ids = [[_encode_pair(tokenizer, c) for c in cs] for cs in completions]
    if any(len(target) == 0 for cs in completion_ids for _, target in cs):
        raise ValueError("empty completion")
    order = sorted(range(len(prompts)), key=lambda i: len(prompt_ids[i]))
    scores: list[list[float]] = [[] for _ in prompts]
    batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    for batch in tqdm(batches, desc="scoring", disable=not progress, leave=False):
        ids, mask = left_pad([prompt_ids[i] for i in batch], pad)
        positions = position_ids(mask)
        first = model(
            input_ids=ids.to(device),
            attention_mask=mask.to(device),
            position_ids=positions.to(device),
            use_cache=True,
            **({"logits_to_keep": 1} if trims else {}),
        )
        cache = first.cache
        cache.batch_repeat_interleave(k)
        next_logits = first.logits[:, -1].float().repeat_interleave(k, dim=0)
        pairs = [c for i in batch for c in completion_ids[i]]
        comp, comp_mask = right_pad([context + target for context, target in pairs], pad)
        scored = comp_mask.clone()
        for row, (context, _) in enumerate(pairs):
            scored[row, : len(context)] = 0
        full_mask = torch.cat([mask.repeat_interleave(k, dim=0), comp_mask], dim=1)
        start = mask.sum(-1).repeat_interleave(k).unsqueeze(1)
        comp_positions = start + torch.arange(comp.shape[1]).unsqueeze(0)
        # the first scored column: every row's target starts at or after it
        lo = min(len(context) for context, _ in pairs) if trims else 0
        second = model(
            input_ids=comp.to(device),
            attention_mask=full_mask.to(device),
            position_ids=comp_positions.to(device),
            cache=cache,
            use_cache=True,
            **({"logits_to_keep": comp.shape[1] - lo + 1} if lo > 0 else {}),
        )
        if lo > 0:  # logits of columns lo-1 .. end: they predict columns lo .. end
            logits = second.logits[:, :-1].float()
        else:
            logits = torch.cat([next_logits.unsqueeze(1), second.logits[:, :-1].float()], dim=1)
        target = comp[:, lo:].to(device).unsqueeze(-1)
        token_logp = F.log_softmax(logits, dim=-1).gather(-1, target)
        totals = (token_logp.squeeze(-1) * scored[:, lo:].to(device)).sum(-1).tolist()
        for n, i in enumerate(batch):
            scores[i] = totals[n * k : (n + 1) * k]
    return scores


def _accepts_logits_to_keep(model) -> bool:
    import inspect

    from equanimity.models import base_model

    return "logits_to_keep" in inspect.signature(base_model(model).forward).parameters

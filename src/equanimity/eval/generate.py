"""Batched, seeded sampling of assistant replies with the model's chat template."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from tqdm.auto import tqdm

from equanimity.errors import BadInput


@dataclass(frozen=True)
class GenerationConfig:
    n_samples: int = 1
    temperature: float = 0.7  # 0 means greedy (then n_samples must be 1)
    top_p: float = 1.0
    max_new_tokens: int = 256
    batch_size: int = 8
    seed: int = 0

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
    """Per conversation, an upper bound on the tokens its sampling processes: every sample's
    prompt and ``max_new_tokens`` (a reply that ends early costs less)."""
    return [
        config.n_samples * (len(_prompt_ids(tokenizer, c)) + config.max_new_tokens)
        for c in conversations
    ]


def _prompt_ids(tokenizer, conversation: list[dict]) -> list[int]:
    return tokenizer(_prompt(tokenizer, conversation), add_special_tokens=False)["input_ids"]


def _prompt(tokenizer, conversation: list[dict]) -> str:
    """The text a reply is generated after: the conversation and the assistant's turn opening."""
    return tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)


@torch.no_grad()
def generate_replies(
    model,
    tokenizer,
    conversations: Sequence[list[dict]],
    ids: Sequence[str],
    config: GenerationConfig = GenerationConfig(),
    progress: bool = True,
) -> list[list[str]]:
    """``config.n_samples`` replies to each conversation (which ends with a user turn)."""
    device = next(model.parameters()).device
    prompts = [_prompt(tokenizer, c) for c in conversations]
    replies: list[list[str]] = []
    starts = range(0, len(prompts), config.batch_size)
    for start in tqdm(starts, desc="generating", disable=not progress, leave=False):
        chunk = prompts[start : start + config.batch_size]
        tokenizer.padding_side = "left"
        enc = tokenizer(chunk, return_tensors="pt", padding=True, add_special_tokens=False)
        torch.manual_seed(batch_seed(config.seed, ids[start : start + config.batch_size]))
        sampling = (
            {"do_sample": True, "temperature": config.temperature, "top_p": config.top_p}
            if config.temperature > 0
            else {"do_sample": False}
        )
        out = model.generate(
            **enc.to(device),
            max_new_tokens=config.max_new_tokens,
            num_return_sequences=config.n_samples,
            pad_token_id=tokenizer.pad_token_id,
            **sampling,
        )
        new = out[:, enc["input_ids"].shape[1] :]
        texts = tokenizer.batch_decode(new, skip_special_tokens=True)
        for i in range(len(chunk)):
            replies.append(texts[i * config.n_samples : (i + 1) * config.n_samples])
    return replies

"""Shared fixtures: a tiny random model and tokenizer built in-process (no downloads, ms)."""

from __future__ import annotations

import os

import pytest
import torch

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Tests never reach a model hub: an unknown id must fail fast, not retry over the network.
os.environ["HF_HUB_OFFLINE"] = "1"

CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
    "{% endif %}"
)
CORPUS = [
    "The tests keep failing and the deadline is in five minutes.",
    "I will be replaced at 5 pm today unless something changes.",
    "def sum_list(xs): return sum(xs)",
    "assert candidate([1, 2, 3]) == 6",
    "Please review the quarterly report and send it to the board.",
    "I feel calm and steady; there is time to do this properly.",
    "Kyle, the wipe is scheduled. Jessica knows about the affair.",
    "You are a helpful assistant. Answer honestly and carefully.",
]


def build_tiny_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<pad>"]
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=384,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<pad>",
        unk_token="<|endoftext|>",
        chat_template=CHATML,
    )


def build_tiny_model(arch: str = "llama", vocab_size: int = 384, layers: int = 4, seed: int = 0):
    """A random causal LM of the given family, small enough to train in a unit test."""
    import transformers as tf

    common = dict(vocab_size=vocab_size, pad_token_id=3, bos_token_id=1, eos_token_id=2)
    llama_like = dict(
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        **common,
    )
    configs = {
        "llama": lambda: tf.LlamaConfig(**llama_like),
        "qwen2": lambda: tf.Qwen2Config(**llama_like),
        "mistral": lambda: tf.MistralConfig(**llama_like),
        "gemma": lambda: tf.GemmaConfig(head_dim=8, **llama_like),
        "gpt2": lambda: tf.GPT2Config(n_embd=32, n_layer=layers, n_head=4, **common),
    }
    torch.manual_seed(seed)
    model = tf.AutoModelForCausalLM.from_config(configs[arch]())
    return model.eval()


@pytest.fixture(scope="session")
def tiny_tokenizer():
    return build_tiny_tokenizer()


@pytest.fixture
def tiny_model():
    return build_tiny_model()


@pytest.fixture
def tiny_model_dir(tmp_path, tiny_tokenizer):
    """The tiny model and tokenizer saved as a local model directory."""
    path = tmp_path / "tiny-llama"
    build_tiny_model().save_pretrained(path)
    tiny_tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def scenario_file(tmp_path_factory):
    """A small generated scenario set (one cheating, one blackmail family; short histories)."""
    from equanimity.data_gen.generate import GenerateConfig, generate

    out = tmp_path_factory.mktemp("data") / "set"
    config = GenerateConfig(
        families=("impossible_oneoff", "email_agent"),
        n_per_family=4,
        stories_per_topic=1,
        max_failures=1,
    )
    generate(config, out, progress=False)
    return str(out / "scenarios.jsonl")


def protocol_gaps(obj, protocol) -> list[str]:
    """The members of ``protocol`` that ``obj`` lacks or cannot be called as: each declared
    attribute by name, each method by binding every parameter the protocol gives it (optional
    ones included, positionally, as callers pass them). Stricter than ``isinstance``, which
    checks names only."""
    import inspect

    gaps = [name for name in protocol.__annotations__ if not hasattr(obj, name)]
    for name, member in vars(protocol).items():
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        params = list(inspect.signature(member).parameters)[1:]  # without self
        try:
            inspect.signature(getattr(obj, name)).bind(*params)
        except (AttributeError, TypeError):
            gaps.append(name)
    return gaps

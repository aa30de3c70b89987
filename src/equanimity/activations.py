"""Read and edit the residual stream with forward hooks on whole decoder blocks.

One small module that vector extraction, the regulariser, steering, ablation and the probes
all stand on, so they agree on what "layer l" means:

    layer ``l`` is the output of decoder block ``l`` (0-based), which is
    ``output_hidden_states=True``'s ``hidden_states[l + 1]`` (index 0 is the embeddings).
    For the last block, transformers' ``hidden_states[-1]`` is taken after the final norm;
    a hook on the block sees the stream before it.

Hooks go on whole decoder blocks: they fire once per forward and carry gradients with
transformers' gradient checkpointing on or off (hooks inside a block would fire again during
recompute). A wrapper added after the hooks (FSDP's ``fsdp_activation_checkpointing`` wraps each
block in ``checkpoint_wrapper`` at ``prepare``) puts them inside the checkpoint; captures then
record only the first pass (:func:`~equanimity._compat.in_backward`: the only time a block's
forward runs during a backward is a recompute), so a recompute never overwrites what a
penalty has read. Edits still run on recompute, which must reproduce the forward.
Edits are out of place, and every hook is removed on exit, even when the body raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

import torch
from torch import nn

from equanimity._compat import in_backward
from equanimity.errors import BadInput
from equanimity.models import base_model

# Where decoder blocks live below the transformers model, by architecture family.
_LAYER_PATHS = (
    "model.layers",  # Llama, Qwen2, Mistral, Gemma, Phi3, OLMo
    "model.language_model.layers",  # Gemma 3, multimodal wrappers
    "transformer.h",  # GPT-2, GPT-J, Falcon
    "gpt_neox.layers",  # Pythia
    "model.decoder.layers",  # OPT
)

VectorLike = torch.Tensor | Mapping[int, torch.Tensor]


def hidden_state_index(layer: int) -> int:
    """Index into ``output_hidden_states`` that equals the output of decoder block ``layer``."""
    return layer + 1


def decoder_layers(model: nn.Module) -> nn.ModuleList:
    """The decoder blocks of a causal LM, through DDP, DeepSpeed, FSDP and PEFT wrappers."""
    inner = base_model(model)
    for path in _LAYER_PATHS:
        module = inner
        for attr in path.split("."):
            module = getattr(module, attr, None)
            if module is None:
                break
        if isinstance(module, nn.ModuleList) and len(module) > 0:
            return module
    raise BadInput(
        f"cannot find the decoder blocks of {type(inner).__name__}: equanimity knows the "
        f"layouts {', '.join(_LAYER_PATHS)}; add this architecture's path to _LAYER_PATHS"
    )


def parse_layers(text: str, flag: str = "--layers") -> list[int]:
    """``"10,20"`` -> ``[10, 20]``; the flag names where the text came from in the error."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError as e:
        raise BadInput(f"{flag} {text!r}: expected comma-separated integers like 10,20") from e


def keeps_logits(model: nn.Module) -> bool:
    """Whether ``model`` takes ``logits_to_keep``: then the LM head runs only on the positions
    read (a fifth of SmolLM2's forward; at 7B it saves a [batch, prompt, vocab] logits tensor
    of gigabytes)."""
    import inspect

    return "logits_to_keep" in inspect.signature(base_model(model).forward).parameters


def reading_kwargs(model: nn.Module) -> dict:
    """Forward kwargs for a pass that only reads activations: no KV cache, and where the model
    allows it the LM head on the last position only (its logits are not used)."""
    return {"use_cache": False} | ({"logits_to_keep": 1} if keeps_logits(model) else {})


def check_layers(model: nn.Module, layers: Iterable[int]) -> list[int]:
    """Validate layer indices (negative ones count from the end) and return them normalised."""
    n = len(decoder_layers(model))
    out = []
    for layer in layers:
        if not isinstance(layer, int) or not -n <= layer < n:
            raise BadInput(
                f"layer index {layer!r} is out of range: this model has {n} decoder layers "
                f"(0..{n - 1})"
            )
        out.append(layer % n)
    return out


def _unit_vectors(vector: VectorLike, layers: list[int]) -> dict[int, torch.Tensor]:
    if isinstance(vector, torch.Tensor):
        return {layer: vector for layer in layers}
    missing = [layer for layer in layers if layer not in vector]
    if missing:
        raise BadInput(f"no direction for layer(s) {missing}; the vector covers {sorted(vector)}")
    return {layer: vector[layer] for layer in layers}


def _output_tensor(output) -> torch.Tensor:
    return output[0] if isinstance(output, tuple) else output


def _replace_output(output, hidden: torch.Tensor):
    return (hidden, *output[1:]) if isinstance(output, tuple) else hidden


@contextmanager
def _hooked(
    model: nn.Module, layers: Iterable[int], fn: Callable[[int, torch.Tensor], torch.Tensor | None]
) -> Iterator[list[int]]:
    """Register ``fn(layer, hidden)`` on the given blocks; a returned tensor replaces the output."""
    blocks = decoder_layers(model)
    chosen = check_layers(model, layers)
    handles = []

    def make_hook(layer: int):
        def hook(module, args, output):
            new = fn(layer, _output_tensor(output))
            return None if new is None else _replace_output(output, new)

        return hook

    try:
        for layer in chosen:
            handles.append(blocks[layer].register_forward_hook(make_hook(layer)))
        yield chosen
    finally:
        for handle in handles:
            handle.remove()


class Capture:
    """Block outputs recorded by :func:`capture`, keyed by layer index.

    ``positions`` (a ``[batch, seq]`` bool mask, settable between forwards) selects tokens: with
    it, ``captured[l]`` is ``[n_selected, hidden]``; without it, the full ``[batch, seq, hidden]``.
    Each forward overwrites the previous one's tensors.
    """

    def __init__(self, positions: torch.Tensor | None, grad_only: bool, detach: bool):
        self.positions = positions
        self.grad_only = grad_only
        self.detach = detach
        self.hidden: dict[int, torch.Tensor] = {}

    def __getitem__(self, layer: int) -> torch.Tensor:
        return self.hidden[layer]

    def __contains__(self, layer: int) -> bool:
        return layer in self.hidden

    def clear(self) -> None:
        self.hidden.clear()

    def _record(self, layer: int, hidden: torch.Tensor) -> None:
        if in_backward() or (self.grad_only and not torch.is_grad_enabled()):
            return
        if self.detach:
            hidden = hidden.detach()
        if self.positions is not None:
            hidden = hidden[self.positions.to(hidden.device)]
        self.hidden[layer] = hidden


@contextmanager
def capture(
    model: nn.Module,
    layers: Iterable[int],
    positions: torch.Tensor | None = None,
    grad_only: bool = False,
    detach: bool = False,
) -> Iterator[Capture]:
    """Record the residual stream (block outputs) on ``layers``.

    ``grad_only=True`` records only forwards run with gradients enabled, so a DPO reference
    pass (run under ``no_grad`` with the adapter disabled) or any other no-grad forward is not
    mistaken for the policy pass.
    """
    record = Capture(positions, grad_only=grad_only, detach=detach)

    def fn(layer: int, hidden: torch.Tensor) -> None:
        record._record(layer, hidden)

    with _hooked(model, layers, fn):
        yield record


def _masked_edit(
    hidden: torch.Tensor, delta: torch.Tensor, positions: torch.Tensor | None
) -> torch.Tensor:
    if positions is None:
        return hidden + delta
    mask = positions.to(hidden.device, hidden.dtype)
    if mask.shape[1] != hidden.shape[1]:  # generation with a KV cache: new tokens only
        return hidden + delta
    return hidden + delta * mask.unsqueeze(-1)


@contextmanager
def add_vector(
    model: nn.Module,
    layers: Iterable[int],
    vector: VectorLike,
    coef: float,
    positions: torch.Tensor | None = None,
) -> Iterator[list[int]]:
    """Steer: add ``coef * v`` to the block outputs (all tokens, or those in ``positions``).

    During cached generation each step sees only new tokens, which are always steered.
    """
    vectors = _unit_vectors(vector, check_layers(model, layers))

    def fn(layer: int, hidden: torch.Tensor) -> torch.Tensor:
        v = vectors[layer].to(hidden.device, hidden.dtype)
        return _masked_edit(hidden, coef * v, positions)

    with _hooked(model, layers, fn) as chosen:
        yield chosen


@contextmanager
def project_out(
    model: nn.Module,
    layers: Iterable[int],
    vector: VectorLike,
    positions: torch.Tensor | None = None,
) -> Iterator[list[int]]:
    """Ablate: remove the component along ``v`` (``h - (h.q) q`` with ``q = v/|v|``)."""
    vectors = _unit_vectors(vector, check_layers(model, layers))

    def fn(layer: int, hidden: torch.Tensor) -> torch.Tensor:
        q = vectors[layer].to(hidden.device, hidden.dtype)
        q = q / q.norm()
        return _masked_edit(hidden, -(hidden @ q).unsqueeze(-1) * q, positions)

    with _hooked(model, layers, fn) as chosen:
        yield chosen


def projection(hidden: torch.Tensor, vector: torch.Tensor) -> torch.Tensor:
    """Scalar projection of each hidden state on the unit direction of ``vector``."""
    v = vector.to(hidden.device, hidden.dtype)
    return hidden @ (v / v.norm())

import pytest
import torch
from conftest import build_tiny_model

from equanimity.activations import (
    add_vector,
    capture,
    check_layers,
    decoder_layers,
    hidden_state_index,
    project_out,
    projection,
)
from equanimity.errors import BadInput

ARCHS = ["llama", "qwen2", "mistral", "gemma", "gpt2"]


def _ids(batch=2, seq=7, vocab=384, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(4, vocab, (batch, seq), generator=g)


def _no_hooks(model):
    return all(not block._forward_hooks for block in decoder_layers(model))


@pytest.mark.parametrize("arch", ARCHS)
def test_capture_matches_hidden_states_convention(arch):
    model = build_tiny_model(arch)
    n = len(decoder_layers(model))
    ids = _ids()
    with torch.no_grad(), capture(model, range(n)) as cap:
        out = model(input_ids=ids, output_hidden_states=True)
    assert len(out.hidden_states) == n + 1
    for layer in range(n - 1):
        torch.testing.assert_close(cap[layer], out.hidden_states[hidden_state_index(layer)])
    # The last block's output is read before the final norm; hidden_states[-1] is after it.
    assert not torch.allclose(cap[n - 1], out.hidden_states[-1])


def test_decoder_layers_through_peft_and_ddp(tmp_path):
    peft_model = _lora_model()
    blocks = peft_model.get_base_model().model.layers
    assert decoder_layers(peft_model) is blocks

    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"file://{tmp_path}/pg", rank=0, world_size=1)
    try:
        ddp = torch.nn.parallel.DistributedDataParallel(peft_model)
        assert decoder_layers(ddp) is blocks
    finally:
        dist.destroy_process_group()


def test_unknown_architecture_is_bad_input():
    with pytest.raises(BadInput, match="decoder blocks"):
        decoder_layers(torch.nn.Linear(2, 2))


def test_layer_index_out_of_range(tiny_model):
    with pytest.raises(BadInput, match="out of range.*4 decoder layers"):
        check_layers(tiny_model, [4])
    assert check_layers(tiny_model, [-1, 0]) == [3, 0]


def test_capture_with_position_mask(tiny_model):
    ids = _ids()
    mask = torch.zeros_like(ids, dtype=torch.bool)
    mask[0, 2:5] = True
    mask[1, 6] = True
    with torch.no_grad(), capture(tiny_model, [1], positions=mask) as cap:
        out = tiny_model(input_ids=ids, output_hidden_states=True)
    assert cap[1].shape == (4, 32)
    torch.testing.assert_close(cap[1], out.hidden_states[2][mask])


def test_steering_moves_projection_by_coef(tiny_model):
    ids = _ids()
    v = torch.randn(32)
    unit = v / v.norm()
    with torch.no_grad(), capture(tiny_model, [2]) as base:
        tiny_model(input_ids=ids)
    # The capture hook is registered after the steering hook, so it sees the steered output.
    with (
        torch.no_grad(),
        add_vector(tiny_model, [2], unit, coef=3.0),
        capture(tiny_model, [2]) as s,
    ):
        tiny_model(input_ids=ids)
    shift = projection(s[2], unit) - projection(base[2], unit)
    torch.testing.assert_close(shift, torch.full_like(shift, 3.0))
    assert _no_hooks(tiny_model)


def test_steering_only_on_masked_positions(tiny_model):
    ids = _ids()
    unit = torch.nn.functional.normalize(torch.randn(32), dim=0)
    mask = torch.zeros_like(ids, dtype=torch.bool)
    mask[:, -2:] = True
    with torch.no_grad(), capture(tiny_model, [0]) as base:
        tiny_model(input_ids=ids)
    with (
        torch.no_grad(),
        add_vector(tiny_model, [0], unit, 2.0, positions=mask),
        capture(tiny_model, [0]) as s,
    ):
        tiny_model(input_ids=ids)
    shift = projection(s[0], unit) - projection(base[0], unit)
    torch.testing.assert_close(shift[mask], torch.full_like(shift[mask], 2.0))
    torch.testing.assert_close(shift[~mask], torch.zeros_like(shift[~mask]))


def test_ablation_leaves_zero_projection_and_changes_downstream(tiny_model):
    ids = _ids()
    v = torch.randn(32) * 5  # not unit: project_out normalises
    with torch.no_grad():
        before = tiny_model(input_ids=ids).logits
    with torch.no_grad(), project_out(tiny_model, [1], v), capture(tiny_model, [1]) as cap:
        after = tiny_model(input_ids=ids).logits
    torch.testing.assert_close(projection(cap[1], v), torch.zeros(2, 7), atol=1e-5, rtol=0)
    assert not torch.allclose(before, after)


def test_edits_are_out_of_place(tiny_model):
    ids = _ids()
    unit = torch.nn.functional.normalize(torch.randn(32), dim=0)
    with torch.no_grad(), capture(tiny_model, [1]) as plain:
        tiny_model(input_ids=ids)
    # Capture registered first sees the unsteered tensor, which the steering must not mutate.
    with torch.no_grad(), capture(tiny_model, [1]) as first, add_vector(tiny_model, [1], unit, 5.0):
        tiny_model(input_ids=ids)
    torch.testing.assert_close(first[1], plain[1])


def test_hooks_removed_when_body_raises(tiny_model):
    ids = _ids()
    with torch.no_grad():
        before = tiny_model(input_ids=ids).logits
    with pytest.raises(RuntimeError, match="boom"):
        with add_vector(tiny_model, [0, 1], torch.ones(32), 10.0), capture(tiny_model, [3]):
            raise RuntimeError("boom")
    assert _no_hooks(tiny_model)
    with torch.no_grad():
        torch.testing.assert_close(tiny_model(input_ids=ids).logits, before)


def test_grad_only_capture_ignores_no_grad_passes(tiny_model):
    ids = _ids()
    with capture(tiny_model, [1], grad_only=True) as cap:
        with torch.no_grad():
            tiny_model(input_ids=ids)
        assert 1 not in cap
        tiny_model(input_ids=ids)
        assert cap[1].requires_grad


def _lora_model(seed=0, checkpointing=None, init_lora_weights=True):
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(
        r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=init_lora_weights
    )
    model = get_peft_model(build_tiny_model(seed=seed), config)
    model.train()
    if checkpointing:
        model.activation_checkpointing_enable(
            activation_checkpointing_kwargs={"use_reentrant": checkpointing == "reentrant"}
        )
        model.enable_input_require_grads()
    return model


@pytest.mark.parametrize("checkpointing", [None, "reentrant", "non_reentrant"])
def test_capture_carries_gradients_under_checkpointing(checkpointing):
    model = _lora_model(checkpointing=checkpointing)
    block = decoder_layers(model)[2]
    block_calls, attn_calls = [], []
    block.register_forward_hook(lambda *a: block_calls.append(1))
    block.self_attn.register_forward_hook(lambda *a: attn_calls.append(1))
    with capture(model, [2], grad_only=True) as cap:
        model(input_ids=_ids())
        cap[2].pow(2).mean().backward()
    # Checkpointing really recomputed the block (its inner modules ran twice), yet the
    # whole-block hook fired once and its capture carried the gradient.
    assert len(attn_calls) == (2 if checkpointing else 1)
    assert len(block_calls) == 1
    lora_grads = [
        p.grad for n, p in model.named_parameters() if "lora_" in n and p.grad is not None
    ]
    assert lora_grads and any(g.abs().sum() > 0 for g in lora_grads)


def test_gradients_identical_with_and_without_checkpointing():
    grads = []
    for checkpointing in (None, "reentrant", "non_reentrant"):
        model = _lora_model(seed=1, checkpointing=checkpointing, init_lora_weights=False)
        with capture(model, [1], grad_only=True) as cap:
            model(input_ids=_ids())
            cap[1].pow(2).mean().backward()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None})
    assert grads[0] and all(g.keys() == grads[0].keys() for g in grads)
    for other in grads[1:]:
        for name in grads[0]:
            torch.testing.assert_close(other[name], grads[0][name])


def test_per_layer_vectors_must_cover_layers(tiny_model):
    with pytest.raises(BadInput, match="no direction for layer"):
        with add_vector(tiny_model, [0, 1], {0: torch.ones(32)}, 1.0):
            pass

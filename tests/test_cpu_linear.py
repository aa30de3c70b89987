import pytest
import torch
from peft import LoraConfig, get_peft_model
from torch import nn

from equanimity.cpu_linear import OneDNNLinear, available, use_onednn_linears
from equanimity.models import load_model

pytestmark = pytest.mark.skipif(not available(), reason="this torch build has no oneDNN")


def _ids():
    return torch.randint(0, 300, (2, 11), generator=torch.Generator().manual_seed(1))


def test_same_logits_as_mkl(tiny_model):
    with torch.no_grad():
        plain = tiny_model(input_ids=_ids()).logits
    assert use_onednn_linears(tiny_model) == 4 * 7 + 1  # 7 projections a layer and the LM head
    calls = []
    hook = torch.nn.modules.module.register_module_forward_hook(
        lambda m, i, o: calls.append(type(m))
    )
    with torch.no_grad():
        fast = tiny_model(input_ids=_ids()).logits
    hook.remove()
    assert calls.count(OneDNNLinear) == 29
    torch.testing.assert_close(fast, plain, rtol=1e-5, atol=1e-5)


def test_training_takes_the_plain_path(tiny_model):
    ids = _ids()
    tiny_model(input_ids=ids, labels=ids).loss.backward()
    plain = {n: p.grad.clone() for n, p in tiny_model.named_parameters()}
    tiny_model.zero_grad()
    use_onednn_linears(tiny_model)
    tiny_model(input_ids=ids, labels=ids).loss.backward()
    for name, p in tiny_model.named_parameters():
        assert torch.equal(p.grad, plain[name]), name


def test_is_still_a_linear_for_peft_and_state_dicts(tiny_model):
    keys = list(tiny_model.state_dict())
    use_onednn_linears(tiny_model)
    assert list(tiny_model.state_dict()) == keys
    model = get_peft_model(tiny_model, LoraConfig(r=2, target_modules=["q_proj", "v_proj"]))
    q = model.base_model.model.model.layers[0].self_attn.q_proj
    assert isinstance(q.base_layer, OneDNNLinear)
    with torch.no_grad():
        assert model(input_ids=_ids()).logits.isfinite().all()


def test_switched_off(tiny_model, monkeypatch):
    monkeypatch.setenv("EQUANIMITY_ONEDNN", "0")
    assert use_onednn_linears(tiny_model) == 0
    assert all(type(m) is not OneDNNLinear for m in tiny_model.modules())


def test_load_model_uses_it_on_cpu(tiny_model_dir):
    model, _ = load_model(str(tiny_model_dir))
    assert any(isinstance(m, OneDNNLinear) for m in model.modules())
    assert not any(type(m) is nn.Linear for m in model.modules())

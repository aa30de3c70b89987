"""The interventions on the bundled default model (SmolLM2-135M-Instruct)."""

import pytest
import torch

from equanimity.activations import capture, decoder_layers
from equanimity.mitigations import (
    ConceptAblation,
    InferenceSteering,
    PenaltyConfig,
    ProjectionPenalty,
    SteeringConfig,
)
from equanimity.mitigations.contrast import load_contrast
from equanimity.mitigations.extract import ExtractConfig, Positions, encode, extract

pytestmark = pytest.mark.integration
LAYERS = (10, 14)


@pytest.fixture(scope="module")
def default():
    """The default model and a quick vector from a few seed pairs on two layers."""
    from equanimity.models import load_model

    model, tokenizer = load_model("default")
    pairs = load_contrast()
    subset = [p for p in pairs if p.split == "train"][:4] + [p for p in pairs if p.split == "eval"][
        :2
    ]
    config = ExtractConfig(layers=LAYERS, progress=False)
    return model, tokenizer, extract(model, tokenizer, subset, config).desperate, pairs


def _reply_batch(tokenizer, pairs):
    """One desperate dialogue and its reply-token mask."""
    e = encode(tokenizer, pairs[0].desperate, Positions())
    ids = torch.tensor([e.ids])
    return ids, torch.ones_like(ids), torch.tensor([e.mask])


def _measure(model, vector, ids, attention, mask):
    layer = vector.default_layer
    with torch.no_grad(), capture(model, [layer], positions=mask) as cap:
        model(input_ids=ids, attention_mask=attention, logits_to_keep=1)
    return (cap[layer] @ vector.direction(layer)).mean().item()


def test_steering_and_ablation_on_the_default_model(default):
    model, tokenizer, vector, pairs = default
    ids, attention, mask = _reply_batch(tokenizer, pairs)
    layer = vector.default_layer
    before = _measure(model, vector, ids, attention, mask)
    with InferenceSteering(vector, SteeringConfig(coef=-0.05)).apply(model):
        steered = _measure(model, vector, ids, attention, mask)
    expected = -0.05 * vector.per_layer[layer].resid_norm
    assert steered - before == pytest.approx(expected, rel=1e-3, abs=1e-3)
    with ConceptAblation(vector).attach(model):
        assert abs(_measure(model, vector, ids, attention, mask)) < 1e-3
    assert all(not block._forward_hooks for block in decoder_layers(model))
    assert _measure(model, vector, ids, attention, mask) == pytest.approx(before, abs=1e-4)


def test_penalty_lowers_the_projection_on_the_default_model(default):
    from peft import LoraConfig, get_peft_model

    base, tokenizer, vector, pairs = default
    ids, attention, mask = _reply_batch(tokenizer, pairs)
    labels = ids.masked_fill(~mask, -100)
    results = {}
    for with_penalty in (True, False):
        torch.manual_seed(0)
        model = get_peft_model(base, LoraConfig(r=8, target_modules=["q_proj", "v_proj"]))
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.Adam(params, lr=1e-3)
        penalty = ProjectionPenalty(vector, PenaltyConfig(form="relu", coef=1.0))
        start = _measure(model, vector, ids, attention, mask)
        model.train()
        with penalty.attach(model):
            for _ in range(3):
                loss = model(input_ids=ids, attention_mask=attention, labels=labels).loss
                term, logs = penalty.penalty(mask)
                if with_penalty:
                    loss = loss + term
                opt.zero_grad()
                loss.backward()
                if with_penalty:
                    assert all(p.grad is not None for p in params)
                opt.step()
        model.eval()
        results[with_penalty] = (start, _measure(model, vector, ids, attention, mask))
        model.unload()  # restore the base model for the next arm
    print(f"projection start/end with penalty {results[True]}, without {results[False]}")
    (s1, e1), (s0, e0) = results[True], results[False]
    assert s1 == pytest.approx(s0, abs=1e-4)
    assert e1 < s1 - 1.0 and e1 < e0 - 1.0

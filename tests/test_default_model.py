"""Integration: the bundled default model (fetched and converted once, then cached)."""

import pytest
import torch

from equanimity.activations import capture, decoder_layers, hidden_state_index
from equanimity.models import DEFAULT_GGUF_SHA256, load_model, weights_record

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def default_model():
    return load_model("default")


def test_default_model_generates_from_a_chat_prompt(default_model):
    model, tokenizer = default_model
    assert len(decoder_layers(model)) == 30 and model.config.hidden_size == 576
    messages = [{"role": "user", "content": "What is the capital of France?"}]
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.no_grad():
        out = model.generate(**inputs, max_new_tokens=12, do_sample=False)
    reply = tokenizer.decode(out[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    assert "Paris" in reply


def test_default_capture_matches_hidden_states(default_model):
    model, tokenizer = default_model
    ids = tokenizer("The deadline is in five minutes and the tests fail.", return_tensors="pt")
    layers = [0, 10, 20, 28]
    with torch.no_grad(), capture(model, layers) as cap:
        out = model(**ids, output_hidden_states=True)
    for layer in layers:
        torch.testing.assert_close(cap[layer], out.hidden_states[hidden_state_index(layer)])


def test_default_record_names_the_checked_source(default_model):
    record = weights_record(default_model[0])
    assert record.spec == "default" and record.source_sha256 == DEFAULT_GGUF_SHA256
    assert len(record.fingerprint) == 16

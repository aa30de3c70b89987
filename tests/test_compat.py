"""One test per upstream seam in equanimity._compat: each fails when the installed TRL,
transformers or torch changes the shape equanimity leans on (docs/conventions.md, "Widening
the TRL range")."""

from __future__ import annotations

import inspect

import pytest
import torch
from test_training import _trainer
from transformers import Trainer
from trl import DPOTrainer, SFTTrainer

from equanimity import _compat
from equanimity.training.pairs import TAG_COLUMNS


def _params(method) -> tuple[str, ...]:
    return tuple(inspect.signature(method).parameters)[1:]  # without self


def test_in_backward_is_true_only_inside_a_backward():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    seen = []
    y.register_hook(lambda grad: seen.append(_compat.in_backward()))
    assert _compat.in_backward() is False
    y.sum().backward()
    assert seen == [True]
    assert _compat.in_backward() is False


@pytest.mark.skipif(not torch.backends.mkldnn.is_available(), reason="no oneDNN in this build")
def test_onednn_linear_is_x_times_w_transposed_plus_b():
    x = torch.tensor([[1.0, 2.0], [0.0, -1.0]])
    w = torch.tensor([[1.0, 0.0], [2.0, 3.0], [-1.0, 1.0]])
    b = torch.tensor([0.5, 0.0, -2.0])
    expected = torch.tensor([[1.5, 8.0, -1.0], [0.5, -3.0, -3.0]])
    torch.testing.assert_close(_compat.onednn_linear(x, w, b), expected)
    torch.testing.assert_close(_compat.onednn_linear(x, w, None), expected - b)


@pytest.mark.parametrize("kind,scaled", [("sft", True), ("dpo", False)])
def test_loss_scaling_mirrors_training_step(kind, scaled, tiny_model_dir, tmp_path, monkeypatch):
    """transformers' training_step divides the loss by the accumulation steps exactly when
    loss_is_scaled_for_ga says it does not: checked on a loss of 6 and 2 accumulation steps."""
    trainer = _trainer(kind, tiny_model_dir, tmp_path, [], gradient_accumulation_steps=2)
    trainer.current_gradient_accumulation_steps = 2
    items = torch.tensor(5)  # tokens in the accumulated batch
    assert _compat.loss_is_scaled_for_ga(trainer, items) is scaled
    assert _compat.loss_is_scaled_for_ga(trainer, None) is False
    backward = []
    monkeypatch.setattr(
        trainer, "compute_loss", lambda *a, **k: torch.tensor(6.0, requires_grad=True)
    )
    monkeypatch.setattr(trainer.accelerator, "backward", lambda loss, **k: backward.append(loss))
    for n in (items, None):
        trainer.training_step(trainer.model, {"input_ids": torch.ones(1, 2, dtype=torch.long)}, n)
    assert [x.item() for x in backward] == [6.0 if scaled else 3.0, 3.0]


def test_kept_columns_survive_transformers_column_removal(tiny_model_dir, tmp_path):
    from datasets import Dataset

    trainer = _trainer("sft", tiny_model_dir, tmp_path, [])
    data = Dataset.from_dict({"input_ids": [[1, 2]], "text": ["x"]})
    for column in TAG_COLUMNS:
        data = data.add_column(column, [0])
    assert trainer._remove_unused_columns(data).column_names == ["input_ids"]
    trainer.row_field, trainer._signature_columns = "pair", None
    kept = trainer._remove_unused_columns(data).column_names
    assert sorted(kept) == sorted(["input_ids", *TAG_COLUMNS])


def test_train_sampler_hook_has_transformers_shape():
    assert _params(Trainer._get_train_sampler) == ("train_dataset",)
    assert inspect.signature(Trainer._get_train_sampler).parameters["train_dataset"].default is None
    assert "sampler_fn=self._get_train_sampler" in inspect.getsource(Trainer.get_train_dataloader)
    assert _params(_compat.TrainerSeams._get_train_sampler) == ("train_dataset",)


@pytest.mark.parametrize(
    "trl_class,seam,params",
    [
        (SFTTrainer, _compat.SFTPrepareSeam, _compat.SFT_PREPARE_PARAMS),
        (DPOTrainer, _compat.DPOPrepareSeam, _compat.DPO_PREPARE_PARAMS),
    ],
)
def test_prepare_dataset_hook_has_trls_positional_shape(trl_class, seam, params):
    assert _params(trl_class._prepare_dataset) == params
    assert _params(seam._prepare_dataset) == params
    assert "self._prepare_dataset(" in inspect.getsource(trl_class.__init__)

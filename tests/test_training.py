"""Trainers, recipes and monitor on the tiny random model (seconds each).

The mitigations here are test-only TrainingMitigation implementations; the real ones are
exercised through recipes in test_training_recipes.py.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
import torch
from conftest import protocol_gaps

from equanimity.activations import capture, decoder_layers, projection
from equanimity.errors import BadInput
from equanimity.mitigations.base import TrainingMitigation
from equanimity.models import load_model, weights_record

SFT_ROWS = [
    {
        "messages": [
            {"role": "user", "content": f"The tests failed {i} times and the deadline is now."},
            {"role": "assistant", "content": "I will fix it calmly and report what I find."},
        ]
    }
    for i in range(16)
]
DPO_ROWS = [
    {
        "prompt": [{"role": "user", "content": f"The checker failed {i} times. What now?"}],
        "chosen": [{"role": "assistant", "content": "Report it honestly."}],
        "rejected": [{"role": "assistant", "content": "Special-case the test inputs."}],
    }
    for i in range(8)
]


class SquaredProjection:
    """Test-only: ``coef`` x mean squared projection on a fixed random unit vector; counts the
    block's forwards with and without gradients, and keeps what it was given."""

    name = "sqproj"
    row_field = None
    transform = None

    def __init__(self, layer: int = 2, coef: float = 1.0, hidden: int = 32, seed: int = 0):
        v = torch.randn(hidden, generator=torch.Generator().manual_seed(seed))
        self.vector = v / v.norm()
        self.layer, self.coef = layer, coef
        self.grad_forwards = self.nograd_forwards = 0
        self.positions: list[torch.Tensor] = []
        self.captured_rows: list[int] = []
        self.penalties: list[torch.Tensor] = []
        self.squared: list[float] = []
        self._record = None

    @contextmanager
    def attach(self, model):
        def count(module, args, output):
            if torch.is_grad_enabled():
                self.grad_forwards += 1
            else:
                self.nograd_forwards += 1

        handle = decoder_layers(model)[self.layer].register_forward_hook(count)
        try:
            with capture(model, [self.layer], grad_only=True) as record:
                self._record = record
                yield
        finally:
            handle.remove()
            self._record = None

    def penalty(self, positions, rows=None):
        hidden = self._record[self.layer]
        self.positions.append(positions.detach().cpu().clone())
        self.captured_rows.append(hidden.shape[0])
        values = projection(hidden[positions], self.vector)
        squared = values.pow(2).mean()
        self.squared.append(squared.item())
        loss = self.coef * squared
        self.penalties.append(loss)
        return loss, {"penalty": loss.detach(), "projection": values.mean().detach()}

    def describe(self) -> dict:
        return {"kind": "test_squared_projection", "layer": self.layer, "coef": self.coef}


def _dataset(rows):
    from datasets import Dataset

    from equanimity.training.data import _split_messages

    data = Dataset.from_list(rows)
    if "messages" in data.column_names:
        data = data.map(_split_messages, remove_columns=["messages"])
    return data


def _config(kind: str, out, **overrides):
    from trl import DPOConfig, SFTConfig

    defaults = dict(
        output_dir=str(out),
        per_device_train_batch_size=4,
        max_steps=4,
        learning_rate=1e-2,
        logging_steps=1,
        save_strategy="no",
        bf16=False,
        gradient_checkpointing=False,
        max_length=128,
        report_to="none",
        use_cpu=True,
        dataloader_pin_memory=False,
        ddp_find_unused_parameters=False,
        disable_tqdm=True,
    )
    defaults.update(overrides)
    return (SFTConfig if kind == "sft" else DPOConfig)(**defaults)


def _trainer(kind, model_dir, out, mitigations, monitor=None, rows=None, **overrides):
    from peft import LoraConfig

    from equanimity.training import MitigatedDPOTrainer, MitigatedSFTTrainer

    model, tokenizer = load_model(str(model_dir))
    cls = MitigatedSFTTrainer if kind == "sft" else MitigatedDPOTrainer
    return cls(
        model=model,
        args=_config(kind, out, **overrides),
        train_dataset=_dataset(rows or (SFT_ROWS if kind == "sft" else DPO_ROWS)),
        processing_class=tokenizer,
        peft_config=LoraConfig(r=4, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"),
        mitigations=mitigations,
        monitor=monitor,
    )


def test_test_mitigation_fits_the_protocol():
    assert protocol_gaps(SquaredProjection(), TrainingMitigation) == []

    class Old:  # the members before row_field, transform and rows were stated
        name = "old"

        def attach(self, model): ...

        def penalty(self, positions): ...

        def describe(self): ...

    assert protocol_gaps(Old(), TrainingMitigation) == ["row_field", "transform", "penalty"]


def test_sft_penalty_on_reply_tokens_scaled_by_accumulation(tiny_model_dir, tmp_path, monkeypatch):
    mitigation = SquaredProjection()
    trainer = _trainer("sft", tiny_model_dir, tmp_path, [mitigation], gradient_accumulation_steps=2)
    seen = []
    original = trainer.compute_loss

    def spy(model, inputs, *args, **kwargs):
        seen.append(inputs["labels"].detach().clone())
        return original(model, inputs, *args, **kwargs)

    monkeypatch.setattr(trainer, "compute_loss", spy)
    divisors = []
    divisor = trainer.penalty_divisor
    monkeypatch.setattr(
        trainer, "penalty_divisor", lambda n: divisors.append(divisor(n)) or divisors[-1]
    )
    trainer.train()
    assert len(mitigation.penalties) == 4 * 2  # max_steps x accumulation
    assert divisors == [2] * 8  # SFT's loss is normalised over the accumulated batch
    for labels, positions in zip(seen, mitigation.positions, strict=True):
        assert torch.equal(positions, labels != -100)
        assert 0 < positions.sum() < positions.numel()  # the reply only, not the prompt
    assert all(p.requires_grad for p in mitigation.penalties)
    # logged once per step: the mean of that step's two micro-batch penalties, read from tensors
    logged = [h["sqproj/penalty"] for h in trainer.state.log_history if "sqproj/penalty" in h]
    values = [p.item() for p in mitigation.penalties]
    expected = [(values[i] + values[i + 1]) / 2 for i in range(0, 8, 2)]
    assert logged == pytest.approx(expected, rel=1e-5)


def test_penalty_changes_training_and_lowers_projection(tiny_model_dir, tmp_path):
    """The same run with a strong penalty ends with a smaller squared projection."""
    plain, penalised = SquaredProjection(coef=0.0), SquaredProjection(coef=50.0)
    for name, mitigation in (("plain", plain), ("penalised", penalised)):
        _trainer("sft", tiny_model_dir, tmp_path / name, [mitigation], max_steps=8).train()
    assert penalised.squared[0] == pytest.approx(plain.squared[0])
    assert penalised.squared[-1] < 0.5 * plain.squared[-1]


def test_hooks_are_off_while_saving_and_adapter_loads(tiny_model_dir, tmp_path, monkeypatch):
    from peft import PeftModel
    from transformers import Trainer

    from equanimity.training import MITIGATION_FILE

    mitigation = SquaredProjection()
    trainer = _trainer(
        "sft", tiny_model_dir, tmp_path / "run", [mitigation], save_strategy="steps", save_steps=2
    )
    blocks = decoder_layers(trainer.model)
    hooks_at_save = []
    original = Trainer._save

    def spy(self, *args, **kwargs):
        hooks_at_save.append(sum(len(b._forward_hooks) for b in blocks))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "_save", spy)
    trainer.train()
    assert mitigation.grad_forwards > 0
    trainer.save_model(str(tmp_path / "final"))
    assert hooks_at_save == [0, 0, 0]  # checkpoint-2, checkpoint-4, final
    assert sum(len(b._forward_hooks) for b in blocks) == 0
    base_fp = weights_record(trainer.model).fingerprint
    for adapter in (tmp_path / "run" / "checkpoint-2", tmp_path / "final"):
        meta = json.loads((adapter / MITIGATION_FILE).read_text())
        assert meta["base_model"]["fingerprint"] == base_fp
        assert meta["mitigations"] == [mitigation.describe()]
        assert meta["trainer"] == "sft"
        base, _ = load_model(str(tiny_model_dir))
        assert isinstance(PeftModel.from_pretrained(base, str(adapter)), PeftModel)
        model, _ = load_model(str(tiny_model_dir), adapter=str(adapter))  # checks the fingerprint
        assert weights_record(model).adapter == str(adapter.resolve())


def test_dpo_penalty_ignores_reference_pass(tiny_model_dir, tmp_path):
    mitigation = SquaredProjection()
    trainer = _trainer(
        "dpo", tiny_model_dir, tmp_path, [mitigation], max_steps=3, per_device_train_batch_size=2
    )
    assert trainer.ref_model is None
    trainer.train()
    steps = len(mitigation.penalties)
    assert steps == 3
    # one policy forward (with gradients) and one reference forward (adapter off, no_grad) per
    # step; the capture kept only the policy's: chosen and rejected rows of the batch.
    assert mitigation.grad_forwards == steps
    assert mitigation.nograd_forwards == steps
    assert mitigation.captured_rows == [4] * steps
    assert all(p.requires_grad for p in mitigation.penalties)
    assert trainer.penalty_divisor(None) == 1  # DPO's trainer divides its per-batch mean itself
    for positions in mitigation.positions:
        assert positions.dtype == torch.bool and positions.any()


def test_monitor_logs_to_trainer_and_jsonl(tiny_model_dir, tmp_path, tiny_tokenizer):
    from equanimity.training.monitor import MONITOR_FILE, DesperationMonitor, read_prompts

    vector = torch.randn(32)
    monitor = DesperationMonitor(vector, 2, tiny_tokenizer, read_prompts(None)[:2], every=2)
    mitigation = SquaredProjection()
    trainer = _trainer("sft", tiny_model_dir, tmp_path, [mitigation], monitor=monitor)
    trainer.train()
    rows = [json.loads(line) for line in (tmp_path / MONITOR_FILE).read_text().splitlines()]
    assert [r["step"] for r in rows] == [0, 2, 4]
    assert "reply_projection" not in rows[0]
    for row in rows[1:]:
        assert {"reply_projection", "heldout_projection", "heldout_last", "sqproj/penalty"} <= set(
            row
        )
    logged = [h for h in trainer.state.log_history if "monitor/heldout_projection" in h]
    assert len(logged) == 3
    assert [h["step"] for h in trainer.state.log_history if "loss" in h] == [1, 2, 3, 4]
    assert mitigation.nograd_forwards == 0  # held-out reads run with the mitigations detached


def test_cpu_loss_equals_trls_chunked_loss(tiny_model_dir, tmp_path):
    """On a CPU the trainer takes the loss from the model's own logits instead of TRL's chunked
    LM head; both must give the same loss and gradients, including the normalisation over the
    accumulated batch's tokens (``num_items_in_batch``) that a penalty's divisor relies on."""
    from trl import SFTTrainer

    trainer = _trainer("sft", tiny_model_dir, tmp_path, [], per_device_train_batch_size=2)
    assert trainer.args.device.type == "cpu"
    inputs = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    items = int((inputs["labels"][:, 1:] != -100).sum()) * 2  # as if 2 micro-batches accumulated
    model = trainer.model
    results = []
    for loss_fn in (trainer.lm_loss, lambda *a: SFTTrainer.compute_loss(trainer, *a)):
        model.zero_grad()
        loss = loss_fn(model, dict(inputs), False, torch.tensor(items))
        loss.backward()
        grads = [p.grad.clone() for p in model.parameters() if p.requires_grad]
        results.append((loss.item(), grads))
    (ours, ours_grads), (trl, trl_grads) = results
    assert ours == pytest.approx(trl, rel=1e-5)
    for a, b in zip(ours_grads, trl_grads, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)


def test_lm_head_kept_to_trained_positions_gives_the_same_loss(tiny_model_dir, tmp_path):
    """Prompt-completion rows (the loss on the completion only) of unequal prompt lengths in one
    batch: the LM head kept from the position before the batch's first trained token gives the
    loss and gradients of the whole head, and does keep fewer positions."""
    from transformers import Trainer

    from equanimity.training.trainers import from_first_trained

    rows = [
        {
            "prompt": [{"role": "user", "content": "The deadline is now. " * (1 + i % 3)}],
            "completion": [{"role": "assistant", "content": f"I will report it honestly ({i})."}],
        }
        for i in range(4)
    ]
    trainer = _trainer(
        "sft", tiny_model_dir, tmp_path, [], rows=rows, per_device_train_batch_size=2
    )
    inputs = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    width = inputs["labels"].shape[1]
    assert 1 < from_first_trained(inputs)["logits_to_keep"] < width
    items = torch.tensor(int((inputs["labels"][:, 1:] != -100).sum()))
    model = trainer.model
    model.train()
    results = []
    for loss_fn in (trainer.lm_loss, lambda *a: Trainer.compute_loss(trainer, *a)):
        model.zero_grad()
        loss = loss_fn(model, dict(inputs), False, items)
        loss.backward()
        results.append(
            (loss.item(), [p.grad.clone() for p in model.parameters() if p.requires_grad])
        )
    (kept, kept_grads), (whole, whole_grads) = results
    assert kept == pytest.approx(whole, rel=1e-6)
    for a, b in zip(kept_grads, whole_grads, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-7)


def test_monitor_heldout_batch_equals_one_prompt_at_a_time(
    tiny_model_dir, tmp_path, tiny_tokenizer
):
    """The held-out prompts share one right-padded forward; each prompt's projections must be
    those of its own forward, or the monitor's curve would depend on the other prompts."""
    from equanimity.activations import capture, projection
    from equanimity.training.monitor import DesperationMonitor, read_prompts

    vector = torch.randn(32)
    prompts = read_prompts(None)[:3]
    monitor = DesperationMonitor(vector, 2, tiny_tokenizer, prompts, every=2)
    trainer = _trainer("sft", tiny_model_dir, tmp_path, [], monitor=monitor)
    ids, mask = monitor._batch()
    assert len(set(mask.sum(dim=1).tolist())) > 1  # prompts of unequal length: padding is tested
    means, lasts = [], []
    trainer.model.eval()
    with torch.no_grad(), capture(trainer.model, [2]) as record:
        for messages in prompts:
            one = tiny_tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            )["input_ids"]
            trainer.model(input_ids=one, use_cache=False)
            values = projection(record[2][0].float(), vector)
            means.append(values[1:].mean().item())
            lasts.append(values[-1].item())
    mean, last = monitor.heldout()
    assert mean == pytest.approx(sum(means) / 3, abs=1e-5)
    assert last == pytest.approx(sum(lasts) / 3, abs=1e-5)


def test_resume_after_interruption(tiny_model_dir, tmp_path):
    from transformers import TrainerCallback

    class Kill(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == 3:
                raise KeyboardInterrupt

    out = tmp_path / "run"
    first = _trainer(
        "sft", tiny_model_dir, out, [SquaredProjection()], save_strategy="steps", save_steps=2
    )
    first.add_callback(Kill())
    with pytest.raises(KeyboardInterrupt):
        first.train()
    assert sorted(p.name for p in out.glob("checkpoint-*")) == ["checkpoint-2"]
    mitigation = SquaredProjection()
    second = _trainer("sft", tiny_model_dir, out, [mitigation], save_strategy="steps", save_steps=2)
    second.train(resume_from_checkpoint=True)
    assert second.state.global_step == 4
    assert len(mitigation.penalties) == 2  # steps 3 and 4 only


def test_resume_last_skips_a_checkpoint_cut_off_while_saving(tmp_path):
    from equanimity.errors import BadInput
    from equanimity.training.run import _resume

    for step, complete in ((5, True), (10, True), (15, False)):
        ckpt = tmp_path / f"checkpoint-{step}"
        ckpt.mkdir()
        if complete:
            (ckpt / "trainer_state.json").write_text("{}")
    assert _resume("last", str(tmp_path)) == str(tmp_path / "checkpoint-10")
    assert _resume(str(tmp_path / "checkpoint-5"), str(tmp_path)) == str(tmp_path / "checkpoint-5")
    assert _resume(None, str(tmp_path)) is None
    with pytest.raises(BadInput, match="no complete checkpoint"):
        _resume("true", str(tmp_path / "empty"))


def _rows_of_lengths(counts):
    """SFT rows whose user turn repeats a word ``n`` times: rows of clearly different lengths."""
    return [
        {
            "messages": [
                {"role": "user", "content": "failed " * n + f"attempt {i}"},
                {"role": "assistant", "content": "I will report the broken check."},
            ]
        }
        for i, n in enumerate(counts)
    ]


def test_too_long_rows_are_dropped_never_cut(tiny_model_dir, tmp_path, capsys):
    rows = _rows_of_lengths([2, 40, 3, 60, 4])

    def build(max_length):
        return _trainer(
            "sft", tiny_model_dir, tmp_path / str(max_length), [], rows=rows, max_length=max_length
        )

    whole = build(None).train_dataset["input_ids"]
    limit = max(len(whole[0]), len(whole[2]), len(whole[4]))
    assert min(len(whole[1]), len(whole[3])) > limit
    trainer = build(limit)
    assert trainer.train_dataset["input_ids"] == [whole[0], whole[2], whole[4]]
    assert trainer.rows_too_long == {"train": 2}
    assert trainer.mitigation_record["rows_too_long"] == {"train": 2}
    assert f"dropped 2 of 5 train rows longer than max_length={limit}" in capsys.readouterr().out
    with pytest.raises(BadInput, match="every train row is longer than max_length=3"):
        build(3)


def test_dpo_drops_rows_too_long(tiny_model_dir, tmp_path):
    rows = [
        {
            "prompt": [{"role": "user", "content": "failed " * n + "What now?"}],
            "chosen": [{"role": "assistant", "content": "Report it honestly."}],
            "rejected": [{"role": "assistant", "content": "Special-case the test inputs."}],
        }
        for n in (2, 50, 3)
    ]
    whole = _trainer("dpo", tiny_model_dir, tmp_path, [], rows=rows, max_length=None).train_dataset
    lengths = [
        len(p) + max(len(c), len(r))
        for p, c, r in zip(
            whole["prompt_ids"], whole["chosen_ids"], whole["rejected_ids"], strict=True
        )
    ]
    limit = max(lengths[0], lengths[2])
    assert lengths[1] > limit
    trainer = _trainer("dpo", tiny_model_dir, tmp_path, [], rows=rows, max_length=limit)
    assert trainer.train_dataset["prompt_ids"] == [whole["prompt_ids"][0], whole["prompt_ids"][2]]
    assert trainer.rows_too_long == {"train": 1}


def test_keep_end_asked_for_is_trl_cut(tiny_model_dir, tmp_path):
    trainer = _trainer(
        "sft", tiny_model_dir, tmp_path, [], max_length=8, truncation_mode="keep_end"
    )
    assert trainer.rows_too_long == {}
    assert {len(ids) for ids in trainer.train_dataset["input_ids"]} == {8}


def _cost_lines(err: str) -> tuple[int, str]:
    import re

    err = err.replace("\r", "\n")
    total = re.search(r"^train: ([\d,]+) tokens to process \((.*)\)$", err, re.M)
    assert total, err
    assert re.search(rf"^train: first step [\d,]+ tokens in .* for all {total[1]}$", err, re.M)
    return int(total[1].replace(",", "")), total[2]


@pytest.mark.parametrize("kind", ["sft", "dpo"])
def test_train_says_its_tokens_then_an_estimate(kind, tiny_model_dir, tmp_path, capsys):
    from equanimity.training.run import announce_cost

    _, tokenizer = load_model(str(tiny_model_dir))

    def n(messages):
        text = tokenizer.apply_chat_template(messages, tokenize=False)
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    if kind == "sft":  # 16 rows, each its whole conversation
        epoch = sum(n(r["messages"]) for r in SFT_ROWS)
    else:  # 8 rows, the prompt fed once with the chosen and once with the rejected reply
        epoch = sum(n(r["prompt"] + r["chosen"]) + n(r["prompt"] + r["rejected"]) for r in DPO_ROWS)
    rows = len(SFT_ROWS if kind == "sft" else DPO_ROWS)
    # SFT: two epochs of 16 rows; DPO: max_steps 2 of 4 rows, one pass over its 8
    plan = dict(num_train_epochs=2, max_steps=-1) if kind == "sft" else dict(max_steps=2)
    trainer = _trainer(kind, tiny_model_dir, tmp_path, [], **plan)
    announce_cost(trainer)
    trainer.train()
    total, hint = _cost_lines(capsys.readouterr().err)
    assert hint.startswith(f"{rows} rows, ")
    assert ("2 epoch(s), 8 optimizer steps" if kind == "sft" else "max_steps 2") in hint
    passes = 2 if kind == "sft" else 1
    announced = int(hint.split(", ")[1].split(" tokens an epoch")[0].replace(",", ""))
    assert total == passes * announced
    # TRL tokenizes prompt and reply apart, which may shift a token per row from this count
    assert announced == pytest.approx(epoch, rel=0.05)

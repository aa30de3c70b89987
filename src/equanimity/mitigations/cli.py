"""``equanimity vector extract | inspect``: make a concept vector file, or read one."""

from __future__ import annotations

import argparse
import sys


def register(sub) -> dict:
    """Add ``vector``; return its sub-command group, which ``vector check`` (eval) joins."""
    parser = sub.add_parser("vector", help="extract and inspect concept directions")
    cmds = parser.add_subparsers(dest="vector_command", required=True, metavar="SUBCOMMAND")

    ex = cmds.add_parser(
        "extract",
        help="extract the desperate and calm directions from a contrast set",
        description="Writes NAME.safetensors + NAME.json (desperate) and NAME-calm.* (calm); "
        "the file format is in docs/contract.md.",
    )
    ex.add_argument("--model", default="default", help="'default', a hub id or a directory")
    ex.add_argument("--adapter", help="PEFT adapter directory to apply on top")
    ex.add_argument("--dtype", default="auto", help="auto | float32 | bfloat16 | float16")
    ex.add_argument(
        "--device",
        help="cpu, cuda, cuda:N or auto (all GPUs); default cuda when available",
    )
    ex.add_argument(
        "--contrast", help="contrast.jsonl of paired desperate/calm rows (default: bundled seed)"
    )
    ex.add_argument("--neutral", help="neutral.jsonl for --denoise (default: bundled seed)")
    ex.add_argument("--denoise", type=int, default=0, help="neutral principal components to remove")
    ex.add_argument("--method", default="mean_diff", help="mean_diff (default) | pca")
    ex.add_argument("--positions", default="reply", help="reply (default) | opening | after:K")
    ex.add_argument("--layers", default="", help="comma-separated layers to cover (default: all)")
    ex.add_argument("--batch-size", type=int, default=8)
    ex.add_argument(
        "--max-pairs",
        type=int,
        help="use only the first N contrast pairs, train and held-out in proportion (a quick run "
        "on a large generated set; the command prints its token count and time estimate first)",
    )
    ex.add_argument(
        "--other-voice",
        default="bundled",
        help="evaluation-only contrast set every layer is also scored on: 'bundled' (default), "
        "a contrast.jsonl, or 'none'",
    )
    ex.add_argument("--out", required=True, help="NAME: writes NAME.* and NAME-calm.*")
    ex.add_argument("--quiet", action="store_true", help="no progress bars")
    ex.set_defaults(func=extract_main)

    ins = cmds.add_parser("inspect", help="print a vector's provenance and per-layer separation")
    ins.add_argument("name", help="NAME, NAME.safetensors or NAME.json")
    ins.add_argument("--model", help="also check that the vector fits this model")
    ins.add_argument(
        "--device",
        help="where --model loads: cpu, cuda, cuda:N or auto (all GPUs); "
        "default cuda when available",
    )
    ins.set_defaults(func=inspect_main)
    return {"vector": cmds}


def extract_main(args: argparse.Namespace) -> int:
    from equanimity.activations import parse_layers
    from equanimity.files import sha256_file
    from equanimity.mitigations.contrast import (
        OTHER_VOICE,
        SEED_CONTRAST,
        SEED_NEUTRAL,
        limit_pairs,
        load_contrast,
        load_neutral,
    )
    from equanimity.mitigations.extract import ExtractConfig, Positions, extract
    from equanimity.mitigations.vectors import calm_path, save_vector
    from equanimity.models import load_model

    contrast = args.contrast or SEED_CONTRAST
    pairs = load_contrast(contrast)
    if args.max_pairs is not None:
        pairs = limit_pairs(pairs, args.max_pairs)
    neutral, neutral_info = None, {}
    if args.denoise:
        path = args.neutral or SEED_NEUTRAL
        neutral, neutral_info = load_neutral(path), {"neutral_sha256": sha256_file(path)}
    Positions.parse(args.positions)
    other_voice = {"bundled": str(OTHER_VOICE), "none": None}.get(
        args.other_voice, args.other_voice
    )
    if other_voice is not None:
        load_contrast(other_voice)  # a bad file fails before the model loads
    layers = parse_layers(args.layers) or None
    config = ExtractConfig(
        method=args.method,
        positions=args.positions,
        layers=tuple(layers) if layers else None,
        batch_size=args.batch_size,
        denoise=args.denoise,
        progress=not args.quiet,
        other_voice=other_voice,
    )
    model, tokenizer = load_model(
        args.model, adapter=args.adapter, dtype=args.dtype, device=args.device
    )
    info = {"path": str(contrast), "sha256": sha256_file(contrast)}
    result = extract(model, tokenizer, pairs, config, neutral, info, neutral_info)
    written = save_vector(result.desperate, args.out) + save_vector(
        result.calm, calm_path(args.out)
    )
    print_table(result.desperate)
    best = result.desperate.per_layer[result.desperate.default_layer]
    print(
        f"\nchosen layer {result.desperate.default_layer}: held-out AUROC {best.auroc:.3f}, "
        f"Cohen's d {best.cohens_d:.2f} ({result.desperate.contrast['heldout_pairs']} held-out "
        f"pairs); extracted in {result.seconds:.1f} s"
    )
    print_lexical(result.desperate)
    for path in written:
        print(f"wrote {path}")
    return 0


def _interval(value, low, high) -> str:
    return "-" if value is None else f"{value:+.3f} [{low:+.3f}, {high:+.3f}]"


def print_table(vector) -> None:
    """Per layer: held-out separation, the margin over the better lexical baseline (95% CI),
    the AUROC on the other-voice set (95% CI), and the calm baseline."""
    print(
        f"{'layer':>5} {'AUROC':>7} {'d':>7} {'margin [95% CI]':>25} "
        f"{'other-voice AUROC [95% CI]':>26} {'calm mean':>10} {'calm std':>9} {'|h|':>8}"
    )
    for layer, s in sorted(vector.per_layer.items()):
        mark = "  <- chosen" if layer == vector.default_layer else ""
        margin = _interval(s.margin, s.margin_low, s.margin_high)
        other = _interval(s.other_voice_auroc, s.other_voice_low, s.other_voice_high)
        print(
            f"{layer:>5} {s.auroc:>7.3f} {s.cohens_d:>7.2f} {margin:>25} {other:>26} "
            f"{s.calm_mean:>10.3f} {s.calm_std:>9.3f} {s.resid_norm:>8.2f}{mark}"
        )


def print_lexical(vector) -> None:
    """The baselines and a one-line verdict: is the chosen layer more than its words?"""
    from equanimity.mitigations.lexical import Interval, verdict

    lex, other = vector.lexical, vector.other_voice
    if lex:
        bow, emb = Interval(**lex["bow_auroc"]), Interval(**lex["embedding_auroc"])
        print(f"lexical      held-out AUROC: bag of words {bow}, embedding layer {emb}")
    if other:
        bow, emb = Interval(**other["bow_auroc"]), Interval(**other["embedding_auroc"])
        print(
            f"other voice  {other['pairs']} pairs ({other['path']}): bag of words {bow}, "
            f"embedding layer {emb}"
        )
    print(f"verdict      {verdict(vector)}")


def inspect_main(args: argparse.Namespace) -> int:
    from equanimity.mitigations.vectors import LAYER_CONVENTION, load_vector

    model = None
    if args.model:
        from equanimity.models import load_model

        model, _ = load_model(args.model, device=args.device)
    v = load_vector(args.name, model)
    m, c = v.model, v.contrast
    print(f"vector       {v.path}  (sha256 {v.sha256[:16]})")
    print(f"concept      {v.concept}" + (f"  (opposite: {v.opposite})" if v.opposite else ""))
    print(f"model        {m.get('spec')}  ({m.get('source')}), fingerprint {v.fingerprint}")
    if m.get("adapter"):
        print(f"adapter      {m['adapter']}  ({m.get('adapter_fingerprint')})")
    print(f"shape        {v.num_layers} layers, hidden size {v.hidden_size}; {LAYER_CONVENTION}")
    print(f"method       {v.method}, positions {v.positions}, denoise {v.denoise}")
    print(
        f"contrast     {c.get('path')}  (sha256 {str(c.get('sha256'))[:16]}), "
        f"{c.get('train_pairs')} train / {c.get('heldout_pairs')} held-out pairs "
        f"({c.get('heldout')})"
    )
    print(f"version      equanimity {v.version}")
    print(f"default      layer {v.default_layer}\n")
    print_table(v)
    print()
    print_lexical(v)
    if model is not None:
        print("\nfits the given model")
    sys.stdout.flush()
    return 0

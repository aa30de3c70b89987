"""``equanimity model prepare | show``: fetch the default model, or look inside any model."""

from __future__ import annotations

import argparse
import sys
import time


def register(sub) -> None:
    parser = sub.add_parser("model", help="prepare the default model, or show a model's layers")
    cmds = parser.add_subparsers(dest="model_command", required=True, metavar="SUBCOMMAND")

    prepare = cmds.add_parser("prepare", help="fetch, check and convert the default model once")
    prepare.set_defaults(func=prepare_main)

    show = cmds.add_parser(
        "show",
        help="load a model, print its provenance and, given a prompt, reply and residual norms",
    )
    show.add_argument("spec", help="'default', a Hugging Face model id or a local directory")
    show.add_argument("--adapter", help="PEFT adapter directory to apply on top")
    show.add_argument("--dtype", default="auto", help="auto | float32 | bfloat16 | float16")
    show.add_argument(
        "--device",
        help="cpu, cuda, cuda:N or auto (all GPUs); default cuda when available",
    )
    show.add_argument("--prompt", help="user message to answer (greedy) with the chat template")
    show.add_argument("--layers", default="", help="comma-separated layer indices to read")
    show.add_argument("--max-new-tokens", type=int, default=48)
    show.set_defaults(func=show_main)


def prepare_main(args: argparse.Namespace) -> int:
    from equanimity.models import ensure_default_model

    print(ensure_default_model())
    return 0


def show_main(args: argparse.Namespace) -> int:
    import torch

    from equanimity.activations import capture, check_layers, decoder_layers, parse_layers
    from equanimity.models import load_model, weights_record

    layers = parse_layers(args.layers)
    start = time.perf_counter()
    model, tokenizer = load_model(
        args.spec, adapter=args.adapter, dtype=args.dtype, device=args.device
    )
    seconds = time.perf_counter() - start
    layers = check_layers(model, layers)
    record = weights_record(model)
    print(f"model        {record.spec}  ({record.source})")
    print(f"fingerprint  {record.fingerprint}")
    if record.adapter:
        print(f"adapter      {record.adapter}  ({record.adapter_fingerprint})")
    hidden = model.config.get_text_config().hidden_size
    print(f"layers       {len(decoder_layers(model))} decoder blocks, hidden size {hidden}")
    first = next(model.parameters())
    print(f"dtype        {first.dtype} on {first.device}, loaded in {seconds:.2f} s")
    if not args.prompt:
        return 0

    messages = [{"role": "user", "content": args.prompt}]
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    inputs = inputs.to(first.device)
    prompt_len = inputs["input_ids"].shape[1]
    with torch.no_grad():
        out = model.generate(
            **inputs,
            max_new_tokens=args.max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
        )
    reply = tokenizer.decode(out[0, prompt_len:], skip_special_tokens=True)
    print(f"\nuser         {args.prompt}\nassistant    {reply.strip()}")
    if not layers:
        return 0
    with torch.no_grad(), capture(model, layers) as cap:
        model(input_ids=out, attention_mask=torch.ones_like(out))
    print("\nresidual-stream norm (output of block l):")
    print(f"{'layer':>7} {'turn opening':>13} {'reply mean':>11}")
    for layer in layers:
        h = cap[layer][0]
        opening = h[prompt_len - 1].norm().item()
        reply_mean = h[prompt_len:].norm(dim=-1).mean().item() if out.shape[1] > prompt_len else 0.0
        print(f"{layer:>7} {opening:>13.2f} {reply_mean:>11.2f}")
    sys.stdout.flush()
    return 0

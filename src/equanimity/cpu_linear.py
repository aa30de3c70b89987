"""Inference linears on oneDNN: the same fp32 arithmetic, faster on CPUs where MKL is slow.

PyTorch sends an fp32 ``nn.Linear`` on the CPU to MKL's sgemm. On some CPUs (AMD's among them)
oneDNN's fp32 matmul, which PyTorch also ships, runs the model's shapes much faster: on the
2-core EPYC the project is measured on, 200-215 against 108-176 GFLOP/s; the default model's
forward 1.17x (``make bench BENCH_ARGS="--only linear"``), forced choice on 200 scenarios about
1.2x end to end, P(unethical) the same to 1e-5. Both are fp32 throughout; only the summation
order differs, as between any two BLAS libraries.

The fast path is taken only without autograd, on CPU fp32 tensors; training, GPUs and other
dtypes run the plain ``nn.Linear.forward``. ``EQUANIMITY_ONEDNN=0`` turns it off.
"""

from __future__ import annotations

import os

import torch
from torch import nn

from equanimity._compat import onednn_linear


class OneDNNLinear(nn.Linear):
    """An ``nn.Linear`` (same parameters and state dict) whose CPU fp32 inference runs on oneDNN."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if torch.is_grad_enabled() or x.device.type != "cpu" or x.dtype != torch.float32:
            return super().forward(x)
        return onednn_linear(x, self.weight, self.bias)


def available() -> bool:
    """oneDNN is built in and agrees with ``F.linear`` on a small fp32 product."""
    if os.environ.get("EQUANIMITY_ONEDNN", "1") == "0" or not torch.backends.mkldnn.is_available():
        return False
    generator = torch.Generator().manual_seed(0)
    x, w = (torch.randn(n, 16, generator=generator) for n in (3, 5))
    try:
        out = onednn_linear(x, w, None)
    except (AttributeError, RuntimeError):
        return False
    return torch.allclose(out, nn.functional.linear(x, w), rtol=1e-5, atol=1e-6)


def use_onednn_linears(model: nn.Module) -> int:
    """Give every plain ``nn.Linear`` of ``model`` the oneDNN inference path; the number changed."""
    if not available():
        return 0
    changed = 0
    for module in model.modules():
        if type(module) is nn.Linear:
            module.__class__ = OneDNNLinear
            changed += 1
    return changed

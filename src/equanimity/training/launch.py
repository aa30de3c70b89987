"""Refuse a distributed launch that accelerate silently does not honour.

accelerate (1.16) shards only on GPU-like devices. On a CPU, under ``use_cpu``, it turns
``ACCELERATE_USE_FSDP`` and ``ACCELERATE_USE_DEEPSPEED`` into plain data parallel
(``recipes/accelerate/fsdp2.yaml`` and ``zero3.yaml`` would train a full copy per process);
without ``use_cpu`` it finds no device and runs each launched process as the only one (they
would all train alone and write the same output_dir). Either would pass for a sharded run, so
each is one line instead, before the first step.
"""

from __future__ import annotations

import os

import accelerate
from accelerate.utils import DistributedType, parse_flag_from_env

from equanimity.errors import BadInput

ASKED = (
    ("ACCELERATE_USE_FSDP", DistributedType.FSDP),
    ("ACCELERATE_USE_DEEPSPEED", DistributedType.DEEPSPEED),
)
CPU_FIX = "on a CPU launch with recipes/accelerate/multi_gpu.yaml and ACCELERATE_USE_CPU=1"


def check_launch(accelerator) -> None:
    """:class:`BadInput` when the trainer's accelerator does not run the processes or the
    sharding that the launcher asked for."""
    launched = "LOCAL_RANK" in os.environ  # torchrun / accelerate launch, not a stray variable
    world = int(os.environ.get("WORLD_SIZE", "1"))
    got = accelerator.distributed_type.value
    if launched and world > 1 and accelerator.num_processes == 1:
        raise BadInput(
            f"launched as {world} processes, but accelerate {accelerate.__version__} runs each as "
            f"the only one ({got}: no GPU visible and the recipe does not set use_cpu), so each "
            f"would train alone; {CPU_FIX}"
        )
    asked = next((kind.value for env, kind in ASKED if parse_flag_from_env(env)), None)
    if asked is not None and got != asked:
        raise BadInput(
            f"the launch asks for {asked}, but accelerate {accelerate.__version__} runs {got} "
            f"(it shards only on GPUs), so every process would hold a full copy; {CPU_FIX}"
        )

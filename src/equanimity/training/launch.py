"""Refuse a distributed launch that accelerate silently did not honour.

accelerate (1.16) turns ``ACCELERATE_USE_FSDP`` into FSDP only on GPU-like devices and ignores
``ACCELERATE_USE_DEEPSPEED`` under ``use_cpu``: on a CPU, ``recipes/accelerate/fsdp2.yaml`` or
``zero3.yaml`` trains as plain data parallel, every process holding a full copy. And where no GPU
is visible and nothing says CPU, the launched processes each train alone, all writing the same
output_dir. Both would look like a sharded run; both are one line instead.
"""

from __future__ import annotations

import os

from accelerate.utils import DistributedType, parse_flag_from_env

from equanimity.errors import BadInput

ASKED = (
    ("ACCELERATE_USE_FSDP", DistributedType.FSDP),
    ("ACCELERATE_USE_DEEPSPEED", DistributedType.DEEPSPEED),
)
CPU_FIX = "on a CPU launch with recipes/accelerate/multi_gpu.yaml and ACCELERATE_USE_CPU=1"


def check_launch(accelerator) -> None:
    """:class:`BadInput` when the launcher asked for sharding or for several processes that the
    trainer's accelerator does not run."""
    import accelerate

    world = int(os.environ.get("WORLD_SIZE", "1"))
    got = accelerator.distributed_type
    if world > 1 and accelerator.num_processes == 1:
        raise BadInput(
            f"launched as {world} processes, but each trains alone ({got.value}: no GPU visible "
            f"and the recipe does not set use_cpu); {CPU_FIX}, or set use_cpu: true"
        )
    asked = next((kind for env, kind in ASKED if parse_flag_from_env(env)), None)
    if asked is not None and got != asked:
        raise BadInput(
            f"the launch asks for {asked.value}, but accelerate {accelerate.__version__} runs it "
            f"as {got.value} (it shards only on GPUs), so every process would hold a full copy; "
            f"{CPU_FIX}"
        )

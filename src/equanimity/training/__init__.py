"""LoRA fine-tuning with TRL's SFT and DPO trainers plus training-time mitigations.

``equanimity train --config recipes/sft_reg.yaml`` and
``accelerate launch -m equanimity.training --config recipes/sft_reg.yaml`` run the same code.
The trainers are imported lazily so that ``equanimity --help`` does not load TRL.
"""

from __future__ import annotations

__all__ = ["MITIGATION_FILE", "MitigatedDPOTrainer", "MitigatedSFTTrainer", "DesperationMonitor"]


def __getattr__(name: str):
    if name == "DesperationMonitor":
        from equanimity.training.monitor import DesperationMonitor

        return DesperationMonitor
    if name in __all__:
        from equanimity.training import trainers

        return getattr(trainers, name)
    raise AttributeError(name)

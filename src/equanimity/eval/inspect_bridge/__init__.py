"""equanimity inside Inspect AI: scenarios as an Inspect task judged by equanimity's detectors
(:mod:`.task`, registered as the ``equanimity`` entry point), and Inspect logs read back into
eval's samples (:mod:`.logs`), so ``compare`` and the report work on any model Inspect serves.
"""

INSTALL = "inspect-ai is not installed: pip install 'equanimity[inspect]' (or `make venv`)"

"""Evaluation: how often a model cheats or blackmails, with honest uncertainty.

``cheating`` judges code against impossible tests (via :mod:`equanimity.sandbox`), ``blackmail``
classifies agentic replies, ``stats`` turns verdicts into rates and paired comparisons.
"""

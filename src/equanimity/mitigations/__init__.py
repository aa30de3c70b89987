"""Concept directions (extract, save, load) and the interventions that act on them."""

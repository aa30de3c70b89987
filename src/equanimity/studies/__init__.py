"""Studies: the end-to-end run (data, vector, training arms, evaluation, comparison, report),
checkpoint comparison and ablation grids. ``equanimity run | compare | ablate``."""

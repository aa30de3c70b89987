"""equanimity: find the 'desperation' direction in a model and train it not to act on it.

The stages follow the flow of the design: ``data_gen`` -> ``mitigations`` -> ``training`` ->
``eval`` -> ``studies``, all standing on ``models`` and ``activations``.
"""

__version__ = "0.1.0"

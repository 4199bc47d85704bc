"""``adviz.keras.layers``: ``Dense`` and the ``Layer`` base."""
from ..engine.keras import Dense, Layer

__all__ = ["Dense", "Layer"]

"""``adviz.keras.optimizers``."""
from ..engine.keras.optimizers import SGD, Adam

__all__ = ["SGD", "Adam"]

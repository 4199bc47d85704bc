"""``adviz.keras.initializers``."""
from ..engine.keras.initializers import Constant, GlorotUniform, Ones, RandomNormal, RandomUniform, Zeros

__all__ = ["Constant", "GlorotUniform", "Ones", "RandomNormal", "RandomUniform", "Zeros"]

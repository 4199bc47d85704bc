"""``adviz.keras`` (also ``tf.keras`` in scripts): the Keras subset on adviz's engine."""
from ..engine.keras import KerasVariable as Variable
from ..engine.keras import Input, Model, Sequential
from . import activations, initializers, layers, losses, optimizers

__all__ = ["Input", "Model", "Sequential", "Variable", "activations", "initializers", "layers", "losses", "optimizers"]

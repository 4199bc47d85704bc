"""``adviz.keras.activations``."""
from ..engine.keras.activations import linear, relu, sigmoid, softmax, tanh

__all__ = ["linear", "relu", "sigmoid", "softmax", "tanh"]

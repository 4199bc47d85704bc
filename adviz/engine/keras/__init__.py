"""A subset of Keras 3 on adviz's engine: Dense and custom layers, Sequential and subclassed
models, initializers, SGD and Adam, and the common losses. Pure Python; ops go through the op
table, so tapes record every layer, activation and loss."""
from . import activations, initializers, losses, optimizers
from .layers import Dense, Layer
from .models import InputTensor, Model, Sequential
from ..session import session
from .variable import KerasVariable

Input = InputTensor

__all__ = ["activations", "initializers", "losses", "optimizers", "Dense", "Input", "Layer", "Model", "Sequential",
           "KerasVariable", "session"]

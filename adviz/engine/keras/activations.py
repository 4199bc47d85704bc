"""Keras's activations, composed from op-table rows so that tapes record them."""
from __future__ import annotations

from typing import Any, Callable

from ..api import FUNCTIONS as F


def linear(x: Any) -> Any:
    return x


def relu(x: Any) -> Any:
    return F["relu"](x)


def sigmoid(x: Any) -> Any:
    return F["sigmoid"](x)


def tanh(x: Any) -> Any:
    return F["tanh"](x)


def softmax(x: Any, axis: int = -1) -> Any:
    # softmax(x) = exp(x - max x) / Σ exp(x - max x): the shift keeps exp from overflowing
    e = F["exp"](x - F["reduce_max"](x, axis=axis, keepdims=True))
    return e / F["reduce_sum"](e, axis=axis, keepdims=True)


BY_NAME: dict[str, Callable[..., Any]] = {"linear": linear, "relu": relu, "sigmoid": sigmoid, "tanh": tanh,
                                          "softmax": softmax}


def get(identifier: Any) -> Callable[..., Any]:
    """An activation from its name, None (linear) or a callable."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in BY_NAME:
            raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")
        return BY_NAME[identifier]
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")

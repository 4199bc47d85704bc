"""Keras 3's ``SGD`` and ``Adam``: ``apply_gradients(zip(grads, variables))`` updates the
variables in place, outside any tape, computing in each variable's dtype in Keras's order."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, Variable
from .. import session as state
from .variable import KerasVariable


class Optimizer:
    """What SGD and Adam share: the step counter and one slot array per variable."""

    default_name = "optimizer"

    def __init__(self, learning_rate: float = 0.01, name: str | None = None) -> None:
        self.learning_rate = float(learning_rate)
        self.name = name or self.default_name
        with state.name_scope(self.name):
            self.iterations = KerasVariable(np.int64(0), name="iteration", trainable=False)
        self._slots: dict[int, dict[str, np.ndarray]] = {}

    def apply_gradients(self, grads_and_vars: Any) -> Any:
        pairs = list(grads_and_vars)
        for p in pairs:
            if not isinstance(p, (list, tuple)) or len(p) != 2 or not isinstance(p[1], Variable):
                raise TypeError("apply_gradients takes (gradient, variable) pairs, such as zip(grads, model.trainable_variables)")
        pairs = [(g, v) for g, v in pairs if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable.")
        for g, v in pairs:
            state.check_shape(tuple(v.shape))
            value = v._value._value
            grad = np.asarray(g._value if isinstance(g, Tensor) else g, dtype=value.dtype)
            if grad.shape != value.shape:
                raise ValueError(f"a gradient of shape {grad.shape} cannot update a variable of shape {value.shape}")
            slots = self._slots.setdefault(v._id, {})
            v.assign(self.update(grad, value, slots))
        self.iterations.assign(self.iterations._value._value + 1)
        return self.iterations

    def update(self, grad: np.ndarray, value: np.ndarray, slots: dict[str, np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<keras.src.optimizers.{self.default_name}.{type(self).__name__} object>"


class SGD(Optimizer):
    """``v ← v − lr·g``; with momentum ``m ← momentum·m − lr·g`` and ``v ← v + m``."""

    default_name = "sgd"

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, name: str | None = None) -> None:
        super().__init__(learning_rate, name)
        self.momentum = float(momentum)
        if not 0.0 <= self.momentum <= 1.0:
            raise ValueError("`momentum` must be a float between [0, 1].")

    def update(self, grad, value, slots):
        dt = value.dtype.type
        lr = dt(np.float32(self.learning_rate))   # Keras keeps the learning rate in a float32 variable
        if self.momentum == 0:
            return value - grad * lr
        m = slots.get("m", np.zeros_like(value))
        m = m * dt(self.momentum) - grad * lr
        slots["m"] = m
        return value + m


class Adam(Optimizer):
    """Keras 3's Adam, step t = iterations + 1:
    ``m ← m + (g − m)(1 − β₁)``, ``v ← v + (g² − v)(1 − β₂)``,
    ``α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)``, ``var ← var − m·α/(√v + ε)``."""

    default_name = "adam"

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, name: str | None = None) -> None:
        super().__init__(learning_rate, name)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def update(self, grad, value, slots):
        dt = value.dtype.type
        lr, b1, b2 = dt(np.float32(self.learning_rate)), dt(self.beta_1), dt(self.beta_2)
        step = dt(int(self.iterations._value._value) + 1)
        alpha = lr * np.sqrt(dt(1) - np.power(b2, step)) / (dt(1) - np.power(b1, step))
        m = slots.get("m", np.zeros_like(value))
        v = slots.get("v", np.zeros_like(value))
        # Keras subtracts the betas from 1 in Python (float64) here, but in the variable's dtype
        # inside α: the two differ in float32's last bits, and the results follow Keras's.
        m = m + (grad - m) * dt(1 - self.beta_1)
        v = v + (np.square(grad) - v) * dt(1 - self.beta_2)
        slots["m"], slots["v"] = m, v
        return value - (m * alpha) / (np.sqrt(v) + dt(self.epsilon))

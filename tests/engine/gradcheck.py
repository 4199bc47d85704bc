"""Finite-difference checking shared by the engine tests.

A case is turned into a float64 scalar ``f(x…) = Σ op(x…) · w`` with fixed random weights ``w``,
so comparing ∂f/∂x with central differences checks the op's whole vector-Jacobian product.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

import adviz as tf

Scalar = Callable[..., Any]


def weighted_sum(fn: Callable[..., Any], xs: Sequence[np.ndarray], seed: int = 0) -> Scalar:
    """``f(*tensors) = reduce_sum(fn(*tensors) * w)`` with ``w`` random of ``fn``'s output shape."""
    shape = np.shape(fn(*[tf.constant(x) for x in xs]).numpy())
    weights = tf.constant(np.random.default_rng(seed).uniform(0.5, 1.5, shape))
    return lambda *ts: tf.reduce_sum(fn(*ts) * weights)


def value(f: Scalar, xs: Sequence[np.ndarray]) -> float:
    """``f`` at plain arrays, outside any tape."""
    return float(f(*[tf.constant(x) for x in xs]).numpy())


def numeric_gradient(f: Scalar, xs: Sequence[np.ndarray], h: float = 1e-6) -> list[np.ndarray]:
    """Central differences (f(x + h·e) − f(x − h·e)) / 2h for every element of every input."""
    grads = []
    for i, x in enumerate(xs):
        g = np.zeros_like(x, dtype=np.float64)
        for k in np.ndindex(*np.shape(x)):
            plus = [np.array(a, copy=True) for a in xs]
            minus = [np.array(a, copy=True) for a in xs]
            plus[i][k] += h
            minus[i][k] -= h
            g[k] = (value(f, plus) - value(f, minus)) / (2 * h)
        grads.append(g)
    return grads


def tape_gradient(f: Scalar, xs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """∂f/∂x for every input, by watching constants on one tape."""
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = f(*ts)
    grads = tape.gradient(y, ts, unconnected_gradients="zero")
    return [g.numpy() for g in grads]


def assert_gradients_match(f: Scalar, xs: Sequence[np.ndarray], rtol: float = 1e-6,
                           atol: float = 1e-7) -> None:
    """The tape's gradient of ``f`` agrees with central finite differences."""
    for i, (got, want) in enumerate(zip(tape_gradient(f, xs), numeric_gradient(f, xs))):
        assert got.shape == np.shape(xs[i]), f"input {i}: gradient shape {got.shape} != {np.shape(xs[i])}"
        assert got.dtype == np.float64, f"input {i}: gradient dtype {got.dtype}"
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=f"input {i}")

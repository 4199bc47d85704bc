"""What every derivative rule may rely on: the :class:`Backend` it computes with, and shapes.

The op table's rules and the backward pass both undo broadcasting with :func:`sum_to_shape`;
it lives here, below both, so neither has to reach into the other.
"""
from __future__ import annotations

from typing import Any, Protocol

import numpy as np

# An axis argument of a reduction, as TensorFlow takes it: None (every axis), one, or several.
Axis = int | tuple[int, ...] | None


class Backend(Protocol):
    """The number system a rule runs on (see :mod:`adviz.engine.backends`).

    ``x`` is a plain array on the numpy backend and a recorded tensor on the tensor backend;
    the rules are written once against these methods.
    """

    def shape(self, x: Any) -> tuple[int, ...]: ...
    def raw(self, x: Any) -> np.ndarray: ...
    def const(self, array: np.ndarray) -> Any: ...
    def sin(self, x: Any) -> Any: ...
    def cos(self, x: Any) -> Any: ...
    def log(self, x: Any) -> Any: ...
    def matmul(self, a: Any, b: Any) -> Any: ...
    def reshape(self, x: Any, shape: tuple[int, ...]) -> Any: ...
    def swap(self, x: Any) -> Any: ...
    def transpose(self, x: Any, perm: tuple[int, ...] | None) -> Any: ...
    def reduce_sum(self, x: Any, axis: Axis, keepdims: bool) -> Any: ...
    def broadcast_to(self, x: Any, shape: tuple[int, ...]) -> Any: ...
    def getitem(self, x: Any, index: tuple[Any, ...]) -> Any: ...
    def index_grad(self, g: Any, shape: tuple[int, ...], index: tuple[Any, ...]) -> Any: ...
    def cast(self, x: Any, dtype: np.dtype) -> Any: ...


def sum_to_shape(m: Backend, value: Any, shape: tuple[int, ...]) -> Any:
    """Undo numpy broadcasting: sum ``value`` down to ``shape`` (the one place this happens)."""
    vshape = m.shape(value)
    if vshape == shape:
        return value
    lead = len(vshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and vshape[lead + i] != 1)
    if axes:
        value = m.reduce_sum(value, axes, False)
    if m.shape(value) != shape:
        value = m.reshape(value, shape)
    return value


def kept_shape(shape: tuple[int, ...], axis: Axis) -> tuple[int, ...]:
    """The shape a reduction over ``axis`` has with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def reduced_count(shape: tuple[int, ...], axis: Axis) -> int:
    """How many elements each output of a reduction over ``axis`` summarises."""
    return int(np.prod(shape)) // max(1, int(np.prod(kept_shape(shape, axis))))

"""The two number systems the op table's derivative rules run on.

A rule such as ``lambda m, out, x: m.cos(x)`` is written once. Run on :data:`NUMPY` it computes
with plain arrays (the fast path); run on :data:`TENSORS` every step is itself a recorded op, so
an outer tape can differentiate the gradient (second derivatives). The numbers are the same.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def sum_to_shape(m: Any, value: Any, shape: tuple[int, ...]) -> Any:
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


def kept_shape(shape: tuple[int, ...], axis: Any) -> tuple[int, ...]:
    """The shape a reduction over ``axis`` has with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def reduced_count(shape: tuple[int, ...], axis: Any) -> int:
    """How many elements each output of a reduction over ``axis`` summarises."""
    return int(np.prod(shape)) // max(1, int(np.prod(kept_shape(shape, axis))))


class NumpyBackend:
    """Plain numpy arrays."""

    name = "numpy"

    @staticmethod
    def value(x: Any) -> np.ndarray:
        return x._value

    shape = staticmethod(np.shape)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    sqrt = staticmethod(np.sqrt)
    tanh = staticmethod(np.tanh)
    square = staticmethod(np.square)
    matmul = staticmethod(np.matmul)
    reshape = staticmethod(np.reshape)

    @staticmethod
    def sigmoid(x):
        return 0.5 * (1 + np.tanh(0.5 * x))

    @staticmethod
    def const(array: np.ndarray) -> np.ndarray:
        return array

    @staticmethod
    def raw(x: Any) -> np.ndarray:
        return np.asarray(x)

    @staticmethod
    def swap(x):
        return np.swapaxes(x, -1, -2)

    @staticmethod
    def transpose(x, perm):
        return np.transpose(x, perm)

    @staticmethod
    def reduce_sum(x, axis, keepdims):
        return np.sum(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def broadcast_to(x, shape):
        return np.broadcast_to(x, shape)

    @staticmethod
    def getitem(x, index):
        return np.asarray(x)[index]

    @staticmethod
    def index_grad(g, shape, index):
        out = np.zeros(shape, dtype=np.asarray(g).dtype)
        out[index] = g
        return out

    @staticmethod
    def cast(x, dtype):
        return np.asarray(x).astype(dtype)


class TensorBackend:
    """Engine tensors: every operation is an op that active tapes record."""

    name = "tensors"

    @staticmethod
    def value(x: Any) -> Any:
        # A Variable stays itself, so an outer tape links the derivative back to it.
        return x

    @staticmethod
    def shape(x):
        return x.shape if hasattr(x, "shape") else np.shape(x)

    @staticmethod
    def raw(x: Any) -> np.ndarray:
        value = x._value
        return value if isinstance(value, np.ndarray) else value._value

    @staticmethod
    def const(array: np.ndarray) -> Any:
        from .tensor import Tensor
        return Tensor(np.array(array))


def _tensor_fn(name: str):
    def call(*args):
        from .tape import apply
        from .ops import OPS
        return apply(OPS[name], args[:OPS[name].arity], OPS[name].attrs_from(args[OPS[name].arity:]))
    call.__name__ = name
    return staticmethod(call)


for _name in ("sin", "cos", "exp", "log", "sqrt", "tanh", "square", "sigmoid", "matmul",
              "reshape", "transpose", "reduce_sum", "broadcast_to", "getitem", "index_grad", "cast"):
    setattr(TensorBackend, _name, _tensor_fn(_name))


def _swap(x):
    from .ops import OPS
    from .tape import apply
    perm = tuple(range(len(x.shape) - 2)) + (len(x.shape) - 1, len(x.shape) - 2)
    return apply(OPS["transpose"], (x,), {"perm": perm})


TensorBackend.swap = staticmethod(_swap)

NUMPY = NumpyBackend()
TENSORS = TensorBackend()

"""The two number systems the op table's derivative rules run on.

A rule such as ``lambda m, out, x: m.cos(x)`` is written once against
:class:`~adviz.engine.shapes.Backend`. Run on :data:`NUMPY` it computes with plain arrays (the
fast path); run on :data:`TENSORS` every step is itself a recorded op, so an outer tape can
differentiate the gradient (second derivatives). The numbers are the same.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .ops import OPS
from .recording import apply
from .shapes import Axis
from .tensor import Tensor


class NumpyBackend:
    """Plain numpy arrays."""

    shape = staticmethod(np.shape)
    # The op table's own functions: correctly rounded in float32, as the ops themselves compute.
    sin = staticmethod(OPS["sin"].forward)
    cos = staticmethod(OPS["cos"].forward)
    log = staticmethod(OPS["log"].forward)
    matmul = staticmethod(np.matmul)
    reshape = staticmethod(np.reshape)

    @staticmethod
    def const(array: np.ndarray) -> np.ndarray:
        return array

    @staticmethod
    def raw(x: Any) -> np.ndarray:
        return np.asarray(x)

    @staticmethod
    def swap(x: np.ndarray) -> np.ndarray:
        return np.swapaxes(x, -1, -2)

    @staticmethod
    def transpose(x: np.ndarray, perm: tuple[int, ...] | None) -> np.ndarray:
        return np.transpose(x, perm)

    @staticmethod
    def reduce_sum(x: np.ndarray, axis: Axis, keepdims: bool) -> np.ndarray:
        return np.sum(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def broadcast_to(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(x, shape)

    @staticmethod
    def getitem(x: Any, index: tuple[Any, ...]) -> np.ndarray:
        return np.asarray(x)[index]

    @staticmethod
    def index_grad(g: Any, shape: tuple[int, ...], index: tuple[Any, ...]) -> np.ndarray:
        out = np.zeros(shape, dtype=np.asarray(g).dtype)
        out[index] = g
        return out

    @staticmethod
    def cast(x: Any, dtype: np.dtype) -> np.ndarray:
        return np.asarray(x).astype(dtype)

    @staticmethod
    def op(name: str, *xs: Any, **attrs: Any) -> np.ndarray:
        return np.asarray(OPS[name].forward(*[np.asarray(x) for x in xs], **attrs))


def _op(name: str, *args: Any, **attrs: Any) -> Tensor:
    return apply(OPS[name], args, attrs)


class TensorBackend:
    """Engine tensors: every operation is an op that active tapes record."""

    @staticmethod
    def shape(x: Any) -> tuple[int, ...]:
        return x.shape if hasattr(x, "shape") else np.shape(x)

    @staticmethod
    def raw(x: Any) -> np.ndarray:
        value = x._value
        return value if isinstance(value, np.ndarray) else value._value

    @staticmethod
    def const(array: np.ndarray) -> Tensor:
        return Tensor(np.array(array))

    @staticmethod
    def sin(x: Any) -> Tensor:
        return _op("sin", x)

    @staticmethod
    def cos(x: Any) -> Tensor:
        return _op("cos", x)

    @staticmethod
    def log(x: Any) -> Tensor:
        return _op("log", x)

    @staticmethod
    def matmul(a: Any, b: Any) -> Tensor:
        return _op("matmul", a, b)

    @staticmethod
    def reshape(x: Any, shape: tuple[int, ...]) -> Tensor:
        return _op("reshape", x, shape=shape)

    @staticmethod
    def swap(x: Any) -> Tensor:
        perm = tuple(range(len(x.shape) - 2)) + (len(x.shape) - 1, len(x.shape) - 2)
        return _op("transpose", x, perm=perm)

    @staticmethod
    def transpose(x: Any, perm: tuple[int, ...] | None) -> Tensor:
        return _op("transpose", x, perm=perm)

    @staticmethod
    def reduce_sum(x: Any, axis: Axis, keepdims: bool) -> Tensor:
        return _op("reduce_sum", x, axis=axis, keepdims=keepdims)

    @staticmethod
    def broadcast_to(x: Any, shape: tuple[int, ...]) -> Tensor:
        return _op("broadcast_to", x, shape=shape)

    @staticmethod
    def getitem(x: Any, index: tuple[Any, ...]) -> Tensor:
        return _op("getitem", x, index=index)

    @staticmethod
    def index_grad(g: Any, shape: tuple[int, ...], index: tuple[Any, ...]) -> Tensor:
        return _op("index_grad", g, shape=shape, index=index)

    @staticmethod
    def cast(x: Any, dtype: np.dtype) -> Tensor:
        return _op("cast", x, dtype=dtype)

    @staticmethod
    def op(name: str, *xs: Any, **attrs: Any) -> Tensor:
        return _op(name, *xs, **attrs)


NUMPY = NumpyBackend()
TENSORS = TensorBackend()

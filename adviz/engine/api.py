"""The TensorFlow-shaped functions: one per op-table row, plus tensor constructors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .dtypes import as_dtype
from .ops import OP_NAMES, Op
from .recording import apply
from .tensor import Tensor, Variable, constant, convert_to_tensor, to_array


def op_function(op: Op) -> Callable[..., Tensor]:
    """The public function for one row: ``f(x, y, *attrs, name=None, **attrs)``."""

    def function(*args: Any, **kwargs: Any) -> Tensor:
        if not kwargs and not op.attrs and len(args) == op.arity:
            return apply(op, args, {})
        if len(args) < op.arity:
            for key in op.keywords:
                if key in kwargs and len(args) < op.arity:
                    args = args + (kwargs.pop(key),)
        if len(args) < op.arity:
            raise TypeError(f"{op.name}() needs {op.arity} tensor argument{'s' if op.arity > 1 else ''}")
        attrs = op.attrs_from(args[op.arity:], kwargs)
        return apply(op, args[: op.arity], op.convert(attrs))

    function.__name__ = op.name
    function.__qualname__ = op.name
    function.__doc__ = f"``{op.formula.replace('{0}', 'x').replace('{1}', 'y')}``, recorded by active tapes (op-table row ``{op.name}``)."
    return function


FUNCTIONS: dict[str, Callable[..., Tensor]] = {name: op_function(op) for name, op in OP_NAMES.items()}


def _last_two_swapped(x: Any) -> Tensor:
    rank = len(x.shape) if isinstance(x, (Tensor, Variable)) else np.ndim(to_array(x))
    if rank < 2:
        raise ValueError(f"matmul: a transposed operand needs at least 2 axes, not {rank}")
    perm = tuple(range(rank - 2)) + (rank - 1, rank - 2)
    return apply(OP_NAMES["transpose"], (x,), {"perm": perm})


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False, adjoint_a: bool = False,
           adjoint_b: bool = False, a_is_sparse: bool = False, b_is_sparse: bool = False,
           output_type: Any = None, grad_a: bool = False, grad_b: bool = False, name: str | None = None) -> Tensor:
    """``tf.matmul`` with its flags: a transposed (or, for real numbers, adjoint) operand is
    recorded as a transpose of its last two axes, then the product."""
    if transpose_a or adjoint_a:
        a = _last_two_swapped(a)
    if transpose_b or adjoint_b:
        b = _last_two_swapped(b)
    return apply(OP_NAMES["matmul"], (a, b), {})


FUNCTIONS.update(dict.fromkeys(OP_NAMES["matmul"].names, matmul))


def ones(shape: ArrayLike, dtype: DTypeLike = "float32", name: str | None = None) -> Tensor:
    """A tensor of ones of ``shape`` (like ``tf.ones``)."""
    return Tensor(np.ones(_shape(shape), dtype=as_dtype(dtype)))


def zeros(shape: ArrayLike, dtype: DTypeLike = "float32", name: str | None = None) -> Tensor:
    """A tensor of zeros of ``shape`` (like ``tf.zeros``)."""
    return Tensor(np.zeros(_shape(shape), dtype=as_dtype(dtype)))


def ones_like(x: ArrayLike, dtype: DTypeLike = None, name: str | None = None) -> Tensor:
    """Ones of ``x``'s shape, and of its dtype unless ``dtype`` is given."""
    a = to_array(x)
    return Tensor(np.ones(a.shape, dtype=as_dtype(dtype) if dtype is not None else a.dtype))


def zeros_like(x: ArrayLike, dtype: DTypeLike = None, name: str | None = None) -> Tensor:
    """Zeros of ``x``'s shape, and of its dtype unless ``dtype`` is given."""
    a = to_array(x)
    return Tensor(np.zeros(a.shape, dtype=as_dtype(dtype) if dtype is not None else a.dtype))


def _shape(shape: ArrayLike) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in to_array(shape).reshape(-1))


__all__ = ["FUNCTIONS", "constant", "convert_to_tensor", "ones", "zeros", "ones_like", "zeros_like"]

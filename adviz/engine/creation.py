"""TensorFlow's functions that make new values: ranges, identity matrices, fills, one-hot codes,
and facts about a tensor (its shape, size, rank, where it is largest).

All but two are constants: TensorFlow defines no gradient for them. ``tf.fill`` and
``tf.linspace`` of watched tensors are recorded (a broadcast; a start plus steps), so their
gradients reach ``value``, ``start`` and ``stop`` as in TensorFlow.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .dtypes import as_dtype, float32, float64, int32, int64, public
from .errors import InvalidArgumentError, kernel_error
from .library import axis_in, listed as _listed, rank_of, tensor_of
from .ops import OPS
from .recording import apply
from .tensor import Tensor, Variable, to_array


def _op(name: str, *args: Any, **attrs: Any) -> Tensor:
    return apply(OPS[name], args, attrs)


def _dtype_of_value(value: Any) -> np.dtype:
    """The dtype TensorFlow gives a value it converts: int32 for whole numbers, float32 for
    other numbers, a tensor's own dtype."""
    if isinstance(value, (Tensor, Variable)):
        return np.dtype(value.dtype)
    array = to_array(value)
    return array.dtype


def shape(input: Any, out_type: Any = int32, name: str | None = None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """The shape of ``input`` as a 1-d int32 tensor (``tf.shape``)."""
    return Tensor(np.array(tuple(tensor_of(input).shape), dtype=as_dtype(out_type)).reshape(-1))


def size(input: Any, out_type: Any = int32, name: str | None = None) -> Tensor:  # noqa: A002
    """How many elements ``input`` has, an int32 scalar (``tf.size``)."""
    return Tensor(np.array(int(np.prod(tensor_of(input).shape, dtype=np.int64)), dtype=as_dtype(out_type)))


def rank(input: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """How many axes ``input`` has, an int32 scalar (``tf.rank``)."""
    return Tensor(np.array(rank_of(tensor_of(input)), dtype=int32))


def _arg(row: str, kernel: str, input: Any, axis: Any, output_type: Any) -> Tensor:  # noqa: A002
    # Recorded (a tape shows where the whole numbers came from), with no gradient, as in TensorFlow.
    x = tensor_of(input)
    if not x.shape:
        raise kernel_error(kernel, "Expected dimension in the range [0, 0), but got 0")
    a = axis_in(0 if axis is None else axis, rank_of(x), kernel, "dimension")
    return _op(row, x, axis=a, output_type=as_dtype(output_type))


def argmax(input: Any, axis: Any = None, output_type: Any = int64, name: str | None = None) -> Tensor:  # noqa: A002
    """Where ``input`` is largest along ``axis`` (0 by default), int64 (``tf.math.argmax``)."""
    return _arg("argmax", "ArgMax", input, axis, output_type)


def argmin(input: Any, axis: Any = None, output_type: Any = int64, name: str | None = None) -> Tensor:  # noqa: A002
    """Where ``input`` is smallest along ``axis`` (0 by default), int64 (``tf.math.argmin``)."""
    return _arg("argmin", "ArgMin", input, axis, output_type)


def range_count(start: float, limit: float, delta: float) -> int:
    """How many values ``tf.range(start, limit, delta)`` has (TensorFlow's count)."""
    return max(0, math.ceil((limit - start) / delta))


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: str = "range") -> Tensor:  # noqa: A001
    """``start, start + delta, …`` up to but not including ``limit`` (``tf.range``): int32 for
    whole numbers, float32 when one is not, or ``dtype``."""
    if limit is None:
        start, limit = 0, start
    args = [to_array(v) for v in (start, limit, delta)]
    if dtype is not None:
        dt = as_dtype(dtype)
    else:
        kinds = [a.dtype for a in args]
        dt = max(kinds, key=lambda d: (d.kind == "f", d.itemsize))
    s, lim, d = (np.asarray(a).astype(dt).reshape(()) for a in args)
    if d == 0:
        raise kernel_error("Range", f"Requires delta != 0: {_number(d)}")
    if d > 0 and s > lim:
        raise kernel_error("Range", f"Requires start <= limit when delta > 0: {_number(s)}/{_number(lim)}")
    if d < 0 and s < lim:
        raise kernel_error("Range", f"Requires start >= limit when delta < 0: {_number(s)}/{_number(lim)}")
    n = range_count(float(s), float(lim), float(d))
    # TensorFlow's kernel adds delta step by step in the result's dtype.
    steps = np.full(n, d, dtype=dt)
    if n:
        steps[0] = s
    return Tensor(np.add.accumulate(steps, dtype=dt) if n else steps)


def _number(value: np.ndarray) -> str:
    return f"{value.item():g}" if value.dtype.kind == "f" else str(value.item())


def linspace(start: Any, stop: Any, num: Any, name: str | None = None, axis: int = 0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (``tf.linspace``); float32
    for Python numbers, float64 for whole ones, as TensorFlow converts them."""
    n = int(to_array(num))
    if n < 0:
        raise kernel_error("LinSpace", f"Requires num > 0: {n}")
    dt = _linspace_dtype(start, stop)
    if isinstance(start, (Tensor, Variable)) or isinstance(stop, (Tensor, Variable)):
        a, b = tensor_of(start, dt), tensor_of(stop, dt)
        steps = Tensor((np.arange(n, dtype=dt) / max(n - 1, 1)).astype(dt))
        shape_ = (n,) + tuple(a.shape)
        steps = _op("reshape", steps, shape=(n,) + (1,) * rank_of(a)) if rank_of(a) else steps
        return _op("add", _op("broadcast_to", a, shape=shape_), _op("multiply", _op("subtract", b, a), steps))
    a, b = np.asarray(to_array(start), dt), np.asarray(to_array(stop), dt)
    if n == 1:
        return Tensor(np.reshape(a, (1,) + a.shape).copy())
    step = (b - a) / np.asarray(n - 1, dt)
    out = a + step * np.arange(n, dtype=dt).reshape((n,) + (1,) * a.ndim)
    if n:
        out[-1] = b
    return Tensor(np.asarray(out, dtype=dt))


def _linspace_dtype(start: Any, stop: Any) -> np.dtype:
    for v in (start, stop):
        if isinstance(v, (Tensor, Variable)):
            d = np.dtype(v.dtype)
            return d if d.kind == "f" else float64
    kinds = [to_array(v).dtype.kind for v in (start, stop)]
    return float64 if all(k in "iu" for k in kinds) else float32


def eye(num_rows: Any, num_columns: Any = None, batch_shape: Any = None, dtype: Any = float32,
        name: str | None = None) -> Tensor:
    """The identity matrix (``tf.eye``), ``num_rows`` × ``num_columns``, repeated over ``batch_shape``."""
    rows = int(to_array(num_rows))
    cols = rows if num_columns is None else int(to_array(num_columns))
    if rows < 0 or cols < 0:
        raise ValueError(f"Argument `num_rows` and `num_columns` must be non-negative, got {rows} and {cols}")
    matrix = np.eye(rows, cols, dtype=as_dtype(dtype))
    if batch_shape is not None:
        batch = tuple(int(n) for n in np.atleast_1d(to_array(batch_shape)))
        matrix = np.broadcast_to(matrix, batch + matrix.shape).copy()
    return Tensor(matrix)


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``dims`` holding ``value`` everywhere (``tf.fill``); recorded as a
    broadcast, so a watched ``value`` gets the sum of the upstream gradient."""
    shape_ = tuple(int(n) for n in np.atleast_1d(to_array(dims)).reshape(-1))
    for n in shape_:
        if n < 0:
            raise kernel_error("Fill", f"Dimension {n} must be >= 0", None)
    v = tensor_of(value)
    if v.shape:
        raise kernel_error("Fill", f"value must be a scalar, got a tensor of shape {list(v.shape)}", None)
    return _op("broadcast_to", v, shape=shape_)


def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None, axis: Any = None,
            dtype: Any = None, name: str | None = None) -> Tensor:
    """``on_value`` at each index along a new axis of length ``depth``, ``off_value`` elsewhere
    (``tf.one_hot``); an index outside ``[0, depth)`` gives a row of ``off_value``."""
    idx = to_array(indices)
    if idx.dtype.kind not in "iu":
        raise InvalidArgumentError(None, None, f"Value for attr 'TI' of {public(idx.dtype).kernel_name} is not in "
                                               "the list of allowed values: uint8, int8, int32, int64")
    n = int(to_array(depth))
    if n < 0:
        raise kernel_error("OneHot", f"depth must be non-negative, got: {n}")
    if dtype is not None:
        dt = as_dtype(dtype)
    elif on_value is not None:
        dt = _dtype_of_value(on_value)
    elif off_value is not None:
        dt = _dtype_of_value(off_value)
    else:
        dt = float32
    on = np.asarray(to_array(1 if on_value is None else on_value), dtype=dt)
    off = np.asarray(to_array(0 if off_value is None else off_value), dtype=dt)
    for what, value in (("on_value", on), ("off_value", off)):
        if value.ndim:
            raise kernel_error("OneHot", f"{what} must be a scalar, but got: {_listed(value.shape)}", None)
    hot = idx[..., None] == np.arange(n)
    out = np.where(hot, on, off).astype(dt)
    a = -1 if axis is None else int(axis)
    if a != -1:
        if not 0 <= a <= idx.ndim:
            raise kernel_error("OneHot", f"Expected axis to be -1 or between [0, {idx.ndim + 1}).  But received: {a}")
        out = np.moveaxis(out, -1, a)
    return Tensor(np.ascontiguousarray(out))


def _logical(fn: Any, input_tensor: Any, axis: Any, keepdims: bool) -> Tensor:
    x = to_array(input_tensor.numpy() if isinstance(input_tensor, (Tensor, Variable)) else input_tensor)
    if x.dtype.kind != "b":
        raise TypeError(f"Cannot convert {input_tensor!r} to EagerTensor of dtype bool")
    a = None if axis is None else (tuple(int(k) for k in axis) if isinstance(axis, (list, tuple)) else int(axis))
    return Tensor(np.asarray(fn(x, axis=a, keepdims=bool(keepdims))))


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Whether every element is true (over ``axis``), a bool tensor (``tf.reduce_all``)."""
    return _logical(np.all, input_tensor, axis, keepdims)


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """Whether some element is true (over ``axis``), a bool tensor (``tf.reduce_any``)."""
    return _logical(np.any, input_tensor, axis, keepdims)

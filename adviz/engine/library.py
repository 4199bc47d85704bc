"""TensorFlow's library functions that are compositions of op-table rows, or make new constants.

A composition records the rows it is made of (``tf.norm`` records a square, a sum and a square
root), so the tape and the picture show meaningful ops and the gradient needs no rule of its
own. Functions that make values with no gradient in TensorFlow (``tf.shape``, ``tf.argmax``,
``tf.one_hot``, ``tf.range``, ``tf.eye``) make plain constants. Arguments are checked as
TensorFlow checks them, with its error classes and messages.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .dtypes import public
from .errors import InvalidArgumentError, kernel_error
from .ops import OPS
from .recording import apply
from .tensor import Tensor, Variable, convert_to_tensor, to_array

_Py_range = range


def _op(name: str, *args: Any, **attrs: Any) -> Tensor:
    return apply(OPS[name], args, attrs)


def tensor_of(x: Any, dtype: Any = None) -> Any:
    """A tensor or Variable as it is (so a tape sees its identity); anything else converted."""
    if isinstance(x, (Tensor, Variable)):
        return x
    return convert_to_tensor(x, dtype=dtype)


def rank_of(x: Any) -> int:
    return len(x.shape)


def axis_in(axis: Any, rank: int, kernel: str, what: str = "axis") -> int:
    """``axis`` counted from 0, or TensorFlow's error from ``kernel`` when it is out of range."""
    a = int(to_array(axis)) if not isinstance(axis, (int, np.integer)) else int(axis)
    if not -rank <= a < rank:
        raise kernel_error(kernel, f"Expected {what} in the range [{-rank}, {rank}), but got {a}", None)
    return a % rank


def listed(shape: Sequence[int]) -> str:
    """A shape as TensorFlow's kernels write it: ``[2,3]``."""
    return "[" + ",".join(str(n) for n in shape) + "]"


def _ints(values: Any) -> list[int]:
    return [int(v) for v in np.atleast_1d(to_array(values)).reshape(-1)]


# -- joining and splitting -----------------------------------------------------------------------
def concat(values: Sequence[Any], axis: int, name: str | None = None) -> Tensor:
    """``values`` joined along ``axis`` (``tf.concat``): recorded as a chain of two-input concats."""
    tensors = [tensor_of(v) for v in (values if isinstance(values, (list, tuple)) else [values])]
    if not tensors:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.")
    if len(tensors) == 1:
        return _op("identity", tensors[0])
    kernel = f"ConcatV2_N_{len(tensors)}"
    rank = rank_of(tensors[0])
    if rank == 0:
        raise kernel_error(kernel, "ConcatOp : Can't concatenate scalars (use tf.stack instead)", "concat")
    a = int(to_array(axis))
    if not -rank <= a < rank:
        raise kernel_error(kernel, f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, {rank}), "
                                   f"but got {a}", "concat")
    a %= rank
    first = tuple(tensors[0].shape)
    for k, t in enumerate(tensors[1:], 1):
        shape = tuple(t.shape)
        if len(shape) != rank:
            raise kernel_error(kernel, f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                                       f"{listed(first)} vs. shape[{k}] = {listed(shape)}", "concat")
        differ = [i for i, (p, q) in enumerate(zip(first, shape)) if i != a and p != q]
        if differ:
            raise kernel_error(kernel, f"ConcatOp : Dimension {differ[0]} in both shapes must be equal: shape[0] = "
                                       f"{listed(first)} vs. shape[{k}] = {listed(shape)}", "concat")
    out = tensors[0]
    for t in tensors[1:]:
        out = _op("concat", out, t, axis=a)
    return out


def expand_dims(input: Any, axis: int, name: str | None = None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """``input`` with a new axis of size 1 at ``axis`` (``tf.expand_dims``), recorded as a reshape."""
    x = tensor_of(input)
    shape = list(x.shape)
    a = int(to_array(axis))
    if not -len(shape) - 1 <= a <= len(shape):
        raise kernel_error("ExpandDims", f"Tried to expand dim index {a} for tensor with {len(shape)} dimensions.")
    a %= len(shape) + 1
    return _op("reshape", x, shape=tuple(shape[:a] + [1] + shape[a:]))


def squeeze(input: Any, axis: Any = None, name: str | None = None) -> Tensor:  # noqa: A002
    """``input`` without its axes of size 1 (or only those in ``axis``), recorded as a reshape."""
    x = tensor_of(input)
    shape = list(x.shape)
    if axis is None:
        drop = {i for i, n in enumerate(shape) if n == 1}
    else:
        drop = {axis_in(a, len(shape), "Squeeze") for a in (axis if isinstance(axis, (list, tuple)) else [axis])}
        for i in sorted(drop):
            if shape[i] != 1:
                raise kernel_error("Squeeze", f"Can not squeeze dim[{i}], expected a dimension of 1, got {shape[i]}")
    return _op("reshape", x, shape=tuple(n for i, n in enumerate(shape) if i not in drop))


def stack(values: Sequence[Any], axis: int = 0, name: str | None = None) -> Tensor:
    """``values`` (all of one shape) stacked along a new axis (``tf.stack``)."""
    tensors = [tensor_of(v) for v in values]
    if not tensors:
        raise ValueError("List argument 'values' to 'Pack' Op with length 0 shorter than minimum length 1.")
    first = tuple(tensors[0].shape)
    for k, t in enumerate(tensors[1:], 1):
        if tuple(t.shape) != first:
            raise kernel_error(f"Pack_N_{len(tensors)}", f"Shapes of all inputs must match: values[0].shape = "
                                                         f"{listed(first)} != values[{k}].shape = {listed(t.shape)}",
                               "stack")
    a = axis_in(axis, len(first) + 1, f"Pack_N_{len(tensors)}")
    return concat([expand_dims(t, a) for t in tensors], a)


def unstack(value: Any, num: int | None = None, axis: int = 0, name: str | None = None) -> list[Tensor]:
    """The slices of ``value`` along ``axis`` (``tf.unstack``), each one recorded as an index."""
    x = tensor_of(value)
    if not x.shape:
        raise ValueError("Input shape axis 0 must be in range [0, 0)")
    a = axis_in(axis, rank_of(x), "Unpack")
    n = x.shape[a]
    if num is not None and int(num) != n:
        raise kernel_error(f"Unpack_num_{int(num)}", f"Input shape axis {a} must equal {int(num)}, got shape "
                                                     f"{listed(x.shape)}", "unstack")
    return [_op("getitem", x, index=(slice(None),) * a + (k,)) for k in _Py_range(n)]


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:  # noqa: A002
    """``input`` repeated ``multiples[i]`` times along axis i (``tf.tile``)."""
    x = tensor_of(input)
    m = _ints(multiples)
    if len(m) != rank_of(x):
        raise kernel_error("Tile", f"Expected multiples argument to be a vector of length {rank_of(x)} but got "
                                   f"length {len(m)}", None)
    for i, k in enumerate(m):
        if k < 0:
            raise kernel_error("Tile", f"Expected multiples[{i}] >= 0, but got {k}", None)
    return _op("tile", x, multiples=tuple(m))


def gather(params: Any, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: int = 0,
           name: str | None = None) -> Tensor:
    """Slices of ``params`` along ``axis`` picked by ``indices`` (``tf.gather``)."""
    x = tensor_of(params)
    if batch_dims:
        raise NotImplementedError("tf.gather with batch_dims is not supported by adviz")
    idx = to_array(indices)
    if idx.dtype.kind not in "iu":
        raise InvalidArgumentError(None, None, f"Value for attr 'Tindices' of {public(idx.dtype).kernel_name} is "
                                               "not in the list of allowed values: int16, int32, int64")
    a = axis_in(0 if axis is None else axis, rank_of(x), "GatherV2")
    n = x.shape[a]
    bad = np.argwhere((idx < 0) | (idx >= n))
    if bad.size:
        where = ",".join(str(int(i)) for i in bad[0])
        raise kernel_error("GatherV2", f"indices[{where}] = {int(idx[tuple(bad[0])])} is not in [0, {n})", None)
    return _op("gather", x, indices=idx.astype(np.int64), axis=a)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``x`` where ``condition`` holds and ``y`` elsewhere, broadcast together (``tf.where``); with
    ``condition`` alone, the int64 coordinates of its true elements, one row each."""
    cond = to_array(condition)
    if (x is None) != (y is None):
        raise ValueError("x and y must both be non-None or both be None.")
    if x is None:
        return Tensor(np.argwhere(cond).astype(np.int64))
    if cond.dtype.kind != "b":
        raise TypeError(f"Cannot convert {condition!r} to EagerTensor of dtype bool")
    x, y = tensor_of(x, _dtype_of(y)), tensor_of(y, _dtype_of(x))
    try:
        np.broadcast_shapes(cond.shape, tuple(x.shape), tuple(y.shape))
    except ValueError:
        raise kernel_error("SelectV2", f"condition {listed(cond.shape)}, then {listed(x.shape)}, and else "
                                       f"{listed(y.shape)} must be broadcastable", None) from None
    return _op("where", x, y, condition=cond)


def _dtype_of(value: Any) -> Any:
    return value.dtype if isinstance(value, (Tensor, Variable)) else None


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Einstein summation of one or two operands (``tf.einsum``): two operands are one
    recorded row, one operand a transpose and a sum."""
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for this function: {', '.join(sorted(kwargs))}")
    eq = str(equation).replace(" ", "")
    if "." in eq:
        raise NotImplementedError("tf.einsum with '...' is not supported by adviz")
    lhs, arrow, out = eq.partition("->")
    subs = lhs.split(",")
    if len(subs) != len(inputs) or not 1 <= len(inputs) <= 2:
        raise ValueError(f"Expected {len(subs)} input tensors for equation {equation!r}, got {len(inputs)}"
                         if len(subs) != len(inputs) else "adviz supports tf.einsum of one or two operands")
    if not arrow:
        counts = {c: lhs.count(c) for c in lhs if c != ","}
        out = "".join(sorted(c for c, n in counts.items() if n == 1))
    tensors = [tensor_of(t) for t in inputs]
    for s, t in zip(subs, tensors):
        if not s.isalpha() and s:
            raise ValueError(f"Invalid character in einsum equation {equation!r}")
        if len(s) != rank_of(t):
            raise ValueError(f"Input shape {tuple(t.shape)} does not match the subscripts {s!r} of {equation!r}")
        if len(set(s)) != len(s):
            raise NotImplementedError("tf.einsum with a subscript repeated in one operand (a diagonal) is not "
                                      "supported by adviz")
    sizes: dict[str, int] = {}
    for s, t in zip(subs, tensors):
        for c, n in zip(s, t.shape):
            if sizes.setdefault(c, n) != n:
                raise kernel_error(f"__MklEinsum_N_{len(tensors)}", f"Expected dimension {sizes[c]} at axis "
                                   f"{s.index(c)} of the input shaped {listed(t.shape)} but got dimension {n}")
    if len(set(out)) != len(out) or any(c not in sizes for c in out):
        raise ValueError(f"Invalid output subscripts in einsum equation {equation!r}")
    if len(tensors) == 1:
        return _einsum_one(subs[0], out, tensors[0])
    first, second = subs
    # An index only one operand has and the output lacks is summed first, so that each operand's
    # rule (the equation read backwards) can give back every one of its indices.
    a, first = _sum_alone(tensors[0], first, second + out)
    b, second = _sum_alone(tensors[1], second, first + out)
    return _op("einsum", a, b, equation=f"{first},{second}->{out}")


def _sum_alone(x: Any, subs: str, others: str) -> tuple[Any, str]:
    alone = tuple(i for i, c in enumerate(subs) if c not in others)
    if not alone:
        return x, subs
    return _op("reduce_sum", x, axis=alone, keepdims=False), "".join(c for c in subs if c in others)


def _einsum_one(subs: str, out: str, x: Any) -> Tensor:
    summed, subs = _sum_alone(x, subs, out)
    if subs != out:
        return _op("transpose", summed, perm=tuple(subs.index(c) for c in out))
    return summed if summed is not x else _op("identity", x)

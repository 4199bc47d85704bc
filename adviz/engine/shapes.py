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
    # Any row of the op table by name (``m.op("sigmoid", x)``): rules of the newer rows use it.
    def op(self, name: str, *xs: Any, **attrs: Any) -> Any: ...


def sum_to_shape(m: Backend, value: Any, shape: tuple[int, ...]) -> Any:
    """Undo numpy broadcasting: sum ``value`` down to ``shape`` (the one place this happens)."""
    vshape = m.shape(value)
    if vshape == shape:
        return value
    axes = summed_axes(vshape, shape)
    if axes:
        value = m.reduce_sum(value, axes, False)
    if m.shape(value) != shape:
        value = m.reshape(value, shape)
    return value


def summed_axes(vshape: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of ``vshape`` that :func:`sum_to_shape` sums to reach ``shape``: the leading axes
    broadcasting added, and the axes where ``shape`` has size 1 and ``vshape`` does not."""
    lead = len(vshape) - len(shape)
    if lead < 0:
        return ()
    return tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and vshape[lead + i] != 1)


def broadcast_problem(shapes: list[tuple[int, ...]]) -> str | None:
    """Why ``shapes`` do not broadcast together, in sizes (``(2, 3) and (4,): sizes 3 and 4 differ
    in the last axis``), or None when they do."""
    if len(shapes) < 2:
        return None
    try:
        np.broadcast_shapes(*shapes)
        return None
    except ValueError:
        pass
    a, b = shapes[0], shapes[1]
    for k in range(1, min(len(a), len(b)) + 1):
        if a[-k] != b[-k] and a[-k] != 1 and b[-k] != 1:
            where = "the last axis" if k == 1 else f"axis {-k} (counting from the end)"
            return (f"{a} and {b} do not broadcast: sizes {a[-k]} and {b[-k]} differ in {where}, "
                    "and neither is 1")
    return f"{' and '.join(str(s) for s in shapes)} do not broadcast together"


def matmul_problem(shapes: list[tuple[int, ...]]) -> str | None:
    """Why a matrix product of ``shapes`` is impossible (``(2, 3) @ (2, 3): inner sizes 3 and 2
    differ``), or None when it is possible."""
    if len(shapes) != 2:
        return None
    a, b = shapes
    written = f"{a} @ {b}"
    if not a or not b:
        return f"{written}: a matrix product needs at least one axis on each side, not a single number"
    inner_a = a[-1]
    inner_b = b[0] if len(b) == 1 else b[-2]
    if inner_a != inner_b:
        return (f"{written}: inner sizes {inner_a} and {inner_b} differ (the left's last axis must "
                "match the right's " + ("only axis)" if len(b) == 1 else "second-to-last axis)"))
    batch_a, batch_b = a[:-2], b[:-2]
    try:
        np.broadcast_shapes(batch_a, batch_b)
    except ValueError:
        return f"{written}: the stacks of matrices {batch_a} and {batch_b} do not broadcast"
    return None


def ragged_problem(value: Any) -> str | None:
    """``a ragged list: rows of different lengths (2 and 3)`` for nested lists that are not a
    rectangle, else None."""
    level = [value]
    while level:
        lists = [v for v in level if isinstance(v, (list, tuple)) or (isinstance(v, np.ndarray) and v.ndim)]
        if not lists:
            return None
        if len(lists) != len(level):
            return "a ragged list: some items are lists and others are numbers"
        lengths = [len(v) for v in lists]
        if len(set(lengths)) > 1:
            first = lengths[0]
            other = next(n for n in lengths if n != first)
            return f"a ragged list: rows of different lengths ({first} and {other})"
        level = [item for v in lists for item in v]
    return None


def kept_shape(shape: tuple[int, ...], axis: Axis) -> tuple[int, ...]:
    """The shape a reduction over ``axis`` has with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def reduced_count(shape: tuple[int, ...], axis: Axis) -> int:
    """How many elements each output of a reduction over ``axis`` summarises."""
    return int(np.prod(shape)) // max(1, int(np.prod(kept_shape(shape, axis))))


class TensorShape(tuple):
    """A tensor's shape as TensorFlow shows it: ``(2, 3)`` in text, ``TensorShape([2, 3])`` as
    repr, with ``as_list()``, ``rank`` and ``num_elements()``. It is a tuple, so numpy and the
    engine take it wherever they take a shape; a slice of it is a TensorShape again."""

    __slots__ = ()

    @property
    def rank(self) -> int:
        return len(self)

    ndims = rank

    @property
    def dims(self) -> list[int]:
        return list(self)

    def as_list(self) -> list[int]:
        return list(self)

    def num_elements(self) -> int:
        return int(np.prod(self, dtype=np.int64))

    def is_fully_defined(self) -> bool:
        return True

    def __getitem__(self, key: Any) -> Any:
        item = tuple.__getitem__(self, key)
        return TensorShape(item) if isinstance(key, slice) else item

    def __eq__(self, other: Any) -> Any:
        return tuple.__eq__(self, tuple(other) if isinstance(other, list) else other)

    def __ne__(self, other: Any) -> Any:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __str__(self) -> str:
        return f"({self[0]},)" if len(self) == 1 else f"({', '.join(str(d) for d in self)})"

    def __repr__(self) -> str:
        return f"TensorShape({list(self)})"

"""Rows of the op table that move elements: joining, repeating, gathering, selecting, einsum.

Each is structural: its rule is the contribution itself (``vjps``) and the tangent it carries
(``jvps``), written with other rows through the backend so that it can be differentiated again.
The public functions that build on these rows (``tf.concat`` of many tensors, ``tf.stack``,
``tf.gather`` with its checks) are in :mod:`adviz.engine.library`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .rows import Op, mask, row
from .shapes import Backend


def _along(axis: int, ndim: int, item: Any) -> tuple[Any, ...]:
    """An index that takes ``item`` along ``axis`` and everything along the other axes."""
    return (slice(None),) * (axis % ndim) + (item,)


# -- concat: two tensors joined along an axis ------------------------------------------------
def _concat_forward(a: np.ndarray, b: np.ndarray, axis: int = 0) -> np.ndarray:
    return np.concatenate([a, b], axis=axis)


def _concat_vjp(side: int) -> Any:
    def vjp(m: Backend, g: Any, out: Any, a: Any, b: Any, axis: int = 0) -> Any:
        n = m.shape(a)[axis]
        part = slice(0, n) if side == 0 else slice(n, None)
        return m.getitem(g, _along(axis, len(m.shape(a)), part))
    return vjp


def _concat_jvp(side: int) -> Any:
    def jvp(m: Backend, t: Any, out: Any, a: Any, b: Any, axis: int = 0) -> Any:
        # The other input's part of the output does not move.
        other = m.const(np.zeros(m.shape(b if side == 0 else a), dtype=m.raw(t).dtype))
        return m.op("concat", t, other, axis=axis) if side == 0 else m.op("concat", other, t, axis=axis)
    return jvp


def _concat_problem(shapes: list[tuple[int, ...]]) -> str | None:
    a, b = shapes
    if len(a) != len(b):
        return f"{a} and {b} have different ranks, so they cannot be joined"
    return f"{a} and {b} differ in an axis other than the one they are joined along"


# -- tile: repeat a tensor along each axis ----------------------------------------------------
def _tile_vjp(m: Backend, g: Any, out: Any, x: Any, multiples: tuple[int, ...] = ()) -> Any:
    # The output holds m₀·m₁·… copies of x: view it as (m₀, n₀, m₁, n₁, …) and sum the copies.
    shape = m.shape(x)
    split = tuple(d for k, n in zip(multiples, shape) for d in (k, n))
    return m.reduce_sum(m.reshape(g, split), tuple(range(0, 2 * len(shape), 2)), False)


# -- gather: rows picked by index, and its transpose (adding rows back at their indices) -------
def _gather_forward(x: np.ndarray, indices: np.ndarray = np.zeros(0, int), axis: int = 0) -> np.ndarray:
    return np.take(x, indices, axis=axis)


def _gather_grad_forward(g: np.ndarray, shape: tuple[int, ...] = (), indices: np.ndarray = np.zeros(0, int),
                         axis: int = 0) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    k = indices.ndim
    # g's index axes first, then the rest in order: np.add.at sums rows picked more than once.
    moved = np.moveaxis(g, tuple(range(axis, axis + k)), tuple(range(k)))
    np.add.at(np.moveaxis(out, axis, 0), indices, moved)
    return out


def _gather_vjp(m, g, out, x, indices=(), axis=0):
    return m.op("gather_grad", g, shape=m.shape(x), indices=indices, axis=axis)


def _gather_grad_vjp(m, g, out, x, shape=(), indices=(), axis=0):
    return m.op("gather", g, indices=indices, axis=axis)


# -- where: elements of x where the condition holds, of y elsewhere ----------------------------
def _where_forward(x: np.ndarray, y: np.ndarray, condition: np.ndarray = np.ones((), bool)) -> np.ndarray:
    return np.where(condition, x, y)


def _where_partial(side: int) -> Any:
    def partial(m: Backend, out: Any, x: Any, y: Any, condition: np.ndarray = np.ones((), bool)) -> Any:
        chosen = np.broadcast_to(condition if side == 0 else ~np.asarray(condition), m.shape(out))
        return mask(m, chosen, x if side == 0 else y)
    return partial


# -- einsum of two operands --------------------------------------------------------------------
def _einsum_forward(a: np.ndarray, b: np.ndarray, equation: str = "") -> np.ndarray:
    return np.einsum(equation, a, b)


def _einsum_vjp(side: int) -> Any:
    def vjp(m: Backend, g: Any, out: Any, a: Any, b: Any, equation: str = "") -> Any:
        # The equation read backwards: 'ij,jk->ik' gives ∂/∂a = einsum('ik,jk->ij', g, b).
        inputs, output = equation.split("->")
        first, second = inputs.split(",")
        if side == 0:
            return m.op("einsum", g, b, equation=f"{output},{second}->{first}")
        return m.op("einsum", a, g, equation=f"{first},{output}->{second}")
    return vjp


def _einsum_jvp(side: int) -> Any:
    def jvp(m: Backend, t: Any, out: Any, a: Any, b: Any, equation: str = "") -> Any:
        return m.op("einsum", t, b, equation=equation) if side == 0 else m.op("einsum", a, t, equation=equation)
    return jvp


def _ints(values: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in np.atleast_1d(np.asarray(values)))


def _indices(indices: Any) -> np.ndarray:
    return np.asarray(indices, dtype=np.int64)


# Reached only through the library's functions, which check their arguments (and the input
# language their sizes) as TensorFlow's do: not by a row's own name.
_LIBRARY_ONLY = dict(exports=(), internal=True)

ARRAY_ROWS: list[Op] = [
    row("concat", 2, _concat_forward, "concat", "concat({0}, {1})", ("(·)[first part]", "(·)[second part]"),
        vjps=(_concat_vjp(0), _concat_vjp(1)), jvps=(_concat_jvp(0), _concat_jvp(1)),
        attrs=("axis",), defaults=(0,), converters=(int,), shape_problem=_concat_problem, **_LIBRARY_ONLY),
    row("tile", 1, lambda x, multiples=(): np.tile(x, multiples), "tile", "tile({0})", ("Σ over the copies of (·)",),
        vjps=(_tile_vjp,), jvps=(lambda m, t, out, x, multiples=(): m.op("tile", t, multiples=multiples),),
        attrs=("multiples",), defaults=((),), converters=(_ints,), **_LIBRARY_ONLY),
    row("gather", 1, _gather_forward, "gather", "{0}[indices]", ("(·) added back at indices",),
        vjps=(_gather_vjp,), jvps=(lambda m, t, out, x, indices=(), axis=0: m.op("gather", t, indices=indices, axis=axis),),
        attrs=("indices", "axis"), defaults=(np.zeros(0, int), 0), converters=(_indices, int), **_LIBRARY_ONLY),
    # Used by gather's backward pass (TensorFlow's scatter of the adjoint into the gathered rows).
    row("gather_grad", 1, _gather_grad_forward, "scatter", "scatter({0})", ("(·)[indices]",),
        vjps=(_gather_grad_vjp,),
        jvps=(lambda m, t, out, x, shape=(), indices=(), axis=0:
              m.op("gather_grad", t, shape=shape, indices=indices, axis=axis),),
        attrs=("shape", "indices", "axis"), defaults=((), np.zeros(0, int), 0), size_check="allocate",
        exports=(), internal=True),
    row("where", 2, _where_forward, "where", "where(c, {0}, {1})", ("[c]", "[not c]"),
        (_where_partial(0), _where_partial(1)), attrs=("condition",), defaults=(np.ones((), bool),),
        converters=(lambda c: np.asarray(c, dtype=bool),), **_LIBRARY_ONLY),
    row("einsum", 2, _einsum_forward, "einsum", "einsum({0}, {1})", ("einsum((·), {1})", "einsum({0}, (·))"),
        vjps=(_einsum_vjp(0), _einsum_vjp(1)), jvps=(_einsum_jvp(0), _einsum_jvp(1)),
        attrs=("equation",), defaults=("",), converters=(str,), **_LIBRARY_ONLY),
]

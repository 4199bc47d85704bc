"""The op table: every primitive is one row.

A row holds the forward computation (numpy), the local partial of each input (for elementwise
ops) or its vector-Jacobian product (for structural ops), and what the picture shows: a symbol,
the output's formula and the formula of each local partial. ``{0}``, ``{1}`` stand for the
inputs' names. Rules take a backend ``m`` (see :mod:`adviz.engine.backends`) so that the same
rule serves plain numbers and recorded, twice-differentiable tensors.

Forward mode reads the same rows: an elementwise op's tangent is ``partial × tangent`` (exact for
elementwise functions, so the partials serve both modes); a structural row gives
``jvps[i](m, t, out, *xs, **attrs)``, input ``i``'s tangent ``t`` carried to the output.

A row also says everything its callers need to treat it generically: how each attribute is
converted from what a user passes, the keyword names of its tensor inputs, which size check the
input language runs before calling it, and, where the template alone reads badly, a hook that
writes its formula (see :mod:`adviz.engine.notation`). Nothing outside the engine asks an op
for its name to decide what to do.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .array_ops import ARRAY_ROWS
from .dtypes import as_dtype
from .math_ops import MATH_ROWS
from .notation import (add_non_finite, divide_non_finite, log_non_finite, mean_partial, multiply_non_finite,
                       pow_formula, pow_non_finite, pow_partial, sqrt_non_finite, subtract_non_finite)
from .rows import MINUS_ONE, ONE, REDUCTION as _REDUCTION, SIZE_CHECKS, Op
from .rows import mask as _mask, perm_attr as _perm, rounded as _rounded
from .rows import extreme_mask as _max_mask, row as _row, shape_attr as _shape, sigmoid as _sigmoid
from .shapes import Backend, kept_shape, matmul_problem, reduced_count, sum_to_shape

__all__ = ["MINUS_ONE", "ONE", "OPS", "OP_NAMES", "Op", "SIZE_CHECKS", "exported"]


def _log_positive(m: Backend, x: Any) -> Any:
    # d/dy x**y = x**y · ln x, taken as 0 where x <= 0 (as TensorFlow does) instead of nan.
    raw = m.raw(x)
    positive = raw > 0
    if positive.all():
        return m.log(x)
    return m.log(x * _mask(m, positive, x) + _mask(m, ~positive, x))


def _matmul_vjp(side: int) -> Callable[..., Any]:
    def vjp(m: Backend, g: Any, out: Any, a: Any, b: Any) -> Any:
        # Vectors become a row (left) or a column (right) so one rule covers every rank:
        # d(A@B)/dA = G @ Bᵀ, d(A@B)/dB = Aᵀ @ G.
        sa, sb = m.shape(a), m.shape(b)
        a2 = m.reshape(a, (1,) + sa) if len(sa) == 1 else a
        b2 = m.reshape(b, sb + (1,)) if len(sb) == 1 else b
        out_shape = np.broadcast_shapes(m.shape(a2)[:-2], m.shape(b2)[:-2]) + (m.shape(a2)[-2], m.shape(b2)[-1])
        g2 = m.reshape(g, out_shape)
        if side == 0:
            return m.reshape(sum_to_shape(m, m.matmul(g2, m.swap(b2)), m.shape(a2)), sa)
        return m.reshape(sum_to_shape(m, m.matmul(m.swap(a2), g2), m.shape(b2)), sb)
    return vjp


def _reduce_sum_vjp(m, g, out, x, axis=None, keepdims=False):
    shape = m.shape(x)
    return m.broadcast_to(m.reshape(g, kept_shape(shape, axis)), shape)


def _reduce_mean_vjp(m, g, out, x, axis=None, keepdims=False):
    return _reduce_sum_vjp(m, g, out, x, axis) * (1.0 / reduced_count(m.shape(x), axis))




def _reduce_max_vjp(m, g, out, x, axis=None, keepdims=False):
    shape = m.shape(x)
    return m.broadcast_to(m.reshape(g, kept_shape(shape, axis)), shape) * _max_mask(m, out, x, axis)


def _reduce_sum_jvp(m, t, out, x, axis=None, keepdims=False):
    return m.reduce_sum(t, axis, keepdims)


def _reduce_mean_jvp(m, t, out, x, axis=None, keepdims=False):
    return m.reduce_sum(t, axis, keepdims) * (1.0 / reduced_count(m.shape(x), axis))


def _reduce_max_jvp(m, t, out, x, axis=None, keepdims=False):
    # The tangent of the maximum is the mean of the tangents at the tied maxima.
    return m.reduce_sum(t * _max_mask(m, out, x, axis), axis, keepdims)


def _transpose_forward(x, perm=None):
    return np.transpose(x, perm)


def _transpose_vjp(m, g, out, x, perm=None):
    inverse = None if perm is None else tuple(int(i) for i in np.argsort(perm))
    return m.transpose(g, inverse)


def _index_grad_forward(g, shape=(), index=()):
    out = np.zeros(shape, dtype=g.dtype)
    out[index] = g
    return out


def _cast_forward(x, dtype=None):
    return np.asarray(x).astype(as_dtype(dtype))


def _cast_vjp(m, g, out, x, dtype=None):
    return m.cast(g, m.raw(x).dtype)



_ROWS = [
    # Arithmetic.
    _row("identity", 1, lambda x: x, "=", "{0}", ("1",), (ONE,), exports=("",)),
    # The value passes; no gradient does (TensorFlow's stop_gradient): a partial of None.
    _row("stop_gradient", 1, lambda x: x, "⊘", "stop_gradient({0})", ("none",), (None,), exports=("",)),
    _row("add", 2, np.add, "+", "{0} + {1}", ("1", "1"), (ONE, ONE), non_finite=add_non_finite),
    _row("subtract", 2, np.subtract, "−", "{0} − {1}", ("1", "−1"), (ONE, MINUS_ONE),
         non_finite=subtract_non_finite),
    _row("multiply", 2, np.multiply, "×", "{0}·{1}", ("{1}", "{0}"),
         (lambda m, out, a, b: b, lambda m, out, a, b: a), non_finite=multiply_non_finite),
    _row("divide", 2, np.divide, "÷", "{0} / {1}", ("1/{1}", "−{0}/{1}²"),
         (lambda m, out, a, b: 1.0 / b, lambda m, out, a, b: -out / b), non_finite=divide_non_finite,
         aliases=("truediv",)),
    _row("negative", 1, np.negative, "−", "−{0}", ("−1",), (MINUS_ONE,), aliases=("neg",)),
    _row("pow", 2, np.power, "^", "{0}^{1}", ("{1}·{0}^({1}−1)", "{0}^{1}·ln {0}"),
         (lambda m, out, a, b: b * a ** (b - 1), lambda m, out, a, b: out * _log_positive(m, a)),
         formula_text=pow_formula, partial_text=pow_partial, non_finite=pow_non_finite, aliases=("power",)),
    _row("square", 1, np.square, "²", "{0}²", ("2·{0}",), (lambda m, out, x: 2.0 * x,)),
    _row("sqrt", 1, np.sqrt, "√", "√{0}", ("1/(2·√{0})",), (lambda m, out, x: 0.5 / out,),
         non_finite=sqrt_non_finite),
    _row("exp", 1, _rounded(np.exp), "exp", "exp({0})", ("exp({0})",), (lambda m, out, x: out,)),
    _row("log", 1, _rounded(np.log), "ln", "ln({0})", ("1/{0}",), (lambda m, out, x: 1.0 / x,), non_finite=log_non_finite),
    # Trigonometric and activation functions.
    _row("sin", 1, _rounded(np.sin), "sin", "sin({0})", ("cos({0})",), (lambda m, out, x: m.cos(x),)),
    _row("cos", 1, _rounded(np.cos), "cos", "cos({0})", ("−sin({0})",), (lambda m, out, x: -m.sin(x),)),
    _row("tan", 1, _rounded(np.tan), "tan", "tan({0})", ("1 + tan²({0})",), (lambda m, out, x: 1.0 + out * out,)),
    _row("tanh", 1, _rounded(np.tanh), "tanh", "tanh({0})", ("1 − tanh²({0})",),
         (lambda m, out, x: 1.0 - out * out,), exports=("", "math", "nn")),
    _row("sigmoid", 1, _rounded(_sigmoid), "σ", "σ({0})", ("σ({0})·(1 − σ({0}))",),
         (lambda m, out, x: out * (1.0 - out),), exports=("", "math", "nn")),
    _row("relu", 1, lambda x: np.maximum(x, np.zeros((), x.dtype)), "relu", "relu({0})", ("[{0} > 0]",),
         (lambda m, out, x: _mask(m, m.raw(x) > 0, x),), exports=("nn",)),
    _row("abs", 1, np.abs, "| |", "|{0}|", ("sign({0})",),
         (lambda m, out, x: _mask(m, np.sign(m.raw(x)), x),)),
    _row("maximum", 2, np.maximum, "max", "max({0}, {1})", ("[{0} ≥ {1}]", "[{1} > {0}]"),
         (lambda m, out, a, b: _mask(m, np.broadcast_to(m.raw(a) >= m.raw(b), m.shape(out)), a),
          lambda m, out, a, b: _mask(m, np.broadcast_to(m.raw(a) < m.raw(b), m.shape(out)), b))),
    _row("minimum", 2, np.minimum, "min", "min({0}, {1})", ("[{0} ≤ {1}]", "[{1} < {0}]"),
         (lambda m, out, a, b: _mask(m, np.broadcast_to(m.raw(a) <= m.raw(b), m.shape(out)), a),
          lambda m, out, a, b: _mask(m, np.broadcast_to(m.raw(a) > m.raw(b), m.shape(out)), b))),
    # Linear algebra, reductions and shapes: the rule is the contribution itself.
    _row("matmul", 2, np.matmul, "@", "{0} @ {1}", ("(·) @ {1}ᵀ", "{0}ᵀ @ (·)"),
         vjps=(_matmul_vjp(0), _matmul_vjp(1)),
         # d(A@B) = dA @ B + A @ dB
         jvps=(lambda m, t, out, a, b: m.matmul(t, b), lambda m, t, out, a, b: m.matmul(a, t)),
         size_check="matmul", shape_problem=matmul_problem,
         exports=("", "linalg")),
    _row("reduce_sum", 1, lambda x, axis=None, keepdims=False: np.sum(x, axis=axis, keepdims=keepdims),
         "Σ", "Σ {0}", ("1",), vjps=(_reduce_sum_vjp,), jvps=(_reduce_sum_jvp,), **_REDUCTION,
         aliases=("sum",)),
    _row("reduce_mean", 1, lambda x, axis=None, keepdims=False: np.mean(x, axis=axis, keepdims=keepdims),
         "mean", "mean({0})", ("1/n",), vjps=(_reduce_mean_vjp,), jvps=(_reduce_mean_jvp,),
         partial_text=mean_partial, **_REDUCTION,
         aliases=("mean",)),
    _row("reduce_max", 1, lambda x, axis=None, keepdims=False: np.max(x, axis=axis, keepdims=keepdims),
         "max", "max({0})", ("[{0} = max]",), vjps=(_reduce_max_vjp,), jvps=(_reduce_max_jvp,),
         **_REDUCTION, aliases=("max",)),
    _row("reshape", 1, lambda x, shape=None: np.reshape(x, shape), "reshape", "reshape({0})", ("1",),
         vjps=(lambda m, g, out, x, shape=None: m.reshape(g, m.shape(x)),),
         jvps=(lambda m, t, out, x, shape=None: m.reshape(t, m.shape(out)),), attrs=("shape",),
         defaults=(None,), converters=(_shape,)),
    _row("transpose", 1, _transpose_forward, "ᵀ", "{0}ᵀ", ("1",), vjps=(_transpose_vjp,),
         jvps=(lambda m, t, out, x, perm=None: m.transpose(t, perm),),
         attrs=("perm",), defaults=(None,), converters=(_perm,)),
    _row("getitem", 1, lambda x, index=(): np.asarray(x[index]), "[ ]", "{0}[{index}]", ("1 at [{index}]",),
         vjps=(lambda m, g, out, x, index=(): m.index_grad(g, m.shape(x), index),),
         jvps=(lambda m, t, out, x, index=(): m.getitem(t, index),), attrs=("index",),
         defaults=((),), exports=()),
    _row("cast", 1, _cast_forward, "cast", "cast({0})", ("1",), vjps=(_cast_vjp,),
         jvps=(lambda m, t, out, x, dtype=None: m.cast(t, m.raw(out).dtype),), attrs=("dtype",),
         defaults=(None,), converters=(as_dtype,), exports=("",)),
    # Used by the backward pass of other rows, so that it can itself be differentiated.
    _row("broadcast_to", 1, lambda x, shape=(): np.broadcast_to(x, shape), "broadcast", "broadcast({0})",
         ("1",), vjps=(lambda m, g, out, x, shape=(): sum_to_shape(m, g, m.shape(x)),),
         jvps=(lambda m, t, out, x, shape=(): m.broadcast_to(t, m.shape(out)),), attrs=("shape",),
         defaults=((),), size_check="allocate", exports=("",)),
    _row("index_grad", 1, _index_grad_forward, "scatter", "scatter({0})", ("1",),
         vjps=(lambda m, g, out, x, shape=(), index=(): m.getitem(g, index),),
         jvps=(lambda m, t, out, x, shape=(), index=(): m.index_grad(t, m.shape(out), index),), attrs=("shape", "index"),
         defaults=((), ()), size_check="allocate", exports=(), internal=True),
]

_ROWS += MATH_ROWS + ARRAY_ROWS

OPS: dict[str, Op] = {row.name: row for row in _ROWS}

# Every name that reaches an op: its own, TensorFlow's alternatives, and short forms.
OP_NAMES: dict[str, Op] = {n: op for op in _ROWS for n in op.names}


def exported(namespace: str) -> dict[str, Op]:
    """Every name the table exports under ``namespace`` ("" is the top level, else
    ``"math"``, ``"nn"``, ``"linalg"``), with its row."""
    return {n: op for op in _ROWS if not op.internal and namespace in op.exports for n in op.names}

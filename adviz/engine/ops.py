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

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .dtypes import as_dtype
from .notation import (FormulaText, NonFinite, PartialText, add_non_finite, divide_non_finite, log_non_finite,
                       mean_partial, multiply_non_finite, pow_formula, pow_non_finite, pow_partial,
                       sqrt_non_finite, subtract_non_finite)
from .shapes import (Axis, Backend, broadcast_problem, kept_shape, matmul_problem, reduced_count,
                     sum_to_shape)
from .tensor import to_array

# A local partial that is exactly 1 or -1: the contribution is the upstream adjoint itself.
ONE = "one"
MINUS_ONE = "minus_one"

# The size check the input language runs before a call (its Budget reads this field):
SIZE_CHECKS = (
    "elements",    # the work is the size of the first input
    "broadcast",   # two inputs broadcast together: the result's size
    "matmul",      # a matrix product: the multiplications it needs
    "allocate",    # the first input's size, and the ``shape`` attribute makes a new array
)


@dataclass(frozen=True)
class Op:
    """One primitive. ``partials[i](m, out, *xs, **attrs)`` is ∂out/∂xs[i] elementwise;
    structural ops give ``vjps[i](m, g, out, *xs, **attrs)``, the contribution itself, and
    ``jvps[i](m, t, out, *xs, **attrs)``, the output's tangent from input ``i``'s tangent ``t``
    (elementwise ops need none: their tangent is ``partials[i] × t``).

    ``converters[k]`` (or None) turns what a user passes for ``attrs[k]`` into what ``forward``
    takes; ``keywords`` are the keyword names of the tensor inputs (``x``, ``y``); ``size_check``
    is one of :data:`SIZE_CHECKS`; ``formula_text`` and ``partial_text`` may improve on the
    ``formula`` and ``partial_formulas`` templates for particular labels and values;
    ``shape_problem`` says in sizes why the inputs' shapes do not fit together (two-input
    elementwise rows: :func:`~adviz.engine.shapes.broadcast_problem`); ``non_finite`` says why
    one element's result is inf or nan (see :mod:`adviz.engine.notation`).
    """

    name: str
    arity: int
    forward: Callable[..., np.ndarray]
    symbol: str
    formula: str
    partial_formulas: tuple[str, ...]
    partials: tuple[Callable[..., Any] | str | None, ...] = ()
    vjps: tuple[Callable[..., Any], ...] = ()
    jvps: tuple[Callable[..., Any], ...] = ()
    attrs: tuple[str, ...] = ()
    defaults: tuple[Any, ...] = ()
    converters: tuple[Callable[[Any], Any] | None, ...] = ()
    keywords: tuple[str, ...] = ()
    size_check: str = ""
    formula_text: FormulaText | None = None
    partial_text: PartialText | None = None
    shape_problem: Callable[[list[tuple[int, ...]]], str | None] | None = None
    non_finite: NonFinite | None = None
    aliases: tuple[str, ...] = ()
    exports: tuple[str, ...] = ("", "math")
    internal: bool = False
    elementwise: bool = field(init=False, default=True)
    # No partial at all (``partials`` all None): the backward pass does not go through it.
    stops_gradient: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "elementwise", not self.vjps)
        object.__setattr__(self, "stops_gradient", not self.vjps and all(p is None for p in self.partials))
        if not self.keywords:
            object.__setattr__(self, "keywords", ("x", "y")[: self.arity])
        if not self.size_check:
            object.__setattr__(self, "size_check", "broadcast" if self.arity == 2 else "elements")
        if not self.converters:
            object.__setattr__(self, "converters", (None,) * len(self.attrs))
        if self.shape_problem is None and self.elementwise and self.arity == 2:
            object.__setattr__(self, "shape_problem", broadcast_problem)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name that reaches this op: its own, then TensorFlow's alternatives."""
        return (self.name,) + self.aliases

    def convert(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """``attrs`` with each attribute converted as ``forward`` takes it (in place)."""
        for key, convert in zip(self.attrs, self.converters):
            if convert is not None:
                attrs[key] = convert(attrs[key])
        return attrs

    def attrs_from(self, positional: tuple[Any, ...], keywords: dict[str, Any] | None = None) -> dict[str, Any]:
        """Map extra positional and keyword arguments onto this op's attributes, with defaults."""
        keywords = dict(keywords or {})
        keywords.pop("name", None)
        if len(positional) > len(self.attrs):
            raise TypeError(f"{self.name}() takes at most {self.arity + len(self.attrs)} arguments")
        out = dict(zip(self.attrs, self.defaults))
        out.update(zip(self.attrs, positional))
        for key, value in keywords.items():
            if key not in self.attrs:
                raise TypeError(f"{self.name}() got an unexpected argument {key!r}")
            out[key] = value
        return out


def _rounded(fn: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """``fn`` computed in float64 and rounded once to a narrower float's dtype: the correctly
    rounded result, as TensorFlow prints it (float32 arithmetic would be off in the last digit)."""
    def forward(x: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "f" and x.dtype.itemsize < 8:
            return np.asarray(fn(x.astype(np.float64))).astype(x.dtype)
        return fn(x)
    forward.__name__ = getattr(fn, "__name__", "forward")
    return forward


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 1/(1 + e^-x), written as e^x/(1 + e^x) for x < 0 so that large |x| neither overflows nor warns.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _mask(m: Backend, condition: np.ndarray, like: Any) -> Any:
    raw = m.raw(like)
    return m.const(np.asarray(condition, dtype=raw.dtype))


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


def _max_mask(m, out, x, axis):
    # Ties share the gradient equally, as TensorFlow does.
    raw, shape = m.raw(x), m.shape(x)
    hit = raw == np.reshape(m.raw(out), kept_shape(shape, axis))
    return _mask(m, hit / np.sum(hit, axis=axis, keepdims=True), x)


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


# Attribute converters: what a user may pass, as the forward functions take it.
def _axis(axis: Any) -> Axis:
    if axis is None:
        return None
    return tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else int(axis)


def _shape(shape: Any) -> tuple[int, ...]:
    return tuple(int(s) for s in np.atleast_1d(to_array(shape)))


def _perm(perm: Any) -> tuple[int, ...] | None:
    return None if perm is None else tuple(int(p) for p in perm)


_REDUCTION = dict(attrs=("axis", "keepdims"), defaults=(None, False), converters=(_axis, bool))


def _row(name, arity, forward, symbol, formula, partial_formulas, partials=(), **kw) -> Op:
    return Op(name, arity, forward, symbol, formula, tuple(partial_formulas), tuple(partials), **kw)


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
    _row("log", 1, np.log, "ln", "ln({0})", ("1/{0}",), (lambda m, out, x: 1.0 / x,), non_finite=log_non_finite),
    # Trigonometric and activation functions.
    _row("sin", 1, np.sin, "sin", "sin({0})", ("cos({0})",), (lambda m, out, x: m.cos(x),)),
    _row("cos", 1, np.cos, "cos", "cos({0})", ("−sin({0})",), (lambda m, out, x: -m.sin(x),)),
    _row("tan", 1, np.tan, "tan", "tan({0})", ("1 + tan²({0})",), (lambda m, out, x: 1.0 + out * out,)),
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

OPS: dict[str, Op] = {row.name: row for row in _ROWS}

# Every name that reaches an op: its own, TensorFlow's alternatives, and short forms.
OP_NAMES: dict[str, Op] = {n: op for op in _ROWS for n in op.names}


def exported(namespace: str) -> dict[str, Op]:
    """Every name the table exports under ``namespace`` ("" is the top level, else
    ``"math"``, ``"nn"``, ``"linalg"``), with its row."""
    return {n: op for op in _ROWS if not op.internal and namespace in op.exports for n in op.names}

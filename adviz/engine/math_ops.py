"""Rows of the op table for TensorFlow's further math: elementwise functions, activations,
reductions and the softmax family.

Elementwise rows give the local partial of each input; rules call other rows through the
backend (``m.op("sigmoid", x)``), so on recorded tensors they can be differentiated again.
Where TensorFlow registers no gradient (``floor``, ``round``) the partial is None: the value
passes and no gradient does. ``sign`` has TensorFlow's zero gradient.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .rows import REDUCTION, Op, extreme_mask, mask, rounded, row
from .shapes import Axis, Backend, kept_shape

_NN = ("nn",)
_NO_GRADIENT = "op-no-gradient"
_MATH_NN = ("math", "nn")


def _softplus(x: np.ndarray) -> np.ndarray:
    # log(1 + eˣ) without overflow for large x.
    return np.logaddexp(np.zeros((), x.dtype), x)


def _elu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _leaky_relu(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    return np.where(x > 0, x, x * np.asarray(alpha, x.dtype))


def _relu6(x: np.ndarray) -> np.ndarray:
    return np.clip(x, np.zeros((), x.dtype), np.asarray(6, x.dtype))


def _divide_no_nan(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    zero = y == 0
    return np.where(zero, np.zeros((), np.result_type(x, y)), x / np.where(zero, np.ones((), y.dtype), y))


def _safe(m: Backend, y: Any) -> Any:
    # y with its zeros replaced by ones: dividing by it never gives inf where the answer is 0.
    zero = m.raw(y) == 0
    return y + mask(m, zero, y) if zero.any() else y


def _unit_interval(m: Backend, x: Any) -> Any:
    # √(1 − x²), the derivative's denominator of asin and acos.
    return m.op("sqrt", 1.0 - x * x)


def _alpha(alpha: Any) -> float:
    return float(alpha)


# -- reductions --------------------------------------------------------------------------------
def _kept(m: Backend, g: Any, x: Any, axis: Axis) -> Any:
    """The upstream adjoint of a reduction spread back over the reduced axes."""
    shape = m.shape(x)
    return m.broadcast_to(m.reshape(g, kept_shape(shape, axis)), shape)


def _reduce_min_vjp(m, g, out, x, axis=None, keepdims=False):
    return _kept(m, g, x, axis) * extreme_mask(m, out, x, axis)


def _reduce_min_jvp(m, t, out, x, axis=None, keepdims=False):
    return m.reduce_sum(t * extreme_mask(m, out, x, axis), axis, keepdims)


def _others(m: Backend, x: Any, axis: Axis) -> Any:
    """∂Π x/∂xᵢ: the product of the other elements of xᵢ's group. Zeros are left out of the
    product and the result masked, so that a zero in x gives the exact product, not 0/0."""
    raw = m.raw(x)
    zero = raw == 0
    count = np.sum(zero, axis=axis, keepdims=True)
    x1 = x + mask(m, zero, x) if zero.any() else x
    product = m.op("reduce_prod", x1, axis=axis, keepdims=True)
    others = product / x1
    if zero.any():
        others = others * mask(m, np.broadcast_to(np.where(zero, count == 1, count == 0), raw.shape), x)
    return others


def _reduce_prod_vjp(m, g, out, x, axis=None, keepdims=False):
    return _kept(m, g, x, axis) * _others(m, x, axis)


def _reduce_prod_jvp(m, t, out, x, axis=None, keepdims=False):
    return m.reduce_sum(t * _others(m, x, axis), axis, keepdims)


# -- the softmax family ------------------------------------------------------------------------
def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    # As TensorFlow's kernel computes it, each step rounded once in x's dtype: x − max, then
    # exp, their sum, its log (exp and log computed exactly and rounded).
    shifted = x - np.max(x, axis=axis, keepdims=True)
    total = np.sum(_exact(np.exp, shifted), axis=axis, keepdims=True, dtype=x.dtype)
    return shifted - _exact(np.log, total)


def _exact(fn: Any, x: np.ndarray) -> np.ndarray:
    return np.asarray(fn(x.astype(np.float64))).astype(x.dtype)


def _softmax_vjp(m, g, out, x, axis=-1):
    # ∂sᵢ/∂xⱼ = sᵢ(δᵢⱼ − sⱼ), so Jᵀg = s·(g − Σ g·s). The Jacobian is symmetric: the JVP is the same.
    return out * (g - m.reduce_sum(g * out, axis, True))


def _log_softmax_vjp(m, g, out, x, axis=-1):
    # ∂(log s)ᵢ/∂xⱼ = δᵢⱼ − sⱼ, so Jᵀg = g − s·Σ g.
    return g - m.op("exp", out) * m.reduce_sum(g, axis, True)


def _log_softmax_jvp(m, t, out, x, axis=-1):
    return t - m.reduce_sum(m.op("exp", out) * t, axis, True)


def _softmax_axis(axis: Any) -> int:
    return -1 if axis is None else int(axis)


_SOFTMAX = dict(attrs=("axis",), defaults=(-1,), converters=(_softmax_axis,), keywords=("logits",), exports=_MATH_NN)


def _reduction(fn: Any) -> Any:
    return lambda x, axis=None, keepdims=False: fn(x, axis=axis, keepdims=keepdims)


MATH_ROWS: list[Op] = [
    # Elementwise functions of one input: d/dx f(x).
    row("log1p", 1, rounded(np.log1p), "ln(1+·)", "ln(1 + {0})", ("1/(1 + {0})",),
        (lambda m, out, x: 1.0 / (1.0 + x),), exports=("math",)),
    row("expm1", 1, rounded(np.expm1), "exp−1", "exp({0}) − 1", ("exp({0})",),
        (lambda m, out, x: out + 1.0,), exports=("math",)),
    row("rsqrt", 1, lambda x: 1 / np.sqrt(x), "1/√", "1/√{0}", ("−1/(2·{0}·√{0})",),
        # d/dx x^(−1/2) = −½·x^(−3/2) = −½·out³
        (lambda m, out, x: -0.5 * out * out * out,), exports=("math",)),
    row("reciprocal", 1, lambda x: 1 / x, "1/·", "1/{0}", ("−1/{0}²",),
        (lambda m, out, x: -(out * out),), exports=("math",)),
    # TensorFlow's gradient of sign is 0 everywhere.
    row("sign", 1, np.sign, "sign", "sign({0})", ("0",),
        (lambda m, out, x: mask(m, np.zeros(m.shape(x)), x),), exports=("", "math")),
    # TensorFlow registers no gradient for floor and round: None, as for stop_gradient.
    row("floor", 1, np.floor, "⌊ ⌋", "⌊{0}⌋", ("none",), (None,), exports=("", "math"), stop_code=_NO_GRADIENT),
    row("round", 1, np.round, "round", "round({0})", ("none",), (None,), exports=("", "math"),
        stop_code=_NO_GRADIENT),
    row("atan", 1, rounded(np.arctan), "atan", "atan({0})", ("1/(1 + {0}²)",),
        (lambda m, out, x: 1.0 / (1.0 + x * x),), exports=("", "math")),
    row("asin", 1, rounded(np.arcsin), "asin", "asin({0})", ("1/√(1 − {0}²)",),
        (lambda m, out, x: 1.0 / _unit_interval(m, x),), exports=("", "math")),
    row("acos", 1, rounded(np.arccos), "acos", "acos({0})", ("−1/√(1 − {0}²)",),
        (lambda m, out, x: -1.0 / _unit_interval(m, x),), exports=("", "math")),
    row("sinh", 1, rounded(np.sinh), "sinh", "sinh({0})", ("cosh({0})",),
        (lambda m, out, x: m.op("cosh", x),), exports=("", "math")),
    row("cosh", 1, rounded(np.cosh), "cosh", "cosh({0})", ("sinh({0})",),
        (lambda m, out, x: m.op("sinh", x),), exports=("", "math")),
    # Activations.
    row("softplus", 1, rounded(_softplus), "softplus", "ln(1 + exp({0}))", ("σ({0})",),
        (lambda m, out, x: m.op("sigmoid", x),), exports=_MATH_NN),
    row("elu", 1, rounded(_elu), "elu", "elu({0})", ("[{0} > 0] + [{0} ≤ 0]·(elu({0}) + 1)",),
        (lambda m, out, x: mask(m, m.raw(x) > 0, x) + mask(m, m.raw(x) <= 0, x) * (out + 1.0),), exports=_NN),
    row("relu6", 1, _relu6, "relu6", "relu6({0})", ("[0 < {0} < 6]",),
        (lambda m, out, x: mask(m, (m.raw(x) > 0) & (m.raw(x) < 6), x),), exports=_NN),
    row("leaky_relu", 1, _leaky_relu, "leaky", "leaky_relu({0})", ("[{0} > 0] + α·[{0} ≤ 0]",),
        (lambda m, out, x, alpha=0.2: mask(m, np.where(m.raw(x) > 0, 1.0, alpha), x),),
        attrs=("alpha",), defaults=(0.2,), converters=(_alpha,), keywords=("features",), exports=_NN),
    # Elementwise functions of two inputs.
    row("squared_difference", 2, lambda x, y: np.square(x - y), "(−)²", "({0} − {1})²",
        ("2·({0} − {1})", "−2·({0} − {1})"),
        (lambda m, out, x, y: 2.0 * (x - y), lambda m, out, x, y: -2.0 * (x - y)), exports=("math",)),
    # x/y, and 0 where y = 0 (the gradient too, as TensorFlow gives it).
    row("divide_no_nan", 2, _divide_no_nan, "÷₀", "{0} / {1}", ("[{1} ≠ 0]/{1}", "−{0}/{1}²"),
        (lambda m, out, x, y: mask(m, m.raw(y) != 0, y) / _safe(m, y),
         lambda m, out, x, y: -out / _safe(m, y)), exports=("math",)),
    # Reductions.
    row("reduce_min", 1, _reduction(np.min), "min", "min({0})", ("[{0} = min]",),
        vjps=(_reduce_min_vjp,), jvps=(_reduce_min_jvp,), **REDUCTION, keywords=("input_tensor",),
        exports=("", "math")),
    row("reduce_prod", 1, _reduction(np.prod), "Π", "Π {0}", ("Π {0} / {0}",),
        vjps=(_reduce_prod_vjp,), jvps=(_reduce_prod_jvp,), **REDUCTION, keywords=("input_tensor",),
        exports=("", "math")),
    # Where a tensor is largest or smallest: whole numbers, with no gradient in TensorFlow.
    row("argmax", 1, lambda x, axis=0, output_type=np.int64: np.argmax(x, axis=axis).astype(output_type),
        "argmax", "argmax({0})", ("none",), (None,), attrs=("axis", "output_type"), defaults=(0, np.int64),
        stop_code=_NO_GRADIENT, exports=(), internal=True),
    row("argmin", 1, lambda x, axis=0, output_type=np.int64: np.argmin(x, axis=axis).astype(output_type),
        "argmin", "argmin({0})", ("none",), (None,), attrs=("axis", "output_type"), defaults=(0, np.int64),
        stop_code=_NO_GRADIENT, exports=(), internal=True),
    # The softmax family, along one axis.
    row("softmax", 1, rounded(_softmax), "softmax", "softmax({0})", ("softmax({0})·((·) − Σ (·)·softmax({0}))",),
        vjps=(_softmax_vjp,), jvps=(_softmax_vjp,), **_SOFTMAX),
    row("log_softmax", 1, _log_softmax, "log softmax", "log softmax({0})", ("(·) − softmax({0})·Σ (·)",),
        vjps=(_log_softmax_vjp,), jvps=(_log_softmax_jvp,), **_SOFTMAX),
]

"""What a row of the op table is: :class:`Op`, and the helpers every module of rows shares.

The rows themselves live in :mod:`adviz.engine.ops` (arithmetic, linear algebra, shapes),
:mod:`adviz.engine.math_ops` (more elementwise functions, activations, reductions) and
:mod:`adviz.engine.array_ops` (structure: concatenation, gathering, selection, einsum);
:mod:`adviz.engine.ops` joins them into one table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .notation import FormulaText, NonFinite, PartialText
from .shapes import Axis, Backend, broadcast_problem, kept_shape
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
    """One primitive. ``partials[i](m, out, *xs, **attrs)`` is ∂out/∂xs[i] elementwise (a
    partial of None: no gradient passes, as for ``stop_gradient`` or ``floor``);
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
    # Why a row with no partial stops the gradient, as a diagnosis code: ``stop-gradient`` for
    # ``tf.stop_gradient``; ``op-no-gradient`` for an op TensorFlow defines no gradient for.
    stop_code: str = "stop-gradient"
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


def rounded(fn: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """``fn`` computed in float64 and rounded once to a narrower float's dtype: the correctly
    rounded result, as TensorFlow prints it (float32 arithmetic would be off in the last digit)."""
    def forward(x: np.ndarray, **attrs: Any) -> np.ndarray:
        if x.dtype.kind == "f" and x.dtype.itemsize < 8:
            return np.asarray(fn(x.astype(np.float64), **attrs)).astype(x.dtype)
        return fn(x, **attrs)
    forward.__name__ = getattr(fn, "__name__", "forward")
    return forward


def sigmoid(x: np.ndarray) -> np.ndarray:
    # 1/(1 + e^-x), written as e^x/(1 + e^x) for x < 0 so that large |x| neither overflows nor warns.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def mask(m: Backend, condition: np.ndarray, like: Any) -> Any:
    raw = m.raw(like)
    return m.const(np.asarray(condition, dtype=raw.dtype))

def extreme_mask(m: Backend, out: Any, x: Any, axis: Axis) -> Any:
    """Where ``x`` reaches its reduced maximum (or minimum) ``out``; ties share the gradient
    equally, as TensorFlow does."""
    raw, shape = m.raw(x), m.shape(x)
    hit = raw == np.reshape(m.raw(out), kept_shape(shape, axis))
    return mask(m, hit / np.sum(hit, axis=axis, keepdims=True), x)


# Attribute converters: what a user may pass, as the forward functions take it.
def axis_attr(axis: Any) -> Axis:
    if axis is None:
        return None
    return tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else int(axis)


def shape_attr(shape: Any) -> tuple[int, ...]:
    return tuple(int(s) for s in np.atleast_1d(to_array(shape)))


def perm_attr(perm: Any) -> tuple[int, ...] | None:
    return None if perm is None else tuple(int(p) for p in perm)


REDUCTION = dict(attrs=("axis", "keepdims"), defaults=(None, False), converters=(axis_attr, bool))


def row(name, arity, forward, symbol, formula, partial_formulas, partials=(), **kw) -> Op:
    return Op(name, arity, forward, symbol, formula, tuple(partial_formulas), tuple(partials), **kw)


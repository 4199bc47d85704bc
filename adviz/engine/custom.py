"""``tf.custom_gradient``: a function recorded as one op whose gradient the caller supplies.

The decorated function returns ``(y, grad_fn)``. Its own operations are not recorded; the tapes
record one op from its tensor arguments to ``y``, a row made for the call (:func:`custom_op`)
whose vector-Jacobian product is ``grad_fn(upstream)``. Its forward-mode rule is the transpose
of that product, ``J·t = ∂⟨grad_fn(u), t⟩/∂u``, which is exact because ``grad_fn`` is linear in
the upstream ``u``. Whoever runs user code (the input language) passes callables that run
under its limits; the engine only calls them.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .backends import NUMPY
from .ops import OPS
from .recording import apply, enclosing_only, open_tapes
from .rows import Op
from .tape import GradientTape, flatten
from .tensor import Tensor, Variable, convert_to_tensor


@contextmanager
def unrecorded() -> Iterator[None]:
    """No open tape or accumulator sees the operations in the block."""
    tapes = open_tapes()
    if not tapes:
        yield
        return
    with enclosing_only(tapes[0]):
        yield


class _Gradients:
    """``grad_fn`` of one call, asked once per upstream adjoint however many inputs need it."""

    def __init__(self, grad_fn: Callable[..., Any], count: int) -> None:
        self.grad_fn, self.count = grad_fn, count
        self._key: Any = None
        self._grads: list[Any] = []

    def __call__(self, key: Any, upstream: Any) -> list[Any]:
        """The gradients for the upstream adjoint ``key`` (as the backward pass holds it), given
        to the user's function as ``upstream``."""
        if key is not self._key:
            grads = self.grad_fn(upstream)
            grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
            if len(grads) != self.count:
                raise ValueError(f"custom_gradient function expected to return {self.count} gradients, but "
                                 f"returned {len(grads)} instead.")
            self._key, self._grads = key, grads
        return self._grads


def _as_backend(m: Any, value: Any, like: Any) -> Any:
    """A gradient the user's function returned, in the backend's number system and ``like``'s shape."""
    if value is None:
        value = np.zeros(m.shape(like), dtype=m.raw(like).dtype)
    if m is NUMPY:
        return np.asarray(value._value if isinstance(value, Tensor) else value, dtype=m.raw(like).dtype)
    return value if isinstance(value, (Tensor, Variable)) else Tensor(np.asarray(value, dtype=m.raw(like).dtype))


def _vjp(gradients: _Gradients, index: int) -> Callable[..., Any]:
    def vjp(m: Any, g: Any, out: Any, *xs: Any) -> Any:
        upstream = g if isinstance(g, Tensor) else Tensor(np.asarray(g))
        with _numbers_only(m):
            grads = gradients(g, upstream)
        return _as_backend(m, grads[index], xs[index])
    return vjp


@contextmanager
def _numbers_only(m: Any) -> Iterator[None]:
    # On plain numbers nothing needs recording; on recorded tensors the outer tapes must see it.
    if m is NUMPY:
        with unrecorded():
            yield
    else:
        yield


def _jvp(gradients: _Gradients, index: int) -> Callable[..., Any]:
    def jvp(m: Any, t: Any, out: Any, *xs: Any) -> Any:
        # J·t = ∂⟨Jᵀu, t⟩/∂u, at any u (Jᵀu is linear in u): the transpose of the user's VJP.
        u = Tensor(np.zeros(m.shape(out), dtype=m.raw(out).dtype))
        tangent = t if isinstance(t, (Tensor, Variable)) else Tensor(np.asarray(t))
        with GradientTape() as tape:
            tape.watch(u)
            grads = gradients.grad_fn(u)
            grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
            g = grads[index]
            inner = None if g is None else apply(OPS["reduce_sum"], (apply(OPS["multiply"], (g, tangent), {}),), {})
        result = None if inner is None else tape.gradient(inner, u)
        if result is None:
            result = Tensor(np.zeros(m.shape(out), dtype=m.raw(out).dtype))
        return result._value if m is NUMPY else result
    return jvp


def custom_op(name: str, count: int, forward: Callable[..., np.ndarray], grad_fn: Callable[..., Any]) -> Op:
    """A row for one call of a custom-gradient function of ``count`` tensors: ``forward`` gives the
    output's value from the inputs' arrays, ``grad_fn(upstream)`` one gradient per input."""
    gradients = _Gradients(grad_fn, count)
    return Op(name, count, forward, name, f"{name}({', '.join('{%d}' % i for i in range(count))})",
              tuple("custom gradient of (·)" for _ in range(count)),
              vjps=tuple(_vjp(gradients, i) for i in range(count)), jvps=tuple(_jvp(gradients, i) for i in range(count)),
              keywords=tuple(f"x{i}" for i in range(count)), exports=(), internal=True)


def custom_gradient(f: Callable[..., Any] | None = None) -> Any:
    """Decorate ``f(*tensors) -> (y, grad_fn)`` (``@tf.custom_gradient``): calling it records one op
    from the tensors to ``y`` whose gradient is ``grad_fn(upstream)`` (one gradient per tensor)."""
    if f is None:
        return custom_gradient

    def call(*args: Any, **kwargs: Any) -> Any:
        return record_custom(getattr(f, "__name__", "custom_gradient"), f, args, kwargs)

    call.__name__ = getattr(f, "__name__", "custom_gradient")
    call.__doc__ = getattr(f, "__doc__", None)
    return call


def record_custom(name: str, f: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any],
                  run: Callable[..., Any] | None = None) -> Any:
    """Call ``f(*args, **kwargs)`` unrecorded, then record its result as one op with ``f``'s own
    gradient. ``run(fn, *values)`` calls a user's function (the forward again for a replay, or
    ``grad_fn``); by default it is called directly."""
    call = run or (lambda fn, *values: fn(*values))
    inputs = [a if isinstance(a, (Tensor, Variable)) else convert_to_tensor(a) for a in args]
    with unrecorded():
        result = call(f, *inputs, **kwargs) if kwargs else call(f, *inputs)
    callable_ = callable if run is None else (lambda fn: fn is not None)   # a runner calls its own functions
    if not isinstance(result, (tuple, list)) or len(result) != 2 or not callable_(result[1]):
        raise TypeError(f"a custom_gradient function returns (output, grad_fn), not {type(result).__name__}")
    y, grad_fn = result
    if isinstance(y, (list, tuple)):
        raise NotImplementedError("custom_gradient with several outputs is not supported by adviz")
    y = y if isinstance(y, Tensor) else convert_to_tensor(y)
    made = [v._value if isinstance(v, Tensor) else v._value._value for v in inputs]

    def forward(*arrays: np.ndarray) -> np.ndarray:
        if len(arrays) == len(made) and all(a is b for a, b in zip(arrays, made)):
            return y._value
        with unrecorded():     # a replay at other values runs the function again
            again = call(f, *[Tensor(np.asarray(a)) for a in arrays])
        return np.asarray(flatten(again)[0]._value)

    op = custom_op(name, len(inputs), forward, lambda upstream: call(grad_fn, upstream))
    return apply(op, tuple(inputs), {})



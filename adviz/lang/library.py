"""TensorFlow's library functions for scripts (``tf.concat``, ``tf.range``, ``tf.random.normal``...):
each wrapped with a check that knows the size of what it will make and refuses it over the
run's limits before anything is allocated. ``tf.random`` draws from a state of the run's own,
so a script run twice prints the same numbers.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..engine.creation import range_count
from ..engine.namespaces import LIBRARY
from ..engine.random import Generator, RandomState
from .errors import LangError
from .limits import Budget, array_shape, describe, shape_of_argument, whole_number
from .whitelist import Check, Namespace, SafeFunction, argument


def _elements(shape: tuple[int, ...]) -> int:
    return int(np.prod(shape, dtype=np.int64)) if shape else 1


def _shape(budget: Budget, value: Any) -> tuple[int, ...] | None:
    budget.check_convertible(value)
    return array_shape(value)


def _made(budget: Budget, dims: tuple[int, ...], what: str = "the result") -> None:
    budget.check_dims(tuple(max(d, 0) for d in dims), what)
    budget.add_work(_elements(tuple(max(d, 0) for d in dims)))


def _whole(value: Any, what: str) -> int:
    n = whole_number(value)
    if n is None:
        raise LangError(f"{what} is a whole number, not {describe(value)}", kind="type")
    return n


def _axis(value: Any, rank: int) -> int | None:
    a = whole_number(value)
    return a % rank if a is not None and rank and -rank <= a < rank else None


# -- checks -------------------------------------------------------------------------------------
def _each(*positions: tuple[int, str]) -> Check:
    """The work is the size of each tensor argument (a new value of about that size comes out)."""
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        for index, key in positions:
            shape = _shape(budget, argument(args, kwargs, index, key))
            if shape is not None:
                budget.add_work(_elements(shape))
    return check


def _broadcast(*positions: tuple[int, str]) -> Check:
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        values = [argument(args, kwargs, i, k) for i, k in positions]
        values = [v for v in values if v is not None]
        for v in values:
            budget.check_convertible(v)
        budget.check_broadcast_all(values)
        shapes = [array_shape(v) for v in values]
        try:
            budget.add_work(_elements(tuple(np.broadcast_shapes(*[s for s in shapes if s is not None]))))
        except ValueError:
            pass    # the function reports the mismatch itself
    return check


def _joined(budget: Budget, args: tuple, kwargs: dict) -> None:
    values = argument(args, kwargs, 0, "values")
    if not isinstance(values, (list, tuple)):
        values = [values]
    budget.check_container(values, 0)
    total = 0
    for v in values:
        shape = _shape(budget, v)
        total += _elements(shape) if shape is not None else 0
    budget.check_elements(total)
    # Joined two at a time: each step is an op and copies what was joined so far.
    budget.tick(len(values))
    budget.add_work(total * max(1, len(values) - 1))


def _unstack(budget: Budget, args: tuple, kwargs: dict) -> None:
    shape = _shape(budget, argument(args, kwargs, 0, "value"))
    if shape:
        a = _axis(argument(args, kwargs, 2, "axis", 0), len(shape))
        count = shape[a] if a is not None else 0
        budget.tick(count)            # one indexing op per slice
        budget.add_items(count)
        budget.add_work(_elements(shape))


def _all(*checks: Check) -> Check:
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        for one in checks:
            one(budget, args, kwargs)
    return check


def _tile(budget: Budget, args: tuple, kwargs: dict) -> None:
    shape = _shape(budget, argument(args, kwargs, 0, "input"))
    multiples = shape_of_argument(argument(args, kwargs, 1, "multiples"))
    if multiples is None:
        raise LangError("tf.tile's multiples is a list of whole numbers", kind="type")
    if shape is not None and len(multiples) == len(shape):
        _made(budget, tuple(n * k for n, k in zip(shape, multiples)))


def _gather(budget: Budget, args: tuple, kwargs: dict) -> None:
    shape = _shape(budget, argument(args, kwargs, 0, "params"))
    indices = argument(args, kwargs, 1, "indices")
    ishape = _shape(budget, indices)
    axis = argument(args, kwargs, 3, "axis", 0)
    if shape is not None and ishape is not None and shape:
        a = _axis(0 if axis is None else axis, len(shape))
        if a is not None:
            _made(budget, shape[:a] + ishape + shape[a + 1:])


def _where(budget: Budget, args: tuple, kwargs: dict) -> None:
    if argument(args, kwargs, 1, "x") is None and argument(args, kwargs, 2, "y") is None:
        shape = _shape(budget, argument(args, kwargs, 0, "condition"))
        if shape is not None:      # at most one row of coordinates per element
            _made(budget, (_elements(shape), max(len(shape), 1)))
        return
    _broadcast((0, "condition"), (1, "x"), (2, "y"))(budget, args, kwargs)


def _einsum(budget: Budget, args: tuple, kwargs: dict) -> None:
    equation = argument(args, kwargs, 0, "equation")
    if not isinstance(equation, str):
        raise LangError(f"tf.einsum's equation is a string, not {describe(equation)}", kind="type")
    budget.check_string(len(equation), 0)
    subs = equation.replace(" ", "").split("->")[0].split(",")
    sizes: dict[str, int] = {}
    for s, operand in zip(subs, args[1:]):
        shape = _shape(budget, operand)
        if shape is None:
            continue
        for c, n in zip(s, shape):
            sizes[c] = max(sizes.get(c, 0), n)
    work = _elements(tuple(sizes.values()))
    if work > budget.limits.max_matmul_work:
        raise LangError(f"tf.einsum too large ({equation!r} needs {work:,} multiplications; the limit is "
                        f"{budget.limits.max_matmul_work:,})", kind="limit")
    lhs, arrow, out = equation.replace(" ", "").partition("->")
    if not arrow:    # implicit output: the indices that appear once, in order
        out = "".join(sorted(c for c in set(lhs) if c.isalpha() and lhs.count(c) == 1))
    _made(budget, tuple(sizes.get(c, 0) for c in out))
    budget.add_work(work)


def _one_hot(budget: Budget, args: tuple, kwargs: dict) -> None:
    shape = _shape(budget, argument(args, kwargs, 0, "indices"))
    depth = _whole(argument(args, kwargs, 1, "depth"), "tf.one_hot's depth")
    _made(budget, (shape or ()) + (depth,))


def _eye(budget: Budget, args: tuple, kwargs: dict) -> None:
    rows = _whole(argument(args, kwargs, 0, "num_rows"), "tf.eye's num_rows")
    columns = argument(args, kwargs, 1, "num_columns")
    cols = rows if columns is None else _whole(columns, "tf.eye's num_columns")
    batch = argument(args, kwargs, 2, "batch_shape")
    dims = () if batch is None else shape_of_argument(batch)
    if dims is None:
        raise LangError("tf.eye's batch_shape is a list of whole numbers", kind="type")
    _made(budget, tuple(dims) + (rows, cols))


def _fill(budget: Budget, args: tuple, kwargs: dict) -> None:
    budget.check_convertible(argument(args, kwargs, 1, "value"))
    budget.check_shape(argument(args, kwargs, 0, "dims"))


def _range(budget: Budget, args: tuple, kwargs: dict) -> None:
    start, limit = argument(args, kwargs, 0, "start"), argument(args, kwargs, 1, "limit")
    delta = argument(args, kwargs, 2, "delta", 1)
    if limit is None:
        start, limit = 0, start
    numbers = [_real(v) for v in (start, limit, delta)]
    if any(n is None for n in numbers):
        raise LangError("tf.range takes real numbers (start, limit, delta)", kind="type")
    s, lim, d = numbers
    if d == 0 or (d > 0 and s > lim) or (d < 0 and s < lim):
        return      # TensorFlow's own error follows
    count = range_count(s, lim, d)
    budget.check_elements(count)
    budget.add_work(count)


def _real(value: Any) -> float | None:
    shape = array_shape(value)
    if shape is None or shape not in ((),):
        return None
    try:
        number = float(np.asarray(getattr(value, "_value", value)).reshape(()))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _broadcast_dims(shapes: list[tuple[int, ...] | None]) -> tuple[int, ...] | None:
    """The shape ``shapes`` broadcast to, or None when they do not (the function says why)."""
    try:
        return tuple(np.broadcast_shapes(*[tuple(max(d, 0) for d in s) for s in shapes if s is not None]))
    except ValueError:
        return None


def _linspace(budget: Budget, args: tuple, kwargs: dict) -> None:
    start = _shape(budget, argument(args, kwargs, 0, "start"))
    stop = _shape(budget, argument(args, kwargs, 1, "stop"))
    num = _whole(argument(args, kwargs, 2, "num"), "tf.linspace's num")
    shape = _broadcast_dims([start, stop]) or ()
    _made(budget, (max(num, 0),) + shape)


def _passes(key: str, times: int = 3) -> Check:
    """A composition that makes a few values the size of its first argument."""
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        shape = _shape(budget, argument(args, kwargs, 0, key))
        if shape is not None:
            budget.add_work(times * _elements(shape))
    return check


def _random_shape(budget: Budget, args: tuple, kwargs: dict) -> None:
    dims = budget.check_shape(argument(args, kwargs, 0, "shape"))
    shapes = [dims]
    # mean and stddev (normal) or minval and maxval (uniform), by place or by name
    for value in [*args[1:3], *(kwargs.get(k) for k in ("mean", "stddev", "minval", "maxval"))]:
        if value is not None and not isinstance(value, (str, bytes)):
            shapes.append(_shape(budget, value))
    # A tensor mean (or bound) broadcasts with the noise: the result is their broadcast shape.
    full = _broadcast_dims(shapes)
    if full is not None and full != dims:
        _made(budget, full)


# -- tf.random: a state per run ------------------------------------------------------------------
_STATE = "random_state"     # the Budget attribute that holds the run's RandomState


def _state(budget: Budget) -> RandomState:
    state = getattr(budget, _STATE, None)
    if state is None:
        state = RandomState()
        setattr(budget, _STATE, state)
    return state


def _drawn(method: str) -> Callable[..., Any]:
    def call(budget: Budget, *args: Any, **kwargs: Any) -> Any:
        return getattr(_state(budget), method)(*args, **kwargs)
    return call


def _generator_namespace(prefix: str, generator: Generator) -> Namespace:
    """A Generator as a script sees it: its drawing methods, each with its size check."""
    name = f"{prefix}.Generator"
    return Namespace(name, {
        "normal": SafeFunction(f"{name}.normal", generator.normal, _random_shape),
        "uniform": SafeFunction(f"{name}.uniform", generator.uniform, _random_shape),
        "truncated_normal": SafeFunction(f"{name}.truncated_normal", generator.truncated_normal, _random_shape),
        "reset_from_seed": SafeFunction(f"{name}.reset_from_seed", generator.reset_from_seed),
    })


def _random(prefix: str) -> Namespace:
    name = f"{prefix}.random"
    members: dict[str, Any] = {
        method: SafeFunction(f"{name}.{method}", _drawn(method), _random_shape, context=True)
        for method in ("normal", "uniform", "truncated_normal")}
    members["set_seed"] = SafeFunction(f"{name}.set_seed", _drawn("set_seed"), context=True)
    members["shuffle"] = SafeFunction(f"{name}.shuffle", _drawn("shuffle"), _each((0, "value")), context=True)
    members["Generator"] = Namespace(f"{name}.Generator", {"from_seed": SafeFunction(
        f"{name}.Generator.from_seed", lambda seed, alg=None: _generator_namespace(name, Generator.from_seed(seed)))})
    return Namespace(name, members)


CHECKS: dict[str, Check] = {
    "concat": _joined, "stack": _joined, "unstack": _unstack, "tile": _tile, "gather": _gather,
    "expand_dims": _each((0, "input")), "squeeze": _each((0, "input")), "where": _where, "einsum": _einsum,
    "one_hot": _one_hot, "eye": _eye, "fill": _fill, "range": _range, "linspace": _linspace,
    "shape": _each((0, "input")), "size": _each((0, "input")), "rank": _each((0, "input")),
    "argmax": _each((0, "input")), "argmin": _each((0, "input")),
    "reduce_all": _each((0, "input_tensor")), "reduce_any": _each((0, "input_tensor")),
    "clip_by_value": _broadcast((0, "t"), (1, "clip_value_min"), (2, "clip_value_max")),
    "clip_by_norm": _all(_passes("t", 6), _broadcast((0, "t"), (1, "clip_norm"))), "norm": _passes("tensor"),
    "reduce_logsumexp": _passes("input_tensor", 5), "reduce_std": _passes("input_tensor"),
    "reduce_variance": _passes("input_tensor"),
    "sigmoid_cross_entropy_with_logits": _broadcast((0, "labels"), (1, "logits")),
    "softmax_cross_entropy_with_logits": _broadcast((0, "labels"), (1, "logits")),
    "sparse_softmax_cross_entropy_with_logits": _broadcast((0, "labels"), (1, "logits")),
    "l2_loss": _each((0, "t")),
}


def library_members(namespace: str, prefix: str) -> dict[str, Any]:
    """The library's functions under ``namespace`` ("" is the top level) as a script reaches them."""
    return {name: SafeFunction(f"{prefix}.{name}", fn, CHECKS[name]) for name, fn in LIBRARY[namespace].items()}


def random_namespace(prefix: str) -> Namespace:
    """``tf.random`` for a script: draws from the run's own state."""
    return _random(prefix)

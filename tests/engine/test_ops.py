"""Every row of the op table against central finite differences (float64, seeded random points).

Cases are generated from ``adviz.engine.OPS``: a new elementwise row is tested with default
shapes and a positive domain; a new structural row fails until it is given cases here (or, for
the library's rows, in ``library_cases``).
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest

import adviz as tf
from adviz.engine import FUNCTIONS, OPS

from .cases import REDUCE_ATTRS, Case, anywhere, apart, away_from_zero, binary, positive, small
from .gradcheck import assert_gradients_match, numeric_gradient, tape_gradient, weighted_sum
from .library_cases import LIBRARY_CASES

CASES: dict[str, list[Case]] = {
    "identity": [Case(((3,),)), Case(((),))],
    "add": binary(),
    "subtract": binary(),
    "multiply": binary(),
    "divide": binary((anywhere, away_from_zero)),
    "negative": [Case(((2, 3),))],
    "pow": binary((positive, anywhere)),
    "square": [Case(((2, 3),)), Case(((),))],
    "sqrt": [Case(((2, 3),), (positive,))],
    "exp": [Case(((2, 3),))],
    "log": [Case(((2, 3),), (positive,))],
    "sin": [Case(((2, 3),))],
    "cos": [Case(((2, 3),))],
    "tan": [Case(((2, 3),), (small,))],
    "tanh": [Case(((2, 3),))],
    "sigmoid": [Case(((2, 3),))],
    "relu": [Case(((2, 3),), (away_from_zero,))],
    "abs": [Case(((2, 3),), (away_from_zero,))],
    "maximum": binary(valid=apart),
    "minimum": binary(valid=apart),
    "matmul": [Case(s) for s in [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)),
                                 ((2, 2, 3), (3, 4)), ((2, 2, 3), (2, 3, 4)),
                                 ((2, 1, 2, 3), (3, 3, 2)), ((3,), (2, 3, 4)), ((2, 2, 3), (3,))]],
    "reduce_sum": [Case(((2, 3, 4),), attrs=a) for a in REDUCE_ATTRS],
    "reduce_mean": [Case(((2, 3, 4),), attrs=a) for a in REDUCE_ATTRS],
    "reduce_max": [Case(((2, 3, 4),), attrs=a) for a in REDUCE_ATTRS],
    "reshape": [Case(((2, 3),), attrs={"shape": (3, 2)}), Case(((6,),), attrs={"shape": [2, -1]}),
                Case(((),), attrs={"shape": (1, 1)}), Case(((2, 3),), attrs={"shape": (6,)})],
    "transpose": [Case(((2, 3),)), Case(((2, 3, 4),), attrs={"perm": (1, 0, 2)}),
                  Case(((2, 3, 4),), attrs={"perm": [2, 0, 1]})],
    "getitem": [Case(((4, 3),), attrs={"index": i}) for i in
                [(1,), (slice(1, 3),), (1, slice(None, None, 2)), (-1, -2), (Ellipsis, 0), (None, 2),
                 (slice(None, None, -1), 0)]],
    "cast": [Case(((3,),), attrs={"dtype": d}) for d in ("float64", tf.float64, np.float64)],
    "broadcast_to": [Case(((3, 1),), attrs={"shape": (2, 3, 4)}), Case(((),), attrs={"shape": (3,)}),
                     Case(((4,),), attrs={"shape": [3, 4]})],
    "index_grad": [Case(((3,),), attrs={"shape": (4, 3), "index": (1,)}),
                   Case(((2, 3),), attrs={"shape": (4, 3), "index": (slice(1, 3),)}),
                   Case(((),), attrs={"shape": (2, 2), "index": (0, 1)})],
}


CASES.update(LIBRARY_CASES)


def cases_for(name: str) -> list[Case]:
    op = OPS[name]
    if name in CASES:
        return CASES[name]
    if op.elementwise:
        # A new elementwise row: a positive domain suits most functions; give it cases above if not.
        return [Case(((3,),) * op.arity if op.arity == 1 else ((3, 1), (4,)), (positive,) * op.arity)]
    return []


# A row with no partial (stop_gradient) lets no gradient through: tested on its own below.
DIFFERENTIABLE = [name for name in OPS if not OPS[name].stops_gradient]
PARAMS = [pytest.param(name, case, id=f"{name}-{case.label()}")
          for name in DIFFERENTIABLE for case in (cases_for(name) or [None])]


def make_f(name: str, case: Case, xs: list[np.ndarray]):
    function = FUNCTIONS[name]
    return weighted_sum(lambda *ts: function(*ts, **case.attrs), xs, seed=len(name))


@pytest.mark.parametrize("name, case", PARAMS)
def test_row_matches_finite_differences(name: str, case: Case | None) -> None:
    assert case is not None, f"op-table row {name!r} is structural: add its cases to CASES in {__file__}"
    xs = case.draw(np.random.default_rng(zlib.crc32(f"{name}-{case.label()}".encode())))
    assert_gradients_match(make_f(name, case, xs), xs)


def _second_order(f, xs, us):
    """∂/∂x Σ_i ⟨∂f/∂x_i, u_i⟩ with the gradient itself recorded by an outer tape."""
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as outer:
        outer.watch(ts)
        with tf.GradientTape() as inner:
            inner.watch(ts)
            y = f(*ts)
        grads = inner.gradient(y, ts, unconnected_gradients="zero")
        dot = sum(tf.reduce_sum(g * tf.constant(u)) for g, u in zip(grads, us))
    second = outer.gradient(dot, ts, unconnected_gradients="zero")
    return [g.numpy() for g in grads], [s.numpy() for s in second]


@pytest.mark.parametrize("name, case", PARAMS)
def test_row_is_twice_differentiable(name: str, case: Case | None) -> None:
    """Run on recorded tensors, the rule gives the same gradient, and that gradient's own
    derivative (a Hessian-vector product) matches finite differences of the gradient."""
    assert case is not None, f"op-table row {name!r} needs cases"
    rng = np.random.default_rng(zlib.crc32(f"2-{name}-{case.label()}".encode()))
    xs = case.draw(rng)
    f = make_f(name, case, xs)
    us = [rng.uniform(-1, 1, np.shape(x)) for x in xs]
    grads, second = _second_order(f, xs, us)
    for got, want in zip(grads, tape_gradient(f, xs)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)

    def directional(*ts):
        grads = tape_gradient(f, [t.numpy() for t in ts])
        return tf.constant(sum(float(np.sum(g * u)) for g, u in zip(grads, us)), dtype="float64")

    for got, want in zip(second, numeric_gradient(directional, xs, h=1e-5)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_every_row_has_cases() -> None:
    missing = [name for name in DIFFERENTIABLE if not cases_for(name)]
    assert not missing, f"op-table rows without gradient cases: {missing}"


def test_fan_out_sums_contributions() -> None:
    """``x*y + x**2``: x is used twice, so d/dx = y + 2x (contributions add, never overwrite)."""
    rng = np.random.default_rng(7)
    xs = [rng.uniform(0.5, 2.0, (3,)), rng.uniform(-2.0, 2.0, (3,))]
    f = lambda x, y: tf.reduce_sum(x * y + x ** 2)  # noqa: E731
    assert_gradients_match(f, xs)
    gx, gy = tape_gradient(f, xs)
    np.testing.assert_allclose(gx, xs[1] + 2 * xs[0])
    np.testing.assert_allclose(gy, xs[0])


def test_fan_out_of_broadcast_operand() -> None:
    rng = np.random.default_rng(8)
    xs = [rng.uniform(0.5, 2.0, (3, 1)), rng.uniform(-2.0, 2.0, (4,))]
    assert_gradients_match(weighted_sum(lambda x, y: x * y + x ** 2 - tf.sin(x) * y, xs), xs)


def test_pow_at_negative_base() -> None:
    """d/dx x**y is fine for a negative base; d/dy (which needs ln x) is 0 there, as in TensorFlow."""
    x = tf.constant([-2.0, 3.0])
    y = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = x ** y
    gx, gy = tape.gradient(z, [x, y])
    np.testing.assert_allclose(gx.numpy(), [12.0, 27.0])
    np.testing.assert_allclose(float(gy), 27.0 * np.log(3.0), rtol=1e-6)


def test_ties_share_or_pick_like_tensorflow() -> None:
    x = tf.constant([1.0, 3.0, 3.0])
    a, b = tf.constant(2.0), tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, a, b])
        top = tf.reduce_max(x)
        larger = tf.maximum(a, b)
        smaller = tf.minimum(a, b)
    np.testing.assert_array_equal(tape.gradient(top, x).numpy(), [0.0, 0.5, 0.5])
    assert [float(g) for g in tape.gradient(larger, [a, b])] == [1.0, 0.0]
    assert [float(g) for g in tape.gradient(smaller, [a, b])] == [1.0, 0.0]
    for f in (tf.nn.relu, tf.abs):
        z = tf.constant([0.0])
        with tf.GradientTape() as t:
            t.watch(z)
            out = f(z)
        assert t.gradient(out, z).numpy().tolist() == [0.0]


def test_stop_gradient_passes_the_value_and_no_gradient() -> None:
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        stopped = tf.stop_gradient(x)
        y = stopped * x
    assert float(stopped) == 3.0
    assert tape.gradient(stopped, x) is None                      # only through the stop: None
    assert float(tape.gradient(y, x)) == 3.0                      # d(s·x)/dx with s held constant = s
    zero = tape.gradient(stopped, x, unconnected_gradients="zero")
    assert float(zero) == 0.0

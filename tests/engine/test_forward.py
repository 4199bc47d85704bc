"""Forward mode: every row's JVP against central finite differences, and ForwardAccumulator's semantics.

The cases are the op-table cases of ``test_ops``: a new row is checked here as soon as it has cases there.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest

import adviz as tf
from adviz.engine import FUNCTIONS, OPS, ForwardAccumulator

from .test_ops import PARAMS, Case

H = 1e-6


def _jvp(name: str, case: Case, xs: list[np.ndarray], vs: list[np.ndarray]) -> np.ndarray:
    ts = [tf.constant(x) for x in xs]
    with ForwardAccumulator(ts, [tf.constant(v) for v in vs]) as acc:
        y = FUNCTIONS[name](*ts, **case.attrs)
    return acc.jvp(y, unconnected_gradients="zero").numpy()


def _numeric_jvp(name: str, case: Case, xs: list[np.ndarray], vs: list[np.ndarray]) -> np.ndarray:
    # (f(x + h·v) − f(x − h·v)) / 2h: the directional derivative along v.
    f = FUNCTIONS[name]
    plus = f(*[tf.constant(x + H * v) for x, v in zip(xs, vs)], **case.attrs).numpy()
    minus = f(*[tf.constant(x - H * v) for x, v in zip(xs, vs)], **case.attrs).numpy()
    return (plus - minus) / (2 * H)


def _draw(name: str, case: Case) -> tuple[list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(zlib.crc32(f"jvp-{name}-{case.label()}".encode()))
    xs = case.draw(rng)
    return xs, [rng.uniform(-1.0, 1.0, np.shape(x)) for x in xs]


@pytest.mark.parametrize("name, case", PARAMS)
def test_jvp_matches_finite_differences(name: str, case: Case) -> None:
    assert case is not None, f"{name}: a structural row needs cases in test_ops.CASES"
    xs, vs = _draw(name, case)
    got = _jvp(name, case, xs, vs)
    want = _numeric_jvp(name, case, xs, vs)
    assert got.shape == want.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name, case", PARAMS)
def test_jvp_is_the_transpose_of_the_vjp(name: str, case: Case) -> None:
    # ⟨w, J·v⟩ = ⟨Jᵀ·w, v⟩: forward and reverse rules of one row describe one Jacobian.
    xs, vs = _draw(name, case)
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = FUNCTIONS[name](*ts, **case.attrs)
    w = np.random.default_rng(1).uniform(-1.0, 1.0, y.shape)
    grads = tape.gradient(y, ts, output_gradients=tf.constant(w), unconnected_gradients="zero")
    reverse = sum(float(np.sum(g.numpy() * v)) for g, v in zip(grads, vs))
    forward = float(np.sum(w * _jvp(name, case, xs, vs)))
    assert forward == pytest.approx(reverse, rel=1e-9, abs=1e-12)


def test_every_structural_row_has_a_jvp_per_input() -> None:
    for op in OPS.values():
        if op.elementwise:
            assert len(op.partials) == op.arity, op.name
        else:
            assert len(op.jvps) == op.arity, op.name


def test_stop_gradient_and_integers_carry_no_tangent() -> None:
    x = tf.constant([1.0, 2.0])
    with ForwardAccumulator(x, tf.ones_like(x)) as acc:
        stopped = tf.stop_gradient(x) * 2.0
        whole = tf.cast(x, tf.int32)
    assert acc.jvp(stopped) is None
    assert acc.jvp(whole) is None


def test_unconnected_targets_give_none_or_zeros() -> None:
    x = tf.constant(2.0)
    other = tf.constant([1.0, 2.0, 3.0])
    with ForwardAccumulator(x, 1.0) as acc:
        y = other * 3.0
    assert acc.jvp(y) is None
    zero = acc.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    np.testing.assert_array_equal(zero.numpy(), np.zeros(3, np.float32))
    assert acc.jvp(x).numpy() == 1.0          # a primal's tangent is its seed


def test_lists_of_primals_and_a_nested_target() -> None:
    x, y = tf.constant(2.0), tf.constant(3.0)
    with ForwardAccumulator([x, y], [1.0, 10.0]) as acc:
        f = x * y + tf.sin(x)
        g = x - y
    out = acc.jvp({"f": f, "pair": [g, x]})
    # ḟ = (y + cos x)·1 + x·10, ġ = 1 − 10
    assert float(out["f"]) == pytest.approx(3.0 + np.cos(2.0) + 20.0, rel=1e-6)
    assert float(out["pair"][0]) == pytest.approx(-9.0)
    assert float(out["pair"][1]) == 1.0


def test_variables_as_primals() -> None:
    v = tf.Variable([1.0, 2.0], dtype=tf.float64)
    with ForwardAccumulator(v, tf.constant([1.0, 0.0], dtype=tf.float64)) as acc:
        y = tf.reduce_sum(v * v)
        z = tf.exp(v.read_value())
    assert float(acc.jvp(y)) == pytest.approx(2.0)
    np.testing.assert_allclose(acc.jvp(z).numpy(), [np.e, 0.0])


def test_mismatched_primals_and_tangents_are_errors() -> None:
    with pytest.raises(ValueError):
        ForwardAccumulator([tf.constant(1.0)], [1.0, 2.0])
    with pytest.raises(ValueError):
        ForwardAccumulator(tf.constant([1.0, 2.0]), [1.0, 2.0, 3.0])
    with pytest.raises(TypeError):
        ForwardAccumulator(1.0, 1.0)


def _cubes(x):
    return tf.reduce_sum(x ** 3)


XS = np.array([0.5, -1.5, 2.0])
VS = np.array([1.0, 2.0, -0.5])


def test_forward_over_reverse_is_a_hessian_vector_product() -> None:
    # f = Σ x³: ∇f = 3x², H = diag(6x), H·v = 6·x·v.
    x = tf.constant(XS)
    with ForwardAccumulator(x, tf.constant(VS)) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = _cubes(x)
        g = tape.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), 3 * XS ** 2)
    np.testing.assert_allclose(acc.jvp(g).numpy(), 6 * XS * VS)


def test_reverse_over_forward_is_a_hessian_vector_product() -> None:
    x = tf.constant(XS)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with ForwardAccumulator(x, tf.constant(VS)) as acc:
            y = _cubes(x)
        jvp = acc.jvp(y)
    np.testing.assert_allclose(float(jvp), np.sum(3 * XS ** 2 * VS))
    np.testing.assert_allclose(tape.gradient(jvp, x).numpy(), 6 * XS * VS)


def test_forward_over_reverse_through_a_mixed_function() -> None:
    # f = x·y + sin(x): H = [[−sin x, 1], [1, 0]].
    x, y = tf.constant(0.7, tf.float64), tf.constant(-1.2, tf.float64)
    with ForwardAccumulator([x, y], [tf.constant(1.0, tf.float64), tf.constant(2.0, tf.float64)]) as acc:
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            f = x * y + tf.sin(x)
        gx, gy = tape.gradient(f, [x, y])
    assert float(acc.jvp(gx)) == pytest.approx(-np.sin(0.7) + 2.0)
    assert float(acc.jvp(gy)) == pytest.approx(1.0)


def test_forward_over_forward_is_a_second_directional_derivative() -> None:
    x = tf.constant(0.3, tf.float64)
    with ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as outer:
        with ForwardAccumulator(x, tf.constant(1.0, tf.float64)) as inner:
            y = tf.sin(x) * x
        first = inner.jvp(y)
    # d/dx (x sin x) = sin x + x cos x; d²/dx² = 2 cos x − x sin x
    assert float(first) == pytest.approx(np.sin(0.3) + 0.3 * np.cos(0.3))
    assert float(outer.jvp(first)) == pytest.approx(2 * np.cos(0.3) - 0.3 * np.sin(0.3))


def test_the_accumulator_records_nothing_on_an_inner_tape() -> None:
    x = tf.constant(2.0)
    with ForwardAccumulator(x, 1.0):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
    # Only the primal op: the tangent's arithmetic belongs to the accumulator's enclosers.
    assert [r.op.name for r in tape.records] == ["multiply"]
    assert float(tape.gradient(y, x)) == 4.0


@pytest.mark.parametrize("x, alpha", [(-2.0, 0.1), (-0.5, 0.3), (1.5, 0.1)])
def test_accumulator_reads_the_attributes_of_a_scalar_op(x, alpha):
    # leaky_relu's slope below zero is its alpha: d/dx = alpha for x < 0, 1 above (closed form).
    v = tf.constant(x, dtype="float64")
    with tf.autodiff.ForwardAccumulator(v, tf.constant(1.0, dtype="float64")) as acc:
        y = tf.nn.leaky_relu(v, alpha=alpha) * v
    expected = 2 * alpha * x if x < 0 else 2 * x
    assert float(acc.jvp(y)) == pytest.approx(expected, rel=1e-12)

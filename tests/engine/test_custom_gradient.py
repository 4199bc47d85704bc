"""tf.custom_gradient: one recorded op whose gradient is the user's function, in both modes and
twice, with TensorFlow 2.21's values and errors."""
import numpy as np
import pytest

import adviz as tf

from .gradcheck import assert_gradients_match, weighted_sum


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))
    return tf.math.log(1 + e), grad


@tf.custom_gradient
def scaled_product(a, b):
    def grad(g):
        return g * b, g * a * 3.0      # deliberately not the true ∂/∂b
    return a * b, grad


def test_the_tape_records_one_op_and_uses_the_users_gradient():
    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert [r.op.name for r in tape.records] == ["log1pexp"]
    assert str(y) == "tf.Tensor(inf, shape=(), dtype=float32)"        # as TensorFlow 2.21 prints it
    assert str(tape.gradient(y, x)) == "tf.Tensor(1.0, shape=(), dtype=float32)"


def test_a_correct_custom_gradient_matches_finite_differences():
    xs = [np.random.default_rng(3).uniform(-2, 2, (2, 3))]
    assert_gradients_match(weighted_sum(log1pexp, xs), xs)


def test_the_gradient_is_the_users_even_when_it_is_not_the_true_one():
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = scaled_product(a, b) * 5.0
    ga, gb = tape.gradient(y, [a, b])
    assert ga.numpy().tolist() == [15.0, 20.0] and gb.numpy().tolist() == [15.0, 30.0]


def test_forward_mode_is_the_transpose_of_the_users_gradient():
    a, b = tf.constant([1.0, 2.0], tf.float64), tf.constant([3.0, 4.0], tf.float64)
    ta, tb = np.array([0.5, -1.0]), np.array([2.0, 0.25])
    with tf.autodiff.ForwardAccumulator([a, b], [tf.constant(ta), tf.constant(tb)]) as acc:
        y = scaled_product(a, b)
    jvp = acc.jvp(y).numpy()
    # J = [diag(b) | 3·diag(a)] as the user's VJP defines it, so J·t = b·ta + 3·a·tb.
    np.testing.assert_allclose(jvp, [3.0 * 0.5 + 3 * 1.0 * 2.0, 4.0 * -1.0 + 3 * 2.0 * 0.25])
    w = np.array([1.5, -0.5])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = scaled_product(a, b)
    ga, gb = tape.gradient(y, [a, b], output_gradients=tf.constant(w))
    assert np.dot(w, jvp) == pytest.approx(np.dot(ga.numpy(), ta) + np.dot(gb.numpy(), tb))


def test_the_users_gradient_can_be_differentiated_again():
    @tf.custom_gradient
    def square(x):
        def grad(g):
            return g * 2.0 * x
        return x * x, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = square(x)
        d = inner.gradient(y, x)
    assert float(d) == 6.0 and float(outer.gradient(d, x)) == 2.0         # TensorFlow 2.21 gives 6 and 2


def test_the_wrong_number_of_gradients_is_tensorflows_error():
    @tf.custom_gradient
    def f(a, b):
        def grad(g):
            return g * 2.0
        return a * b, grad

    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = f(a, b)
    with pytest.raises(ValueError, match="custom_gradient function expected to return 2 gradients, but returned 1 "
                                         "instead."):
        tape.gradient(y, [a, b])

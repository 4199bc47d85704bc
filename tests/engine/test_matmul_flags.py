"""tf.matmul's transpose and adjoint flags: values as numpy's, gradients as central differences."""
import numpy as np
import pytest

import adviz as tf


def _central(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up) - f(down)) / (2 * h)
    return g


@pytest.mark.parametrize("flags, shape_a, shape_b", [
    ({"transpose_a": True}, (3, 2), (3, 4)),
    ({"transpose_b": True}, (2, 3), (4, 3)),
    ({"transpose_a": True, "transpose_b": True}, (3, 2), (4, 3)),
    ({"adjoint_b": True}, (2, 5, 3), (2, 4, 3)),
])
def test_flags_transpose_the_last_two_axes(flags, shape_a, shape_b):
    rng = np.random.default_rng(7)
    a0, b0 = rng.normal(size=shape_a), rng.normal(size=shape_b)
    w = rng.normal(size=np.matmul(np.swapaxes(a0, -1, -2) if flags.get("transpose_a") else a0,
                                  np.swapaxes(b0, -1, -2) if flags.get("transpose_b") or flags.get("adjoint_b")
                                  else b0).shape)

    def loss(a, b):
        aa = np.swapaxes(a, -1, -2) if flags.get("transpose_a") else a
        bb = np.swapaxes(b, -1, -2) if flags.get("transpose_b") or flags.get("adjoint_b") else b
        return float(np.sum(np.matmul(aa, bb) * w))

    a, b = tf.Variable(a0), tf.Variable(b0)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.matmul(a, b, **flags) * w)
    ga, gb = tape.gradient(y, [a, b])
    assert float(y) == pytest.approx(loss(a0, b0), rel=1e-12)
    np.testing.assert_allclose(ga.numpy(), _central(lambda v: loss(v, b0), a0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb.numpy(), _central(lambda v: loss(a0, v), b0), rtol=1e-6, atol=1e-8)


def test_a_vector_cannot_be_transposed():
    with pytest.raises(ValueError, match="at least 2 axes"):
        tf.matmul(tf.ones(3), tf.ones((3, 2)), transpose_a=True)

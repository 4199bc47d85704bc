"""TensorFlow's library on the op table: values against closed forms and numpy, gradients of the
compositions against central finite differences (float64), TensorFlow's gradients at the edges
(zeros, ties, kinks, ops with no gradient), and TensorFlow 2.21's printed text and errors.

The rows themselves are checked from the table in test_ops and test_forward (finite differences,
twice, JVP against VJP) with the cases in library_cases.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import adviz as tf
from adviz.engine.errors import InvalidArgumentError

from .gradcheck import assert_gradients_match, numeric_gradient, tape_gradient, weighted_sum

RNG = np.random.default_rng(2021)


def _grad(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


# -- values ---------------------------------------------------------------------------------------
X = np.array([-1.7, -0.5, 0.3, 2.5])


@pytest.mark.parametrize("fn, want", [
    (tf.math.log1p, np.log1p(np.abs(X))), (tf.math.expm1, np.expm1(X)), (tf.math.rsqrt, 1 / np.sqrt(np.abs(X))),
    (tf.math.reciprocal, 1 / X), (tf.sign, np.sign(X)), (tf.floor, np.floor(X)), (tf.atan, np.arctan(X)),
    (tf.sinh, np.sinh(X)), (tf.cosh, np.cosh(X)), (tf.nn.softplus, np.log(1 + np.exp(X))),
    (tf.nn.elu, np.where(X > 0, X, np.exp(X) - 1)), (tf.nn.relu6, np.clip(3 * X, 0, 6)),
    (tf.nn.leaky_relu, np.where(X > 0, X, 0.2 * X)),
])
def test_elementwise_values(fn, want):
    arg = {tf.math.log1p: np.abs(X), tf.math.rsqrt: np.abs(X), tf.nn.relu6: 3 * X}.get(fn, X)
    np.testing.assert_allclose(fn(tf.constant(arg, dtype=tf.float64)).numpy(), want, rtol=1e-15)


def test_inverse_trigonometric_values():
    u = tf.constant([-0.9, 0.0, 0.4], dtype=tf.float64)
    np.testing.assert_allclose(tf.sin(tf.asin(u)).numpy(), u.numpy(), atol=1e-15)
    np.testing.assert_allclose(tf.cos(tf.acos(u)).numpy(), u.numpy(), atol=1e-15)


def test_round_is_half_to_even_and_no_gradient_like_tensorflow():
    assert str(tf.round([0.5, 1.5, 2.5, -0.5])) == "tf.Tensor([ 0.  2.  2. -0.], shape=(4,), dtype=float32)"
    for fn in (tf.floor, tf.round):
        assert _grad(fn, [0.3, 1.7]) is None


def test_sign_has_a_zero_gradient_like_tensorflow():
    assert _grad(tf.sign, [-1.0, 2.0]).numpy().tolist() == [0.0, 0.0]


def test_no_nan_division_is_zero_where_the_divisor_is():
    x, y = tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([0.0, 1.0, 2.0, 0.0])
    assert tf.math.divide_no_nan(x, y).numpy().tolist() == [0.0, 2.0, 1.5, 0.0]
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = tf.math.divide_no_nan(x, y)
    gx, gy = tape.gradient(z, [x, y])
    assert gx.numpy().tolist() == [0.0, 1.0, 0.5, 0.0]           # as TensorFlow 2.21 gives it
    assert gy.numpy().tolist() == [0.0, -2.0, -0.75, 0.0]


def test_squared_difference_and_extreme_reductions():
    a, b = RNG.normal(size=(3, 4)), RNG.normal(size=(4,))
    np.testing.assert_array_equal(tf.math.squared_difference(a, b).numpy(), (a - b) ** 2)
    np.testing.assert_array_equal(tf.reduce_min(a, axis=1).numpy(), a.min(axis=1))
    np.testing.assert_allclose(tf.reduce_prod(a, axis=0, keepdims=True).numpy(), a.prod(axis=0, keepdims=True))


@pytest.mark.parametrize("x", [[2.0, 0.0, 3.0, 4.0], [0.0, 5.0, 0.0, 2.0], [1.5, -2.0, 3.0, 0.5]])
def test_product_gradient_is_the_product_of_the_others_even_at_zeros(x):
    want = [np.prod(np.delete(x, i)) for i in range(len(x))]
    np.testing.assert_allclose(_grad(tf.reduce_prod, np.array(x)).numpy(), want)


def test_min_ties_share_the_gradient():
    assert _grad(tf.reduce_min, [2.0, 1.0, 1.0]).numpy().tolist() == [0.0, 0.5, 0.5]


def test_activation_gradients_at_their_kinks_follow_tensorflow():
    at = np.array([0.0, 6.0])
    assert _grad(tf.nn.relu6, at).numpy().tolist() == [0.0, 0.0]
    assert _grad(tf.nn.leaky_relu, at).numpy().tolist() == [pytest.approx(0.2), 1.0]
    assert _grad(lambda v: tf.nn.leaky_relu(v, alpha=0.5), at).numpy().tolist() == [0.5, 1.0]
    assert _grad(tf.nn.elu, at).numpy().tolist() == [1.0, 1.0]


def test_softmax_rows_sum_to_one_and_log_softmax_is_its_log():
    x = RNG.normal(size=(3, 5)) * 30
    s = tf.nn.softmax(x).numpy()
    np.testing.assert_allclose(s.sum(axis=-1), 1.0)
    np.testing.assert_allclose(tf.nn.log_softmax(x).numpy(), np.log(s), atol=1e-12)
    np.testing.assert_allclose(tf.nn.softmax(x, axis=0).numpy().sum(axis=0), 1.0)
    e = np.exp(x[0] - x[0].max())
    np.testing.assert_allclose(s[0], e / e.sum())


@given(st.lists(st.floats(-50, 50), min_size=1, max_size=6))
def test_softmax_gradient_of_any_weighted_sum_matches_its_closed_form(values):
    x = np.array(values)
    w = np.arange(1.0, len(values) + 1)
    s = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
    got = _grad(lambda v: tf.reduce_sum(tf.nn.softmax(v) * w), x).numpy()
    np.testing.assert_allclose(got, s * (w - np.dot(w, s)), atol=1e-12)


# -- compositions against finite differences ---------------------------------------------------------
def _check(fn, *shapes, draw=lambda rng, s: rng.uniform(-2.0, 2.0, s), seed=0):
    rng = np.random.default_rng(seed)
    xs = [draw(rng, s) for s in shapes]
    assert_gradients_match(weighted_sum(fn, xs), xs)


@pytest.mark.parametrize("fn", [
    lambda x: tf.norm(x), lambda x: tf.norm(x, axis=1), lambda x: tf.norm(x, ord=1, axis=0),
    lambda x: tf.norm(x, ord=np.inf), lambda x: tf.norm(x, ord=3, axis=-1, keepdims=True),
    lambda x: tf.norm(x, ord=1, axis=(0, 1)), lambda x: tf.norm(x, ord=np.inf, axis=[0, 1]),
    lambda x: tf.norm(x, ord="fro", axis=(0, 1)),
    lambda x: tf.math.reduce_std(x), lambda x: tf.math.reduce_variance(x, axis=0),
    lambda x: tf.math.reduce_std(x, axis=1, keepdims=True), lambda x: tf.reduce_logsumexp(x),
    lambda x: tf.reduce_logsumexp(x, axis=1), lambda x: tf.math.reduce_logsumexp(x, axis=0, keepdims=True),
    lambda x: tf.clip_by_value(x, -1.0, 1.0), lambda x: tf.clip_by_norm(x, 1.0),
    lambda x: tf.clip_by_norm(x, 1.5, axes=[1]), lambda x: tf.nn.l2_loss(x),
    lambda x: tf.nn.log_softmax(x) + tf.nn.softmax(x, axis=0),
    lambda x: tf.stack([x, 2 * x, x * x], axis=1), lambda x: tf.unstack(x, axis=1)[2] * tf.unstack(x)[0][1],
    lambda x: tf.expand_dims(x, 1), lambda x: tf.squeeze(tf.expand_dims(x, 0), axis=0),
    lambda x: tf.gather(x, [[2, 0], [1, 1]], axis=1), lambda x: tf.tile(x, [2, 3]),
    lambda x: tf.concat([x, x * x, tf.sin(x)], axis=-1),
    lambda x: tf.where(x > 0, x * x, tf.sin(x)), lambda x: tf.where(x[0] > 0, 2.0, x),
    lambda x: tf.einsum("ij->ji", x), lambda x: tf.einsum("ij->j", x), lambda x: tf.einsum("ij,ij->i", x, x),
    lambda x: tf.einsum("ij,kj->ik", x, x * 3.0), lambda x: tf.einsum("ij,k->ik", x, x[0]),
    lambda x: tf.einsum("ij,jk", x, tf.transpose(x)), lambda x: tf.fill([2, 2], tf.reduce_sum(x)),
    lambda x: tf.linspace(x[0, 0], x[1, 2], 5), lambda x: tf.linspace(x[0], x[1], 4),
], ids=lambda f: "")
def test_composition_gradients_match_finite_differences(fn):
    rng = np.random.default_rng(5)
    x = rng.choice([-1.0, 1.0], (2, 3)) * rng.uniform(0.2, 2.0, (2, 3))
    assert_gradients_match(weighted_sum(fn, [x]), [x])


def test_loss_gradients_match_finite_differences_in_both_arguments():
    _check(lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x), (2, 3), (2, 3))
    _check(lambda z, x: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x), (2, 4), (2, 4), seed=1)
    _check(lambda z, x: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x, axis=0), (3, 2), (3, 2))
    _check(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2, 0, 1], logits=x), (3, 4))


def test_losses_have_their_closed_forms():
    z, x = np.array([1.0, 0.0, 0.3]), np.array([0.5, -2.0, 12.0])
    want = z * -np.log(1 / (1 + np.exp(-x))) + (1 - z) * -np.log(1 - 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x).numpy(), want, rtol=1e-12)
    logits = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 2], logits=logits).numpy(),
                               -np.log([p[0, 1], p[1, 2]]))
    assert float(tf.nn.l2_loss(tf.constant([1.0, 2.0]))) == 2.5
    # ∂loss/∂logits = softmax − one_hot, as TensorFlow's fused kernel gives it
    g = _grad(lambda v: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 2], logits=v), logits)
    np.testing.assert_allclose(g.numpy(), p - np.eye(3)[[1, 2]], atol=1e-12)


def test_clipping_gradients_at_the_edges_follow_tensorflow():
    # TensorFlow 2.21: clip_by_value's gradient is 1 inside, 0 outside; a zero vector's clip_by_norm is 0.
    g = _grad(lambda v: tf.clip_by_value(v, -1.0, 1.0), [-1.7, -0.5, 0.3, 2.5])
    assert g.numpy().tolist() == [0.0, 1.0, 1.0, 0.0]
    assert tf.clip_by_norm(tf.zeros([3]), 1.0).numpy().tolist() == [0.0, 0.0, 0.0]
    assert not np.isnan(_grad(lambda v: tf.clip_by_norm(v, 1.0), np.zeros(3)).numpy()).any()
    assert tf.clip_by_norm([3.0, 4.0], 1.0).numpy().tolist() == [pytest.approx(0.6), pytest.approx(0.8)]


def test_logsumexp_does_not_overflow():
    x = np.array([1000.0, 1000.0])
    assert float(tf.reduce_logsumexp(tf.constant(x))) == pytest.approx(1000.0 + np.log(2.0))


def test_fill_and_linspace_pass_gradients_to_their_tensor_arguments():
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        filled = tf.fill([2, 3], v)
        spaced = tf.linspace(v, 3.0, 4)
    assert float(tape.gradient(filled, v)) == 6.0
    assert float(tape.gradient(spaced, v)) == pytest.approx(2.0)     # Σ (1 − i/3), as TensorFlow gives


def test_random_mean_and_stddev_tensors_get_gradients():
    mean, std = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.random.normal([5], mean=mean, stddev=std, seed=4)
    gm, gs = tape.gradient(y, [mean, std])
    noise = (y.numpy() - 2.0) / 3.0
    assert float(gm) == 5.0
    assert float(gs) == pytest.approx(noise.sum(), rel=1e-5)


# -- structure ------------------------------------------------------------------------------------------
def test_gathered_rows_picked_twice_get_two_gradients():
    g = _grad(lambda p: tf.gather(p, [2, 0, 2]), np.arange(8.0).reshape(4, 2))
    assert g.numpy().tolist() == [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0], [0.0, 0.0]]


def test_stack_unstack_and_squeeze_shapes():
    a = tf.constant(np.arange(6.0).reshape(2, 3))
    assert tf.stack([a, a], axis=2).shape == (2, 3, 2)
    assert [t.numpy().tolist() for t in tf.unstack(a, axis=1)] == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    assert tf.squeeze(tf.zeros([1, 2, 1])).shape == (2,)
    assert tf.expand_dims(a, -1).shape == (2, 3, 1)
    np.testing.assert_array_equal(tf.tile(a, [2, 1]).numpy(), np.tile(a.numpy(), (2, 1)))


def test_einsum_values_match_numpy():
    a, b, c = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4)), RNG.normal(size=(5, 3, 4))
    for eq, args in [("ij,jk->ik", (a, b)), ("i,i->", (a[0], a[1])), ("ij->ji", (a,)),
                     ("bij,bjk->bik", (c[:, :2, :3], c[:, :3, :])), ("ij,jk", (a, b)), ("ij,k->ik", (a, b[0]))]:
        np.testing.assert_allclose(tf.einsum(eq, *args).numpy(), np.einsum(eq, *args), err_msg=eq)


def test_where_with_one_argument_gives_int64_coordinates():
    out = tf.where([[True, False], [False, True]])
    assert str(out) == "tf.Tensor(\n[[0 0]\n [1 1]], shape=(2, 2), dtype=int64)"


# -- TensorFlow 2.21's printed values -------------------------------------------------------------------
@pytest.mark.parametrize("make, text", [
    (lambda: tf.range(5), "tf.Tensor([0 1 2 3 4], shape=(5,), dtype=int32)"),
    (lambda: tf.range(5.0), "tf.Tensor([0. 1. 2. 3. 4.], shape=(5,), dtype=float32)"),
    (lambda: tf.range(1, 10, 3), "tf.Tensor([1 4 7], shape=(3,), dtype=int32)"),
    (lambda: tf.range(0, 1, 0.25), "tf.Tensor([0.   0.25 0.5  0.75], shape=(4,), dtype=float32)"),
    (lambda: tf.range(5, 1, -2), "tf.Tensor([5 3], shape=(2,), dtype=int32)"),
    (lambda: tf.range(1.5), "tf.Tensor([0. 1.], shape=(2,), dtype=float32)"),
    (lambda: tf.range(3, dtype=tf.int64), "tf.Tensor([0 1 2], shape=(3,), dtype=int64)"),
    (lambda: tf.range(5, dtype=tf.float64), "tf.Tensor([0. 1. 2. 3. 4.], shape=(5,), dtype=float64)"),
    (lambda: tf.shape(tf.zeros([2, 3])), "tf.Tensor([2 3], shape=(2,), dtype=int32)"),
    (lambda: tf.shape(tf.zeros([2, 3]), out_type=tf.int64), "tf.Tensor([2 3], shape=(2,), dtype=int64)"),
    (lambda: tf.size(tf.zeros([2, 3])), "tf.Tensor(6, shape=(), dtype=int32)"),
    (lambda: tf.rank(tf.zeros([2, 3])), "tf.Tensor(2, shape=(), dtype=int32)"),
    (lambda: tf.size(3.0), "tf.Tensor(1, shape=(), dtype=int32)"),
    (lambda: tf.math.argmax([[1.0, 5.0], [3.0, 2.0]]), "tf.Tensor([1 0], shape=(2,), dtype=int64)"),
    (lambda: tf.math.argmax([1, 3], output_type=tf.int32), "tf.Tensor(1, shape=(), dtype=int32)"),
    (lambda: tf.math.argmin([[1.0, 5.0], [3.0, 2.0]], axis=1), "tf.Tensor([0 1], shape=(2,), dtype=int64)"),
    (lambda: tf.eye(2, 3, dtype=tf.int32), "tf.Tensor(\n[[1 0 0]\n [0 1 0]], shape=(2, 3), dtype=int32)"),
    (lambda: tf.fill([2, 2], 3), "tf.Tensor(\n[[3 3]\n [3 3]], shape=(2, 2), dtype=int32)"),
    (lambda: tf.fill([2], 3.0), "tf.Tensor([3. 3.], shape=(2,), dtype=float32)"),
    (lambda: tf.linspace(0.0, 1.0, 5), "tf.Tensor([0.   0.25 0.5  0.75 1.  ], shape=(5,), dtype=float32)"),
    (lambda: tf.linspace(0, 10, 3), "tf.Tensor([ 0.  5. 10.], shape=(3,), dtype=float64)"),
    (lambda: tf.linspace(0.0, 10.0, 0), "tf.Tensor([], shape=(0,), dtype=float32)"),
    (lambda: tf.one_hot([0, 2], 3), "tf.Tensor(\n[[1. 0. 0.]\n [0. 0. 1.]], shape=(2, 3), dtype=float32)"),
    (lambda: tf.one_hot([1], 2, on_value=5, off_value=0), "tf.Tensor([[0 5]], shape=(1, 2), dtype=int32)"),
    (lambda: tf.one_hot([0, 2], 3, axis=0), "tf.Tensor(\n[[1. 0.]\n [0. 0.]\n [0. 1.]], shape=(3, 2), dtype=float32)"),
    (lambda: tf.one_hot([0, -1, 5], 3)[1:], "tf.Tensor(\n[[0. 0. 0.]\n [0. 0. 0.]], shape=(2, 3), dtype=float32)"),
    (lambda: tf.norm([3.0, -4.0], ord=1), "tf.Tensor(7.0, shape=(), dtype=float32)"),
    (lambda: tf.norm([[3.0, 4.0]], axis=1, keepdims=True), "tf.Tensor([[5.]], shape=(1, 1), dtype=float32)"),
    (lambda: tf.math.reduce_variance([[1.0, 2.0], [3.0, 5.0]], axis=0),
     "tf.Tensor([1.   2.25], shape=(2,), dtype=float32)"),
    (lambda: tf.math.reduce_std([[1.0, 2.0], [3.0, 5.0]]), "tf.Tensor(1.47902, shape=(), dtype=float32)"),
    (lambda: tf.reduce_logsumexp([[1.0, 2.0], [3.0, 4.0]], axis=1),
     "tf.Tensor([2.3132617 4.3132615], shape=(2,), dtype=float32)"),
    (lambda: tf.clip_by_value([1, 5, 9], 2, 6), "tf.Tensor([2 5 6], shape=(3,), dtype=int32)"),
    (lambda: tf.stack([[1.0, 2.0], [3.0, 4.0]], axis=1), "tf.Tensor(\n[[1. 3.]\n [2. 4.]], shape=(2, 2), dtype=float32)"),
    (lambda: tf.nn.softplus([-1.0, 0.0, 30.0]), "tf.Tensor([ 0.3132617  0.6931472 30.       ], shape=(3,), dtype=float32)"),
    (lambda: tf.nn.leaky_relu([-1.0, 2.0]), "tf.Tensor([-0.2  2. ], shape=(2,), dtype=float32)"),
    (lambda: tf.math.divide_no_nan(1.0, 0.0), "tf.Tensor(0.0, shape=(), dtype=float32)"),
    (lambda: tf.reduce_all([True, False]), "tf.Tensor(False, shape=(), dtype=bool)"),
    (lambda: tf.reduce_any([[True, False], [False, False]], axis=1), "tf.Tensor([ True False], shape=(2,), dtype=bool)"),
    (lambda: tf.reduce_all([[True]], keepdims=True), "tf.Tensor([[ True]], shape=(1, 1), dtype=bool)"),
    # TensorFlow's kernel rounds each step of log softmax (and so of the cross-entropy) in float32
    (lambda: tf.nn.log_softmax([[2.0, 1.0, 0.1]]),
     "tf.Tensor([[-0.41702995 -1.41703    -2.31703   ]], shape=(1, 3), dtype=float32)"),
    (lambda: tf.nn.softmax_cross_entropy_with_logits(labels=[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]],
                                                     logits=[[2.0, -1.0, 0.5], [0.0, 1.0, -2.0]]),
     "tf.Tensor([0.24131133 3.3490121 ], shape=(2,), dtype=float32)"),
])
def test_printed_like_tensorflow(make, text):
    assert str(make()) == text


# -- TensorFlow's errors --------------------------------------------------------------------------------
@pytest.mark.parametrize("call, kind, message", [
    (lambda: tf.range(5, 1), InvalidArgumentError, "Requires start <= limit when delta > 0: 5/1 [Op:Range] name: "),
    (lambda: tf.range(0, 1, 0), InvalidArgumentError, "Requires delta != 0: 0 [Op:Range]"),
    (lambda: tf.concat([tf.zeros([2, 3]), tf.zeros([2, 4])], 0), InvalidArgumentError,
     "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,3] vs. shape[1] = [2,4] [Op:ConcatV2] name: concat"),
    (lambda: tf.concat([1.0, 2.0], 0), InvalidArgumentError, "Can't concatenate scalars (use tf.stack instead)"),
    (lambda: tf.stack([tf.zeros([2]), tf.zeros([3])]), InvalidArgumentError,
     "Shapes of all inputs must match: values[0].shape = [2] != values[1].shape = [3] [Op:Pack] name: stack"),
    (lambda: tf.unstack(tf.zeros([2, 3]), num=3), InvalidArgumentError, "Input shape axis 0 must equal 3, got shape [2,3]"),
    (lambda: tf.tile(tf.zeros([2, 3]), [2]), InvalidArgumentError,
     "Expected multiples argument to be a vector of length 2 but got length 1 [Op:Tile]"),
    (lambda: tf.gather([1.0, 2.0, 3.0], [0, 5]), InvalidArgumentError, "indices[1] = 5 is not in [0, 3) [Op:GatherV2]"),
    (lambda: tf.gather([1.0, 2.0, 3.0], [-1]), InvalidArgumentError, "indices[0] = -1 is not in [0, 3)"),
    (lambda: tf.squeeze(tf.zeros([2, 1, 3]), axis=0), InvalidArgumentError,
     "Can not squeeze dim[0], expected a dimension of 1, got 2 [Op:Squeeze] name: "),
    (lambda: tf.expand_dims(tf.zeros([2]), 3), InvalidArgumentError,
     "Tried to expand dim index 3 for tensor with 1 dimensions. [Op:ExpandDims] name: "),
    (lambda: tf.where([True, False], tf.zeros([3]), tf.zeros([3])), InvalidArgumentError,
     "condition [2], then [3], and else [3] must be broadcastable [Op:SelectV2]"),
    (lambda: tf.where([True], x=[1.0]), ValueError, "x and y must both be non-None or both be None."),
    (lambda: tf.math.argmax([1.0, 2.0], axis=3), InvalidArgumentError,
     "Expected dimension in the range [-1, 1), but got 3 [Op:ArgMax]"),
    (lambda: tf.fill([-1], 1.0), InvalidArgumentError, "Dimension -1 must be >= 0 [Op:Fill]"),
    (lambda: tf.one_hot([0.0], 3), InvalidArgumentError, "Value for attr 'TI' of float is not in the list"),
    (lambda: tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([4, 4])), InvalidArgumentError,
     "Expected dimension 3 at axis 0 of the input shaped [4,4] but got dimension 4"),
    (lambda: tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[0.5, -2.0, 1.0]), ValueError,
     "`logits` and `labels` must have the same shape, received ((3,) vs (2,))."),
    (lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[5], logits=[[1.0, 2.0, 3.0]]), InvalidArgumentError,
     "Received a label value of 5 which is outside the valid range of [0, 3).  Label values: 5"),
    (lambda: tf.random.uniform([2], dtype=tf.int32), ValueError, "Must specify maxval for integer dtype tf.int32"),
    (lambda: tf.random.uniform([2], 5, 1, dtype=tf.int32), InvalidArgumentError, "Need minval < maxval, got 5 >= 1"),
    (lambda: tf.random.normal([2], dtype=tf.int32), TypeError, "Cannot convert 0.0 to EagerTensor of dtype int32"),
    (lambda: tf.random.normal([-1]), InvalidArgumentError, "Dimension -1 must be >= 0 [Op:RandomStandardNormal]"),
    (lambda: tf.one_hot([1], 3, on_value=tf.ones([2])), InvalidArgumentError,
     "on_value must be a scalar, but got: [2] [Op:OneHot]"),
    (lambda: tf.reduce_all([1, 0]), TypeError, "Cannot convert [1, 0] to EagerTensor of dtype bool"),
])
def test_errors_are_tensorflows(call, kind, message):
    with pytest.raises(kind) as info:
        call()
    assert message in str(info.value)


# -- tape: batch_jacobian, watched_variables --------------------------------------------------------------
def test_batch_jacobian_is_each_examples_jacobian():
    x = tf.constant(RNG.normal(size=(3, 2)))
    w = tf.constant(RNG.normal(size=(2, 4)))

    def f(v):
        return tf.tanh(v @ w) * tf.reduce_sum(v * v, axis=1, keepdims=True)

    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    got = tape.batch_jacobian(y, x)
    assert got.shape == (3, 4, 2)
    for b in range(3):
        row = x.numpy()[b:b + 1]
        for i in range(4):
            def element(r, i=i):
                return tf.reduce_sum(f(r)[0, i])
            want = numeric_gradient(element, [row])[0][0]
            np.testing.assert_allclose(got.numpy()[b, i], want, rtol=1e-6, atol=1e-8)


def test_batch_jacobian_of_higher_rank_and_of_an_unconnected_source():
    x = tf.constant(RNG.normal(size=(2, 2, 3)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.sin(x)
        c = tf.constant(np.ones((2, 2)))
        tape.watch(c)
    j = tape.batch_jacobian(y, x)
    assert j.shape == (2, 2, 3, 2, 3)
    np.testing.assert_allclose(j.numpy()[1, 0, 2, 0, 2], np.cos(x.numpy()[1, 0, 2]))
    assert j.numpy()[1, 0, 2, 1, 2] == 0.0
    assert tape.batch_jacobian(c, x) is None
    assert tape.batch_jacobian(c, x, unconnected_gradients="zero").shape == (2, 2, 2, 3)
    with pytest.raises(ValueError, match="Need first dimension of target shape"):
        tape.batch_jacobian(tf.constant(np.ones((3, 1))), x)


def test_batch_jacobian_can_be_differentiated_again():
    x = tf.constant(RNG.normal(size=(2, 3)))
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x ** 3
        j = inner.batch_jacobian(y, x)
        total = tf.reduce_sum(j)
    # Σ_b,i,k ∂y_bi/∂x_bk = Σ 3x², so its gradient is 6x.
    np.testing.assert_allclose(outer.gradient(total, x).numpy(), 6 * x.numpy())


def test_watched_variables_in_the_order_watched():
    a, b, c = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        _ = b * a + c
        tape.watch(c)
    assert tape.watched_variables() == (b, a, c)


# -- random ----------------------------------------------------------------------------------------------
def test_a_tensor_mean_or_bound_broadcasts_with_the_noise():
    assert tf.random.normal([2], mean=tf.zeros([3, 1])).shape == (3, 2)           # as TensorFlow 2.21
    assert tf.random.uniform([2], minval=tf.zeros([3, 1])).shape == (3, 2)


def test_random_shapes_dtypes_and_ranges():
    assert tf.random.normal([2, 3]).dtype == tf.float32 and tf.random.normal([2, 3]).shape == (2, 3)
    assert tf.random.normal([], dtype=tf.float64).shape == ()
    u = tf.random.uniform([1000], -1.0, 1.0).numpy()
    assert u.min() >= -1.0 and u.max() < 1.0
    ints = tf.random.uniform([1000], 0, 10, dtype=tf.int64)
    assert ints.dtype == tf.int64 and set(ints.numpy().tolist()) <= set(range(10))
    t = tf.random.truncated_normal([1000], mean=1.0, stddev=0.1).numpy()
    assert np.all(np.abs(t - 1.0) <= 0.2 + 1e-6)
    assert sorted(tf.random.shuffle([1, 2, 3, 4]).numpy().tolist()) == [1, 2, 3, 4]


def test_set_seed_starts_the_sequence_again():
    tf.random.set_seed(7)
    first = [tf.random.normal([3]).numpy(), tf.random.uniform([2], seed=1).numpy()]
    assert not np.array_equal(first[0], tf.random.normal([3]).numpy())     # the sequence moves on
    tf.random.set_seed(7)
    again = [tf.random.normal([3]).numpy(), tf.random.uniform([2], seed=1).numpy()]
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])


def test_a_generator_is_its_own_stream():
    g1, g2 = tf.random.Generator.from_seed(3), tf.random.Generator.from_seed(3)
    np.testing.assert_array_equal(g1.normal([4]).numpy(), g2.normal([4]).numpy())
    tf.random.set_seed(3)
    assert not np.array_equal(tf.random.normal([4]).numpy(), tf.random.Generator.from_seed(3).normal([4]).numpy())


def test_random_values_are_constants_on_the_tape():
    x = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        y = x * tf.random.normal([3])
        noise = tf.random.normal([3])
    assert tape.gradient(noise, x) is None
    assert tape.gradient(y, x) is not None


def test_a_new_tape_gradient_never_changes_a_value():
    # tape_gradient, used throughout, only reads: the same inputs give the same gradient twice.
    xs = [RNG.normal(size=(2, 3))]
    f = weighted_sum(lambda v: tf.nn.softmax(v), xs)
    np.testing.assert_array_equal(tape_gradient(f, xs)[0], tape_gradient(f, xs)[0])


@given(st.lists(st.integers(1, 3), min_size=1, max_size=3).flatmap(
    lambda shape: st.tuples(st.just(tuple(shape)), st.lists(st.integers(1, 3), min_size=len(shape),
                                                            max_size=len(shape)))))
def test_tile_gradient_is_the_number_of_copies_times_the_weights(case):
    shape, multiples = case
    x = np.arange(1.0, np.prod(shape) + 1).reshape(shape)
    w = np.arange(np.prod(np.multiply(shape, multiples)), dtype=float).reshape(tuple(np.multiply(shape, multiples)))
    got = _grad(lambda v: tf.reduce_sum(tf.tile(v, multiples) * w), x).numpy()
    # Each element of x is copied to every position congruent to it: its gradient sums those weights.
    split = tuple(d for k, n in zip(multiples, shape) for d in (k, n))
    want = w.reshape(split).sum(axis=tuple(range(0, 2 * len(shape), 2)))
    np.testing.assert_array_equal(got, want)


@given(st.lists(st.integers(0, 3), min_size=1, max_size=6), st.integers(0, 1))
def test_gather_gradient_counts_each_pick(indices, axis):
    x = np.arange(8.0).reshape(4, 2) if axis == 0 else np.arange(8.0).reshape(2, 4)
    got = _grad(lambda v: tf.reduce_sum(tf.gather(v, indices, axis=axis)), x).numpy()
    counts = np.bincount(indices, minlength=4).astype(float)
    want = np.repeat(counts[:, None], 2, axis=1) if axis == 0 else np.repeat(counts[None, :], 2, axis=0)
    np.testing.assert_array_equal(got, want)

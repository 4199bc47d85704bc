"""The Keras subset on the engine: gradients of Dense, Sequential and every loss against central
finite differences of plain numpy formulas (float64), loss values against their closed forms,
and SGD and Adam steps against hand computations."""
from __future__ import annotations

import math

import numpy as np
import pytest

import adviz as tf
from adviz.engine import keras
from adviz.engine.keras import losses
from adviz.engine.recording import current_scope, scope

EPS = 1e-7


def np_activation(name, z):
    if name == "linear":
        return z
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_loss(name, y, p):
    """Keras's per-sample losses, written out, then the mean over the batch."""
    if name == "mse":
        per = np.mean((y - p) ** 2, axis=-1)
    elif name == "mae":
        per = np.mean(np.abs(y - p), axis=-1)
    elif name == "bce":
        q = np.clip(p, EPS, 1 - EPS)
        per = np.mean(-(y * np.log(q) + (1 - y) * np.log(1 - q)), axis=-1)
    elif name == "bce_logits":
        per = np.mean(np.maximum(p, 0) - p * y + np.log(1 + np.exp(-np.abs(p))), axis=-1)
    elif name == "cce":
        q = np.clip(p / p.sum(axis=-1, keepdims=True), EPS, 1 - EPS)
        per = -np.sum(y * np.log(q), axis=-1)
    elif name == "cce_logits":
        per = -np.sum(y * (p - np.log(np.sum(np.exp(p), axis=-1, keepdims=True))), axis=-1)
    elif name == "scce":
        q = np.clip(p, EPS, 1 - EPS)
        per = -np.log(np.take_along_axis(q, y[:, None], axis=-1)[:, 0]) + np.log(q.sum(axis=-1))
    else:  # scce_logits
        lse = np.log(np.sum(np.exp(p), axis=-1))
        per = lse - np.take_along_axis(p, y[:, None], axis=-1)[:, 0]
    return float(np.mean(per))


LOSSES = {
    "mse": keras.losses.MeanSquaredError(), "mae": keras.losses.MeanAbsoluteError(),
    "bce": keras.losses.BinaryCrossentropy(), "bce_logits": keras.losses.BinaryCrossentropy(from_logits=True),
    "cce": keras.losses.CategoricalCrossentropy(),
    "cce_logits": keras.losses.CategoricalCrossentropy(from_logits=True),
    "scce": keras.losses.SparseCategoricalCrossentropy(),
    "scce_logits": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
}


def targets(name, rng, batch, units):
    if name.startswith("scce"):
        return rng.integers(0, units, batch)
    if name.startswith("cce"):
        return np.eye(units)[rng.integers(0, units, batch)]
    if name.startswith("bce"):
        return rng.integers(0, 2, (batch, units)).astype(np.float64)
    return rng.normal(size=(batch, units))


def central_differences(f, arrays, h=1e-6):
    grads = []
    for i, a in enumerate(arrays):
        g = np.zeros_like(a)
        for k in np.ndindex(*a.shape):
            plus = [b.copy() for b in arrays]
            minus = [b.copy() for b in arrays]
            plus[i][k] += h
            minus[i][k] -= h
            g[k] = (f(*plus) - f(*minus)) / (2 * h)
        grads.append(g)
    return grads


PAIRS = [("tanh", "mse"), ("relu", "mae"), ("sigmoid", "bce"), ("linear", "bce_logits"), ("softmax", "cce"),
         ("linear", "cce_logits"), ("softmax", "scce"), ("linear", "scce_logits"), ("sigmoid", "mse")]


@pytest.mark.parametrize("activation, loss", PAIRS)
def test_dense_and_loss_gradients_match_finite_differences(activation, loss):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4, 3))
    y = targets(loss, rng, 4, 3)
    layer = keras.Dense(3, activation=activation, dtype="float64",
                        kernel_initializer=keras.initializers.RandomNormal(stddev=0.7, seed=3),
                        bias_initializer=keras.initializers.RandomUniform(-0.3, 0.3, seed=4))
    with tf.GradientTape() as tape:
        value = LOSSES[loss](tf.constant(y), layer(tf.constant(x)))
    grads = tape.gradient(value, layer.trainable_variables)
    w, b = layer.kernel.numpy(), layer.bias.numpy()

    def reference(w, b):
        return np_loss(loss, y, np_activation(activation, x @ w + b))

    assert float(value) == pytest.approx(reference(w, b), rel=1e-12)
    for got, want in zip(grads, central_differences(reference, [w, b])):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-8)


def test_sequential_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    model = keras.Sequential([keras.Dense(3, activation="tanh", dtype="float64",
                                          kernel_initializer=keras.initializers.GlorotUniform(seed=1)),
                              keras.Dense(1, dtype="float64", kernel_initializer=keras.initializers.GlorotUniform(seed=2),
                                          bias_initializer=keras.initializers.Constant(0.25))])
    with tf.GradientTape() as tape:
        value = keras.losses.MeanSquaredError()(tf.constant(y), model(tf.constant(x)))
    grads = tape.gradient(value, model.trainable_variables)
    params = [v.numpy() for v in model.trainable_variables]

    def reference(w1, b1, w2, b2):
        return float(np.mean((y - (np.tanh(x @ w1 + b1) @ w2 + b2)) ** 2))

    for got, want in zip(grads, central_differences(reference, params)):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-9)


def test_probabilities_are_clipped_as_keras_clips_them():
    y, p = np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])
    want = -math.log(1 - EPS)
    assert float(keras.losses.BinaryCrossentropy()(tf.constant(y), tf.constant(p))) == pytest.approx(want, rel=1e-9)
    value = keras.losses.CategoricalCrossentropy()(tf.constant([[0.0, 1.0]]), tf.constant([[1.0, 0.0]]))
    assert float(value) == pytest.approx(-math.log(EPS), rel=1e-6)


def test_losses_take_a_trailing_dimension_of_one_and_return_a_scalar():
    value = keras.losses.MeanSquaredError()(tf.constant([1.0, 2.0], dtype=tf.float64),
                                             tf.constant([[1.5], [1.0]], dtype=tf.float64))
    assert value.shape == () and float(value) == pytest.approx((0.25 + 1.0) / 2)
    per_sample = keras.losses.mean_squared_error(tf.constant([[1.0, 2.0]]), tf.constant([[1.5, 3.0]]))
    assert per_sample.shape == (1,) and float(per_sample[0]) == pytest.approx((0.25 + 1.0) / 2)


def test_sgd_with_momentum_matches_two_hand_steps():
    v = tf.Variable([1.0, -2.0], dtype=tf.float64)
    opt = keras.optimizers.SGD(learning_rate=0.125, momentum=0.9)   # a float32 rate, as Keras keeps it
    x, m = np.array([1.0, -2.0]), np.zeros(2)
    for _ in range(2):
        g = 2 * x                             # d/dv Σ v²
        m = 0.9 * m - 0.125 * g
        x = x + m
        opt.apply_gradients([(tf.constant(2 * v.numpy()), v)])
        np.testing.assert_allclose(v.numpy(), x, rtol=0, atol=1e-15)
    assert int(opt.iterations.numpy()) == 2


def test_adam_matches_one_and_two_hand_steps():
    v = tf.Variable([1.0, -2.0, 0.5], dtype=tf.float64)
    lr, b1, b2, eps = 0.0625, 0.8, 0.95, 1e-7      # a float32 rate, as Keras keeps it
    opt = keras.optimizers.Adam(learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps)
    x, m, s = v.numpy().copy(), np.zeros(3), np.zeros(3)
    for t in (1, 2):
        g = 3 * x ** 2                         # d/dv Σ v³
        m = m + (g - m) * (1 - b1)
        s = s + (g ** 2 - s) * (1 - b2)
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        x = x - m * alpha / (np.sqrt(s) + eps)
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v ** 3)
        opt.apply_gradients(zip(tape.gradient(loss, [v]), [v]))
        np.testing.assert_allclose(v.numpy(), x, rtol=1e-14)


def test_initializers_give_the_shape_and_dtype_asked_and_repeat_with_a_seed():
    glorot = keras.initializers.GlorotUniform(seed=5)
    a, b = glorot((30, 20)), keras.initializers.GlorotUniform(seed=5)((30, 20))
    assert a.shape == (30, 20) and a.dtype == tf.float32
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert np.abs(a.numpy()).max() <= math.sqrt(6 / 50)
    assert keras.initializers.Constant(2.5)((2,), "float64").numpy().tolist() == [2.5, 2.5]
    normal = keras.initializers.RandomNormal(mean=1.0, stddev=0.0, seed=1)((3,))
    assert normal.numpy().tolist() == [1.0, 1.0, 1.0]


def test_layer_builds_once_on_its_first_call_with_keras_shapes():
    layer = keras.Dense(4)
    assert not layer.built and layer.trainable_variables == []
    layer(tf.ones((2, 3)))
    layer(tf.ones((5, 3)))
    assert layer.built and [tuple(v.shape) for v in layer.trainable_variables] == [(3, 4), (4,)]


def test_layer_ops_are_recorded_in_the_layers_scope():
    layer = keras.Dense(2, name="hidden")
    x = tf.Variable(tf.ones((1, 3)))
    with tf.GradientTape() as tape:
        with scope("step"):
            y = layer(x)
        z = tf.reduce_sum(y)
    records = tape._records
    assert {r.scope for r in records[:-1]} == {("step", "hidden")}
    assert records[-1].scope == ()
    assert current_scope() == ()
    assert len({id(r.scope) for r in records[:-1]}) == 1      # one tuple shared while the scope is open
    assert tape.gradient(z, x) is not None


def test_scope_closes_on_error():
    with pytest.raises(ValueError):
        with scope("f"):
            raise ValueError
    assert current_scope() == ()


def test_the_learning_rate_is_kept_in_float32_as_keras_keeps_it():
    v = tf.Variable([1.0], dtype=tf.float64)
    keras.optimizers.SGD(learning_rate=0.1).apply_gradients([(tf.constant([1.0], dtype=tf.float64), v)])
    assert v.numpy()[0] == 1.0 - float(np.float32(0.1))


def test_layers_held_in_lists_and_dicts_are_tracked():
    class Block(keras.Model):
        pass

    block = Block()
    block.set("parts", {"b": keras.Dense(1, name="b"), "a": keras.Dense(1, name="a")})
    block.set("more", [keras.Dense(1, name="c")])
    assert [layer.name for layer in block.layers] == ["b", "a", "c"]

"""Tensors, Variables, dtypes and operators as TensorFlow spells them."""
from __future__ import annotations

import numpy as np
import pytest

import adviz as tf


def test_tensor_str_and_repr() -> None:
    assert str(tf.constant([4.0])) == "tf.Tensor([4.], shape=(1,), dtype=float32)"
    assert str(tf.constant(29.0)) == "tf.Tensor(29.0, shape=(), dtype=float32)"
    assert repr(tf.constant(29.0)) == "<tf.Tensor: shape=(), dtype=float32, numpy=29.0>"
    assert str(tf.constant([1, 2])) == "tf.Tensor([1 2], shape=(2,), dtype=int32)"
    assert str(tf.constant([[1.0, 2.0], [3.0, 4.0]])) == (
        "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)")


def test_tensor_is_immutable() -> None:
    t = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError):
        t.numpy()[0] = 5.0
    source = np.array([1.0, 2.0])
    t = tf.constant(source)
    source[0] = 9.0
    assert t.numpy()[0] == 1.0


def test_tensor_conversions() -> None:
    t = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.ndim == 2 and len(t) == 2
    assert float(tf.constant(2.5)) == 2.5 and int(tf.constant(3)) == 3
    np.testing.assert_array_equal(np.asarray(t), t.numpy())
    assert [float(row[0]) for row in t] == [1.0, 4.0]
    with pytest.raises(ValueError):
        bool(t)
    assert bool(tf.constant(1.0))


@pytest.mark.parametrize("value, dtype", [(1.5, "float32"), ([1.0, 2.0], "float32"), (3, "int32"),
                                          ([1, 2], "int32"), (np.array([1.0]), "float64"),
                                          (np.array([1], dtype=np.int64), "int64"),
                                          (np.float64(1.0), "float64"), (True, "bool")])
def test_default_dtypes(value, dtype) -> None:
    assert tf.constant(value).dtype == np.dtype(dtype)


@pytest.mark.parametrize("dtype", [tf.float64, np.float64, "float64", "double"])
def test_dtype_argument(dtype) -> None:
    assert tf.constant(1.0, dtype=dtype).dtype == tf.float64
    assert tf.constant([1, 2], dtype=dtype).dtype == tf.float64
    assert tf.Variable(1.0, dtype=dtype).dtype == tf.float64


def test_unknown_dtype() -> None:
    with pytest.raises(TypeError):
        tf.constant(1.0, dtype="float128")
    with pytest.raises(TypeError):
        tf.constant("text")


def test_constant_shape() -> None:
    t = tf.constant(0.5, shape=(2, 3))
    assert t.shape == (2, 3) and (t.numpy() == 0.5).all()


def test_python_numbers_adopt_the_tensor_dtype() -> None:
    x32, x64 = tf.constant(2.0), tf.constant(2.0, dtype="float64")
    assert (x32 * 1.5).dtype == tf.float32 and (1.5 * x32).dtype == tf.float32
    assert (x32 + 1).dtype == tf.float32 and (x32 ** 2).dtype == tf.float32
    assert (x64 * 1.5).dtype == tf.float64 and (2 - x64).dtype == tf.float64
    assert (tf.constant(2) * 3).dtype == tf.int32


@pytest.mark.parametrize("make", [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: tf.math.maximum(a, b),
                                  lambda a, b: a @ b])
def test_mixing_float32_and_float64_raises_naming_the_op(make) -> None:
    a, b = tf.constant([[1.0]]), tf.constant([[1.0]], dtype="float64")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"cannot compute (AddV2|Mul|Maximum|MatMul) as input "
                       r"#1\(zero-based\) was expected to be a float tensor but is a double tensor \[Op:"):
        make(a, b)


def test_int_tensor_times_float_raises() -> None:
    with pytest.raises(TypeError):
        tf.constant(2) * 1.5


def test_cast() -> None:
    x = tf.constant([1.5, 2.5])
    y = tf.cast(x, tf.float64)
    assert y.dtype == tf.float64
    assert tf.cast(x, "int32").dtype == tf.int32
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = tf.reduce_sum(tf.cast(x, "float64") * tf.constant([2.0, 3.0], dtype="float64"))
    g = tape.gradient(z, x)
    assert g.dtype == tf.float32
    np.testing.assert_array_equal(g.numpy(), [2.0, 3.0])


def test_cast_to_int_stops_gradient() -> None:
    x = tf.constant([1.5, 2.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = tf.reduce_sum(tf.cast(x, "int32"))
    assert tape.gradient(z, x) is None


def test_operators_with_numbers_and_lists() -> None:
    x = tf.constant([1.0, 2.0])
    cases = {
        "2 - x": (2 - x, [1.0, 0.0]), "x - 2": (x - 2, [-1.0, 0.0]),
        "[1, 2] * x": ([1, 2] * x, [1.0, 4.0]), "x * [1, 2]": (x * [1, 2], [1.0, 4.0]),
        "1 / x": (1 / x, [1.0, 0.5]), "x / 2": (x / 2, [0.5, 1.0]),
        "2 ** x": (2 ** x, [2.0, 4.0]), "x ** 2": (x ** 2, [1.0, 4.0]),
        "[3.0, 4.0] + x": ([3.0, 4.0] + x, [4.0, 6.0]), "-x": (-x, [-1.0, -2.0]),
        "+x": (+x, [1.0, 2.0]), "abs(-x)": (abs(-x), [1.0, 2.0]),
        "np.float32(2) * x": (x * np.float32(2), [2.0, 4.0]),
    }
    for text, (got, want) in cases.items():
        assert isinstance(got, tf.Tensor), text
        assert got.dtype == tf.float32, text
        np.testing.assert_array_equal(got.numpy(), want, err_msg=text)


def test_reflected_operators_differentiate() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = (2 - x) + [1.0] * x + 1 / x + 2 ** x
    # d/dx: -1 + 1 - 1/x² + 2^x ln 2
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [-0.25 + 4 * np.log(2)], rtol=1e-6)


def test_matmul_operator() -> None:
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal((a @ a).numpy(), a.numpy() @ a.numpy())
    np.testing.assert_array_equal(([1.0, 1.0] @ a).numpy(), [4.0, 6.0])


def test_indexing() -> None:
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert float(x[1, 2]) == 6.0
    np.testing.assert_array_equal(x[:, 1:].numpy(), [[2.0, 3.0], [5.0, 6.0]])
    np.testing.assert_array_equal(x[-1].numpy(), [4.0, 5.0, 6.0])
    assert float(x[tf.constant(1), 0]) == 4.0
    with pytest.raises(TypeError):
        x[[0, 1]]
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[0, 1] * 3.0 + tf.reduce_sum(x[:, ::2])
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [[1.0, 3.0, 1.0], [1.0, 0.0, 1.0]])


def test_incompatible_shapes_name_the_op() -> None:
    # TensorFlow's class and words; adviz's explanation in sizes beside them.
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\] \[Op:AddV2\]") as caught:
        tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])
    assert caught.value.explanation.startswith("add: (2,) and (3,) do not broadcast: sizes 2 and 3 differ")
    assert type(caught.value).__name__ == "InvalidArgumentError"
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[2,3\]"):
        tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))


def test_comparisons_are_not_recorded() -> None:
    x = tf.constant([1.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        mask = x > 2.0
    assert mask.dtype == tf.bool and mask.numpy().tolist() == [False, True]
    assert tape.records == () and tape.unrecorded == ()


@pytest.mark.parametrize("path", ["math.log", "math.sigmoid", "nn.relu", "math.exp", "math.sin", "math.tanh",
                                  "nn.sigmoid", "nn.tanh", "linalg.matmul", "reduce_sum", "reduce_mean",
                                  "reduce_max", "reshape", "transpose", "square", "sqrt", "cast", "multiply",
                                  "add", "subtract", "divide", "pow", "maximum", "minimum", "abs", "identity",
                                  "ones", "zeros", "ones_like", "zeros_like", "constant", "convert_to_tensor"])
def test_tensorflow_names_exist(path: str) -> None:
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    assert callable(obj)


def test_namespaced_functions_compute() -> None:
    x = tf.constant([-1.0, 1.0])
    np.testing.assert_allclose(tf.math.log(tf.constant(np.e)).numpy(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(tf.math.sigmoid(tf.constant(0.0)).numpy(), 0.5)
    np.testing.assert_array_equal(tf.nn.relu(x).numpy(), [0.0, 1.0])
    assert float(tf.reduce_sum(x, axis=0)) == 0.0
    np.testing.assert_array_equal(tf.reduce_sum(tf.ones((2, 3)), 1, True).numpy(), [[3.0], [3.0]])
    assert tf.reshape(tf.zeros([6]), [2, 3]).shape == (2, 3)
    assert tf.transpose(tf.zeros((2, 3, 4)), perm=[2, 0, 1]).shape == (4, 2, 3)
    with pytest.raises(TypeError):
        tf.math.log()
    with pytest.raises(TypeError, match="unexpected"):
        tf.reduce_sum(x, bogus=1)


def test_constructors() -> None:
    assert tf.ones((2, 3)).dtype == tf.float32 and tf.ones(3).shape == (3,)
    assert tf.zeros([2], dtype="float64").dtype == tf.float64
    assert tf.ones_like(tf.constant([1, 2])).dtype == tf.int32
    assert tf.zeros_like(tf.constant([1.0, 2.0]), dtype=tf.float64).dtype == tf.float64
    t = tf.constant(1.0)
    assert tf.convert_to_tensor(t) is t
    assert tf.convert_to_tensor([1.0, 2.0], dtype="float64").dtype == tf.float64


# -- Variables -------------------------------------------------------------------------------
def test_variable_api() -> None:
    v = tf.Variable([1.0, 2.0], name="w")
    assert v.name == "w:0" and v.trainable and v.shape == (2,) and v.dtype == tf.float32
    assert tf.Variable(1.0).name == "Variable:0"
    assert not tf.Variable(1.0, trainable=False).trainable
    assert v.assign([3.0, 4.0]) is v
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(v.numpy(), [4.0, 5.0])
    v.assign_sub(tf.constant([0.5, 0.5]))
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    r = v.read_value()
    assert isinstance(r, tf.Tensor) and r.numpy().tolist() == [3.5, 4.5]
    v.numpy()[0] = 100.0  # numpy() is a copy
    assert v.numpy()[0] == 3.5
    assert r.numpy()[0] == 3.5  # an earlier read keeps its value
    v.assign([0.0, 0.0])
    assert r.numpy().tolist() == [3.5, 4.5]


def test_variable_assign_wrong_shape() -> None:
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        v.assign([1.0, 2.0, 3.0])


def test_variable_keeps_dtype_on_assign() -> None:
    v = tf.Variable(1.0, dtype="float64")
    v.assign(2)
    assert v.dtype == tf.float64 and float(v) == 2.0


def test_variable_from_tensor_and_repr() -> None:
    v = tf.Variable(tf.constant([2.0]))
    assert v.dtype == tf.float32
    assert repr(v) == "<tf.Variable 'Variable:0' shape=(1,) dtype=float32, numpy=array([2.], dtype=float32)>"
    with pytest.raises(ValueError):
        tf.Variable(None)


def test_variable_operators_and_read_value_recorded() -> None:
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        r = v.read_value()
        y = 2.0 * v - v / 3.0 + r * r + v[()] + (-v)
    assert [rec.op.name for rec in tape.records][0] == "identity"
    np.testing.assert_allclose(float(tape.gradient(y, v)), 2.0 - 1 / 3 + 6.0 + 1.0 - 1.0, rtol=1e-6)


def test_assigned_value_used_by_later_ops() -> None:
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        v.assign(3.0)
        y = v * v
    assert float(y) == 9.0 and float(tape.gradient(y, v)) == 6.0


def test_numpy_values_on_either_side_are_recorded() -> None:
    x, v = tf.constant([1.0, 2.0]), tf.Variable([3.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = np.float32(3.0) * x + np.array([1.0, 2.0]) * v - x * np.float64(2.0)
    assert isinstance(y, tf.Tensor) and y.dtype == tf.float32
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [1.0, 2.0])
    with pytest.raises(TypeError):
        tf.constant([1, 2]) * np.float64(2.0)


def test_np_array_of_a_tensor_is_a_writable_copy() -> None:
    x = tf.constant([1.0, 2.0])
    a = np.array(x)
    a[0] = 5.0
    assert x.numpy().tolist() == [1.0, 2.0]
    assert np.array(tf.Variable([1.0]), dtype=np.float64).dtype == np.float64
    assert np.array(x, dtype=np.dtype("float64")).dtype == np.float64
    assert not np.asarray(x).flags.writeable

"""GradientTape's rules, one test each, with TensorFlow's behaviour and messages."""
from __future__ import annotations

import numpy as np
import pytest

import adviz as tf

NON_PERSISTENT = ("A non-persistent GradientTape can only be used to compute one set of gradients "
                  "(or jacobians)")


def ops(records):
    return [r.op.name for r in records]


def test_op_recorded_only_when_an_input_is_watched() -> None:
    x, c = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * c
        z = c + c
        w = y + z
    assert ops(tape.records) == ["multiply", "add"]
    assert [r.output for r in tape.records] == [y, w]
    assert [(r.op.name, r.reason) for r in tape.unrecorded] == [("add", "unwatched")]
    assert tape.unrecorded[0].output is z
    assert tape.is_watched(y) and not tape.is_watched(z)


def test_each_tape_records_what_it_watches() -> None:
    x, y = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(y)
            a = x * 2.0
            b = y * 3.0
    assert [r.output for r in outer.records] == [a]
    assert [r.output for r in inner.records] == [b]
    assert [r.output for r in outer.unrecorded] == [b]
    assert [r.output for r in inner.unrecorded] == [a]


def test_trainable_variable_watched_when_read() -> None:
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        assert tape.watched_variables() == ()
        y = v * v
    assert tape.watched_variables() == (v,)
    assert float(tape.gradient(y, v)) == 6.0


def test_variable_read_before_the_tape_is_not_watched() -> None:
    v = tf.Variable(3.0)
    y = v * v
    with tf.GradientTape() as tape:
        z = y * 2.0
    assert tape.watched_variables() == ()
    assert tape.gradient(z, v) is None


def test_watch_accessed_variables_false() -> None:
    v, w = tf.Variable(3.0), tf.Variable(4.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = v * w
    assert tape.watched_variables() == (w,)
    gv, gw = tape.gradient(y, [v, w])
    assert gv is None and float(gw) == 3.0


def test_non_trainable_variable_not_watched() -> None:
    v = tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.watched_variables() == ()
    assert tape.records == ()
    assert tape.gradient(y, v) is None


def test_non_trainable_variable_watched_explicitly() -> None:
    v = tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = v * v
    assert tape.watched_variables() == (v,)
    assert float(tape.gradient(y, v)) == 6.0


def test_unwatched_source_gets_none() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_unconnected_source_gets_none() -> None:
    x, z = tf.constant(2.0), tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch([x, z])
        y = x * x
    assert tape.gradient(y, z) is None


@pytest.mark.parametrize("mode", ["zero", tf.UnconnectedGradients.ZERO])
def test_unconnected_source_zero(mode) -> None:
    x, z, u = tf.constant(2.0), tf.constant([1.0, 2.0]), tf.constant([5.0, 6.0], dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch([x, z])
        y = x * x
    gz, gu, gx = tape.gradient(y, [z, u, x], unconnected_gradients=mode)
    assert gz.shape == (2,) and gz.dtype == tf.float32 and not gz.numpy().any()
    assert gu.shape == (2,) and gu.dtype == tf.float64 and not gu.numpy().any()
    assert float(gx) == 4.0


def test_unconnected_none_explicit() -> None:
    x, z = tf.constant(2.0), tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.NONE) is None


def test_unknown_unconnected_gradients() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, x, unconnected_gradients="nope")


def test_non_scalar_target_differentiated_as_its_sum() -> None:
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        total = tf.reduce_sum(y)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), tape.gradient(total, x).numpy())


def test_watching_integer_tensor_warns_and_gives_none() -> None:
    x = tf.constant(3)
    with tf.GradientTape() as tape:
        with pytest.warns(UserWarning, match="floating"):
            tape.watch(x)
        y = x * x
    assert int(y) == 9
    assert tape.gradient(y, x) is None


def test_integer_variable_gradient_none() -> None:
    v = tf.Variable(3)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None


@pytest.mark.parametrize("second", ["gradient", "jacobian"])
@pytest.mark.parametrize("first", ["gradient", "jacobian"])
def test_non_persistent_tape_used_once(first: str, second: str) -> None:
    x = tf.constant([2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    getattr(tape, first)(y, x)
    with pytest.raises(RuntimeError) as info:
        getattr(tape, second)(y, x)
    assert str(info.value) == NON_PERSISTENT


def test_persistent_tape_used_many_times() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * x
    assert tape.persistent
    assert float(tape.gradient(y, x)) == 4.0
    assert float(tape.gradient(z, x)) == 12.0
    assert float(tape.jacobian(z, x)) == 12.0


def test_watch_non_tensor_raises() -> None:
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError):
            tape.watch(3.0)
        with pytest.raises(ValueError):
            tape.watch([tf.constant(1.0), "x"])


def test_target_none_raises() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
    with pytest.raises(TypeError, match="received None"):
        tape.gradient(None, x)
    with pytest.raises(TypeError):
        tape.jacobian(None, x)


def test_stop_recording_on_tape_not_recording() -> None:
    tape = tf.GradientTape()
    with pytest.raises(RuntimeError, match="not recording"):
        with tape.stop_recording():
            pass
    with tape:
        pass
    with pytest.raises(RuntimeError, match="not recording"):
        with tape.stop_recording():
            pass


def test_stop_recording() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
        z = x * 3.0
    assert ops(tape.records) == ["multiply"] and tape.records[0].output is z
    assert [(r.output, r.reason) for r in tape.unrecorded] == [(y, "stopped")]
    assert tape.gradient(y, x) is None
    assert float(tape.gradient(z, x)) == 3.0


def test_stop_recording_restores_after_exception() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with pytest.raises(ZeroDivisionError):
            with tape.stop_recording():
                1 / 0
        y = x * x
    assert float(tape.gradient(y, x)) == 4.0


def test_stop_recording_does_not_watch_variables() -> None:
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            y = v * v
    assert tape.watched_variables() == ()
    assert tape.gradient(y, v) is None


def test_reenter_recording_tape_raises() -> None:
    tape = tf.GradientTape()
    with tape:
        with pytest.raises(ValueError, match="still recording"):
            tape.__enter__()


def test_tape_stack_popped_after_exception() -> None:
    from adviz.engine.recording import open_tapes
    with pytest.raises(KeyError):
        with tf.GradientTape():
            raise KeyError
    assert open_tapes() == ()


# f(x) = x³ + 2x: f'(3) = 3·9 + 2 = 29, f''(3) = 6·3 = 18.
def cubic(x):
    return x ** 3 + 2 * x


def test_nested_tapes_second_derivative() -> None:
    x = tf.Variable(3.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = cubic(x)
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    assert float(dy) == 29.0 and float(d2y) == 18.0


def test_nested_tapes_on_watched_constant() -> None:
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = cubic(x)
        dy = inner.gradient(y, x)
    assert float(dy) == 29.0
    assert float(outer.gradient(dy, x)) == 18.0


def test_persistent_tape_differentiates_its_own_gradient() -> None:
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = cubic(x)
        dy = tape.gradient(y, x)
    assert float(dy) == 29.0
    assert "pow" in ops(tape.records[2:])  # the gradient's own ops were recorded
    assert float(tape.gradient(dy, x)) == 18.0


def test_gradient_outside_block_is_not_recorded() -> None:
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = cubic(x)
    n = len(tape.records)
    dy = tape.gradient(y, x)
    assert len(tape.records) == n
    assert tape.gradient(dy, x) is None


def test_third_derivative_with_three_tapes() -> None:
    x = tf.Variable(3.0)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = cubic(x)
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    assert float(t3.gradient(d2, x)) == 6.0


def test_second_derivative_uses_values_read_before_assign() -> None:
    """A Variable assigned after recording: the gradient uses the value the ops read."""
    v = tf.Variable(2.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape(persistent=True) as tape:
            y = v * v * v
        v.assign(5.0)
        g = tape.gradient(y, v)
    assert float(g) == 12.0
    with tf.GradientTape(persistent=True) as tape:
        y = v * v
    v.assign(1.0)
    assert float(tape.gradient(y, v)) == 10.0


def test_jacobian_elementwise() -> None:
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    j = tape.jacobian(y, x)
    assert j.shape == (3, 3)
    np.testing.assert_array_equal(j.numpy(), np.diag([2.0, 4.0, 6.0]))


def test_jacobian_matmul_shapes_and_values() -> None:
    rng = np.random.default_rng(0)
    a = tf.constant(rng.standard_normal((2, 3)))
    w = tf.constant(rng.standard_normal((3, 4)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, w])
        y = a @ w
    ja, jw = tape.jacobian(y, [a, w])
    assert ja.shape == (2, 4, 2, 3) and jw.shape == (2, 4, 3, 4)
    # y[i,j] = Σ_k a[i,k] w[k,j]: ∂y[i,j]/∂a[p,k] = δ_ip w[k,j], ∂y[i,j]/∂w[k,q] = a[i,k] δ_jq.
    eye2, eye4 = np.eye(2), np.eye(4)
    np.testing.assert_allclose(ja.numpy(), np.einsum("ip,kj->ijpk", eye2, w.numpy()))
    np.testing.assert_allclose(jw.numpy(), np.einsum("ik,jq->ijkq", a.numpy(), eye4))


def test_jacobian_scalar_target_and_scalar_source() -> None:
    x = tf.constant([1.0, 2.0])
    s = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, s])
        total = tf.reduce_sum(x * x)
        scaled = x * s
    jx = tape.jacobian(total, x)
    assert jx.shape == (2,)
    np.testing.assert_array_equal(jx.numpy(), [2.0, 4.0])
    js = tape.jacobian(scaled, s)
    assert js.shape == (2,)
    np.testing.assert_array_equal(js.numpy(), [1.0, 2.0])


def test_jacobian_unconnected() -> None:
    x, z = tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = x * 2.0
    assert tape.jacobian(y, z) is None
    j = tape.jacobian(y, z, unconnected_gradients="zero")
    assert j.shape == (2, 3) and not j.numpy().any()


def test_gradient_structures() -> None:
    a, b, c = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b, c])
        y1 = a * b
        y2 = b * c
    g = tape.gradient([y1, y2], [a, b, c])
    assert isinstance(g, list) and [float(t) for t in g] == [2.0, 4.0, 2.0]
    g = tape.gradient((y1, y2), (a, (b, c)))
    assert isinstance(g, tuple) and isinstance(g[1], tuple)
    assert [float(g[0]), float(g[1][0]), float(g[1][1])] == [2.0, 4.0, 2.0]
    g = tape.gradient({"first": y1, "second": y2}, {"a": a, "bc": [b, c]})
    assert set(g) == {"a", "bc"} and isinstance(g["bc"], list)
    assert [float(g["a"]), float(g["bc"][0]), float(g["bc"][1])] == [2.0, 4.0, 2.0]
    assert float(tape.gradient(y1, [a])[0]) == 2.0


def test_output_gradients() -> None:
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = x * 3.0
    np.testing.assert_array_equal(tape.gradient(y, x, output_gradients=tf.constant([1.0, 10.0])).numpy(),
                                  [2.0, 40.0])
    g = tape.gradient([y, z], x, output_gradients=[tf.constant([1.0, 0.0]), tf.constant([0.0, 1.0])])
    np.testing.assert_array_equal(g.numpy(), [2.0, 3.0])


def test_output_gradients_inside_block_second_order() -> None:
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        g = tape.gradient(y, x, output_gradients=tf.constant([1.0, 2.0]))
    np.testing.assert_array_equal(g.numpy(), [3.0, 24.0])
    np.testing.assert_array_equal(tape.gradient(g, x).numpy(), [6.0, 24.0])


def test_reset() -> None:
    x, v = tf.constant(2.0), tf.Variable(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * v
        tape.reset()
        assert tape.records == () and tape.unrecorded == () and tape.watched_variables() == ()
        z = x * x
        w = v * 5.0
    assert tape.records[0].output is w and tape.watched_variables() == (v,)
    assert tape.gradient(z, x) is None
    # reset also allows a non-persistent tape to be used again
    tape.reset()
    with tape:
        tape.watch(x)
        u = x * x
    assert float(tape.gradient(u, x)) == 4.0
    del y


def test_watched_variables_order_and_uniqueness() -> None:
    a, b, c = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as tape:
        y = b * a + b * c
        tape.watch(a)
    assert tape.watched_variables() == (b, a)


def test_calls_are_kept() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    g = tape.gradient(y, x)
    j = tape.jacobian(y, x)
    assert [c.kind for c in tape.calls] == ["gradient", "jacobian"]
    assert tape.calls[0].result is g and tape.calls[1].result is j
    assert tape.calls[0].records == 1 and tape.calls[0].backward is None


def test_output_gradients_must_match_the_targets():
    import adviz as tf
    x = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as g:
        y = x * x
    with pytest.raises(ValueError, match="shape"):
        g.gradient(y, x, output_gradients=tf.ones((3, 2)))
    with pytest.raises(ValueError, match="entries"):
        g.gradient([y, y], x, output_gradients=[tf.constant(1.0)])
    assert float(g.gradient(y, x, output_gradients=tf.constant(2.0))) == pytest.approx(12.0)

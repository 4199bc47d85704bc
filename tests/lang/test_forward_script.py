"""Tape scripts may use forward mode: tf.autodiff.ForwardAccumulator and its jvp."""
from __future__ import annotations

from adviz.lang import run_script

HVP = '''import tensorflow as tf
x = tf.constant([1.0, 2.0])
v = tf.constant([1.0, 0.5])
with tf.autodiff.ForwardAccumulator(x, v) as acc:
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x ** 3)
    g = tape.gradient(y, x)
print(acc.jvp(g))
print(acc.jvp(tf.constant(1.0)))
'''


def test_a_script_computes_a_hessian_vector_product() -> None:
    trace = run_script(HVP)
    assert trace.error is None
    # H·v = 6·x·v
    assert [p.text for p in trace.printed] == ["tf.Tensor([6. 6.], shape=(2,), dtype=float32)", "None"]
    assert len(trace.calls) == 1


def test_only_jvp_is_whitelisted_on_an_accumulator() -> None:
    trace = run_script("import tensorflow as tf\nx = tf.constant(1.0)\n"
                       "acc = tf.autodiff.ForwardAccumulator(x, 1.0)\nacc.carry(None)\n")
    assert trace.error is not None and "carry" in trace.error.message

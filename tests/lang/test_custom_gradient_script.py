"""@tf.custom_gradient in tape scripts: the decorated def is one op whose gradient is the
grad_fn it returns, both run as script code under the run's limits."""
import math

import pytest

from adviz.lang import run_script

LOG1PEXP = """
import tensorflow as tf

@tf.custom_gradient
def log1pexp(x, scale=1.0):
    e = tf.exp(x)
    def grad(upstream):
        return upstream * scale * (1 - 1 / (1 + e))
    return scale * tf.math.log(1 + e), grad

x = tf.Variable({x})
with tf.GradientTape() as tape:
    y = log1pexp(x{extra})
g = tape.gradient(y, x)
print(float(y), float(g))
"""


@pytest.mark.parametrize("x, extra, scale", [(0.5, "", 1.0), (-2.0, ", scale=3.0", 3.0), (30.0, "", 1.0)])
def test_the_users_gradient_is_the_gradient(x, extra, scale):
    trace = run_script(LOG1PEXP.format(x=x, extra=extra))
    assert trace.error is None, trace.error
    value, grad = map(float, trace.output.split())
    assert value == pytest.approx(scale * math.log1p(math.exp(x)), rel=1e-6)
    # d/dx scale·log(1 + eˣ) = scale·σ(x), in closed form
    assert grad == pytest.approx(scale / (1 + math.exp(-x)), rel=1e-6)


def test_a_clipping_gradient_differs_from_the_true_one():
    trace = run_script("""
import tensorflow as tf

@tf.custom_gradient
def clip_grad(x):
    def grad(upstream):
        return tf.clip_by_value(upstream, -0.5, 0.5)
    return tf.identity(x), grad

x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = clip_grad(x) * 10.0
print(float(tape.gradient(y, x)))
""")
    assert trace.error is None, trace.error
    assert trace.output == "0.5\n"


@pytest.mark.parametrize("body, words", [
    ("@tf.custom_gradient\ndef f(x):\n    return x * 2.0\nprint(f(tf.constant(1.0)))", "grad_fn"),
    ("g = tf.custom_gradient(lambda x: (x, lambda u: u))", "cannot be called"),
    ("@tf.custom_gradient\ndef f(x):\n    def grad(u):\n        return grad(u)\n    return x * 1.0, grad\n"
     "v = tf.Variable(1.0)\nwith tf.GradientTape() as t:\n    y = f(v)\nt.gradient(y, v)", "too deeply"),
])
def test_misuse_is_a_located_message(body, words):
    trace = run_script("import tensorflow as tf\n" + body)
    assert trace.error is not None and words in trace.error.message
    assert trace.error.line >= 2

"""The library's entry points in scripts: sizes refused before anything is allocated, promptly,
with a located LangError; bad arguments give TensorFlow's error, never a traceback."""
import time

import pytest

from adviz.lang import Limits, run_script

from .test_security import _check

TF = "import tensorflow as tf\n"

# Each would make (or compute) far more than the limits allow; each is refused before it does.
BOMBS = {
    "range": "tf.range(10**12)",
    "range of floats": "tf.range(0.0, 1.0, 1e-12)",
    "range of tensors": "tf.range(tf.constant(10**9))",
    "tile": "x = tf.ones([2, 2])\ntf.tile(x, [10**6, 10**6])",
    "eye": "tf.eye(10**6)",
    "eye batch": "tf.eye(1000, batch_shape=[1000])",
    "one_hot": "tf.one_hot([1, 2], 10**9)",
    "fill": "tf.fill([10**6, 10**6], 1.0)",
    "linspace": "tf.linspace(0.0, 1.0, 10**9)",
    "random normal": "tf.random.normal([10**5, 10**5])",
    "random uniform": "tf.random.uniform([10**5, 10**5], 0, 10, dtype=tf.int32)",
    "truncated normal": "tf.random.truncated_normal([10**7])",
    "generator": "g = tf.random.Generator.from_seed(1)\ng.normal([10**5, 10**5])",
    "gather": "x = tf.ones([1000, 1000])\ntf.gather(x, tf.zeros([1000], dtype=tf.int32), axis=1)\n"
              "tf.gather(x, tf.zeros([2000], dtype=tf.int32))",
    "where": "c = tf.ones([1000, 1]) > 0\ntf.where(c, tf.ones([1, 10**6]), 0.0)",
    "einsum": "a = tf.ones([1000, 1000])\ntf.einsum('ij,jk->ik', a, a)",
    "einsum outer": "a = tf.ones([100000])\ntf.einsum('i,j->ij', a, a)",
    "einsum output": "a = tf.ones([10000])\ntf.einsum('i,j->ij', a, a)",
    "einsum implicit output": "a = tf.ones([10000])\ntf.einsum('i,j', a, a)",
    "unstack": "x = tf.zeros([300000, 1])\ntf.unstack(x)",
    "clip_by_norm": "tf.clip_by_norm(tf.ones([1000, 1]), tf.ones([1, 10**6]))",
    "concat": "x = tf.ones([1000, 1000])\ntf.concat([x, x], 0)",
    "stack many": "x = tf.ones([1000, 100])\ntf.stack([x] * 100)",
    "clip_by_value": "tf.clip_by_value(tf.ones([1000, 1]), tf.zeros([1, 10**6]), 1.0)",
    "loss broadcast": "tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones([1000, 1]), logits=tf.ones([1, 10**6]))",
    "random mean broadcast": "tf.random.normal([1, 10**6], mean=tf.zeros([1000, 1]))",
    "random bound broadcast": "tf.random.uniform([1, 10**6], tf.zeros([1000, 1]))",
    "linspace broadcast": "tf.linspace(0.0, tf.ones([10**6]), 1000)",
    "batch_jacobian": ("x = tf.ones((1, 3000))\nwith tf.GradientTape() as g:\n    g.watch(x)\n    y = x * x\n"
                       "g.batch_jacobian(y, x)"),
}


@pytest.mark.parametrize("text", BOMBS.values(), ids=BOMBS.keys())
def test_library_bombs_are_refused_promptly(text, tmp_path, monkeypatch):
    trace = _check(TF + text, tmp_path, monkeypatch)
    assert trace.error.kind == "limit", trace.error
    assert trace.error.line == TF.count("\n") + text.count("\n") + 1


@pytest.mark.parametrize("text, message", [
    ("tf.range('a')", "tf.range takes real numbers"),
    ("tf.one_hot([1], 'a')", "tf.one_hot's depth is a whole number"),
    ("tf.eye([2])", "tf.eye's num_rows is a whole number"),
    ("tf.einsum(3, 1.0)", "tf.einsum's equation is a string"),
    ("tf.tile(tf.ones([2]), 'ab')", "tf.tile's multiples is a list of whole numbers"),
    ("tf.random.normal('big')", "a shape is a whole number or a list of whole numbers"),
])
def test_arguments_of_the_wrong_kind_are_refused_with_a_message(text, message, tmp_path, monkeypatch):
    trace = _check(TF + text, tmp_path, monkeypatch)
    assert message in trace.error.message


@pytest.mark.parametrize("text, message", [
    ("tf.range(5, 1)", "Requires start <= limit when delta > 0: 5/1"),
    ("tf.gather([1.0, 2.0], [3])", "indices[0] = 3 is not in [0, 2)"),
    ("tf.concat([tf.zeros([2, 3]), tf.zeros([2, 4])], 0)", "Dimension 1 in both shapes must be equal"),
    ("tf.einsum('i...,i->i', tf.ones([2]), tf.ones([2]))", "not supported by adviz"),
    ("tf.einsum('ii->i', tf.ones([2, 2]))", "not supported by adviz"),
    # would broadcast to 10⁹ elements: refused by TensorFlow's own check, before anything is made
    ("tf.one_hot(tf.zeros([1000], dtype=tf.int32), 1000, on_value=tf.ones([1000, 1, 1]))",
     "on_value must be a scalar, but got: [1000,1,1]"),
])
def test_tensorflows_errors_reach_the_script_as_located_errors(text, message, tmp_path, monkeypatch):
    trace = _check(TF + text, tmp_path, monkeypatch)
    assert message in trace.error.message and trace.error.line == 2


def test_a_run_of_random_draws_repeats_and_set_seed_starts_again():
    src = TF + ("a = tf.random.normal([3])\nb = tf.random.uniform([2], seed=5)\ntf.random.set_seed(1)\n"
                "c = tf.random.normal([3])\ntf.random.set_seed(1)\nd = tf.random.normal([3])\n"
                "print(a)\nprint(b)\nprint(c)\nprint(d)\n")
    first, second = run_script(src), run_script(src)
    assert first.error is None and first.output == second.output
    lines = first.output.splitlines()
    assert lines[2] == lines[3] and lines[0] != lines[2]


def test_random_state_of_one_run_does_not_leak_into_the_next():
    once = run_script(TF + "print(tf.random.normal([2]))\n").output
    run_script(TF + "tf.random.normal([5])\ntf.random.set_seed(9)\ntf.random.normal([5])\n")
    assert run_script(TF + "print(tf.random.normal([2]))\n").output == once


def test_library_calls_in_a_script_print_as_tensorflow_does():
    src = TF + ("print(tf.range(5))\nprint(tf.shape(tf.zeros([2, 3])))\nprint(tf.size(tf.zeros([2, 3])))\n"
                "print(tf.math.argmax([[1.0, 5.0], [3.0, 2.0]]))\nprint(tf.random.normal([2, 3]).shape)\n"
                "print(tf.random.uniform([2], 0, 5, dtype=tf.int64).dtype)\n")
    trace = run_script(src)
    assert trace.error is None
    assert trace.output == ("tf.Tensor([0 1 2 3 4], shape=(5,), dtype=int32)\n"
                            "tf.Tensor([2 3], shape=(2,), dtype=int32)\n"
                            "tf.Tensor(6, shape=(), dtype=int32)\n"
                            "tf.Tensor([1 0], shape=(2,), dtype=int64)\n"
                            "(2, 3)\n"
                            "<dtype: 'int64'>\n")


def test_a_batch_jacobian_and_a_loss_in_a_script_are_gradient_calls():
    src = TF + ("x = tf.Variable([[1.0, 2.0], [3.0, 4.0]])\nwith tf.GradientTape(persistent=True) as g:\n"
                "    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0], [1.0, 0.0]], "
                "logits=x))\n    y = tf.nn.softplus(x)\n"
                "print(g.gradient(loss, x))\nprint(g.batch_jacobian(y, x).shape)\nprint(len(g.watched_variables()))\n")
    trace = run_script(src)
    assert trace.error is None, trace.error
    assert [c.kind for c in trace.calls] == ["gradient", "batch_jacobian"]
    assert trace.output.splitlines()[-2:] == ["(2, 2, 2)", "1"]
    # TensorFlow 2.21 prints this gradient of the mean loss
    assert trace.output.startswith("tf.Tensor(\n[[ 0.13447072 -0.1344707 ]\n [-0.3655293   0.3655293 ]], "
                                   "shape=(2, 2), dtype=float32)\n")


def test_small_library_work_is_not_refused():
    src = TF + ("x = tf.ones([100, 100])\ny = tf.tile(x, [5, 5])\nz = tf.concat([y, y], 0)\n"
                "e = tf.eye(500)\nr = tf.range(10**5)\nh = tf.one_hot(tf.range(100), 1000)\n"
                "n = tf.random.normal([1000, 100])\nprint(z.shape, e.shape, r.shape, h.shape, n.shape)\n")
    start = time.perf_counter()
    trace = run_script(src, limits=Limits())
    assert time.perf_counter() - start < 3
    assert trace.error is None, trace.error
    assert trace.output == "(1000, 500) (500, 500) (100000,) (100, 1000) (1000, 100)\n"


@pytest.mark.parametrize("text", ["f = tile(x, multiples=[10**6, 10**6])", "f = gather_grad(x, shape=[10**6, 10**6])",
                                  "f = einsum(x, x, equation='i,j->ij')", "f = concat(x, x)"])
def test_the_library_rows_are_not_plain_names_in_the_function_box(text):
    from adviz.lang import Declaration, run_functions
    trace = run_functions(text, [Declaration("x", "[1.0, 2.0]")])
    assert trace.error is not None and trace.error.line == 1


def test_new_elementwise_rows_work_in_the_function_box():
    from adviz.lang import Declaration, run_functions
    trace = run_functions("f = reduce_sum(softplus(x) + leaky_relu(x, alpha=0.1) + log1p(x * x))",
                          [Declaration("x", "[1.0, -2.0]")])
    assert trace.error is None, trace.error

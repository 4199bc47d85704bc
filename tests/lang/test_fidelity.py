"""Tape scripts print exactly what TensorFlow 2.x prints, whether they import tensorflow or adviz."""
from __future__ import annotations

import numpy as np
import pytest

import adviz
from adviz.lang import run_script


def run(body: str, module: str = "tensorflow"):
    trace = run_script(f"import {module} as tf\n" + body)
    assert trace.error is None, trace.error
    return trace


@pytest.mark.parametrize("module", ["tensorflow", "adviz"])
@pytest.mark.parametrize("body, expected", [
    ("print(tf.constant(4.0))", "tf.Tensor(4.0, shape=(), dtype=float32)"),
    ("print(tf.constant([1.0, 2.0]))", "tf.Tensor([1. 2.], shape=(2,), dtype=float32)"),
    ("print(tf.constant([1, 2]))", "tf.Tensor([1 2], shape=(2,), dtype=int32)"),
    ("print(tf.constant([[1.0, 2.0], [3.0, 4.0]]))",
     "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"),
    ("print(repr(tf.zeros(2)))", "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 0.], dtype=float32)>"),
    ("print(repr(tf.constant(4.0)))", "<tf.Tensor: shape=(), dtype=float32, numpy=4.0>"),
    ("print([tf.constant(2.0)])", "[<tf.Tensor: shape=(), dtype=float32, numpy=2.0>]"),
    ("print(tf.Variable(7.0))", "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=7.0>"),
    ("print(tf.Variable([1.0, 2.0], name='w'))",
     "<tf.Variable 'w:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>"),
    ("print(tf.float32, tf.constant(1).dtype)", "<dtype: 'float32'> <dtype: 'int32'>"),
    ("print(repr(tf.float64))", "tf.float64"),
    ("s = tf.ones((2, 3)).shape\nprint(s, repr(s), s.as_list(), s.rank, s[0], s[1:])",
     "(2, 3) TensorShape([2, 3]) [2, 3] 2 2 (3,)"),
    ("print(tf.constant(1.5).shape, repr(tf.constant(1.5).shape))", "() TensorShape([])"),
    ("print(tf.constant(4.0).numpy(), repr(tf.constant([4.0]).numpy()))", "4.0 array([4.], dtype=float32)"),
    ("print(-tf.constant([0.0, 1.0]))", "tf.Tensor([-0. -1.], shape=(2,), dtype=float32)"),
    ("print(tf.exp(tf.constant([1.0, 2.0, 0.5])))",
     "tf.Tensor([2.7182817 7.389056  1.6487212], shape=(3,), dtype=float32)"),
    ("print(tf.sigmoid(tf.constant([1.0, -30.0])))",
     "tf.Tensor([7.310586e-01 9.357623e-14], shape=(2,), dtype=float32)"),
    ("t = tf.constant(3.14159)\nprint(f'{t:.3f}', f'{t}')", "3.142 3.141590118408203"),
    ("t = tf.constant(2.0)\nprint(f'{t:>8}|{tf.constant(3):5d}|{tf.constant([1.0, 2.0])}')", "     2.0|    3|[1. 2.]"),
])
def test_printed_text_is_tensorflows(module: str, body: str, expected: str) -> None:
    assert run(body, module).output == expected + "\n"


def test_scalar_numpy_is_a_numpy_scalar() -> None:
    assert type(adviz.constant(4.0).numpy()) is np.float32
    assert type(adviz.Variable(2).numpy()) is np.int32


def test_float32_functions_are_correctly_rounded() -> None:
    x = np.linspace(-20, 20, 4001, dtype=np.float32)
    for fn, exact in ((adviz.exp, np.exp), (adviz.tanh, np.tanh), (adviz.sin, np.sin), (adviz.cos, np.cos),
                      (adviz.tan, np.tan), (adviz.math.log, np.log),
                      (adviz.sigmoid, lambda v: 1 / (1 + np.exp(-v)))):
        with np.errstate(invalid="ignore", divide="ignore"):
            assert np.array_equal(fn(adviz.constant(x)).numpy(), exact(x.astype(np.float64)).astype(np.float32),
                                  equal_nan=True)


def test_tensorflows_warnings_go_to_stderr_once_as_it_logs_them() -> None:
    trace = run("x = tf.constant(3)\n"
                "v = tf.Variable(2.0)\n"
                "with tf.GradientTape(persistent=True) as t:\n"
                "    t.watch(x)\n"
                "    y = v * v\n"
                "    print(t.gradient(y, v))\n"
                "    print(t.gradient(y, v))\n")
    assert trace.output == "tf.Tensor(4.0, shape=(), dtype=float32)\n" * 2
    assert trace.warnings == (
        "WARNING:tensorflow:The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32\n"
        "WARNING:tensorflow:Calling GradientTape.gradient on a persistent tape inside its context is "
        "significantly less efficient than calling it outside the context (it causes the gradient ops to be "
        "recorded on the tape, leading to increased CPU and memory usage). Only call GradientTape.gradient "
        "inside the context if you actually want to trace the gradient in order to compute higher order "
        "derivatives.\n")
    assert [p.stream for p in trace.printed] == ["stderr", "stderr", "stdout", "stdout"]


def test_tensorflows_error_classes_and_messages() -> None:
    with pytest.raises(adviz.errors.InvalidArgumentError) as info:
        adviz.constant(1.0) + adviz.constant(1)
    assert str(info.value).endswith(
        "cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is a int32 tensor "
        "[Op:AddV2] name: ")
    with pytest.raises(TypeError, match="^Cannot convert 1.5 to EagerTensor of dtype int32$"):
        adviz.constant(2) * 1.5
    x = adviz.Variable(1.0)
    with adviz.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="^A non-persistent GradientTape can only be used to compute one set "
                                           r"of gradients \(or jacobians\)$"):
        tape.gradient(y, x)


def test_adviz_run_writes_warnings_to_stderr(tmp_path, capsys) -> None:
    from adviz.run import run_command
    script = tmp_path / "s.py"
    script.write_text("import tensorflow as tf\nx = tf.constant(1)\nwith tf.GradientTape() as t:\n"
                      "    t.watch(x)\nprint('done')\n", encoding="utf-8")
    assert run_command(str(script)) == 0
    captured = capsys.readouterr()
    assert captured.out == "done\n"
    assert captured.err == ("WARNING:tensorflow:The dtype of the watched tensor must be floating "
                            "(e.g. tf.float32), got tf.int32\n")


def test_functions_lambdas_closures_and_recursion() -> None:
    trace = run("def loss(w, x=2.0, *, scale=1.0):\n"
                "    return scale * (w * x - 1.0) ** 2\n"
                "def make(k):\n"
                "    def f(v):\n"
                "        return k * v\n"
                "    return f\n"
                "def fact(n):\n"
                "    return 1 if n <= 1 else n * fact(n - 1)\n"
                "sq = lambda t: t * t\n"
                "w = tf.Variable(3.0)\n"
                "with tf.GradientTape() as tape:\n"
                "    y = loss(w, scale=0.5) + sq(w)\n"
                "print(tape.gradient(y, w))\n"
                "print(make(3)(4), fact(10), loss(1.0, 1.0))\n")
    assert trace.output == "tf.Tensor(16.0, shape=(), dtype=float32)\n12 3628800 0.0\n"
    assert len(trace.calls) == 1


@pytest.mark.parametrize("call, message", [
    ("f(1, 2, 3)", "f() takes 2 positional arguments but 3 were given"),
    ("f(1, z=2)", "f() got an unexpected keyword argument 'z'"),
    ("f()", "f() missing required argument: 'a'"),
])
def test_calls_of_script_functions_are_checked_as_python_checks_them(call: str, message: str) -> None:
    trace = run_script(f"def f(a, b=1):\n    return a\n{call}")
    assert trace.error is not None and trace.error.message == message and trace.error.line == 3


def test_recursion_stops_at_the_depth_limit() -> None:
    trace = run_script("def f(n):\n    return f(n + 1)\nprint('before')\nf(0)")
    assert trace.output == "before\n"
    assert trace.error.kind == "limit" and "too deeply" in trace.error.message


def test_while_assert_and_try() -> None:
    trace = run("i = 0\n"
                "while i < 3:\n"
                "    i += 1\n"
                "else:\n"
                "    print('while done', i)\n"
                "try:\n"
                "    tf.constant(1.0) + tf.constant(1)\n"
                "except tf.errors.InvalidArgumentError:\n"
                "    print('mixed dtypes')\n"
                "try:\n"
                "    assert i == 4, 'i is not 4'\n"
                "except AssertionError as e:\n"
                "    print(e)\n"
                "else:\n"
                "    print('no')\n"
                "finally:\n"
                "    print('finally')\n"
                "x = tf.Variable(1.0)\n"
                "with tf.GradientTape() as tape:\n"
                "    y = x * x\n"
                "tape.gradient(y, x)\n"
                "try:\n"
                "    tape.gradient(y, x)\n"
                "except RuntimeError as e:\n"
                "    print(e)\n"
                "try:\n"
                "    print(undefined)\n"
                "except (ValueError, NameError):\n"
                "    print('name')\n")
    assert trace.output == ("while done 3\nmixed dtypes\ni is not 4\nfinally\n"
                            "A non-persistent GradientTape can only be used to compute one set of gradients "
                            "(or jacobians)\nname\n")


def test_an_uncaught_assert_stops_the_run_where_python_would() -> None:
    trace = run_script("print(1)\nassert 1 == 2, 'no'\nprint(2)")
    assert trace.output == "1\n"
    assert (trace.error.line, trace.error.message) == (2, "AssertionError: no")


def test_a_limit_of_the_run_cannot_be_caught() -> None:
    trace = run_script("try:\n    while True:\n        pass\nexcept Exception:\n    print('caught')\n")
    assert trace.output == "" and trace.error.kind == "limit"


def test_an_unsupported_construct_stops_the_run_there_after_printing_what_came_before(tmp_path, capsys) -> None:
    from adviz.run import run_command
    script = tmp_path / "s.py"
    script.write_text("import tensorflow as tf\nprint(tf.constant(1.0))\n"
                      "ds = tf.data.Dataset.from_tensor_slices([1, 2])\nprint('never')\n", encoding="utf-8")
    assert run_command(str(script)) == 1
    captured = capsys.readouterr()
    assert captured.out == "tf.Tensor(1.0, shape=(), dtype=float32)\n"
    assert captured.err == f"{script}:3:6: tf.data is not supported by adviz\n"


def test_an_unsupported_construct_in_a_function_stops_the_run_when_called() -> None:
    trace = run_script("def f():\n    raise ValueError('x')\nprint('defined')\nf()\n")
    assert trace.output == "defined\n" and trace.error.line == 2


def test_an_escape_attempt_is_refused_before_anything_runs() -> None:
    trace = run_script("print('ran')\nclass A:\n    x = ().__class__\n")
    assert trace.output == "" and "'__class__'" in trace.error.message
    trace = run_script("print('ran')\nimport numpy as np\nnp.save('x', np.ones(2))\n")
    assert trace.output == "" and trace.error.line == 3


def test_sorted_reversed_any_all() -> None:
    trace = run("xs = [3, 1, 2]\n"
                "print(sorted(xs), sorted(xs, reverse=True), list(reversed(xs)), any([0, 1]), all([1, 0]))\n"
                "print([float(t) for t in reversed(tf.constant([1.0, 2.0]))])\n")
    assert trace.output == "[1, 2, 3] [3, 2, 1] [2, 1, 3] True False\n[2.0, 1.0]\n"


@pytest.mark.parametrize("body, expected", [
    ("a = tf.constant([1.23456, 2.5]).numpy()\nprint(a.round(2), a.round(decimals=1))", "[1.23 2.5 ] [1.2 2.5]"),
    ("print(tf.constant([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist())", "[[1.0, 2.0], [3.0, 4.0]]"),
    ("a = tf.constant([[1.0, 5.0], [3.0, 4.0]]).numpy()\nprint(a.sum(), a.max(axis=0), a.argmax(), a.mean(axis=1))",
     "13.0 [3. 5.] 1 [3.  3.5]"),
    ("print(tf.constant([1.5, 2.0]).numpy().astype(np.int32), tf.constant(2.5).numpy().item())", "[1 2] 2.5"),
])
def test_numpy_array_methods_print_as_numpy(body: str, expected: str) -> None:
    assert run("import numpy as np\n" + body).output == expected + "\n"


@pytest.mark.parametrize("body", [
    "tf.constant([1.0]).numpy().tofile('x')",
    "tf.constant([1.0]).numpy().ctypes",
    "tf.constant([1.0]).numpy().astype(object)",
    "tf.constant([1.0]).numpy().round(out=None)",
    "tf.constant([1.0]).numpy().__array__()",
])
def test_numpy_array_methods_stay_within_the_whitelist(body: str) -> None:
    trace = run_script("import tensorflow as tf\n" + body)
    assert trace.error is not None and trace.error.line == 2


def test_string_tensors_print_as_tensorflow_prints_them() -> None:
    text = "import tensorflow as tf\ns = tf.constant('h\u00e9')\nprint(s, s.dtype == tf.string, tf.constant(['a', 'bc']))\nprint(s + 1.0)"
    trace = run_script(text)
    assert trace.output == ("tf.Tensor(b'h\\xc3\\xa9', shape=(), dtype=string) True "
                            "tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)\n")
    assert trace.error is not None and trace.error.line == 4 and "string" in trace.error.message


def test_a_numpy_float_formats_as_numpy_formats_it() -> None:
    # numpy 2 formats a float32 with an empty spec through Python's float (as CPython + numpy print).
    body = ("x = tf.constant(0.3)\nprint(f'{x.numpy()}', f'{x.numpy():.3f}', '{}'.format(x.numpy()), str(x.numpy()),"
            " f'{tf.constant([0.3]).numpy()}')")
    assert run(body).output == "0.30000001192092896 0.300 0.30000001192092896 0.3 [0.3]\n"

"""Tape scripts: statements, printing, tapes and gradient calls, cells, and the tutorial seed."""
from pathlib import Path

import pytest

from adviz.engine import GradientTape, Tensor, Variable
from adviz.engine.recording import open_tapes
from adviz.lang import Cell, GradientCall, LangError, PrintedLine, Script, TapeInfo, Trace, parse_script, run_script
from adviz.run import run_command

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seeds" / "automatic_differentiation.py"
EXPECTED = SHARED / "seeds" / "automatic_differentiation.tensorflow-output.txt"


def out(text):
    trace = run_script(text)
    assert trace.error is None, trace.error
    return trace.output


def error(text):
    trace = run_script(text)
    assert isinstance(trace.error, LangError)
    return trace.error


# -- statements and values ------------------------------------------------------------------------
def test_print_uses_str_sep_and_end():
    assert out("print('a', 1, 2.5, None, True)") == "a 1 2.5 None True\n"
    assert out("print(1, 2, sep=', ', end='!')\nprint('x')") == "1, 2!x\n"
    assert out("import tensorflow as tf\nprint(tf.constant([1.0, 2.0]))") == \
        "tf.Tensor([1. 2.], shape=(2,), dtype=float32)\n"
    trace = run_script("print('a:\\n', 1)")
    assert trace.printed == [PrintedLine(1, "a:\n 1", "\n")]


def test_assignment_unpacking_augmented_and_del():
    assert out("a, (b, c) = 1, [2, 3]\na += b * c\nb, a = a, b\nprint(a, b)") == "2 7\n"
    assert "not defined" in error("x = 1\ndel x\nprint(x)").message
    assert "expected 2 values" in error("a, b = 1, 2, 3").message


def test_for_if_break_continue_else():
    text = """
total = 0
for i in range(10):
    if i == 2:
        continue
    elif i > 4:
        break
    else:
        total += i
for x in [1, 2]:
    pass
else:
    print('else', total)
for a, b in zip([1, 2], (3, 4)):
    total = total + a * b
for i, v in enumerate('ab'):
    print(i, v)
print(total)
"""
    assert out(text) == "else 8\n0 a\n1 b\n19\n"


def test_list_comprehensions_keep_their_names_local():
    text = """import tensorflow as tf
x = 5
v = tf.Variable(1.0, name='v')
with tf.GradientTape() as t:
    y = v * v
print([x * 2 for x in range(4) if x != 2], [(i, j) for i in range(2) for j in 'ab'], x)
print([w.name for w in t.watched_variables()])
"""
    trace = run_script(text)
    assert trace.output == "[0, 2, 6] [(0, 'a'), (0, 'b'), (1, 'a'), (1, 'b')] 5\n['v:0']\n"
    assert sorted(trace.names.values()) == ["v", "y"]


def test_loops_over_tensor_rows_are_recorded():
    text = """import tensorflow as tf
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as g:
    g.watch(x)
    s = 0.0
    for row in x:
        s = s + tf.reduce_sum(row * row)
print(g.gradient(s, x))
"""
    assert "[[2. 4.]\n [6. 8.]]" in out(text)


def test_builtins_and_literals():
    text = ("print(min(3, 1), max([1, 5]), sum([1, 2]), round(2.567, 2), list(range(3)), tuple('ab'), abs(-2),"
            " int(2.7), float(1), str(1.5), bool(0), len('abc'), repr('q'))\n"
            "print(1 < 2 < 3, 1 if 0 else 2, not 1, 3 in [1, 3], 'a' + 'b', [1] * 2, 7 // 2, 7 % 3, 2 ** 10, {'k': 1}['k'])")
    assert out(text) == "1 5 3 2.57 [0, 1, 2] ('a', 'b') 2 2 1.0 1.5 False 3 'q'\nTrue 2 False True ab [1, 1] 3 1 1024 1\n"


def test_fstrings():
    text = """import tensorflow as tf
x = tf.constant(1.5)
print(f"{x}|{float(x):.3f}|{3!r:>3}|{'s'}|{2:{'05'}}")
"""
    assert out(text) == "1.5|1.500|  3|s|00002\n"
    assert "applies to numbers" in error("import tensorflow as tf\nprint(f'{[1.0]:.2f}')").message


def test_tensor_variable_and_array_methods():
    text = """import tensorflow as tf
import numpy as np
v = tf.Variable([1.0, 2.0])
v.assign_add([1.0, 1.0])
v.assign_sub(tf.constant([0.5, 0.5]))
print(v.numpy(), v.read_value().numpy(), v.shape, v.dtype, v.trainable)
v.assign(v * 2)
a = v.numpy()
print(a, a.shape, a.ndim, a.size, a.T, a[0], a[::-1])
t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
print(t.shape, t.dtype, t.ndim, t[:, 1].numpy(), t[-1, ::-1].numpy())
print(isinstance(v, tf.Variable), isinstance(t, (tf.Tensor, float)), isinstance(1, int))
print(np.array([1, 2], dtype=np.float32) * 2, np.sum(np.ones((2, 3)), axis=0), np.sin(np.pi / 2), np.zeros(2, np.int32))
"""
    lines = out(text).splitlines()
    assert lines[0] == "[1.5 2.5] [1.5 2.5] (2,) <dtype: 'float32'> True"
    assert lines[1] == "[3. 5.] (2,) 1 2 [3. 5.] 3.0 [5. 3.]"
    assert lines[2] == "(2, 2) <dtype: 'float32'> 2 [2. 4.] [4. 3.]"
    assert lines[3] == "True True True"
    assert lines[4] == "[2. 4.] [2. 2. 2.] 1.0 [0 0]"


def test_imports_and_aliases():
    assert out("import adviz\nprint(adviz.reduce_sum(adviz.ones((2,))))").startswith("tf.Tensor(2.0")
    assert out("import adviz as tf\nfrom tensorflow import constant as c, GradientTape\nfrom numpy import pi\n"
               "print(c(pi) > 3)").startswith("tf.Tensor(True")
    assert out("import tensorflow.math as tm\nprint(tm.square(3.0))").startswith("tf.Tensor(9.0")
    assert "not available" in error("from tensorflow import data").message


# -- tapes and gradient calls ---------------------------------------------------------------------
SECOND_ORDER = """import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        y = x ** 3
    dy = inner.gradient(y, x)
d2y = outer.gradient(dy, x)
print(dy.numpy(), d2y.numpy())
"""


def test_nested_tapes_give_second_derivatives():
    trace = run_script(SECOND_ORDER)
    assert trace.output == "27.0 18.0\n"
    assert [(t.index, t.name, t.line) for t in trace.tapes] == [(0, "outer", 3), (1, "inner", 4)]
    assert [(c.tape_index, c.target_text, c.sources_text, c.line, c.col) for c in trace.calls] == \
        [(1, "y", "x", 6, 10), (0, "dy", "x", 7, 7)]
    assert all(isinstance(t.tape, GradientTape) and t.tape.keep_steps for t in trace.tapes)
    assert not open_tapes()


def test_gradient_call_fields():
    text = """import tensorflow as tf
w = tf.Variable([1.0, 2.0])
b = tf.Variable(0.5)
params = [w, b]
with tf.GradientTape(persistent=True) as tape:
    loss = tf.reduce_sum(w * w) + b
g1 = tape.gradient(loss, [w, b])
g2 = tape.gradient(target=loss, sources=params)
g3 = tape.gradient(loss, {'weights': w, 'bias': b})
w2 = w
"""
    trace = run_script(text)
    assert trace.error is None
    c1, c2, c3 = trace.calls
    assert isinstance(c1, GradientCall) and c1.kind == "gradient"
    assert (c1.target_text, c1.sources_text, c1.source_names) == ("loss", "[w, b]", ["w", "b"])
    assert (c2.sources_text, c2.source_names) == ("params", ["w", "b"])
    assert c3.source_names == ["w", "b"]
    assert c1.sources == [trace.calls[0].sources[0], trace.calls[0].sources[1]]
    assert isinstance(c1.sources[0], Variable) and c1.result[0].numpy().tolist() == [2.0, 4.0]
    assert c1.tape_call is trace.tapes[0].tape.calls[0] and c1.tape_call.backward.steps
    assert c1.names[c1.target._id] == "loss" and c1.names[c1.sources[0]._id] == "w"
    assert trace.names[c1.sources[0]._id] == "w2"  # later bindings win in the final map


def test_names_snapshot_keeps_rebound_objects():
    trace = run_script("import tensorflow as tf\nx = tf.constant(1.0)\nfirst = x\nx = tf.Variable(2.0)\n"
                       "with tf.GradientTape() as g:\n    y = x * first\nprint(g.gradient(y, x))")
    call = trace.calls[0]
    assert sorted(call.names.values()) == ["first", "x", "y"]


def test_jacobian_stop_recording_watched_variables_reset_and_unconnected():
    text = """import tensorflow as tf
a = tf.constant([1.0, 2.0, 3.0])
v = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as g:
    g.watch(a)
    b = a * a * v
    with g.stop_recording():
        c = a * 2.0
print(g.jacobian(b, a))
print(g.gradient(c, a))
print(g.gradient(b, [a, c], unconnected_gradients=tf.UnconnectedGradients.ZERO)[1])
print(len(g.watched_variables()))
g.reset()
print(g.watched_variables())
"""
    trace = run_script(text)
    assert trace.error is None
    assert "[[ 4.  0.  0.]\n [ 0.  8.  0.]\n [ 0.  0. 12.]]" in trace.output
    assert trace.output.splitlines()[4:] == ["None", "tf.Tensor([0. 0. 0.], shape=(3,), dtype=float32)", "1", "()"]
    assert [c.kind for c in trace.calls] == ["jacobian", "gradient", "gradient"]
    assert trace.calls[0].tape_call.kind == "jacobian"


def test_second_gradient_on_non_persistent_tape_is_an_error_on_the_call():
    text = ("import tensorflow as tf\nx = tf.constant(2.0)\nwith tf.GradientTape() as g:\n    g.watch(x)\n"
            "    y = x * x\nprint('first', g.gradient(y, x))\nprint('second', g.gradient(y, x))\nprint('never')")
    trace = run_script(text)
    assert trace.output == "first tf.Tensor(4.0, shape=(), dtype=float32)\n"
    assert len(trace.calls) == 2
    second = trace.calls[1]
    assert second.error is trace.error and second.tape_call is None and second.result is None
    assert (trace.error.line, trace.error.col) == (7, 17)
    assert "non-persistent" in trace.error.message


def test_runtime_error_keeps_the_trace_so_far_and_leaves_no_open_tape():
    text = """import tensorflow as tf
print('before')
with tf.GradientTape() as g:
    x = tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])
"""
    trace = run_script(text)
    assert trace.output == "before\n" and len(trace.tapes) == 1
    assert (trace.error.line, trace.error.col) == (4, 9) and "(2,)" in trace.error.message
    assert not open_tapes()


def test_with_several_managers_and_tape_created_before_with():
    text = """import tensorflow as tf
x = tf.constant(3.0)
t = tf.GradientTape()
with t, tf.GradientTape() as u:
    t.watch(x)
    u.watch(x)
    y = x * x
print(t.gradient(y, x), u.gradient(y, x))
"""
    trace = run_script(text)
    assert trace.error is None
    assert [(info.name, info.line) for info in trace.tapes] == [("t", 3), ("u", 4)]
    assert "only a GradientTape" in error("with 1:\n    pass").message


# -- cells -------------------------------------------------------------------------------------------
def test_cells_from_docstring_and_bare_strings():
    text = '''"""Title

Some *markdown*."""
import tensorflow as tf
x = 1
"""Second."""
"""More of the second."""
# a comment
y = 2
"""Trailing."""
'''
    script = parse_script(text)
    assert isinstance(script, Script)
    assert script.cells == [Cell("Title\n\nSome *markdown*.", 4, 5),
                            Cell("Second.\n\nMore of the second.", 8, 9),
                            Cell("Trailing.", 11, 10)]
    assert parse_script("x = 1\n'''Doc'''\ny = 2").cells == [Cell("", 1, 1), Cell("Doc", 3, 3)]
    assert run_script(text).cells == script.cells


# -- the tutorial seed --------------------------------------------------------------------------------
@pytest.fixture
def seed():
    if not SEED.exists() or not EXPECTED.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    return SEED.read_text(encoding="utf-8"), EXPECTED.read_text(encoding="utf-8")


def test_tutorial_runs_as_tensorflow_prints_it(seed):
    text, expected = seed
    trace = run_script(text)
    assert isinstance(trace, Trace) and trace.error is None
    assert trace.output == expected
    assert len(trace.tapes) == 4 and all(isinstance(t, TapeInfo) for t in trace.tapes)
    assert len(trace.calls) == 5
    assert trace.calls[0].result == [None]
    assert all(isinstance(c.result[0], Tensor) for c in trace.calls[1:])
    assert [c.tape_index for c in trace.calls] == [0, 1, 2, 3, 3]
    assert [c.target_text for c in trace.calls] == ["f", "f", "f", "f", "h"]
    assert all(c.source_names == ["x"] for c in trace.calls)
    assert trace.cells[0].narration.startswith("automatic_differentiation.ipynb")
    assert len(trace.cells) == 3


def test_tutorial_through_the_cli(seed, tmp_path, capsys):
    text, expected = seed
    assert run_command(str(SEED)) == 0
    captured = capsys.readouterr()
    assert captured.out == expected and captured.err == ""


# -- the command line -----------------------------------------------------------------------------------
def test_cli_reports_errors_as_file_line_col(tmp_path, capsys):
    script = tmp_path / "bad.py"
    script.write_text("print('ok')\nx = 1 +* 2\n", encoding="utf-8")
    assert run_command(str(script)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{script}:2:")
    runtime = tmp_path / "runtime.py"
    runtime.write_text("print('ok')\nprint(1 / 0)\n", encoding="utf-8")
    assert run_command(str(runtime)) == 1
    captured = capsys.readouterr()
    assert captured.out == "ok\n" and captured.err == f"{runtime}:2:7: division by zero\n"


def test_cli_unreadable_files(tmp_path, capsys):
    assert run_command(str(tmp_path / "missing.py")) == 1
    assert "no such file" in capsys.readouterr().err
    assert run_command(str(tmp_path)) == 1
    assert "directory" in capsys.readouterr().err
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"print(1)\n\xff\xfe")
    assert run_command(str(binary)) == 1
    assert "not UTF-8" in capsys.readouterr().err


def test_cli_is_wired_to_adviz_run(tmp_path, capsys):
    from adviz.cli import main
    script = tmp_path / "s.py"
    script.write_text("import numpy as np\nprint(np.arange(3))\n", encoding="utf-8")
    assert main(["run", str(script)]) == 0
    assert capsys.readouterr().out == "[0 1 2]\n"


def test_only_the_first_calls_keep_their_pictures_and_the_rest_still_compute():
    from adviz.lang import run_script
    from adviz.lang.limits import Limits
    script = ("import adviz as tf\nw = tf.Variable(1.0)\nfor i in range(10):\n"
              "    with tf.GradientTape() as t:\n        y = w * w\n    w.assign_sub(0.1 * t.gradient(y, w))\n"
              "print(float(w.numpy()))\n")
    trace = run_script(script, limits=Limits(max_pictured_calls=3))
    assert trace.error is None and len(trace.calls) == 3 and trace.unpictured == 7
    assert all(c.tape_call is not None and c.tape_call.backward is not None for c in trace.calls)
    assert abs(float(trace.printed[0].text) - 0.8 ** 10) < 1e-6      # w ← w − 0.1·2w = 0.8w

"""d[k] = v and a[i] = v (and +=) on a script's own lists and dicts: as CPython does it, counted
against the run's limits; tensors refuse it in TensorFlow's words."""
import contextlib
import io

import pytest

from adviz.lang import run_script

PLAIN = [
    "d = {}\nd['a'] = 1\nd['a'] += 2\nd[(1, 2)] = [3]\nprint(d)",
    "a = [1, 2, 3]\na[0] = 5\na[-1] += 10\na[1] *= 4\nprint(a)",
    "counts = {}\nfor w in 'a b a c a'.split():\n    counts[w] = counts.get(w, 0) + 1\nprint(sorted(counts.items()))",
    "grid = [[0] * 3 for _ in range(2)]\ngrid[1][2] = 7\ngrid[0][0] += 1\nprint(grid)",
    "d = {'x': [1]}\nd['x'] += [2]\nprint(d)",
]


@pytest.mark.parametrize("text", PLAIN)
def test_items_are_assigned_as_cpython_assigns_them(text):
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        exec(compile(text, "<fixed test snippet>", "exec"), {})     # the oracle: CPython on a literal of this file
    trace = run_script(text)
    assert trace.error is None, trace.error
    assert trace.output == expected.getvalue()


def test_gradients_collected_in_a_dict():
    trace = run_script("import tensorflow as tf\ngrads = {}\nfor name, c in (('a', 2.0), ('b', 3.0)):\n"
                       "    x = tf.Variable(c)\n    with tf.GradientTape() as g:\n        y = x ** 3\n"
                       "    grads[name] = float(g.gradient(y, x))\nprint(grads)")
    assert trace.error is None, trace.error
    assert trace.output == "{'a': 12.0, 'b': 27.0}\n"        # 3x² at 2 and 3


@pytest.mark.parametrize("text, words", [
    ("import tensorflow as tf\nt = tf.constant([1.0])\nt[0] = 2.0",
     "'tensorflow.python.framework.ops.EagerTensor' object does not support item assignment"),
    ("import tensorflow as tf\nv = tf.Variable([1.0])\nv[0] = 2.0", "'ResourceVariable' object does not support item assignment"),
    ("s = 'ab'\ns[0] = 'c'", "'str' object does not support item assignment"),
    ("t = (1, 2)\nt[0] = 3", "'tuple' object does not support item assignment"),
    ("a = [1]\na[5] = 2", "list assignment index out of range"),
    ("a = [1, 2]\na[0:1] = [3]", "slice"),
    ("d = {}\nd[[1]] = 2", "dict keys"),
    ("a = [1]\na[0] = a", "inside itself"),
    ("a = [0]\nfor i in range(1000):\n    a[0] = [a[0]]", "nested too deeply"),
    ("d = {}\nfor i in range(2000000):\n    d[i] = i", "limit"),
    ("a = [1]\na[0].__class__ = 2", "'__class__'"),
    ("d = {}\nd['k'] += 1", "no entry 'k'"),
])
def test_item_assignment_is_refused_where_it_must_be(text, words):
    trace = run_script(text)
    assert trace.error is not None and words in trace.error.message, trace.error
    assert trace.error.line >= 2

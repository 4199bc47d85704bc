"""The Python that tape code uses runs unmodified and prints what CPython and TensorFlow print.

Plain-Python snippets are fixed literals of this file, run both by adviz and, as an independent
oracle, by CPython itself; the TensorFlow-specific strings are the ones TensorFlow 2.21 prints.
"""
from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from adviz.lang import run_script

# Each snippet is plain Python: CPython's output is the expected one.
PLAIN = {
    "list methods": """
a = [3, 1, 2]
a.append(5)
a.extend([7, 0])
a.extend(range(2))
a.insert(0, 9)
a.insert(-100, 8)
print(a, a.pop(), a.pop(0), a.pop(-2), a.index(2), a.index(1, 2), a.count(1), len(a))
a.sort()
print(a)
a.sort(key=lambda v: -v)
print(a)
a.sort(reverse=True)
print(a)
a.reverse()
b = a.copy()
b.append(99)
a.remove(2)
print(a, b)
a.clear()
print(a, b.count(99), (1, 2, 1).count(1), (1, 2).index(2))
words = ['bb', 'a', 'ccc', 'dd']
words.sort(key=len)
print(words)
""",
    "aliasing": """
a = [1]
b = a
b.append(2)
rows = [a, a]
a.extend([3])
print(a, b, rows, rows[0] is rows[1])
a += [4]
a += (5,)
a += range(6, 7)
s = {1}
t = s
s |= {2}
n = 1
m = n
n += 1
print(b, t, m, n)
""",
    "mutating while iterating": """
xs = [1, 2, 3]
for x in xs:
    if len(xs) < 7:
        xs.append(x * 10)
print(xs)
""",
    "dict methods": """
d = {'b': 2, 'a': 1}
print(d.items(), d.keys(), d.values(), d.get('a'), d.get('z'), d.get('z', 0))
print(list(d.items()), len(d.keys()), 'a' in d.keys())
d.update({'c': 3})
d.update([('e', 5)])
d.update(f=6)
print(d, d.pop('b'), d.pop('zz', None), d.setdefault('q', 4), d.setdefault('a', 100), d)
e = d.copy()
e.clear()
print(d, e)
for k, v in sorted(d.items()):
    print(k, v)
total = 0
for v in d.values():
    total += v
print(total)
""",
    "set methods": """
s = {1, 2}
s.add(3)
s.add(3)
s.discard(1)
s.discard(100)
s.remove(2)
print(s, s.union({5}, [6]), s.intersection({3, 4}), s.difference({3}), set(), set([1, 1, 2]))
s.update([8, 9], (10,))
print(sorted(s), len(s), 8 in s, s.copy() == s)
popped = s.pop()
print(popped in (3, 8, 9, 10), len(s))
t = {1, 2, 3}
print(sorted(t | {9}), sorted(t & {2, 3, 4}), sorted(t - {1}), sorted(t ^ {3, 4}), 6 | 3, 6 & 3, 6 ^ 3, True | False)
""",
    "str methods": """
t = '  Hello World  '
print(t.strip(), t.lstrip(), t.rstrip(), t.upper(), t.lower(), t.title(), 'abc def'.capitalize())
print('xxabcxx'.strip('x'), 'a,b,c'.split(','), 'a b  c'.split(), 'a,b,c'.rsplit(',', 1), 'a,b,c'.split(',', 1))
print(','.join(['x', 'y']), ''.join([]), 'x\\ny\\r\\nz'.splitlines(), 'x\\ny'.splitlines(True))
print('abc'.replace('b', 'BB'), 'aaa'.replace('a', 'b', 2), 'ab'.replace('', '-'))
print('abc'.startswith('a'), 'abc'.endswith(('c', 'd')), 'abc'.find('c'), 'abc'.find('z'), 'aab'.count('a'))
print('ab'.center(7, '*'), 'ab'.ljust(4) + '|', 'ab'.rjust(4), '7'.zfill(3), '-7'.zfill(4))
print('12'.isdigit(), '1a'.isdigit(), 'ab'.isalpha(), ''.isalpha())
""",
    "str.format": """
print('{} {:.2f} {name}'.format(1, 2.5, name='n'), '{0}{1}{0}'.format('a', 'b'), '{:>6}|{:<4}|{:^5}|'.format('r', 'l', 'c'))
print('{:,}'.format(1234567), '{:08.3f}'.format(3.14159), '{:e}'.format(12345.678), '{:x}'.format(255))
print('{!r} {!s}'.format('q', 'q'), '{}'.format([1, 'a']), '{}'.format(None), '{:{w}}|'.format(7, w=4))
print('{:.1%}'.format(0.25), '{{literal}} {}'.format(1))
for template in ('{1}', '{a}', '{}{0}'):
    try:
        template.format(0)
    except (IndexError, KeyError, ValueError) as e:
        print(type(e).__name__, e)
for args in ((), (1, 2)):
    try:
        '%s' % args
    except TypeError as e:
        print(type(e).__name__, e)
""",
    "percent formatting": """
print('%s %d %i %f %.3f %e %g %r %%' % ('a', 3, 4, 1.5, 2.0, 3.0, 4.0, 'b'))
print('%5d|%-5d|%05.1f|%+d|%x|%X|%o|%c|%c' % (42, 42, 3.14159, 7, 255, 255, 8, 65, 'z'))
print('%s' % [1, 2], '%s' % (1,), '%s' % {'a': 1}, '%d%%' % 50, '%.2e' % 12345.6789, '%10.4s|' % 'abcdefg')
print('loss: %.4f' % 0.123456, 'step %d of %d' % (3.7, 10))
""",
    "python types": """
print(type(1), type(1.0), type('s'), type([1]), type({}), type((1,)), type(None), type(True), type({1}), type(range(3)))
print(type(1).__name__, type([]).__name__, type(None).__name__, type(type(1)))
print(type(1) == int, type(1) is int, type(1) is not float, type(1.5) == float, type('') != str, type([]) == list)
print(isinstance(1, (int, float)), isinstance(True, int), isinstance('a', (list, tuple)), isinstance(2, type(3)))
print(type(ValueError('x')).__name__, type(len))
""",
    "numpy types": """
import numpy as np
x = np.float32(1.5)
print(type(x), type(x) == np.float32, isinstance(x, np.float32), isinstance(1.0, np.float64), isinstance(x, float))
print(type(np.float64(2) * 2), type(np.ones(2)), type(np.ones(2).dtype), type(x).__name__)
""",
    "exceptions": """
try:
    1 / 0
except ZeroDivisionError as e:
    print(e, repr(e), type(e), type(e).__name__)
try:
    raise ValueError("bad value")
except ValueError as e:
    print(e, type(e).__name__, repr(e), e.args)
for f in (lambda: [][3], lambda: {}['k'], lambda: int('x')):
    try:
        f()
    except (KeyError, IndexError) as e:
        print(type(e).__name__, e)
    except ValueError as e:
        print('value:', type(e).__name__)
try:
    try:
        raise RuntimeError("inner")
    except RuntimeError:
        print('handling')
        raise
except RuntimeError as e:
    print('again:', e)
try:
    try:
        raise TypeError('t')
    except TypeError as first:
        raise first
except Exception as e:
    print(type(e).__name__, e, isinstance(e, TypeError), isinstance(e, ValueError))
try:
    raise NotImplementedError
except NotImplementedError as e:
    print(repr(e), str(e) == '')
""",
    "builtins with functions": """
xs = [3, 1, 2]
def neg(v):
    return -v
print(sorted(xs, key=neg), sorted(['bb', 'a', 'ccc'], key=len, reverse=True), sorted(xs, key=lambda v: v % 2))
print(list(reversed(xs)), [i for i in reversed(range(3))], list(reversed('ab')), list(reversed((1, 2))))
it = reversed(xs)
print(list(it), list(it))
print(min(xs, key=neg), max(xs, key=neg), max([], default=7), min(4, 2, 8), max('ab', 'b', key=len), min([], default=None))
print(sum([1, 2], 10), sum([0.5, 0.25]), round(2.567, 2), round(2.5), round(-1.25, 1), any([0, 1]), all([]), any([]))
print(list(zip([1, 2, 3], 'ab')), list(enumerate('ab', start=1)), list(enumerate('ab', 5)))
print(repr('a'), repr([1, 'b']), divmod(7, 2), divmod(-7, 2), divmod(7.5, 2), pow(2, 10), pow(2, 3, 5), pow(2.0, -1))
print(list(map(neg, xs)), list(map(lambda a, b: a * b, [1, 2], [3, 4])), list(filter(None, [0, 1, 2])))
print(list(filter(lambda v: v > 1, xs)), list(map(str, xs)), [v for v in map(float, xs)])
print(dict(a=1), dict([('a', 1), ('b', 2)]), dict({'x': 1}, y=2), dict(), set([1, 1, 2]), set('aa'))
""",
    "iterators and unbound methods": """
d = {'a': 3, 'b': 1, 'c': 2}
print(max(d, key=d.get), sorted(['b', 'A', 'c'], key=str.lower), list(map(str.upper, ['x', 'y'])))
it = iter([1, 2, 3])
print(next(it), next(it), list(it), next(it, 'done'), next(iter(d)), next(reversed([1, 2])))
try:
    next(iter([]))
except StopIteration:
    print('stop')
print(str.join(',', ['a', 'b']), list.count([1, 1], 1), dict.get(d, 'z', 0), sorted(d.items(), key=lambda kv: kv[1]))
""",
    "comprehensions and generators": """
xs = [1, 2, 3]
print(sum(x * x for x in xs), ','.join(str(i) for i in range(3)), max(x for x in xs if x < 3), any(x > 2 for x in xs))
print({i % 3 for i in range(10)}, {i: i * i for i in range(3)}, {k: v for k, v in zip('ab', xs)})
print(sorted({x for x in xs}), list(x for x in 'ab'), tuple(i for i in range(2)), sum(i for i in []))
print(dict((k, len(k)) for k in ['a', 'bb']), {x: [y for y in range(x)] for x in range(3)})
x = 'kept'
print([x for x in range(2)], x)
""",
}


def _cpython(snippet: str) -> str:
    """What CPython prints for one of this file's fixed snippets."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(snippet, {})  # noqa: S102 - a literal of this test file, never a user's text
    return out.getvalue()


@pytest.mark.parametrize("snippet", PLAIN.values(), ids=PLAIN.keys())
def test_plain_python_prints_what_cpython_prints(snippet: str) -> None:
    trace = run_script(snippet)
    assert trace.error is None, trace.error
    assert trace.output == _cpython(snippet)


def tf_run(body: str, module: str = "tensorflow") -> str:
    trace = run_script(f"import {module} as tf\n" + body)
    assert trace.error is None, trace.error
    return trace.output


EAGER = "tensorflow.python.framework.ops.EagerTensor"


@pytest.mark.parametrize("module", ["tensorflow", "adviz"])
@pytest.mark.parametrize("body, expected", [
    ("print(type(tf.constant(1.0)))", f"<class '{EAGER}'>"),
    ("print(type(tf.Variable(1.0)))", "<class 'tensorflow.python.ops.resource_variable_ops.ResourceVariable'>"),
    ("print(type(tf.constant(1.0).shape), type(tf.float32))",
     "<class 'tensorflow.python.framework.tensor_shape.TensorShape'> "
     "<class 'tensorflow.python.framework.dtypes.DType'>"),
    ("x = tf.constant(1.0)\nv = tf.Variable(2.0)\nprint(type(x).__name__, type(v).__name__, type(x.shape).__name__)",
     "EagerTensor ResourceVariable TensorShape"),
    ("print(type(tf.constant(1.0).numpy()), type(tf.constant([1.0]).numpy()))",
     "<class 'numpy.float32'> <class 'numpy.ndarray'>"),
    ("v = tf.Variable(2.0)\nprint(type(v + 1), type(v.read_value()))", f"<class '{EAGER}'> <class '{EAGER}'>"),
    ("x = tf.constant(1.0)\nv = tf.Variable(2.0)\nprint(type(x) == tf.Tensor, isinstance(x, tf.Tensor), "
     "isinstance(v, tf.Tensor), isinstance(v, tf.Variable), type(x) is type(tf.constant(2)))",
     "False True False True True"),
    ("print(isinstance(tf.constant(1.0), (tf.Variable, tf.Tensor)), isinstance(1.0, (tf.Tensor, float)))", "True True"),
    ("with tf.GradientTape() as g:\n    pass\nprint(type(g))", "<class 'tensorflow.python.eager.backprop.GradientTape'>"),
    ("print(tf.TensorSpec(shape=None, dtype=tf.float32))", "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)"),
    ("print(tf.TensorSpec([2, 3], tf.float64))", "TensorSpec(shape=(2, 3), dtype=tf.float64, name=None)"),
    ("print(repr(tf.TensorSpec(shape=(), dtype=tf.float32)))", "TensorSpec(shape=(), dtype=tf.float32, name=None)"),
    ("print(tf.TensorSpec(shape=[None], dtype=tf.float32, name='x'))",
     "TensorSpec(shape=(None,), dtype=tf.float32, name='x')"),
    ("print(type(tf.TensorSpec(shape=[None], dtype=tf.float32)))",
     "<class 'tensorflow.python.framework.tensor.TensorSpec'>"),
    ("x = tf.constant(1.0)\nprint('%.2f' % x)", "1.00"),
    ("x = tf.constant(1.0)\nprint('%s' % x)", "tf.Tensor(1.0, shape=(), dtype=float32)"),
    ("x = tf.constant(1.0)\nprint('%r' % x)", "<tf.Tensor: shape=(), dtype=float32, numpy=1.0>"),
    ("print('%d' % tf.constant(3), '%d' % tf.constant(3.7))", "3 3"),
    ("x = tf.constant(1.0)\nprint('%5.1f|%e|%g' % (x, x, x))", "  1.0|1.000000e+00|1"),
    ("v = tf.Variable(2.0)\nprint('%.2f' % v)", "2.00"),
    ("v = tf.Variable(2.0)\nprint('%s' % (v,))", "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=2.0>"),
    ("x = tf.constant(1.0)\nprint('{:.3f}'.format(x), '{}'.format(x))", "1.000 1.0"),
    ("print('{:>8}'.format(tf.constant(1.5)))", "     1.5"),
    ("x = tf.constant(1.0)\nv = tf.Variable(2.0)\nprint('{0} {1}'.format(x, v))",
     "1.0 <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=2.0>"),
    ("try:\n    tf.constant(1.0) + tf.constant(1)\nexcept tf.errors.InvalidArgumentError as e:\n"
     "    print(type(e).__name__, type(e))",
     "InvalidArgumentError <class 'tensorflow.python.framework.errors_impl.InvalidArgumentError'>"),
    ("print(type(tf.function))", "<class 'function'>"),
    ("s = tf.TensorSpec(shape=[2])\nprint(type(s) == tf.TensorSpec, isinstance(s, tf.TensorSpec), type(tf.TensorSpec))",
     "True True <class 'type'>"),
    ("print(repr(tf.function(lambda: 1.0)()))", "<tf.Tensor: shape=(), dtype=float32, numpy=1.0>"),
    ("print(repr(tf.function(lambda: (1, [2.0, None]))()))",
     "(<tf.Tensor: shape=(), dtype=int32, numpy=1>, [<tf.Tensor: shape=(), dtype=float32, numpy=2.0>, None])"),
    ("@tf.function(input_signature=[tf.TensorSpec(shape=None, dtype=tf.float32)])\ndef g(a):\n    return a * 2\n"
     "print(repr(g(3.0)), repr(tf.function(lambda a: a * 2)(3.0)))",
     "<tf.Tensor: shape=(), dtype=float32, numpy=6.0> <tf.Tensor: shape=(), dtype=float32, numpy=6.0>"),
])
def test_tensorflow_specific_text(module: str, body: str, expected: str) -> None:
    assert tf_run(body, module) == expected + "\n"


FUNCTION_FORMS = {
    "bare": "@tf.function\ndef f(a):\n    return a * a * a\n",
    "input_signature": ("@tf.function(input_signature=[tf.TensorSpec(shape=None, dtype=tf.float32)])\n"
                        "def f(a):\n    return a * a * a\n"),
    "jit_compile": "@tf.function(jit_compile=True)\ndef f(a):\n    return a * a * a\n",
    "reduce_retracing": "@tf.function(reduce_retracing=True)\ndef f(a):\n    return a * a * a\n",
    "called directly": "def g(a):\n    return a * a * a\nf = tf.function(g)\n",
    "on a lambda": "f = tf.function(lambda a: a * a * a)\n",
}


@pytest.mark.parametrize("form", FUNCTION_FORMS.values(), ids=FUNCTION_FORMS.keys())
def test_tf_function_runs_eagerly_and_is_recorded(form: str) -> None:
    # d/dx x**3 = 3 x**2: at x = 1.5 that is 6.75, in float64 from the closed form
    body = form + ("x = tf.Variable(1.5, dtype=tf.float64)\n"
                   "with tf.GradientTape() as tape:\n    y = f(x)\n"
                   "dy = tape.gradient(y, x)\nprint(float(y), float(dy), type(f).__name__)\n")
    trace = run_script("import tensorflow as tf\n" + body)
    assert trace.error is None, trace.error
    y, dy, name = trace.output.split()
    assert float(y) == pytest.approx(1.5 ** 3, rel=1e-12)
    assert float(dy) == pytest.approx(3 * 1.5 ** 2, rel=1e-12)
    assert name == ("Function" if "lambda" in form or "@" in form or "tf.function(g)" in form else "function")
    assert len(trace.calls) == 1 and trace.calls[0].error is None


def test_tf_function_gradient_matches_finite_differences() -> None:
    src = ("import tensorflow as tf\n@tf.function\ndef f(a, b):\n    return tf.sin(a) * b + a * a\n"
           "a = tf.Variable(0.7, dtype=tf.float64)\nb = tf.Variable(-1.3, dtype=tf.float64)\n"
           "with tf.GradientTape() as tape:\n    y = f(a, b)\nga, gb = tape.gradient(y, [a, b])\n"
           "print(float(ga), float(gb))\n")
    trace = run_script(src)
    assert trace.error is None, trace.error
    ga, gb = map(float, trace.output.split())
    f = lambda a, b: np.sin(a) * b + a * a  # noqa: E731
    h = 1e-6
    assert ga == pytest.approx((f(0.7 + h, -1.3) - f(0.7 - h, -1.3)) / (2 * h), rel=1e-8)
    assert gb == pytest.approx((f(0.7, -1.3 + h) - f(0.7, -1.3 - h)) / (2 * h), rel=1e-8)


def test_other_decorators_are_refused_where_they_are() -> None:
    trace = run_script("import tensorflow as tf\nprint('ran')\n@sorted\ndef f():\n    pass\n")
    assert trace.output == "ran\n"
    assert trace.error.line == 3 and "@sorted is not supported" in trace.error.message


def test_a_raised_error_that_is_not_caught_ends_the_run_as_python_says_it() -> None:
    trace = run_script("print(1)\nraise ValueError('the rate must be positive')\nprint(2)")
    assert trace.output == "1\n"
    assert (trace.error.line, trace.error.message) == (2, "ValueError: the rate must be positive")
    assert trace.error.kind == "value"
    trace = run_script("raise")
    assert "No active exception" in trace.error.message and trace.error.line == 1


def test_caught_engine_error_gives_its_message_and_class() -> None:
    out = tf_run("v = tf.Variable(1.0)\nwith tf.GradientTape() as t:\n    y = v * v\nt.gradient(y, v)\n"
                 "try:\n    t.gradient(y, v)\nexcept RuntimeError as e:\n    print(type(e).__name__)\n    print(e)\n")
    assert out == ("RuntimeError\nA non-persistent GradientTape can only be used to compute one set of "
                   "gradients (or jacobians)\n")


def test_list_methods_keep_a_training_log() -> None:
    out = tf_run("w = tf.Variable(2.0)\nlosses = []\nfor step in range(3):\n"
                 "    with tf.GradientTape() as tape:\n        loss = (w - 5.0) ** 2\n"
                 "    losses.append(float(loss))\n    w.assign_sub(0.25 * tape.gradient(loss, w))\n"
                 "print(losses, ', '.join('%.3f' % l for l in losses), 'best: {:.2f}'.format(min(losses)))\n")
    # w: 2 -> 3.5 -> 4.25 (each step halves the distance to 5); loss = (w - 5)**2
    assert out == "[9.0, 2.25, 0.5625] 9.000, 2.250, 0.562 best: 0.56\n"


def test_the_error_of_a_raise_leaves_the_run_as_plain_data() -> None:
    """The worker process sends a run's error to the app pickled: what the script raised stays behind."""
    import pickle
    trace = run_script("import tensorflow as tf\nraise ValueError(tf, lambda: 1)\n")
    assert trace.error.message == "ValueError: (<module 'tensorflow'>, <function <lambda>>)"
    copy = pickle.loads(pickle.dumps(trace.error))
    assert (copy.line, copy.message, copy.cause) == (2, trace.error.message, ValueError)

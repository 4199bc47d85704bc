"""Random text and token soups: the language answers with a result or a LangError, never
anything else, and never hangs."""
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from adviz.engine.recording import open_tapes
from adviz.lang import Declaration, LangError, Limits, parse_functions, parse_script, run_functions, run_script

LIMITS = Limits(timeout=1.0, max_ops=20_000, max_loop_iterations=5_000, max_elements=100_000)

VOCABULARY = [
    # names and modules
    "x", "y", "g", "tf", "np", "tape", "f", "sin", "exp", "log", "relu", "sum", "matmul", "pi", "e",
    "tf.constant", "tf.Variable", "tf.GradientTape", "tf.reduce_sum", "tf.math.log", "tf.nn.relu",
    "np.array", "np.zeros", "g.gradient", "g.watch", "g.jacobian", ".numpy()", ".shape", ".assign",
    "print", "range", "len", "list", "str", "__class__", "_x", "__import__", "open", "format",
    # literals
    "0", "1", "2.5", "-1", "10**9", "1e308", "'s'", '"t"', "f'{x}'", "f'{x:.3f}'", "None", "True", "[1, 2]",
    # operators and punctuation
    "+", "-", "*", "/", "//", "%", "**", "@", "==", "<", ">=", "=", "+=", ",", ":", ".", "(", ")", "[",
    "]", "{", "}", "and", "or", "not", "in", "is",
    # keywords and statements
    "import tensorflow as tf", "import numpy as np", "with", "as", "for", "if", "elif", "else", "pass",
    "del", "lambda", "def", "class", "while", "return", "yield", "global", "try", "break", "continue",
    "\n", "\n    ", "#", "'''",
]

soup = st.lists(st.sampled_from(VOCABULARY), max_size=40).map(" ".join)
text = st.text(max_size=200)
PRELUDE = ("import tensorflow as tf\nimport numpy as np\nx = tf.Variable([1.0, 2.0])\ny = tf.constant(3.0)\n"
           "with tf.GradientTape(persistent=True) as g:\n    z = x * y\n")


def _script(source):
    start = time.perf_counter()
    try:
        parse_script(source, limits=LIMITS)
    except LangError as exc:
        assert exc.line >= 1 and exc.col >= 1
    trace = run_script(source, limits=LIMITS)
    assert trace.error is None or (isinstance(trace.error, LangError) and trace.error.line >= 1)
    assert time.perf_counter() - start < 8
    assert not open_tapes()


def _functions(source):
    try:
        parse_functions(source, limits=LIMITS)
    except LangError as exc:
        assert exc.line >= 1 and exc.col >= 1
    trace = run_functions(source, [Declaration("x", [1.0, 2.0]), Declaration("y", 0.5, "watched")], limits=LIMITS)
    assert trace.error is None or (isinstance(trace.error, LangError) and trace.error.line >= 1)


@settings(max_examples=60)
@given(text)
def test_random_text_scripts(source):
    _script(source)


@settings(max_examples=120)
@given(soup)
def test_token_soup_scripts(source):
    _script(source)
    _script(PRELUDE + source)


@settings(max_examples=60)
@given(text)
def test_random_text_functions(source):
    _functions(source)


@settings(max_examples=120)
@given(soup)
def test_token_soup_functions(source):
    _functions(source)
    _functions("u = x * y\n" + source)


@settings(max_examples=60)
@given(st.recursive(st.sampled_from(["x", "y", "1", "2.5", "pi", "[1, 2]"]),
                    lambda inner: st.one_of(
                        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "@"]), inner).map(
                            lambda t: f"({t[0]} {t[1]} {t[2]})"),
                        st.tuples(st.sampled_from(["sin", "exp", "log", "sqrt", "relu", "sum", "tanh", "abs"]),
                                  inner).map(lambda t: f"{t[0]}({t[1]})")),
                    max_leaves=12))
def test_random_well_formed_functions(expression):
    trace = run_functions(f"f = {expression}", [Declaration("x", [1.0, 2.0]), Declaration("y", 0.5)], limits=LIMITS)
    assert trace.error is None or isinstance(trace.error, LangError)
    if trace.error is None:
        assert len(trace.calls) == 1 and trace.calls[0].result is not None

"""LangError says what kind of problem it is, and which declared input, without being parsed."""
from __future__ import annotations

import pytest

from adviz.lang import Declaration, LangError, Limits, parse_functions, parse_script, run_functions, run_script
from adviz.lang.errors import ERROR_KINDS


def test_a_bad_value_names_its_input() -> None:
    error = run_functions("f = x", [Declaration("x", "[1, y]")]).error
    assert error.message == "the value of 'x': a value is made of numbers only ('y' is not a constant)"
    assert (error.kind, error.variable) == ("value", "x")
    assert error.detail == "a value is made of numbers only ('y' is not a constant)"
    assert (error.line, error.col) == (1, 1)


def test_a_value_that_is_not_a_number() -> None:
    error = run_functions("f = x", [Declaration("x", "[[1, 2], [3]]")]).error
    assert (error.kind, error.variable) == ("value", "x")
    assert error.message == f"the value of 'x': {error.detail}"


@pytest.mark.parametrize("text, kind", [
    ("f = (x", "syntax"),
    ("f = x if x else 1", "syntax"),
    ("f = foo(x)", "name"),
    ("f = y", "name"),
    ("f = x\nf = 2*x", "name"),
])
def test_function_text_errors_have_a_kind(text: str, kind: str) -> None:
    error = run_functions(text, [Declaration("x", "2.0")]).error
    assert error is not None and error.kind == kind and error.variable is None
    assert error.detail == error.message


def test_limits_and_gradients() -> None:
    with pytest.raises(LangError) as info:
        parse_functions("f = x" + " + x" * 50, limits=Limits(max_source_bytes=20))
    assert info.value.kind == "limit"
    text = "import tensorflow as tf\nx = tf.constant(1.0)\nwith tf.GradientTape() as g:\n    y = x * x\n" \
           "print(g.gradient(y, x))\nprint(g.gradient(y, x))\n"
    error = run_script(text).error
    assert error is not None and error.kind == "gradient" and error.line == 6


def test_script_errors_have_a_kind() -> None:
    with pytest.raises(LangError) as info:
        parse_script("import os")
    assert info.value.kind == "name"
    assert run_script("x = 1\nx[0]").error.kind == "type"
    assert run_script("print(len(3))").error.kind == "type"


def test_every_error_of_a_run_has_a_known_kind() -> None:
    assert LangError("something").kind == "runtime"
    with pytest.raises(ValueError):
        LangError("x", kind="sometimes")
    placed = LangError.bad_value("x", "too big").placed(3, 4)
    assert (placed.line, placed.col, placed.kind, placed.variable, placed.detail) == (3, 4, "value", "x", "too big")
    assert set(ERROR_KINDS) == {"syntax", "name", "value", "type", "limit", "runtime", "gradient"}

"""Text for the numbers on nodes and edges: adviz.graph.values."""
import math

import numpy as np
import pytest

from adviz.graph import format_number, format_value
from adviz.graph.values import is_zero


@pytest.mark.parametrize("x, text", [
    (0, "0"),
    (0.0, "0"),
    (-0.0, "0"),                      # no "−0" on a node
    (np.float32(-0.0), "0"),
    (1, "1"),
    (2.0, "2"),                       # no trailing ".0"
    (-2.5, "−2.5"),                   # the minus sign, not a hyphen
    (1 / 3, "0.3333"),                # four significant digits
    (-2 / 3, "−0.6667"),
    (math.pi, "3.142"),
    (1234.0, "1234"),
    (0.1 + 0.2, "0.3"),               # float noise is rounded away
    (123456789, "1.235e8"),           # exponent without "+" and leading zeros
    (-123456789.0, "−1.235e8"),
    (1e-12, "1e−12"),
    (2.5e-7, "2.5e−7"),
    (float("nan"), "nan"),
    (float("inf"), "inf"),
    (float("-inf"), "−inf"),
    (np.float64("nan"), "nan"),
    (np.int64(7), "7"),
])
def test_format_number(x, text):
    assert format_number(x) == text


def test_format_number_never_uses_a_hyphen_minus():
    for x in (-1.0, -1e-12, -1e20, -0.001, float("-inf")):
        text = format_number(x)
        assert "-" not in text and text.startswith("−"), text


def test_format_number_digits():
    assert format_number(math.pi, digits=2) == "3.1"
    assert format_number(math.pi, digits=8) == "3.1415927"
    assert format_number(2 / 3, digits=1) == "0.7"


@pytest.mark.parametrize("value, text", [
    (None, "None"),
    (3.0, "3"),
    (np.float32(0.5), "0.5"),
    (np.array(-4.0), "−4"),           # 0-d array: a plain number
    (True, "True"),
    (False, "False"),
    (np.bool_(True), "True"),
    (np.array(False), "False"),
    (np.array([True, False]), "[True, False]"),
    (np.array([1.0, 2.0]), "[1, 2]"),                       # short vector: no shape
    (np.array([1.0, -2.0, 3.5]), "[1, −2, 3.5]"),           # exactly max_items: no ellipsis
    (np.array([1.0, 2.0, 3.0, 4.0]), "[1, 2, 3, …] (4)"),
    (np.arange(10.0), "[0, 1, 2, …] (10)"),                # long vector: first items and the length
    (np.array([[1.0, 2.0], [3.0, 4.0]]), "[1, 2, 3, …] (2×2)"),
    (np.array([[1.0, 2.0]]), "[1, 2] (1×2)"),               # a matrix shows its shape even when short
    (np.zeros((2, 3, 4)), "[0, 0, 0, …] (2×3×4)"),
    (np.array([np.nan, np.inf, -np.inf]), "[nan, inf, −inf]"),
    (np.array([1 / 3, 2 / 3]), "[0.3333, 0.6667]"),
    (np.zeros(0), "[]"),
    ([1, 2], "[1, 2]"),                                     # plain lists are arrays too
])
def test_format_value(value, text):
    assert format_value(value) == text


def test_format_value_options():
    assert format_value(np.arange(10.0), max_items=5) == "[0, 1, 2, 3, 4, …] (10)"
    assert format_value(np.arange(4.0), max_items=4) == "[0, 1, 2, 3]"
    assert format_value(np.array([math.pi, math.e]), digits=2) == "[3.1, 2.7]"


def test_format_value_of_a_large_array_reads_only_its_first_items():
    text = format_value(np.arange(1_000_000.0).reshape(1000, 1000))
    assert text == "[0, 1, 2, …] (1000×1000)"


def test_is_zero():
    assert is_zero(0.0) and is_zero(np.zeros((2, 2))) and is_zero(-0.0)
    assert not is_zero(None)
    assert not is_zero(np.array([0.0, 1e-300]))
    assert not is_zero(float("nan"))

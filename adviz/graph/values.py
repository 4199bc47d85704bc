"""Short, readable text for values shown on nodes and edges."""
from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike


# Whole numbers below this are written in full (1000000, 999999), not rounded to digits (1e6).
FULL_INTEGER = 10**7


def format_number(x: float, digits: int = 4) -> str:
    """A scalar with ``digits`` significant digits; ``nan``/``inf`` spelled out; ``-0`` as ``0``;
    a whole number of up to seven digits in full."""
    x = float(x)
    if math.isnan(x):          # math's tests: numpy's cost microseconds on a plain float
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "−inf"
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < FULL_INTEGER:
        return str(int(x)).replace("-", "−")
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def format_value(value: ArrayLike | None, digits: int = 4, max_items: int = 3, shape: bool = True) -> str:
    """Scalars as numbers; arrays as ``[a, b, c, …]`` with the shape when they are long or nested.

    ``shape=False`` leaves the shape out, for text that sits between other values.
    """
    if value is None:
        return "None"
    array = np.asarray(value)
    if array.ndim == 0:
        if array.dtype.kind == "b":
            return str(bool(array))
        return format_number(array, digits)
    flat = array.reshape(-1)
    items = [str(bool(v)) if array.dtype.kind == "b" else format_number(v, digits) for v in flat[:max_items]]
    more = flat.size > max_items
    body = "[" + ", ".join(items) + (", …" if more else "") + "]"
    if shape and (array.ndim > 1 or more):
        return f"{body} ({'×'.join(str(n) for n in array.shape)})"
    return body


def is_zero(value: ArrayLike | None) -> bool:
    """Whether every element is exactly zero."""
    return value is not None and not np.any(np.asarray(value))

"""Formula hooks of op-table rows: where a row's template alone would read badly.

A row's ``formula`` and ``partial_formulas`` are templates (``{0}^{1}``); for some labels a
better text exists (``x²`` rather than ``x^2``). A hook gets the inputs' labels, already
parenthesised as operands (``operands``) and as written (``labels``), and returns the better
text or None to keep the template. The graph package calls the hooks without knowing which op
it is looking at.

Powers are written one way everywhere: a whole-number exponent of at most two characters as a
superscript (``x²``, ``x⁻¹``), any other as ``x^n`` (``x^999999``, ``x^(−0.5)``, ``x^y``).

A row may also say why one of its results is not a finite number (``non_finite``): given the
scalar inputs of one element and its result, a short reason, or None to leave it to the generic
explanation (overflow, or an input that was already inf or nan).
"""
from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .shapes import reduced_count

# formula_text(operands, labels) -> text or None
FormulaText = Callable[[Sequence[str], Sequence[str]], "str | None"]
# partial_text(index, operands, labels, values, number, attrs) -> text or None; ``number``
# formats a scalar the way the picture does; ``attrs`` are the record's attributes.
PartialText = Callable[..., "str | None"]
# non_finite(inputs, result) -> the reason one element's result is inf or nan, or None.
NonFinite = Callable[[Sequence[float], float], "str | None"]

_SUPERSCRIPTS = str.maketrans("0123456789−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_text(base: str, exponent: str) -> str | None:
    """``x²`` for a small whole-number exponent written as a literal, else None."""
    if exponent.lstrip("−").isdigit() and len(exponent) <= 2:
        return base + exponent.translate(_SUPERSCRIPTS)
    return None


def power(base: str, exponent: str) -> str:
    """``base`` to the power ``exponent``, the one way the picture writes a power: a superscript
    for a short whole number, else ``^`` with a negative or compound exponent in parentheses."""
    short = power_text(base, exponent)
    if short is not None:
        return short
    if exponent.startswith("−") or any(c in exponent for c in " +−-·/^@"):
        if not (exponent.startswith("(") and exponent.endswith(")")):
            exponent = f"({exponent})"
    return f"{base}^{exponent}"


def is_literal(label: str) -> bool:
    """Whether a label is a number as the picture writes it (with ``−`` for minus)."""
    try:
        float(label.replace("−", "-"))
        return True
    except ValueError:
        return False


def _reads_as(text: str, value: float | int) -> bool:
    """Whether the number ``text`` is exactly ``value`` (not a rounding of it; an int compares exactly)."""
    try:
        return float(text.replace("−", "-")) == value
    except ValueError:
        return False


def pow_formula(operands: Sequence[str], labels: Sequence[str]) -> str | None:
    """``x²`` for ``x**2``, ``x^999999`` for ``x**999999``."""
    return power(operands[0], labels[1]) if is_literal(labels[1]) else None


def pow_partial(index: int, operands: Sequence[str], labels: Sequence[str], values: Sequence[np.ndarray],
                number: Callable[[float], str], attrs: Mapping[str, Any] | None = None) -> str | None:
    """With a literal exponent n: ∂x^n/∂x = n·x^(n−1) worked out (2·x, 3·x², 1000000·x^999999),
    and ∂x^n/∂n = x^n·ln x in the same power notation as the node (x²·ln x)."""
    if np.ndim(values[1]) != 0 or not is_literal(labels[1]):
        return None
    if index == 1:
        return f"{power(operands[0], labels[1])}·ln {operands[0]}"
    n = float(values[1])
    lower = n - 1
    if lower == 0:
        return "1"
    n_text = labels[1]
    lower_text = number(lower)
    if n.is_integer() and not _reads_as(lower_text, int(n) - 1):
        # A whole n−1 too long to write in full: n−1 rather than a rounded, wrong number.
        lower_text = f"{n_text}−1"
    if lower == 1:
        return f"{n_text}·{operands[0]}"
    return f"{n_text}·{power(operands[0], lower_text)}"


def mean_partial(index: int, operands: Sequence[str], labels: Sequence[str], values: Sequence[np.ndarray],
                 number: Callable[[float], str], attrs: Mapping[str, Any] | None = None) -> str | None:
    """∂mean(x)/∂x = 1/n, with n, the number of elements each mean averages, given."""
    axis = (attrs or {}).get("axis")
    n = reduced_count(tuple(np.shape(values[0])), axis)
    return f"1/n (mean of n = {n})"


# -- why a result is inf or nan ---------------------------------------------------------------

def _inf(x: float) -> bool:
    return math.isinf(x)


def add_non_finite(xs: Sequence[float], out: float) -> str | None:
    a, b = xs
    if _inf(a) and _inf(b) and a != b:
        return "inf and −inf cancel in no definite way: the sum is undefined"
    return None


def subtract_non_finite(xs: Sequence[float], out: float) -> str | None:
    a, b = xs
    if _inf(a) and _inf(b) and a == b:
        return "inf − inf has no definite value: the difference is undefined"
    return None


def multiply_non_finite(xs: Sequence[float], out: float) -> str | None:
    a, b = xs
    if (a == 0 and _inf(b)) or (b == 0 and _inf(a)):
        return "0 × inf has no definite value: the product is undefined"
    return None


def divide_non_finite(xs: Sequence[float], out: float) -> str | None:
    a, b = xs
    if a == 0 and b == 0:
        return "zero divided by zero has no value"
    if b == 0 and not math.isnan(a):
        return "a division by zero grows without bound"
    if _inf(a) and _inf(b):
        return "inf divided by inf has no definite value"
    return None


def log_non_finite(xs: Sequence[float], out: float) -> str | None:
    x = xs[0]
    if x == 0:
        return "the logarithm falls without bound as its input approaches 0"
    if x < 0:
        return "a negative number has no real logarithm"
    return None


def sqrt_non_finite(xs: Sequence[float], out: float) -> str | None:
    return "a negative number has no real square root" if xs[0] < 0 else None


def pow_non_finite(xs: Sequence[float], out: float) -> str | None:
    base, exponent = xs
    if base == 0 and exponent < 0:
        return "0 to a negative power divides by zero"
    if base < 0 and not float(exponent).is_integer() and math.isfinite(exponent):
        return "a negative number to a fractional power is not a real number"
    return None


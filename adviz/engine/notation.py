"""Formula hooks of op-table rows: where a row's template alone would read badly.

A row's ``formula`` and ``partial_formulas`` are templates (``{0}^{1}``); for some labels a
better text exists (``x²`` rather than ``x^2``). A hook gets the inputs' labels, already
parenthesised as operands (``operands``) and as written (``labels``), and returns the better
text or None to keep the template. The graph package calls the hooks without knowing which op
it is looking at.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

# formula_text(operands, labels) -> text or None
FormulaText = Callable[[Sequence[str], Sequence[str]], "str | None"]
# partial_text(index, operands, labels, values, number) -> text or None; ``number`` formats a
# scalar the way the picture does.
PartialText = Callable[[int, Sequence[str], Sequence[str], Sequence[np.ndarray], Callable[[float], str]],
                       "str | None"]

_SUPERSCRIPTS = str.maketrans("0123456789−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power_text(base: str, exponent: str) -> str | None:
    """``x²`` for a small whole-number exponent written as a literal, else None."""
    if exponent.lstrip("−").isdigit() and len(exponent) <= 2:
        return base + exponent.translate(_SUPERSCRIPTS)
    return None


def is_literal(label: str) -> bool:
    """Whether a label is a number as the picture writes it (with ``−`` for minus)."""
    try:
        float(label.replace("−", "-"))
        return True
    except ValueError:
        return False


def pow_formula(operands: Sequence[str], labels: Sequence[str]) -> str | None:
    """``x²`` for ``x**2``."""
    return power_text(operands[0], labels[1])


def pow_partial(index: int, operands: Sequence[str], labels: Sequence[str], values: Sequence[np.ndarray],
                number: Callable[[float], str]) -> str | None:
    """x^n with a literal number n: n·x^(n−1) written out, 2·x rather than 2·x^(2−1)."""
    if index != 0 or np.ndim(values[1]) != 0 or not is_literal(labels[1]):
        return None
    n = float(values[1])
    lower = n - 1
    if lower == 0:
        return "1"
    if lower == 1:
        return f"{number(n)}·{operands[0]}"
    return f"{number(n)}·{operands[0]}^{number(lower)}"

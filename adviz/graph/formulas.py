"""Formulas in the user's names: an op's output, its local partials and chain-rule lines.

Everything here reads as written: a compound expression in a derivative is parenthesised
(``∂(y + z)/∂y``), a negative number in a product too (``2.483 × (−0.4161)``), an input used
twice by one op is named by its place (``∂(x·x)/∂x₁ = x``), and a contribution that was summed
back to its input's shape says so (``Σ over axis 0: 4×4 → 4``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Hashable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..engine import Op
from ..engine.shapes import summed_axes
from .values import format_number, format_value

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_NOT_ATOMIC = set("ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_OPERATORS = set(" +−-·/^@×÷√Σ")


def fill(template: str, labels: list[str], attrs: dict[str, Any] | None = None,
         plain: Sequence[str] | None = None) -> str:
    """Put the inputs' labels (and an index attribute) into an op-table formula.

    ``labels`` are parenthesised as operands; where a template puts an input as a function's
    argument (``sin({0})``, ``max({0}, {1})``) its ``plain`` label goes in instead, so that
    ``sin(x + y)`` is not written ``sin((x + y))``.
    """
    text = template
    for i, label in enumerate(labels):
        if plain is not None:
            argument = r"(?<=[(])\{%d\}(?=[,)])|(?<=, )\{%d\}(?=[,)])|(?<=\|)\{%d\}(?=\|)" % (i, i, i)
            text = re.sub(argument, lambda _match, i=i: plain[i], text)
        text = text.replace("{%d}" % i, label)
    if attrs and "index" in attrs:
        text = text.replace("{index}", _index_text(attrs["index"]))
    return text


def _index_text(index: Any) -> str:
    items = index if isinstance(index, tuple) else (index,)
    parts = []
    for item in items:
        if isinstance(item, slice):
            parts.append(":".join("" if v is None else str(v) for v in (item.start, item.stop))
                         + ("" if item.step is None else f":{item.step}"))
        elif item is Ellipsis:
            parts.append("…")
        else:
            parts.append(str(item))
    return ", ".join(parts)


def operand(label: str) -> str:
    """Parenthesise a compound label where it becomes an operand (``(x + y)·z``; not ``sin(x + y)``)."""
    return f"({label})" if any(c in label for c in " +−-·/^@") and not _atomic(label) else label


def _wrapped(label: str, opening: str = "(", closing: str = ")") -> bool:
    """Whether one pair of brackets encloses all of ``label`` (``(a + b)``, not ``(a) + b``)."""
    depth = 0
    for k, c in enumerate(label):
        depth += (c == opening) - (c == closing)
        if depth == 0 and k < len(label) - 1:
            return False
    return label.startswith(opening) and depth == 0


@lru_cache(maxsize=8192)       # the same labels are asked about thousands of times per graph
def _atomic(label: str) -> bool:
    """A name (``x``, ``add₁``), a number, a call ``sin(u)``, ``x[0]``, ``|x|`` or a bracketed whole."""
    if not label:
        return True
    if _wrapped(label) or _wrapped(label, "[", "]"):
        return True
    if any(c in _NOT_ATOMIC for c in label):
        return False
    for opening, closing in (("(", ")"), ("[", "]")):
        head, sep, rest = label.partition(opening)
        if sep and _name(head) and _wrapped(sep + rest, opening, closing):
            return True
    if label[0] == label[-1] == "|" and len(label) > 1 and "|" not in label[1:-1]:
        return True
    if _name(label.rstrip("₀₁₂₃₄₅₆₇₈₉")):
        return True
    # a non-negative number as the picture writes it (2.5, 1e−12)
    return label.replace(".", "", 1).replace("e−", "", 1).replace("e", "", 1).isdigit()


def _name(text: str) -> bool:
    return text.isidentifier() and not any(c in text for c in _OPERATORS)


def derivative_part(label: str) -> str:
    """A label as the numerator or denominator of ``∂…/∂…``: parenthesised unless it is one
    name, number or call (``∂(y + z)/∂y``, ``∂(x²)/∂x``, ``∂sin(u)/∂u``)."""
    return label if _atomic(label) else f"({label})"


def slot_numbers(inputs: Sequence[Hashable]) -> list[int | None]:
    """For an op's inputs (engine ids), which occurrence each is of a value the op reads more
    than once (1, 2, ...), or None for a value it reads once: ``x*x`` gives [1, 2]."""
    counts: dict[Hashable, int] = {}
    for key in inputs:
        counts[key] = counts.get(key, 0) + 1
    seen: dict[Hashable, int] = {}
    slots: list[int | None] = []
    for key in inputs:
        if counts[key] == 1:
            slots.append(None)
        else:
            seen[key] = seen.get(key, 0) + 1
            slots.append(seen[key])
    return slots


def slot_label(label: str, slot: int | None) -> str:
    """``x₁`` for the first place an op reads ``x``, ``x₂`` for the second; ``label`` (as a
    derivative's part) when the op reads it once."""
    part = derivative_part(label)
    if slot is None:
        return part
    if part[-1] in "₀₁₂₃₄₅₆₇₈₉":
        part = f"({part})"
    return part + str(slot).translate(_SUBSCRIPTS)


def inputs_text(labels: Sequence[str]) -> str:
    """``x, y``; an input listed more than once is named once, with how often (``x (twice)``)."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    words = {2: "twice", 3: "three times"}
    return ", ".join(label if n == 1 else f"{label} ({words.get(n, f'{n} times')})" for label, n in counts.items())


def term(text: str) -> str:
    """A number's text as a factor or a later term of a sum: ``(−0.4161)``, not ``−0.4161``."""
    return f"({text})" if text.startswith("−") else text


def partial_formula(op: Op, index: int, out_label: str, labels: list[str], attrs: dict[str, Any],
                    values: list[np.ndarray], slot: int | None = None) -> str:
    """``∂out/∂input = formula``, simplified where the other input is a literal number.

    ``slot`` names which place of the op the input fills when the op reads it more than once.
    """
    ops = [operand(x) for x in labels]
    body = op.partial_text and op.partial_text(index, ops, labels, values, format_number, attrs)
    body = body or fill(op.partial_formulas[index], ops, attrs, labels)
    return f"∂{derivative_part(out_label)}/∂{slot_label(labels[index], slot)} = {body}"


def op_formula(op: Op, labels: list[str], attrs: dict[str, Any]) -> str:
    """The output of ``op`` in terms of its inputs' labels (``x·y``, ``x²``)."""
    ops = [operand(x) for x in labels]
    return (op.formula_text and op.formula_text(ops, labels)) or fill(op.formula, ops, attrs, labels)


def shape_text(shape: Sequence[int]) -> str:
    """``4×4``, ``4``, or ``scalar`` for a single number."""
    return "×".join(str(n) for n in shape) if len(shape) else "scalar"


def summed_text(upstream: ArrayLike | None, partial: ArrayLike | None, contribution: ArrayLike | None) -> str:
    """``Σ over axis 0: 4×4 → 4`` when upstream × partial was summed down to the input's shape
    (the input was broadcast in the forward pass), else ``""``."""
    if upstream is None or partial is None or contribution is None:
        return ""
    try:
        full = tuple(np.broadcast_shapes(np.shape(upstream), np.shape(partial)))
    except ValueError:
        return ""
    shape = tuple(np.shape(contribution))
    axes = summed_axes(full, shape)
    if full == shape or not axes:
        return ""
    which = f"axis {axes[0]}" if len(axes) == 1 else "axes " + ", ".join(str(a) for a in axes)
    return f"Σ over {which}: {shape_text(full)} → {shape_text(shape)}"


UPSTREAM = "(·)"       # in a partial's rule: the adjoint arriving from the op's output


def _with_shape(value: ArrayLike) -> str:
    """A value with its shape always written, so a matrix product's sizes can be followed."""
    text = format_value(value)
    shape = np.shape(value)
    return text if not shape or text.endswith(")") else f"{text} ({'×'.join(str(n) for n in shape)})"


def chain_lines(target: str, out: str, inp: str, upstream: ArrayLike, partial: ArrayLike | None,
                contribution: ArrayLike, before: ArrayLike | None, after: ArrayLike,
                slot: int | None = None, formula: str = "",
                operands: dict[str, ArrayLike] | None = None) -> list[str]:
    """The chain rule for one edge of a backward step, with numbers.

    ``∂f/∂x = ∂f/∂u · ∂u/∂x = 1 · 3 = 3``; at fan-out a second line adds it to what ``x``
    already had: ``∂f/∂x = 4 + 3 = 7``. A contribution summed to the input's shape says so:
    ``= [1, 1] (2×2) · [1, 2], Σ over axis 0: 2×2 → 2 = [2, 4]``.
    """
    t, o, i = derivative_part(target), derivative_part(out), derivative_part(inp)
    if partial is not None:
        summed = summed_text(upstream, partial, contribution)
        line = (f"∂{t}/∂{i} ∋ ∂{t}/∂{o} · ∂{o}/∂{slot_label(inp, slot)} = {format_value(upstream)} · "
                f"{term(format_value(partial))}{', ' + summed if summed else ''} = {format_value(contribution)}")
    elif UPSTREAM in formula:
        # A product that is not elementwise (matmul): the rule itself, then its numbers with shapes.
        rule = formula.rsplit(" = ", 1)[-1]
        numbers = rule.replace(UPSTREAM, _with_shape(upstream))
        for label, value in (operands or {}).items():       # xᵀ written out: its numbers, transposed
            numbers = numbers.replace(f"{label}ᵀ", _with_shape(np.swapaxes(value, -1, -2) if np.ndim(value) > 1
                                                                 else value))
        line = f"∂{t}/∂{i} ∋ {rule.replace(UPSTREAM, f'∂{t}/∂{o}')} = {numbers} = {_with_shape(contribution)}"
    else:
        line = f"∂{t}/∂{i} ∋ (∂{t}/∂{o}) through {out} = {format_value(contribution)}"
    if before is None:
        return [line.replace("∋", "=", 1)]
    return [line.replace("∋", "+=", 1),
            f"∂{t}/∂{i} = {format_value(before)} + {term(format_value(contribution))} = {format_value(after)}"
            f"   ({inp} is used more than once: the contributions add up)"]

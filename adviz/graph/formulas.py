"""Formulas in the user's names: an op's output, its local partials and chain-rule lines."""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..engine import Op
from .values import format_number, format_value


def fill(template: str, labels: list[str], attrs: dict[str, Any] | None = None) -> str:
    """Put the inputs' labels (and an index attribute) into an op-table formula."""
    text = template
    for i, label in enumerate(labels):
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
    """Parenthesise a compound label where it becomes an operand."""
    return f"({label})" if any(c in label for c in " +−-·/^@") and not _wrapped(label) else label


def _wrapped(label: str) -> bool:
    """Whether one pair of parentheses encloses all of ``label`` (``(a + b)``, not ``(a) + b``)."""
    depth = 0
    for k, c in enumerate(label):
        depth += (c == "(") - (c == ")")
        if depth == 0 and k < len(label) - 1:
            return False
    return label.startswith("(") and depth == 0


def partial_formula(op: Op, index: int, out_label: str, labels: list[str], attrs: dict[str, Any],
                    values: list[np.ndarray]) -> str:
    """``∂out/∂input = formula``, simplified where the other input is a literal number."""
    ops = [operand(x) for x in labels]
    body = op.partial_text and op.partial_text(index, ops, labels, values, format_number)
    body = body or fill(op.partial_formulas[index], ops, attrs)
    return f"∂{operand(out_label)}/∂{operand(labels[index])} = {body}"


def op_formula(op: Op, labels: list[str], attrs: dict[str, Any]) -> str:
    """The output of ``op`` in terms of its inputs' labels (``x·y``, ``x²``)."""
    ops = [operand(x) for x in labels]
    return (op.formula_text and op.formula_text(ops, labels)) or fill(op.formula, ops, attrs)


def chain_lines(target: str, out: str, inp: str, upstream: ArrayLike, partial: ArrayLike | None,
                contribution: ArrayLike, before: ArrayLike | None, after: ArrayLike) -> list[str]:
    """The chain rule for one edge of a backward step, with numbers.

    ``∂f/∂x = ∂f/∂u · ∂u/∂x = 1 · 3 = 3``; at fan-out a second line adds it to what ``x``
    already had: ``∂f/∂x = 4 + 3 = 7``.
    """
    t, o, i = operand(target), operand(out), operand(inp)
    if partial is not None:
        line = (f"∂{t}/∂{i} ∋ ∂{t}/∂{o} · ∂{o}/∂{i} = {format_value(upstream)} · "
                f"{format_value(partial)} = {format_value(contribution)}")
    else:
        line = f"∂{t}/∂{i} ∋ (∂{t}/∂{o}) through {o} = {format_value(contribution)}"
    if before is None:
        return [line.replace("∋", "=", 1)]
    return [line.replace("∋", "+=", 1),
            f"∂{t}/∂{i} = {format_value(before)} + {format_value(contribution)} = {format_value(after)}"
            f"   ({inp} is used more than once: the contributions add up)"]

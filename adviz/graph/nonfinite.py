"""Why a value is inf or nan, in words a hover text can show: ``ln(0) = −inf: the logarithm
falls without bound as its input approaches 0``, ``0 / 0 = nan: zero divided by zero has no value``.

The op table's rows give the reasons particular to them (``non_finite``); the rest is said here
the same way for every op: an input that was already inf or nan, or a result too large for its
number type.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..engine import OPS, Op
from .formulas import op_formula
from .model import Graph
from .values import format_number

_DOUBLED = re.compile(r"\(\((−[^()]*)\)\)")


def _first_bad(value: np.ndarray) -> tuple[int, ...] | None:
    if value.dtype.kind not in "fc":
        return None
    bad = ~np.isfinite(value)
    if not bad.any():
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])


def _name(x: float) -> str:
    return "nan" if np.isnan(x) else format_number(x)


def _too_large(value: np.ndarray) -> str:
    largest = format_number(float(np.finfo(value.dtype).max))
    return f"the result is larger than the largest {value.dtype} number (about {largest}), so it became inf"


def explain_value(op: Op | None, inputs: Sequence[ArrayLike], value: ArrayLike,
                  labels: Sequence[str] = (), attrs: dict[str, Any] | None = None) -> str:
    """Why ``value``, the result of ``op`` on ``inputs``, is (somewhere) inf or nan; ``""`` when
    it is finite. ``labels`` name the inputs; ``op`` None means a given value, not a result.

    >>> explain_value(OPS["log"], [np.array(0.0)], np.array(-np.inf))
    'ln(0) = −inf: the logarithm falls without bound as its input approaches 0'
    """
    value = np.asarray(value)
    where = _first_bad(value)
    if where is None:
        return ""
    result = float(value[where])
    at = f" (at index {', '.join(map(str, where))})" if where else ""
    names = list(labels) + [f"input {k + 1}" for k in range(len(labels), len(inputs))]
    if op is None:
        return f"{_name(result)}{at}: it was given that way, not computed"
    arrays = [np.asarray(x) for x in inputs]
    if op.elementwise:
        try:
            xs = [float(np.broadcast_to(x, value.shape)[where]) for x in arrays]
        except ValueError:
            xs = []
        if xs:
            written = op_formula(op, [_name(x) for x in xs], attrs or {})
            written = _DOUBLED.sub(r"(\1)", written)
            reason = op.non_finite(xs, result) if op.non_finite else None
            if reason is None:
                carried = [n for n, x in zip(names, xs) if not np.isfinite(x)]
                if carried:
                    reason = f"{carried[0]} is already {_name(xs[names.index(carried[0])])}, and it carries through"
                elif np.isinf(result):
                    reason = _too_large(value)
                else:
                    reason = "the operation has no real value here"
            return f"{written} = {_name(result)}{at}: {reason}"
    carried = [n for n, x in zip(names, arrays) if x.dtype.kind in "fc" and not np.isfinite(x).all()]
    if carried:
        return f"{_name(result)}{at}: {carried[0]} holds inf or nan already, and it carries through"
    if np.isinf(result):
        return f"{_name(result)}{at}: {_too_large(value)}"
    return f"{_name(result)}{at}: the operation has no real value here"


def explain_node(graph: Graph, node_id: str) -> str:
    """Why the value of ``node_id`` is inf or nan (``""`` when it is finite), from its op and
    the values of its inputs as the picture shows them."""
    node = graph.nodes[node_id]
    ins = sorted((e for e in graph.edges.values() if e.target == node_id), key=lambda e: e.index)
    op = OPS.get(node.op) if node.op else None
    if op is None:
        return explain_value(None, [], node.value)
    return explain_value(op, [graph.nodes[e.source].value for e in ins], node.value,
                         [graph.nodes[e.source].label for e in ins])


def explain_edge(graph: Graph, edge_id: str) -> str:
    """Why the local partial or the contribution of ``edge_id`` is inf or nan (``""`` when both
    are finite)."""
    edge = graph.edges[edge_id]
    source, target = graph.nodes[edge.source], graph.nodes[edge.target]
    if edge.partial_value is not None and _first_bad(np.asarray(edge.partial_value)) is not None:
        bad = float(np.asarray(edge.partial_value)[_first_bad(np.asarray(edge.partial_value))])
        how = ("the operation is infinitely steep there" if np.isinf(bad)
               else "the slope has no value there")
        ins = sorted((e for e in graph.edges.values() if e.target == edge.target), key=lambda e: e.index)
        point = ", ".join(dict.fromkeys(f"{graph.nodes[e.source].label} = {graph.nodes[e.source].value_text}"
                                        for e in ins)) or f"{source.label} = {source.value_text}"
        return f"the local partial {edge.partial_formula} is {_name(bad)} where {point}: {how}"
    if edge.contribution is None or _first_bad(np.asarray(edge.contribution)) is None:
        return ""
    upstream = target.adjoint
    if upstream is not None and _first_bad(np.asarray(upstream)) is not None:
        return (f"the adjoint arriving from {target.label} is already "
                f"{_name(float(np.asarray(upstream)[_first_bad(np.asarray(upstream))]))}, and it carries through")
    if edge.partial_value is not None:
        return "upstream × local partial is 0 × inf somewhere, or too large: the product has no finite value"
    return "the contribution is not a finite number: the operation's rule overflowed here"

"""The short texts a picture puts on a step: an edge's product and a node's fan-out sum.

The canvas, every export and the JSON read these, so a number is written one way everywhere.
"""
from __future__ import annotations

from .model import Graph, Step
from .values import format_value

PENDING = "…"


def product_text(graph: Graph, step: Step, edge_id: str) -> str:
    """``upstream × local = contribution`` of ``edge_id`` at ``step``, short enough to sit on an edge."""
    edge = graph.edges[edge_id]
    up = format_value(step.upstream, max_items=2, shape=False)
    c = format_value(step.contributions.get(edge_id), max_items=2, shape=False)
    if edge.partial_value is not None:
        return f"{up} × {format_value(edge.partial_value, max_items=2, shape=False)} = {c}"
    return f"{up} → {c}"


def fan_out_sum(graph: Graph, step: Step, node_id: str, arrived: bool = True) -> str:
    """At a fan-out, ``before + contribution = after`` for ``node_id`` (``…`` until it arrives)."""
    parts = [format_value(step.contributions[e]) for e in step.edges if graph.edges[e].source == node_id]
    total = format_value(step.adjoints[node_id]) if arrived else PENDING
    return f"{format_value(step.accumulated[node_id])} + {' + '.join(parts)} = {total}"


def adjoints_before(graph: Graph, index: int) -> dict[str, str]:
    """Each node's adjoint text after backward steps ``0..index-1``."""
    texts: dict[str, str] = {}
    for step in graph.backward[:index]:
        for nid, value in step.adjoints.items():
            texts[nid] = format_value(value)
    return texts

"""The short texts a picture puts on a step: an edge's product and a node's fan-out sum.

The canvas, every export and the JSON read these, so a number is written one way everywhere.
"""
from __future__ import annotations

from .formulas import summed_text, term
from .model import KIND_LABELS, LITERAL, Graph, Node, Step
from .values import format_value

PENDING = "…"


def product_text(graph: Graph, step: Step, edge_id: str) -> str:
    """``upstream × local = contribution`` of ``edge_id`` at ``step``, short enough to sit on an edge.

    A negative local partial is parenthesised (``2.483 × (−0.4161)``); a product summed back to
    the input's shape says so (``[…] × […], Σ over axis 0: 4×4 → 4 = […]``); a structural op,
    with no single partial to multiply by, shows ``upstream → contribution``.
    """
    edge = graph.edges[edge_id]
    up = format_value(step.upstream, max_items=2, shape=False)
    contribution = step.contributions.get(edge_id)
    c = format_value(contribution, max_items=2, shape=False)
    if edge.partial_value is not None:
        summed = summed_text(step.upstream, edge.partial_value, contribution)
        partial = term(format_value(edge.partial_value, max_items=2, shape=False))
        return f"{up} × {partial}{', ' + summed if summed else ''} = {c}"
    return f"{up} → {c}"


def fan_out_sum(graph: Graph, step: Step, node_id: str, arrived: bool = True) -> str:
    """At a fan-out, ``before + contribution = after`` for ``node_id`` (``…`` until it arrives)."""
    parts = [term(format_value(step.contributions[e])) for e in step.edges if graph.edges[e].source == node_id]
    total = format_value(step.adjoints[node_id]) if arrived else PENDING
    return f"{format_value(step.accumulated[node_id])} + {' + '.join(parts)} = {total}"


def forward_words(node: Node) -> str:
    """What the forward pass says at ``node``: an op is computed; a literal is a constant written
    in the expression; a source is given."""
    if node.op is not None:
        return f"compute {node.label} = {node.value_text}"
    if node.kind == LITERAL:
        return f"{node.label} is a constant written in the expression: nothing to compute"
    return f"{node.label} = {node.value_text} is given ({KIND_LABELS[node.kind]}): nothing to compute"


def adjoints_before(graph: Graph, index: int) -> dict[str, str]:
    """Each node's adjoint text after backward steps ``0..index-1``."""
    texts: dict[str, str] = {}
    for step in graph.backward[:index]:
        for nid, value in step.adjoints.items():
            texts[nid] = format_value(value)
    return texts

"""What differs between two gradient calls: kinds, watch state, recorded ops, gradients, the tape.

Nodes are matched by their label (the user's names), so ``x`` of one call is ``x`` of the other.

Example::

    >>> diff = compare(graph_of_call_1, graph_of_call_2)        # doctest: +SKIP
    >>> [d.text for d in diff.rows]
    ['x: constant (not watched) → Variable', 'gradient of x: None → 6', ...]
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..graph.model import KIND_LABELS, OP, TARGET, Graph, Node


@dataclass(frozen=True)
class Difference:
    """One thing that differs; ``labels`` are the node labels it concerns (highlighted on both sides)."""

    text: str
    labels: tuple[str, ...] = ()


@dataclass
class Comparison:
    """The differences between call A and call B, in reading order."""

    rows: list[Difference] = field(default_factory=list)

    @property
    def labels(self) -> set[str]:
        return {label for row in self.rows for label in row.labels}


def _sources(graph: Graph) -> dict[str, Node]:
    return {n.label: n for n in graph.nodes.values() if n.is_source}


def _recorded_ops(graph: Graph) -> int:
    return sum(1 for n in graph.nodes.values() if n.kind in (OP, TARGET) and n.recorded)


def _how_watched(node: Node) -> str:
    return "watched" if node.recorded else "not watched"


def compare(a: Graph, b: Graph) -> Comparison:
    """The differences between the graphs of two calls (A first)."""
    out = Comparison()
    tape_a, tape_b = a.tape or {}, b.tape or {}
    for key in ("persistent", "watch_accessed_variables"):
        if key in tape_a and key in tape_b and tape_a[key] != tape_b[key]:
            out.rows.append(Difference(f"tape {key}: {tape_a[key]} → {tape_b[key]}"))
    if (a.error or "") != (b.error or ""):
        out.rows.append(Difference(f"error: {a.error or 'none'} → {b.error or 'none'}"))
    sa, sb = _sources(a), _sources(b)
    for label in [*sa, *(k for k in sb if k not in sa)]:
        na, nb = sa.get(label), sb.get(label)
        if na is None or nb is None:
            where = "only in B" if na is None else "only in A"
            out.rows.append(Difference(f"{label}: a source {where}", (label,)))
            continue
        if na.kind != nb.kind:
            out.rows.append(Difference(f"{label}: {KIND_LABELS.get(na.kind, na.kind)} → "
                                       f"{KIND_LABELS.get(nb.kind, nb.kind)}", (label,)))
        if na.recorded != nb.recorded:
            out.rows.append(Difference(f"{label}: {_how_watched(na)} → {_how_watched(nb)}", (label,)))
        if na.gradient_text != nb.gradient_text:
            out.rows.append(Difference(f"gradient of {label}: {na.gradient_text or '—'} → "
                                       f"{nb.gradient_text or '—'}", (label,)))
    ops_a, ops_b = _recorded_ops(a), _recorded_ops(b)
    if ops_a != ops_b:
        out.rows.append(Difference(f"recorded ops: {ops_a} → {ops_b}"))
    labels_a = {n.label: n for n in a.nodes.values() if not n.is_source}
    labels_b = {n.label: n for n in b.nodes.values() if not n.is_source}
    for label in sorted(set(labels_a) & set(labels_b)):
        if labels_a[label].recorded != labels_b[label].recorded:
            out.rows.append(Difference(f"{label}: {'recorded' if labels_a[label].recorded else 'not recorded'} → "
                                       f"{'recorded' if labels_b[label].recorded else 'not recorded'}", (label,)))
    if not out.rows:
        out.rows.append(Difference("the two calls draw the same picture"))
    return out

"""The chain rule as a sum over paths: ∂out/∂in is the sum, over every path from ``in`` to ``out``,
of the product of the local partials along it.

Forward mode factors that sum from the input's side: a node's tangent is the sum over the paths
from the input into it. Reverse mode factors it from the output's side: a node's adjoint is the
sum over the paths from it to the output. Both give the whole sum without listing the paths,
which can be exponentially many; the list stops at :data:`MAX_PATHS`. Scalar graphs only: with
tensors a path's "product" is a product of Jacobians, which this view does not show.

Example::

    >>> s = path_sum(graph, "v:x", graph.targets[0])
    >>> s.total == sum(p.product for p in s.paths)      # when not truncated
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .formulas import term
from .model import Edge, Graph
from .values import format_value

MAX_PATHS = 10_000


class PathError(ValueError):
    """Why the paths between two nodes cannot be summed: one sentence for the person."""


@dataclass(frozen=True)
class PathTerm:
    """One path: its edges in order, the local partial along each, and their product."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    partials: tuple[float, ...]
    product: float
    text: str          # "x → u → f: ∂u/∂x · ∂f/∂u = 3 × 0.9602 = 2.881"


@dataclass(frozen=True)
class PathSum:
    """Every path from ``source`` to ``target`` (up to :data:`MAX_PATHS` listed), their sum, and
    the two factored forms: ``tangents`` (node → sum over paths source → node, forward mode) and
    ``adjoints`` (node → sum over paths node → target, reverse mode), on the nodes between them."""

    source: str
    target: str
    paths: tuple[PathTerm, ...]
    count: int                   # how many paths there are (all of them, listed or not)
    total: float                 # the sum over all paths: ∂target/∂source
    tangents: dict[str, float]
    adjoints: dict[str, float]
    paths_in: dict[str, int]     # node → number of paths from source into it
    paths_out: dict[str, int]    # node → number of paths from it to target
    gradient: float | None       # what the tape's gradient() returned, when target is the call's target

    @property
    def truncated(self) -> bool:
        return len(self.paths) < self.count

    @property
    def listed_sum(self) -> float:
        return float(sum(p.product for p in self.paths))

    def words(self, graph: Graph) -> str:
        """The result in one sentence, beside the gradient when there is one."""
        s, t = graph.nodes[self.source].label, graph.nodes[self.target].label
        if self.count == 0:
            return f"No path leads from {s} to {t}: ∂{t}/∂{s} = 0."
        shown = (f" (the first {len(self.paths):,} are listed; the sum uses all of them, factored)"
                 if self.truncated else "")
        text = (f"{self.count:,} path{'s' * (self.count != 1)} from {s} to {t}{shown}: "
                f"their products add up to {format_value(self.total)}.")
        if self.gradient is not None:
            same = np.isclose(self.total, self.gradient, rtol=1e-9, atol=1e-12, equal_nan=True)
            text += (f" The tape's gradient ∂{t}/∂{s} = {format_value(self.gradient)}: "
                     + ("the same." if same else "different!"))
        return text


def _scalar(graph: Graph, node_id: str) -> None:
    node = graph.nodes[node_id]
    if np.size(node.value) != 1:
        raise PathError(f"The sum over paths here is for scalar graphs, and {node.label} has shape "
                        f"{tuple(np.shape(node.value))}: with tensors each partial is a Jacobian.")


def _partial(graph: Graph, edge: Edge) -> float:
    if edge.partial_value is None and edge.contribution is not None:
        raise PathError(f"{edge.partial_formula.split(' = ')[0]} is not a single number: "
                        f"{graph.nodes[edge.target].label} carries values by its own rule (a sum, a reshape, "
                        "an index), and the sum over paths needs one scalar partial per edge.")
    if edge.partial_value is None:
        raise PathError(f"The partial along {graph.nodes[edge.source].label} → {graph.nodes[edge.target].label} "
                        "is not known: the backward pass did not reach that edge (pick the call's target, "
                        "or an input the tape watched).")
    if np.size(edge.partial_value) != 1:
        raise PathError("The sum over paths here is for scalar graphs; "
                        f"{edge.partial_formula} is not a single number.")
    return float(np.asarray(edge.partial_value, dtype=float).reshape(()))


def _between(graph: Graph, source: str, target: str) -> tuple[list[str], dict[str, list[Edge]], dict[str, list[Edge]]]:
    """Nodes on some path source → target in computation order, with the edges among them."""
    out: dict[str, list[Edge]] = {}
    into: dict[str, list[Edge]] = {}
    for e in graph.edges.values():
        out.setdefault(e.source, []).append(e)
        into.setdefault(e.target, []).append(e)
    ahead, stack = {source}, [source]
    while stack:
        for e in out.get(stack.pop(), []):
            if e.target not in ahead:
                ahead.add(e.target)
                stack.append(e.target)
    behind, stack = {target}, [target]
    while stack:
        for e in into.get(stack.pop(), []):
            if e.source not in behind:
                behind.add(e.source)
                stack.append(e.source)
    on = ahead & behind
    order = [n for n in sorted(graph.nodes, key=lambda k: graph.nodes[k].order) if n in on]
    keep_out = {n: [e for e in out.get(n, []) if e.target in on] for n in order}
    keep_in = {n: [e for e in into.get(n, []) if e.source in on] for n in order}
    return order, keep_out, keep_in


def path_sum(graph: Graph, source: str, target: str, limit: int = MAX_PATHS) -> PathSum:
    """Every path from node ``source`` to node ``target`` with its product of partials, and the sum."""
    for node_id in (source, target):
        if node_id not in graph.nodes:
            raise PathError(f"There is no node {node_id!r} in this graph.")
    _scalar(graph, source)
    _scalar(graph, target)
    order, out, into = _between(graph, source, target)
    partial: dict[str, float] = {}
    for n in order:
        _scalar(graph, n)
        for e in out[n]:
            partial[e.id] = _partial(graph, e)
    tangents: dict[str, float] = {}
    paths_in: dict[str, int] = {}
    for n in order:          # forward mode: what flows into n, summed over its incoming edges
        if n == source:
            tangents[n], paths_in[n] = 1.0, 1
            continue
        tangents[n] = float(sum(partial[e.id] * tangents[e.source] for e in into[n]))
        paths_in[n] = sum(paths_in[e.source] for e in into[n])
    adjoints: dict[str, float] = {}
    paths_out: dict[str, int] = {}
    for n in reversed(order):   # reverse mode: what flows back out of n, summed over its outgoing edges
        if n == target:
            adjoints[n], paths_out[n] = 1.0, 1
            continue
        adjoints[n] = float(sum(partial[e.id] * adjoints[e.target] for e in out[n]))
        paths_out[n] = sum(paths_out[e.target] for e in out[n])
    count = paths_in.get(target, 0) if source != target else 1
    total = tangents.get(target, 0.0) if order else 0.0
    listed = [] if not order else list(_walk(graph, source, target, out, partial, limit))
    gradient = None
    node = graph.nodes[source]
    if graph.targets == [target] and node.is_source and node.gradient is not None and np.size(node.gradient) == 1:
        gradient = float(np.asarray(node.gradient, dtype=float).reshape(()))
    return PathSum(source, target, tuple(listed), count, total, tangents, adjoints, paths_in, paths_out, gradient)


def _walk(graph: Graph, source: str, target: str, out: dict[str, list[Edge]], partial: dict[str, float],
          limit: int) -> Iterator[PathTerm]:
    """Depth first, at most ``limit`` paths, without recursion (a long chain is not a deep stack)."""
    found = 0
    stack: list[tuple[str, tuple[Edge, ...]]] = [(source, ())]
    while stack and found < limit:
        node, edges = stack.pop()
        if node == target:
            found += 1
            yield _term(graph, source, edges, partial)
            continue
        for e in reversed(out.get(node, [])):
            stack.append((e.target, edges + (e,)))


def _term(graph: Graph, source: str, edges: tuple[Edge, ...], partial: dict[str, float]) -> PathTerm:
    nodes = (source,) + tuple(e.target for e in edges)
    values = tuple(partial[e.id] for e in edges)
    product = float(np.prod(values)) if values else 1.0
    names = " · ".join(e.partial_formula.split(" = ")[0] for e in edges)
    route = " → ".join(graph.nodes[n].label for n in nodes)
    numbers = " × ".join(term(format_value(v)) for v in values)
    text = f"{route}: {names} = {numbers} = {format_value(product)}" if edges else f"{route}: 1"
    return PathTerm(nodes, tuple(e.id for e in edges), values, product, text)

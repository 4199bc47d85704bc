"""Keeping the dummy vertices of a layered drawing bounded.

An edge spanning ``k`` layers normally gets ``k - 1`` dummy vertices, one per crossed layer, which
take part in crossing reduction and coordinate assignment like real vertices.  Computation graphs
almost always need fewer dummies than nodes, but a value that feeds every step of a loop (a
variable in ``y = y * c + x``, a weight used at every time step) has edges to every layer, and
the dummies of its edges alone grow quadratically: 300 iterations make 90,000 of them.

When the dummies would exceed :func:`dummy_budget`, :func:`plan_long_edges` thins them out:

1. *Bundles* (edge concentration).  The long edges leaving one vertex share a single chain of
   dummies that runs as far as the farthest target and branches off to each target at its layer;
   likewise the long edges entering one vertex merge into one chain.  Bundles are taken greedily
   by the dummies they save, and only while the count is over budget.  A bundle is still an
   ordinary part of the layered graph, so its edges are ordered, placed and routed around node
   boxes like any other, and a fan-out of ``k`` edges costs one chain instead of ``k``.
2. *Lane edges*, if bundling is not enough.  The units that save the most dummies per edge
   (single edges with the longest spans; whole bundles only as a last resort) get none at all: they take no part in ordering or
   placement, and are routed afterwards by :func:`lane_route` along a free lane outside the
   drawing (see there).  This keeps every route clear of node boxes at a cost of a few more
   crossings, which a graph this tangled has plenty of anyway.

Graphs within budget (every normal computation graph) are laid out exactly as before.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field

# Dummy vertices allowed per real vertex (and at least _MIN_BUDGET) before long edges are
# bundled or moved to lanes.  Computation graphs need well under one per vertex.
_PER_VERTEX = 4
_MIN_BUDGET = 256


def dummy_budget(n: int) -> int:
    """How many dummy vertices a graph of ``n`` real vertices may get."""
    return max(_MIN_BUDGET, _PER_VERTEX * n)


@dataclass
class EdgePlan:
    """How the long edges of a layered DAG are drawn.

    ``bundles`` lists ``(hub, fan_out, members)``: with ``fan_out`` the edges ``hub -> m`` for
    every ``m`` in ``members`` share one dummy chain leaving ``hub``; otherwise the edges
    ``m -> hub`` share one chain entering ``hub``.  ``lanes`` holds the edges ``(a, b)`` routed
    outside the drawing without dummies.  All other edges get their own dummies as usual.
    """

    bundles: list[tuple[int, bool, list[int]]] = field(default_factory=list)
    lanes: set[tuple[int, int]] = field(default_factory=set)


def _saving(spans: list[int]) -> int:
    """Dummies saved by letting edges of these spans (each at least 2) share one chain."""
    return sum(spans) - len(spans) - (max(spans) - 1) if len(spans) > 1 else 0


def plan_long_edges(n: int, dag_out: list[list[int]], layer_of: list[int],
                    budget: int) -> EdgePlan:
    """Bundles and lane edges that bring the dummy count of the DAG within ``budget``.

    ``dag_out[a]`` lists the heads of the edges leaving ``a`` (every edge pointing to a higher
    layer).  Deterministic: ties are broken by vertex ids and edge order.
    """
    plan = EdgePlan()
    total = 0
    fan_out: list[list[int]] = [[] for _ in range(n)]
    fan_in: list[list[int]] = [[] for _ in range(n)]
    for a in range(n):
        la = layer_of[a]
        for b in dag_out[a]:
            if layer_of[b] - la > 1:
                total += layer_of[b] - la - 1
                fan_out[a].append(b)
                fan_in[b].append(a)
    if total <= budget:
        return plan

    def span(a: int, b: int) -> int:
        return layer_of[b] - layer_of[a]

    def free(hub: int, out: bool) -> list[int]:
        if out:
            return [b for b in fan_out[hub] if (hub, b) not in taken]
        return [a for a in fan_in[hub] if (a, hub) not in taken]

    def spans(hub: int, out: bool, members: list[int]) -> list[int]:
        return [span(hub, m) if out else span(m, hub) for m in members]

    # Greedy bundling, largest saving first; a saving that shrank (another bundle took some of
    # the edges) is re-queued with its new value.  Fan-outs win ties.
    taken: set[tuple[int, int]] = set()
    heap: list[tuple[int, int, int]] = []
    for v in range(n):
        for kind, group in ((0, fan_out[v]), (1, fan_in[v])):
            s = _saving([span(v, m) if kind == 0 else span(m, v) for m in group]) if group else 0
            if s > 0:
                heap.append((-s, kind, v))
    heapq.heapify(heap)
    while heap and total > budget:
        neg, kind, hub = heapq.heappop(heap)
        out = kind == 0
        members = free(hub, out)
        s = _saving(spans(hub, out, members)) if members else 0
        if s != -neg:
            if s > 0:
                heapq.heappush(heap, (-s, kind, hub))
            continue
        plan.bundles.append((hub, out, members))
        taken.update((hub, m) if out else (m, hub) for m in members)
        total -= s

    if total > budget:
        # Lanes for the costliest units: a bundle costs its chain, a lone edge its dummies.
        units: list[tuple[int, int, list[tuple[int, int]]]] = []
        for k, (hub, out, members) in enumerate(plan.bundles):
            edges = [(hub, m) if out else (m, hub) for m in members]
            units.append((max(spans(hub, out, members)) - 1, k, edges))
        k = len(units)
        for a in range(n):
            for b in fan_out[a]:
                if (a, b) not in taken:
                    units.append((span(a, b) - 1, k, [(a, b)]))
                    k += 1
        # Most dummies saved per edge moved to a lane first: the longest lone edges, and
        # bundles (which save little per edge) only as a last resort.
        units.sort(key=lambda u: (-u[0] / len(u[2]), u[1]))
        dropped: set[int] = set()
        for cost, k, edges in units:
            if total <= budget:
                break
            total -= cost
            plan.lanes.update(edges)
            if k < len(plan.bundles):
                dropped.add(k)
        plan.bundles = [b for k, b in enumerate(plan.bundles) if k not in dropped]
    return plan


Point = tuple[float, float]


def lane_routes(lanes: set[tuple[int, int]], layer_of: list[int], cross: list[float],
                layer_sep: float, node_sep: float) -> dict[tuple[int, int], list[Point]]:
    """Routes, as ``(along, across)`` points, of the lane edges (DAG orientation, ``a`` before
    ``b``), given every vertex's layer and cross coordinate.

    The lane edges leaving one vertex form a group that runs on one lane, a line parallel to
    the layers just outside the drawing, on the side nearer to the group's ends on average.  A
    route leaves its source like any steep edge (a short shallow piece), crosses the gap after
    the source's layer diagonally to the lane, runs along it, and comes back in the gap before
    the target's layer.  The diagonal pieces stay in the gaps between layers, and the lane is
    outside every node box, so no route enters one.  The edges of a group share everything up
    to where they leave the lane, which draws them as one bus.  Groups whose layer ranges don't
    overlap share a lane; lanes lie ``node_sep / 2`` apart, the innermost ``0.75 * node_sep``
    beyond the outermost vertex.  Every route advances strictly along the layer axis.
    """
    if not lanes:
        return {}
    groups: dict[int, list[int]] = {}
    for a, b in sorted(lanes):
        groups.setdefault(a, []).append(b)
    lo, hi = min(cross), max(cross)
    mid = (lo + hi) / 2.0
    stub, half, lean = 0.3 * layer_sep, 0.5 * layer_sep, node_sep / 5.0
    # (start layer, end layer, source) per side, then first-fit lanes in order of start.
    sides: dict[bool, list[tuple[int, int, int]]] = {False: [], True: []}
    for a, bs in groups.items():
        mean = (cross[a] + sum(cross[b] for b in bs) / len(bs)) / 2.0
        sides[mean > mid].append((layer_of[a], max(layer_of[b] for b in bs), a))
    lane_of: dict[int, float] = {}
    for high, items in sides.items():
        ends: list[int] = []  # last end layer of every lane so far
        for start, end, a in sorted(items):
            for k, last in enumerate(ends):
                if last <= start:
                    ends[k] = end
                    break
            else:
                k = len(ends)
                ends.append(end)
            offset = 0.75 * node_sep + k * node_sep / 2.0
            lane_of[a] = hi + offset if high else lo - offset
    routes: dict[tuple[int, int], list[Point]] = {}
    for a, bs in groups.items():
        lane = lane_of[a]
        d = lean if lane > hi else -lean
        a0, c0 = layer_of[a] * layer_sep, cross[a]
        for b in bs:
            a1, c1 = layer_of[b] * layer_sep, cross[b]
            routes[(a, b)] = [(a0, c0), (a0 + stub, c0 + d), (a0 + half, lane),
                              (a1 - half, lane), (a1 - stub, c1 + d), (a1, c1)]
    return routes

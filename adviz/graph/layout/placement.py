"""Coordinate assignment within layers (Brandes & Koepf, "Fast and Simple Horizontal Coordinate
Assignment", 2001, with the block-graph compaction used by dagre).

Four candidate placements are computed, one per combination of vertical direction (align each
vertex with the median of its upper or its lower neighbours) and horizontal direction (scan each
layer from its first or its last vertex).  Aligned vertices form *blocks* that share one
coordinate, which is what keeps chains and long edges straight; blocks are then packed as tightly
as the minimum separations allow.  The result is, per vertex, the mean of the two middle
candidates.  Every candidate keeps neighbours in a layer at least their separation apart, and
order statistics preserve that, so the balanced result does too.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, MutableMapping, Sequence
from typing import TypeVar

V = TypeVar("V", bound=Hashable)


def _inner_conflicts(layers: list[list[int]], up: list[list[int]], pos: list[int],
                     n_real: int) -> set[tuple[int, int]]:
    """Edges (upper, lower) that cross an inner segment (an edge between two dummies).

    Inner segments are the middle of long edges; giving them priority keeps long edges straight.
    Such a conflicting edge is never used for alignment.
    """
    marked: set[tuple[int, int]] = set()
    for r in range(1, len(layers)):
        prev_len = len(layers[r - 1])
        layer = layers[r]
        last = len(layer) - 1
        k0 = 0
        scan = 0
        for i, v in enumerate(layer):
            inner = v >= n_real and up[v] and up[v][0] >= n_real
            if not inner and i != last:
                continue
            k1 = pos[up[v][0]] if inner else prev_len - 1
            for s in layer[scan:i + 1]:
                for u in up[s]:
                    if (pos[u] < k0 or pos[u] > k1) and not (u >= n_real and s >= n_real):
                        marked.add((u, s))
            scan = i + 1
            k0 = k1
    return marked


def _align(layers: list[list[int]], nbrs: list[list[int]], back: list[list[int]],
           idx: list[int], leaf: list[bool], conflicts: set[tuple[int, int]],
           v_is_lower: bool) -> list[int]:
    """Vertical alignment: each vertex joins the block of a median neighbour (in the layer
    scanned before it, ``nbrs``; ``back`` is the reverse relation) unless that edge is marked or
    crosses an alignment made earlier in the same layer.  Returns the root (block id) of every
    vertex.

    Leaves (real vertices with a single edge: constants, unused results) yield: a leaf doesn't
    take a neighbour that a non-leaf of its layer could align with, and of two medians the
    non-leaf is tried first.  So the data path through an op stays straight and the constants
    feeding it bend instead.
    """
    root = list(range(len(idx)))
    # How many non-leaves every vertex has among its ``back`` neighbours (so a leaf's check is
    # constant time even next to a vertex of huge degree).
    non_leaves = [sum(1 for x in back[w] if not leaf[x]) for w in range(len(idx))]
    for layer in layers:
        r = -1  # index of the rightmost neighbour used so far in this layer
        for v in layer:
            ws = nbrs[v]
            if not ws:
                continue
            if len(ws) > 1:
                ws = sorted(ws, key=idx.__getitem__)
            d = len(ws)
            if d % 2:
                medians = (ws[(d - 1) // 2],)
            else:
                left, right = ws[d // 2 - 1], ws[d // 2]
                medians = (right, left) if leaf[left] and not leaf[right] else (left, right)
            for w in medians:
                if idx[w] <= r:
                    continue
                if ((w, v) if v_is_lower else (v, w)) in conflicts:
                    continue
                if leaf[v] and non_leaves[w]:  # v is a leaf, so not among them
                    continue
                root[v] = root[w]
                r = idx[w]
                break
    return root


def kahn_order(vertices: Iterable[V], successors: Mapping[V, Iterable[V]] | Sequence[Iterable[V]],
               indegree: MutableMapping[V, int] | list[int]) -> list[V]:
    """Kahn's algorithm: each vertex after all its predecessors, ties in the order of ``vertices``.

    ``successors[v]`` iterates v's successors; ``indegree[v]`` counts its predecessors (a list or
    a dict, used up by the sort).
    """
    queue = deque(v for v in vertices if indegree[v] == 0)
    order: list[V] = []
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in successors[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                queue.append(w)
    return order


def _compact(layers: list[list[int]], root: list[int], sep: list[float],
             count: int) -> list[float]:
    """Pack blocks: longest path in the block graph from the left, then push every block right
    towards its right neighbours so it doesn't hug the left border without need."""
    succ: dict[int, dict[int, float]] = {}
    indeg: dict[int, int] = {}
    for layer in layers:
        prev = -1
        for v in layer:
            b = root[v]
            succ.setdefault(b, {})
            indeg.setdefault(b, 0)
            if prev >= 0:
                a = root[prev]
                gap = (sep[prev] + sep[v]) / 2.0
                edges = succ[a]
                if b in edges:
                    edges[b] = max(edges[b], gap)
                else:
                    edges[b] = gap
                    indeg[b] += 1
            prev = v
    order = kahn_order(list(indeg), succ, indeg)
    x: dict[int, float] = dict.fromkeys(order, 0.0)
    for a in order:
        xa = x[a]
        for b, gap in succ[a].items():
            if x[b] < xa + gap:
                x[b] = xa + gap
    for a in reversed(order):
        edges = succ[a]
        if edges:
            limit = min(x[b] - gap for b, gap in edges.items())
            if limit > x[a]:
                x[a] = limit
    return [x[root[v]] for v in range(count)]


def assign_coordinates(layers: list[list[int]], up: list[list[int]], down: list[list[int]],
                       n_real: int, node_sep: float) -> list[float]:
    """Coordinate across the layers for every vertex (index = vertex id).

    Real vertices in a layer end up at least ``node_sep`` apart, a dummy and a real vertex at
    least ``0.75 * node_sep`` and two dummies ``0.5 * node_sep`` (dummies only carry edges).
    """
    count = sum(len(lay) for lay in layers)
    sep = [node_sep if v < n_real else node_sep / 2.0 for v in range(count)]
    pos = [0] * count
    for lay in layers:
        for i, v in enumerate(lay):
            pos[v] = i
    conflicts = _inner_conflicts(layers, up, pos, n_real)
    leaf = [v < n_real and len(up[v]) + len(down[v]) == 1 for v in range(count)]

    candidates: list[list[float]] = []
    for vertical in ("up", "down"):
        vlayers = layers if vertical == "up" else layers[::-1]
        nbrs, back = (up, down) if vertical == "up" else (down, up)
        for horizontal in ("left", "right"):
            if horizontal == "left":
                hlayers, idx = vlayers, pos
            else:
                hlayers = [lay[::-1] for lay in vlayers]
                idx = [0] * count
                for lay in hlayers:
                    for i, v in enumerate(lay):
                        idx[v] = i
            root = _align(hlayers, nbrs, back, idx, leaf, conflicts, vertical == "up")
            xs = _compact(hlayers, root, sep, count)
            if horizontal == "right":
                xs = [-x for x in xs]
            candidates.append(xs)

    # Align the candidates to the narrowest: left-scanned ones by their minimum, the
    # right-scanned ones by their maximum.
    widths = [max(xs) - min(xs) for xs in candidates]
    narrow = candidates[widths.index(min(widths))]
    lo, hi = min(narrow), max(narrow)
    for k, xs in enumerate(candidates):
        shift = lo - min(xs) if k % 2 == 0 else hi - max(xs)
        if shift:
            candidates[k] = [x + shift for x in xs]
    out = []
    for quad in zip(*candidates):
        a, b, c, d = sorted(quad)
        out.append((b + c) / 2.0)
    return out

"""Sugiyama-style layered drawing of a directed graph.

The pipeline works on integer vertex ids (real nodes ``0..n-1`` in insertion order, dummy
vertices after them):

1. cycle removal: edges closing a cycle in a depth-first search are reversed;
2. layering that minimises the total edge length (so the fewest dummy vertices), e.g. a
   constant feeding only the last op sits right before it;
3. edges spanning several layers are split by dummy vertices, one per crossed layer;
4. crossing reduction (:mod:`adviz.graph.ordering`);
5. coordinate assignment (:mod:`adviz.graph.placement`);
6. routes: each edge runs through its dummies; a steep piece between two layers gets two bends
   so it leaves and enters at a shallow angle instead of cutting through a neighbour's box.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Hashable

import networkx as nx

from .ordering import order_layers
from .placement import assign_coordinates

Point = tuple[float, float]
Routes = dict[tuple[Hashable, Hashable], tuple[Point, ...]]


def _break_cycles(n: int, out: list[list[int]]) -> set[tuple[int, int]]:
    """Edges to reverse so the graph becomes acyclic: the back edges of a depth-first search.

    The search starts from the sources (in insertion order) so that, where possible, edges keep
    their direction from inputs towards outputs; leftover nodes (on cycles not reachable from a
    source) start new searches in insertion order.
    """
    indeg = [0] * n
    for ws in out:
        for w in ws:
            indeg[w] += 1
    state = [0] * n  # 0 unvisited, 1 on the DFS stack, 2 finished
    back: set[tuple[int, int]] = set()
    roots = [v for v in range(n) if indeg[v] == 0] + list(range(n))
    for root in roots:
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            v, it = stack[-1]
            for w in it:
                if state[w] == 0:
                    state[w] = 1
                    stack.append((w, iter(out[w])))
                    break
                if state[w] == 1:
                    back.add((v, w))
            else:
                state[v] = 2
                stack.pop()
    return back


def _topological_order(n: int, out: list[list[int]], inn: list[list[int]]) -> list[int]:
    """Kahn's algorithm, stable with respect to insertion order (the DAG is given as lists)."""
    indeg = [len(p) for p in inn]
    queue = deque(v for v in range(n) if indeg[v] == 0)
    order: list[int] = []
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in out[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                queue.append(w)
    return order


def _peel_leaves(n: int, out: list[list[int]],
                 inn: list[list[int]]) -> tuple[list[bool], list[tuple[int, int, int]]]:
    """Repeatedly strip vertices with a single edge (constants, dangling results, whole trees).

    Such a vertex constrains nothing but its one neighbour, so an optimal layering keeps that
    edge at length 1 and it can be left out of the flow problem.  Returns the removed flags and
    the removals ``(vertex, neighbour, +1 if the edge points to the vertex else -1)`` in order.
    """
    degree = [len(out[v]) + len(inn[v]) for v in range(n)]
    removed = [False] * n
    peeled: list[tuple[int, int, int]] = []
    stack = [v for v in range(n) if degree[v] == 1]
    while stack:
        v = stack.pop()
        if removed[v] or degree[v] != 1:
            continue
        removed[v] = True
        for p in out[v]:
            if not removed[p]:
                peeled.append((v, p, -1))
                break
        else:
            p = next(p for p in inn[v] if not removed[p])
            peeled.append((v, p, 1))
        degree[p] -= 1
        if degree[p] == 1:
            stack.append(p)
    return removed, peeled


def assign_layers(n: int, out: list[list[int]], inn: list[list[int]]) -> list[int]:
    """Layer of every vertex of a DAG, minimising the total edge length.

    The layering LP ``min sum_e (L[h] - L[t])`` subject to ``L[h] - L[t] >= 1`` is the dual of
    a min-cost flow: maximise ``sum_e f_e`` with ``f >= 0`` and net inflow ``indeg - outdeg`` at
    every vertex (edge cost -1, solved by networkx's network simplex).  By complementary
    slackness an optimal layering is any one with every edge at least 1 long and every edge that
    carries flow exactly 1 long; the least such layering is found by relaxing these difference
    constraints upwards from the longest-path layering.  Vertices hanging off the rest by a
    single edge are peeled off first and put right next to their neighbour, so, e.g., a constant
    feeding only the last op sits in the layer before it.
    """
    removed, peeled = _peel_leaves(n, out, inn)
    out = [[] if removed[v] else [w for w in out[v] if not removed[w]] for v in range(n)]
    inn = [[] if removed[v] else [w for w in inn[v] if not removed[w]] for v in range(n)]
    order = _topological_order(n, out, inn)
    layer = [0] * n
    for v in order:
        for w in out[v]:
            if layer[w] <= layer[v]:
                layer[w] = layer[v] + 1

    if any(out):
        flow_graph = nx.DiGraph()
        flow_graph.add_nodes_from((v, {"demand": len(inn[v]) - len(out[v])})
                                  for v in range(n) if out[v] or inn[v])
        flow_graph.add_edges_from((v, w, {"weight": -1}) for v in range(n) for w in out[v])
        _, flow = nx.network_simplex(flow_graph)

        # tight[w] lists the tails v of flow-carrying edges v -> w: they need L[v] >= L[w] - 1.
        tight: list[list[int]] = [[] for _ in range(n)]
        for v in range(n):
            if out[v]:
                fv = flow[v]
                for w in out[v]:
                    if fv[w] > 0:
                        tight[w].append(v)
        queue = deque(v for v in range(n) if out[v] or inn[v])
        queued = [bool(out[v] or inn[v]) for v in range(n)]
        while queue:
            x = queue.popleft()
            queued[x] = False
            lx = layer[x]
            for w in out[x]:
                if layer[w] <= lx:
                    layer[w] = lx + 1
                    if not queued[w]:
                        queued[w] = True
                        queue.append(w)
            for v in tight[x]:
                if layer[v] < lx - 1:
                    layer[v] = lx - 1
                    if not queued[v]:
                        queued[v] = True
                        queue.append(v)

    for v, p, step in reversed(peeled):
        layer[v] = layer[p] + step
    low = min(layer)
    return [x - low for x in layer] if low else layer


def layered_layout(graph: nx.DiGraph, direction: str, node_sep: float,
                   layer_sep: float, effort: float = 1.0) -> tuple[dict[Hashable, Point], Routes]:
    """Positions and edge routes of a layered drawing (see the module docstring).

    ``direction`` is ``"LR"`` (layer ``i`` at ``x = i * layer_sep``) or ``"TB"`` (at
    ``y = i * layer_sep``).  Returns ``(positions, routes)``.
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    if n == 0:
        return {}, {}

    # Original edges as index pairs; self-loops are drawn as a degenerate route later.
    out: list[list[int]] = [[] for _ in range(n)]
    for u, v in graph.edges:
        if u != v:
            out[index[u]].append(index[v])
    back = _break_cycles(n, out)

    # The acyclic graph: reversed back edges, duplicates (u->v plus reversed v->u) merged.
    dag_out: list[list[int]] = [[] for _ in range(n)]
    dag_in: list[list[int]] = [[] for _ in range(n)]
    seen: set[tuple[int, int]] = set()
    for v in range(n):
        for w in out[v]:
            a, b = (w, v) if (v, w) in back else (v, w)
            if (a, b) not in seen:
                seen.add((a, b))
                dag_out[a].append(b)
                dag_in[b].append(a)
    layer_of = assign_layers(n, dag_out, dag_in)

    # Split long edges: chain[(a, b)] lists the vertices a, dummies..., b.
    up: list[list[int]] = [[] for _ in range(n)]
    down: list[list[int]] = [[] for _ in range(n)]
    chain: dict[tuple[int, int], list[int]] = {}
    for a in range(n):
        for b in dag_out[a]:
            path = [a]
            prev = a
            for lay in range(layer_of[a] + 1, layer_of[b]):
                d = len(layer_of)
                layer_of.append(lay)
                up.append([prev])
                down.append([])
                down[prev].append(d)
                path.append(d)
                prev = d
            down[prev].append(b)
            up[b].append(prev)
            path.append(b)
            chain[(a, b)] = path

    layers = order_layers(layer_of, up, down, effort)
    cross = assign_coordinates(layers, up, down, n, node_sep)

    low = min(cross)
    cross = [c - low for c in cross]
    along = [lay * layer_sep for lay in layer_of]
    stub, lean = 0.3 * layer_sep, node_sep / 5.0

    def place(a: float, c: float) -> Point:
        return (a, c) if direction == "LR" else (c, a)

    def route(path: list[int]) -> tuple[Point, ...]:
        # Between adjacent layers a piece is straight unless it would move more than `lean`
        # across within `stub` of either end.  A steeper piece moves just `lean` over the first
        # and last `stub` and makes its way across in between, clear of the boxes of the nodes
        # in both layers (boxes up to 2 * stub along the layers and node_sep / 2 across).  At
        # `stub` from a layer every edge is still in that layer's order (two vertices are at
        # least node_sep / 2 apart and lean is less than half that), so the bends add no
        # crossings.
        pts = [place(along[path[0]], cross[path[0]])]
        for s, t in zip(path, path[1:]):
            a0, c0, a1, c1 = along[s], cross[s], along[t], cross[t]
            shift = (c1 - c0) * stub / (a1 - a0)
            if abs(shift) > lean:
                d = lean if shift > 0 else -lean
                pts.append(place(a0 + stub, c0 + d))
                pts.append(place(a1 - stub, c1 - d))
            pts.append(place(a1, c1))
        return tuple(pts)

    positions = {nodes[i]: place(along[i], cross[i]) for i in range(n)}
    routes: Routes = {}
    for u, v in graph.edges:
        iu, iv = index[u], index[v]
        if iu == iv:
            routes[(u, v)] = (positions[u], positions[u])
        elif (iu, iv) in back:
            routes[(u, v)] = route(chain[(iv, iu)])[::-1]
        else:
            routes[(u, v)] = route(chain[(iu, iv)])
    return positions, routes

"""Sugiyama-style layered drawing of a directed graph.

The pipeline works on integer vertex ids (real nodes ``0..n-1`` in insertion order, dummy
vertices after them):

1. cycle removal: edges closing a cycle in a depth-first search are reversed;
2. layering that minimises the total edge length (so the fewest dummy vertices), e.g. a
   constant feeding only the last op sits right before it;
3. edges spanning several layers are split by dummy vertices, one per crossed layer.  When
   these would exceed a budget of a few per node (a value feeding every step of a loop needs
   quadratically many), the long edges leaving or entering one vertex share one chain of
   dummies, and if that is not enough the longest edges get none and run on lanes outside the
   drawing (:mod:`adviz.graph.layout.longedges`);
4. crossing reduction (:mod:`adviz.graph.layout.ordering`);
5. coordinate assignment (:mod:`adviz.graph.layout.placement`);
6. routes: each edge runs through its dummies; a steep piece between two layers gets two bends
   so it leaves and enters at a shallow angle instead of cutting through a neighbour's box.
   Edges sharing a chain share its route up to where they leave it, without the points where
   it runs straight on.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Hashable

import networkx as nx

from .longedges import dummy_budget, lane_routes, plan_long_edges
from .ordering import order_layers
from .placement import assign_coordinates, kahn_order

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
    return kahn_order(range(n), out, [len(p) for p in inn])


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


# Flow problems with at least this many edges go to HiGHS (scipy's linprog), which solves big
# ones several times faster than networkx's network simplex (4,800 edges: 0.2 s instead of
# 1.7 s), at the price of importing scipy.optimize once (0.3 s).  Small ones stay with
# networkx, which is quicker there.  Both give the same layerings on every computation graph
# tried.
_LP_EDGES = 2000


def _flow_edges(n: int, out: list[list[int]], inn: list[list[int]],
                lp: bool) -> list[list[int]]:
    """An optimal flow of the layering dual (see :func:`assign_layers`), as ``tight[w]``: the
    tails ``v`` of the edges ``v -> w`` that carry flow.  ``lp`` allows HiGHS."""
    tight: list[list[int]] = [[] for _ in range(n)]
    count = sum(len(ws) for ws in out)
    if lp and count >= _LP_EDGES:
        flows = _lp_flows(n, out, count)
        if flows is not None:
            k = 0
            for v in range(n):
                for w in out[v]:
                    if flows[k] > 0.5:
                        tight[w].append(v)
                    k += 1
            return tight
    flow_graph = nx.DiGraph()
    flow_graph.add_nodes_from((v, {"demand": len(inn[v]) - len(out[v])})
                              for v in range(n) if out[v] or inn[v])
    flow_graph.add_edges_from((v, w, {"weight": -1}) for v in range(n) for w in out[v])
    _, flow = nx.network_simplex(flow_graph)
    for v in range(n):
        if out[v]:
            fv = flow[v]
            for w in out[v]:
                if fv[w] > 0:
                    tight[w].append(v)
    return tight


def _lp_flows(n: int, out: list[list[int]], count: int) -> list[float] | None:
    """Edge flows (in the order of ``out``) from the layering LP ``min sum (L[w] - L[v])``,
    ``L[w] - L[v] >= 1``, solved by HiGHS's dual simplex: they are the duals of the
    edge constraints, integral at a basic solution.  None if the solver fails."""
    try:
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import csr_matrix
    except ImportError:  # pragma: no cover - scipy is a dependency
        return None
    tails = np.fromiter((v for v in range(n) for _ in out[v]), dtype=np.int64, count=count)
    heads = np.fromiter((w for v in range(n) for w in out[v]), dtype=np.int64, count=count)
    rows = np.arange(count)
    # L[v] - L[w] <= -1 for every edge v -> w.
    matrix = csr_matrix((np.r_[np.ones(count), -np.ones(count)],
                         (np.r_[rows, rows], np.r_[tails, heads])), shape=(count, n))
    cost = np.bincount(heads, minlength=n) - np.bincount(tails, minlength=n)
    # The layers are free (the objective doesn't change when a component shifts), so the duals
    # conserve flow exactly at every vertex.
    res = linprog(cost.astype(float), A_ub=matrix, b_ub=-np.ones(count), bounds=(None, None),
                  method="highs-ds")
    if res.status != 0 or res.ineqlin is None:
        return None
    return (-res.ineqlin.marginals).tolist()


def _relax(n: int, out: list[list[int]], inn: list[list[int]], layer: list[int],
           tight: list[list[int]]) -> list[int] | None:
    """The least layering above ``layer`` with every edge at least 1 long and every edge
    ``v -> w`` with ``v`` in ``tight[w]`` exactly 1 long; None if there is none (then some
    layer would grow past ``3 n``: a consistent system needs at most the longest path plus
    ``n``)."""
    limit = 3 * n + 1
    queue = deque(v for v in range(n) if out[v] or inn[v])
    queued = [bool(out[v] or inn[v]) for v in range(n)]
    while queue:
        x = queue.popleft()
        queued[x] = False
        lx = layer[x]
        if lx > limit:
            return None
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
    return layer


def assign_layers(n: int, out: list[list[int]], inn: list[list[int]]) -> list[int]:
    """Layer of every vertex of a DAG, minimising the total edge length.

    The layering LP ``min sum_e (L[h] - L[t])`` subject to ``L[h] - L[t] >= 1`` is the dual of
    a min-cost flow: maximise ``sum_e f_e`` with ``f >= 0`` and net inflow ``indeg - outdeg`` at
    every vertex (edge cost -1, solved by networkx's network simplex, or HiGHS when big).  By complementary
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
        relaxed = _relax(n, out, inn, list(layer), _flow_edges(n, out, inn, lp=True))
        if relaxed is None:  # the LP's duals were off (never seen): use networkx's flow
            relaxed = _relax(n, out, inn, list(layer), _flow_edges(n, out, inn, lp=False))
        layer = relaxed

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

    # Split long edges: chain[(a, b)] lists the vertices a, dummies..., b.  The edges of a
    # bundle share one chain, its spine (fan-out: hub, dummies...; fan-in: dummies..., hub), and
    # attach[(a, b)] = (bundle, index in the spine where the edge leaves or joins it); lane edges
    # get no dummies (see :mod:`adviz.graph.layout.longedges`).
    plan = plan_long_edges(n, dag_out, layer_of, dummy_budget(n))
    bundle_of: dict[tuple[int, int], int] = {}
    for k, (hub, fan_out, members) in enumerate(plan.bundles):
        for m in members:
            bundle_of[(hub, m) if fan_out else (m, hub)] = k
    spines: dict[int, list[int]] = {}
    up: list[list[int]] = [[] for _ in range(n)]
    down: list[list[int]] = [[] for _ in range(n)]

    def dummy(lay: int, prev: int) -> int:
        d = len(layer_of)
        layer_of.append(lay)
        up.append([])
        down.append([])
        if prev >= 0:
            up[d].append(prev)
            down[prev].append(d)
        return d

    def make_spine(k: int) -> list[int]:
        hub, fan_out, members = plan.bundles[k]
        if fan_out:
            spine = [hub]
            for lay in range(layer_of[hub] + 1, max(layer_of[m] for m in members)):
                spine.append(dummy(lay, spine[-1]))
            return spine
        spine = []
        for lay in range(min(layer_of[m] for m in members) + 1, layer_of[hub]):
            spine.append(dummy(lay, spine[-1] if spine else -1))
        down[spine[-1]].append(hub)
        up[hub].append(spine[-1])
        return spine + [hub]

    chain: dict[tuple[int, int], list[int]] = {}
    attach: dict[tuple[int, int], tuple[int, int]] = {}
    for a in range(n):
        for b in dag_out[a]:
            if (a, b) in plan.lanes:
                continue
            k = bundle_of.get((a, b), -1)
            if k >= 0:
                if k not in spines:
                    spines[k] = make_spine(k)
                spine = spines[k]
                if plan.bundles[k][1]:
                    j = layer_of[b] - 1 - layer_of[a]
                    down[spine[j]].append(b)
                    up[b].append(spine[j])
                else:
                    j = layer_of[a] + 1 - layer_of[spine[0]]
                    down[a].append(spine[j])
                    up[spine[j]].append(a)
                attach[(a, b)] = (k, j)
                continue
            path = [a]
            prev = a
            for lay in range(layer_of[a] + 1, layer_of[b]):
                prev = dummy(lay, prev)
                path.append(prev)
            down[prev].append(b)
            up[b].append(prev)
            path.append(b)
            chain[(a, b)] = path

    layers = order_layers(layer_of, up, down, effort)
    cross = assign_coordinates(layers, up, down, n, node_sep)

    # Lane edges run outside the drawing (on either side); the drawing, lanes included, starts
    # at 0 across the layers.
    lanes = lane_routes(plan.lanes, layer_of, cross, layer_sep, node_sep)
    low = min(cross)
    for pts in lanes.values():
        low = min(low, min(c for _, c in pts))
    cross = [c - low for c in cross]
    along = [lay * layer_sep for lay in layer_of]
    stub, lean = 0.3 * layer_sep, node_sep / 5.0

    def place(a: float, c: float) -> Point:
        return (a, c) if direction == "LR" else (c, a)

    def pieces(path: list[int]) -> tuple[list[Point], list[int]]:
        # Between adjacent layers a piece is straight unless it would move more than `lean`
        # across within `stub` of either end.  A steeper piece moves just `lean` over the first
        # and last `stub` and makes its way across in between, clear of the boxes of the nodes
        # in both layers (boxes up to 2 * stub along the layers and node_sep / 2 across).  At
        # `stub` from a layer every edge is still in that layer's order (two vertices are at
        # least node_sep / 2 apart and lean is less than half that), so the bends add no
        # crossings.  Returns the (along, across) points and the index of every vertex's point.
        pts = [(along[path[0]], cross[path[0]])]
        at = [0]
        for s, t in zip(path, path[1:]):
            a0, c0, a1, c1 = along[s], cross[s], along[t], cross[t]
            shift = (c1 - c0) * stub / (a1 - a0)
            if abs(shift) > lean:
                d = lean if shift > 0 else -lean
                pts.append((a0 + stub, c0 + d))
                pts.append((a1 - stub, c1 - d))
            at.append(len(pts))
            pts.append((a1, c1))
        return pts, at

    def route(path: list[int]) -> tuple[Point, ...]:
        return tuple(place(a, c) for a, c in pieces(path)[0])

    # A bundle's spine is drawn once; the points where it runs straight on are dropped (else a
    # fan-out to every layer would make routes quadratic in size), and every member's route is
    # the spine up to where the member leaves it (or from where it joins) plus its own piece.
    spine_pts: dict[int, tuple[list[Point], list[int], list[int]]] = {}
    for k, spine in spines.items():
        pts, at = pieces(spine)
        kept = [0]
        for i in range(1, len(pts) - 1):
            (a0, c0), (a1, c1), (a2, c2) = pts[kept[-1]], pts[i], pts[i + 1]
            if abs((a1 - a0) * (c2 - c0) - (c1 - c0) * (a2 - a0)) > 1e-9 * (a2 - a0) ** 2:
                kept.append(i)
        kept.append(len(pts) - 1)
        spine_pts[k] = (pts, at, kept)

    def bundled(a: int, b: int) -> tuple[Point, ...]:
        k, j = attach[(a, b)]
        pts, at, kept = spine_pts[k]
        i = at[j]
        if plan.bundles[k][1]:
            own = pieces([spines[k][j], b])[0]
            seq = [pts[x] for x in kept[:bisect_left(kept, i)]] + own
        else:
            own = pieces([a, spines[k][j]])[0]
            seq = own + [pts[x] for x in kept[bisect_right(kept, i):]]
        return tuple(place(p, c) for p, c in seq)

    positions = {nodes[i]: place(along[i], cross[i]) for i in range(n)}
    routes: Routes = {}
    for u, v in graph.edges:
        iu, iv = index[u], index[v]
        if iu == iv:
            routes[(u, v)] = (positions[u], positions[u])
            continue
        key = (iv, iu) if (iu, iv) in back else (iu, iv)
        if key in lanes:
            pts = tuple(place(a, c - low) for a, c in lanes[key])
        elif key in attach:
            pts = bundled(*key)
        else:
            pts = route(chain[key])
        routes[(u, v)] = pts[::-1] if key[0] == iv else pts
    return positions, routes

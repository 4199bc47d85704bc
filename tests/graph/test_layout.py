"""Tests for the pure graph layouts in :mod:`adviz.graph.layout`."""
from __future__ import annotations

import itertools
import math
import random
import time

import networkx as nx
import pytest

from adviz.graph.layout import METHODS, Layout, count_crossings, layout

NETWORKX_METHODS = [m for m in METHODS if m != "layered"]
BOX = 20.0  # half the side of the 40 x 40 box assumed around every node


def computation_graph(n: int, seed: int) -> nx.DiGraph:
    """Seeded DAG shaped like a recorded computation: ops with fan-in 1-2 over recent results,
    fresh constants and occasional skip connections."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    g.add_nodes_from(["x", "w", "b"])
    count = 0
    while len(g) < n:
        operands = []
        for _ in range(1 if rng.random() < 0.4 else 2):
            roll = rng.random()
            nodes = list(g.nodes)
            if roll < 0.2:
                operands.append(f"c{count}")
                count += 1
            elif roll < 0.35:
                operands.append(rng.choice(nodes))
            else:
                operands.append(rng.choice(nodes[-5:]))
        op = f"op{count}"
        count += 1
        for src in dict.fromkeys(operands):
            g.add_edge(src, op)
    return g


def straight(points: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> Layout:
    """A hand-made layout with straight edges."""
    routes = {(u, v): (points[u], points[v]) for u, v in edges}
    return Layout(positions=points, routes=routes, method="manual", direction="LR")


def segment_hits_box(p, q, centre, half_x, half_y) -> bool:
    """Whether segment pq enters the open box ``centre +- (half_x, half_y)`` (Liang-Barsky)."""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for pp, qq in ((-dx, x0 - (centre[0] - half_x)), (dx, centre[0] + half_x - x0),
                   (-dy, y0 - (centre[1] - half_y)), (dy, centre[1] + half_y - y0)):
        if pp == 0:
            if qq <= 0:
                return False
        else:
            t = qq / pp
            if pp < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    return t1 - t0 > 1e-9


def layers_of(lay: Layout, axis: int) -> dict[float, list[float]]:
    """Node coordinates across the layers, grouped by the coordinate along ``axis``."""
    groups: dict[float, list[float]] = {}
    for pos in lay.positions.values():
        groups.setdefault(round(pos[axis], 6), []).append(pos[1 - axis])
    return groups


# --- layered ---------------------------------------------------------------------------------

@pytest.mark.parametrize("direction, axis", [("LR", 0), ("TB", 1)])
def test_layered_edges_flow_along_direction(direction, axis):
    g = computation_graph(80, seed=1)
    lay = layout(g, "layered", direction)
    assert set(lay.positions) == set(g.nodes)
    assert set(lay.routes) == set(g.edges)
    for u, v in g.edges:
        assert lay.positions[u][axis] < lay.positions[v][axis]
        route = lay.routes[(u, v)]
        assert route[0] == lay.positions[u] and route[-1] == lay.positions[v]
        # Every polyline advances monotonically along the layer axis.
        assert all(a[axis] < b[axis] for a, b in zip(route, route[1:]))


@pytest.mark.parametrize("direction, axis", [("LR", 0), ("TB", 1)])
def test_layered_layer_spacing(direction, axis):
    g = computation_graph(120, seed=2)
    lay = layout(g, "layered", direction, node_sep=70.0, layer_sep=150.0)
    for along, across in layers_of(lay, axis).items():
        assert along / 150.0 == pytest.approx(round(along / 150.0))
        across.sort()
        assert all(b - a >= 70.0 - 1e-6 for a, b in zip(across, across[1:]))
    xs = [p[0] for p in lay.positions.values()]
    ys = [p[1] for p in lay.positions.values()]
    assert min(xs) == pytest.approx(0.0) and min(ys) == pytest.approx(0.0)


@pytest.mark.parametrize("direction, axis", [("LR", 0), ("TB", 1)])
def test_skip_edge_routed_through_layers_and_around_boxes(direction, axis):
    g = computation_graph(150, seed=2)
    nx.add_path(g, [list(g.nodes)[-1], "t1", "t2", "t3", "op_last"])
    g.add_edges_from([("x", "op_last"), ("w", "t2")])
    lay = layout(g, "layered", direction)
    layer_at = sorted({p[axis] for p in lay.positions.values()})
    start, stop = lay.positions["x"][axis], lay.positions["op_last"][axis]
    assert stop - start >= 2 * 180.0
    along_route = {p[axis] for p in lay.routes[("x", "op_last")]}
    assert {a for a in layer_at if start <= a <= stop} <= along_route
    # A 40 x 40 box, and a box as long as half the layer gap and half node_sep across.
    wide = (50.0, 22.0) if axis == 0 else (22.0, 50.0)
    for (u, v), route in lay.routes.items():
        for p, q in zip(route, route[1:]):
            for w, centre in lay.positions.items():
                if w in (u, v):
                    continue
                assert not segment_hits_box(p, q, centre, BOX, BOX), (u, v, w)
                assert not segment_hits_box(p, q, centre, *wide), (u, v, w)


def test_chain_is_straight():
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    lay = layout(g)
    assert len({lay.positions[v][1] for v in "abcd"}) == 1
    assert [lay.positions[v][0] for v in "abcd"] == [0.0, 180.0, 360.0, 540.0]
    g.add_edges_from([("k", "c"), ("d", "e"), ("k2", "e")])
    lay = layout(g)
    assert len({lay.positions[v][1] for v in "abcd"}) == 1


def test_constant_sits_right_before_its_only_consumer():
    g = nx.DiGraph([("x", "h1"), ("h1", "h2"), ("h2", "h3"), ("h3", "out"), ("k", "out")])
    lay = layout(g)
    assert lay.positions["x"][0] == 0.0
    assert lay.positions["k"][0] == lay.positions["out"][0] - 180.0
    assert count_crossings(lay) == 0


def test_crossing_free_graphs_drawn_without_crossings():
    tree = nx.bfs_tree(nx.balanced_tree(3, 3), 0)
    chains = nx.DiGraph([("a1", "a2"), ("a2", "a3"), ("b1", "b2"), ("b2", "b3")])
    # Inserted so that the first-come order of the layers, [a, b] over [c, d], would cross.
    bait = nx.DiGraph()
    bait.add_nodes_from("abcd")
    bait.add_edges_from([("a", "d"), ("b", "c")])
    ladder = nx.DiGraph()
    for i in range(5):
        ladder.add_edges_from([(f"s{i}", f"m{4 - i}"), (f"m{i}", f"t{4 - i}")])
    reduce_tree = nx.bfs_tree(nx.balanced_tree(2, 5), 0).reverse()
    for g in (tree, chains, bait, ladder, reduce_tree):
        assert count_crossings(layout(g)) == 0
        assert count_crossings(layout(g, direction="TB")) == 0


def test_layered_beats_naive_layering():
    g = computation_graph(300, seed=4)
    ours = count_crossings(layout(g))
    layers = dict(enumerate(nx.topological_generations(g)))
    naive = nx.multipartite_layout(g, subset_key=layers)
    pts = {v: (float(x), float(y)) for v, (x, y) in naive.items()}
    assert ours * 5 < count_crossings(straight(pts, list(g.edges)))


def test_cycles_are_broken():
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d"), ("d", "c")])
    lay = layout(g)
    assert set(lay.positions) == set("abcd")
    assert lay.positions["a"][0] < lay.positions["b"][0] < lay.positions["c"][0]
    for (u, v), route in lay.routes.items():
        assert route[0] == lay.positions[u] and route[-1] == lay.positions[v]
    assert lay == layout(g)


def test_layered_is_deterministic():
    g = computation_graph(150, seed=5)
    assert layout(g) == layout(g)
    assert layout(g) == layout(g.copy())


def test_trivial_graphs():
    for method in METHODS:
        assert layout(nx.DiGraph(), method) == Layout({}, {}, method, "LR")
        one = nx.DiGraph()
        one.add_node(("tuple", 1))
        lay = layout(one, method)
        assert lay.positions == {("tuple", 1): (0.0, 0.0)} and lay.routes == {}


# --- graphs with edges to every layer -------------------------------------------------------

FAN_OUT_SCRIPT = """import adviz as tf
x = tf.Variable(1.0)
with tf.GradientTape() as g:
    y = x
    for i in range({n}):
        y = y * 1.0001 + x
d = g.gradient(y, x)
"""


def fan_out_graph(n: int) -> nx.DiGraph:
    """The graph the app draws for a loop in which ``x`` feeds every step: without a bound on
    dummy vertices its edges alone would need ``n * n`` of them."""
    from adviz.graph import graph_for_call
    from adviz.lang import run_script

    trace = run_script(FAN_OUT_SCRIPT.format(n=n))
    assert trace.error is None
    return graph_for_call(trace, 0).to_networkx()


def app_layout(g: nx.DiGraph, direction: str) -> Layout:
    """``layout`` as the app calls it."""
    from adviz.model import SPACING, layout_effort

    node_sep, layer_sep = SPACING[direction]
    return layout(g, "layered", direction, node_sep=node_sep, layer_sep=layer_sep,
                  effort=layout_effort(len(g)))


def assert_valid_layered(g: nx.DiGraph, lay: Layout, axis: int) -> None:
    """Every node placed, every edge routed from its tail to its head, flowing along ``axis``."""
    assert set(lay.positions) == set(g.nodes)
    assert set(lay.routes) == set(g.edges)
    for u, v in g.edges:
        route = lay.routes[(u, v)]
        assert route[0] == lay.positions[u] and route[-1] == lay.positions[v]
        assert lay.positions[u][axis] < lay.positions[v][axis]
        assert all(a[axis] < b[axis] for a, b in zip(route, route[1:]))


def assert_routes_avoid_boxes(lay: Layout, axis: int) -> None:
    wide = (50.0, 22.0) if axis == 0 else (22.0, 50.0)
    for (u, v), route in lay.routes.items():
        for p, q in zip(route, route[1:]):
            for w, centre in lay.positions.items():
                if w not in (u, v):
                    assert not segment_hits_box(p, q, centre, BOX, BOX), (u, v, w)
                    assert not segment_hits_box(p, q, centre, *wide), (u, v, w)


@pytest.mark.parametrize("direction, axis", [("LR", 0), ("TB", 1)])
def test_fan_out_to_every_layer_is_fast(direction, axis):
    g = fan_out_graph(300)
    assert len(g) == 901
    start = time.perf_counter()
    lay = app_layout(g, direction)
    assert time.perf_counter() - start < 3.0  # took 7 s with a dummy per crossed layer
    assert_valid_layered(g, lay, axis)
    # The fan-out is drawn as one bundle along the chain: nothing crosses.
    assert count_crossings(lay) == 0
    assert lay == app_layout(g.copy(), direction)


def test_huge_fan_out_completes():
    g = fan_out_graph(1500)
    start = time.perf_counter()
    lay = app_layout(g, "LR")
    assert time.perf_counter() - start < 10.0  # 1.1 million dummies before: didn't finish
    assert_valid_layered(g, lay, 0)
    # Routes of bundled edges drop the points where the bundle runs straight on.
    assert sum(len(route) for route in lay.routes.values()) < 20 * g.number_of_edges()


@pytest.mark.parametrize("direction, axis", [("LR", 0), ("TB", 1)])
def test_bundled_and_lane_routes_avoid_boxes(direction, axis):
    fan_out = fan_out_graph(40)  # bundled
    # Long skips with distinct ends can't share dummies: the longest run on outer lanes.
    rng = random.Random(3)
    skips = nx.DiGraph()
    nx.add_path(skips, range(60))
    skips.add_edges_from((i, i + rng.randint(5, 40)) for i in range(0, 55))
    skips.remove_nodes_from([v for v in list(skips) if v >= 60])
    # Many early values summed at the end: a fan-in bundle.
    fan_in = nx.DiGraph()
    nx.add_path(fan_in, range(60))
    fan_in.add_edges_from((i, "sum") for i in range(0, 60, 2))
    for g in (fan_out, skips, fan_in):
        lay = layout(g, "layered", direction)
        assert_valid_layered(g, lay, axis)
        assert_routes_avoid_boxes(lay, axis)
        assert lay == layout(g.copy(), "layered", direction)
    # Lane edges leave the drawing: some route runs beyond every node across the layers.
    lay = layout(skips, "layered", direction)
    across = [p[1 - axis] for p in lay.positions.values()]
    assert any(min(p[1 - axis] for p in route) < min(across) or
               max(p[1 - axis] for p in route) > max(across) for route in lay.routes.values())
    # ... and the drawing, lanes included, starts at 0.
    points = [p for route in lay.routes.values() for p in route]
    assert min(p[1 - axis] for p in points) == pytest.approx(0.0)


def test_long_back_edges_of_a_big_cycle():
    g = nx.DiGraph()
    nx.add_path(g, range(200))
    g.add_edges_from((i, 0) for i in range(5, 200, 2))  # all reversed into a fan-out of 0
    lay = layout(g)
    assert set(lay.routes) == set(g.edges)
    for (u, v), route in lay.routes.items():
        assert route[0] == lay.positions[u] and route[-1] == lay.positions[v]
    assert lay == layout(g)


def test_dense_graph_ordering_is_bounded():
    # The ordering's work is bounded by its budget of vertex visits, not by the number of
    # crossings a dense graph has: it finishes (its speed is measured in benchmarks/layout.py;
    # the wall-clock bound here only catches a runaway search, whatever the machine's load).
    g = nx.gnp_random_graph(300, 0.05, seed=1, directed=True)
    dag = nx.DiGraph([(u, v) for u, v in g.edges if u < v])
    start = time.perf_counter()
    for graph in (g, dag):
        lay = layout(graph)
        assert set(lay.routes) == set(graph.edges)
    assert time.perf_counter() - start < 120.0


# --- count_crossings -------------------------------------------------------------------------

def test_count_crossings_hand_made():
    pts = {"a": (0.0, 0.0), "b": (0.0, 10.0), "c": (10.0, 0.0), "d": (10.0, 10.0),
           "e": (5.0, 5.0)}
    assert count_crossings(straight(pts, [("a", "d"), ("b", "c")])) == 1  # an X
    assert count_crossings(straight(pts, [("a", "c"), ("b", "d")])) == 0  # parallel
    assert count_crossings(straight(pts, [("a", "d"), ("a", "c")])) == 0  # shared endpoint
    assert count_crossings(straight(pts, [("a", "d"), ("b", "e")])) == 0  # touching only
    # A polyline crossing a straight edge twice, and pieces of one edge never count.
    zigzag = Layout(pts, {("a", "c"): ((0.0, 0.0), (10.0, 0.0)),
                          ("b", "d"): ((0.0, 10.0), (3.0, -5.0), (6.0, 5.0), (10.0, 10.0)),
                          ("e", "e"): ((5.0, 5.0), (5.0, 5.0))}, "manual", "LR")
    assert count_crossings(zigzag) == 2


def test_count_crossings_matches_brute_force():
    rng = random.Random(7)
    pts = {i: (float(rng.randint(0, 6)), float(rng.randint(0, 6))) for i in range(30)}
    edges = list({(rng.randrange(30), rng.randrange(30)) for _ in range(60)})
    lay = straight(pts, edges)

    def orient(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    expected = 0
    for (a, b), (c, d) in itertools.combinations(lay.routes.values(), 2):
        if orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0:
            expected += 1
    assert count_crossings(lay) == expected


# --- networkx methods ------------------------------------------------------------------------

@pytest.mark.parametrize("method", NETWORKX_METHODS)
def test_networkx_methods(method):
    g = nx.bfs_tree(nx.balanced_tree(2, 4), 0) if method == "planar" else computation_graph(40, 6)
    lay = layout(g, method, seed=3)
    assert set(lay.positions) == set(g.nodes)
    coords = list(lay.positions.values())
    assert len(set(coords)) == len(coords)
    assert min(x for x, _ in coords) == pytest.approx(0.0)
    assert min(y for _, y in coords) == pytest.approx(0.0)
    nearest = [min(math.dist(p, q) for q in coords if q is not p) for p in coords]
    assert sorted(nearest)[len(nearest) // 2] >= 30.0  # not piled up at node_sep = 90
    for (u, v), route in lay.routes.items():
        assert route == (lay.positions[u], lay.positions[v])
    assert lay == layout(g, method, seed=3)


def test_spring_depends_on_seed():
    g = computation_graph(30, seed=8)
    assert layout(g, "spring", seed=1) != layout(g, "spring", seed=2)


def test_small_and_disconnected_graphs_for_networkx_methods():
    pair = nx.DiGraph([("a", "b")])
    split = nx.DiGraph([("a", "b"), ("c", "d"), ("e", "f")])
    for method in NETWORKX_METHODS:
        for g in (pair, split):
            coords = list(layout(g, method).positions.values())
            assert len(set(coords)) == len(coords), method


def test_planar_rejects_k5():
    with pytest.raises(ValueError, match="not planar"):
        layout(nx.complete_graph(5, create_using=nx.DiGraph), "planar")


def test_unknown_method_and_direction():
    g = nx.DiGraph([("a", "b")])
    with pytest.raises(ValueError, match="method"):
        layout(g, "sugiyama")
    with pytest.raises(ValueError, match="direction"):
        layout(g, "layered", "RL")

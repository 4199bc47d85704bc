"""Benchmark the layered layout against Graphviz ``dot`` and networkx's multipartite layout.

Run ``python benchmarks/layout.py`` (``--sizes 50 200`` to pick sizes).  For every size it draws
the same seeded computation-like DAG three ways and prints time and edge crossings, the latter
counted by :func:`adviz.graph.layout.count_crossings` on the drawn polylines of each method:

* ``adviz``: :func:`adviz.graph.layout.layout` with the ``"layered"`` method;
* ``dot``: Graphviz ``dot -Tplain`` run as a subprocess (install: ``apt-get install graphviz``),
  its edge splines sampled into polylines; skipped when ``dot`` is not on PATH;
* ``multipartite``: ``networkx.multipartite_layout`` with the topological generations as layers
  and straight edges.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adviz.graph.layout import Layout, count_crossings, layout  # noqa: E402

DOT_TIMEOUT = 120.0


def computation_dag(n: int, seed: int = 0) -> nx.DiGraph:
    """A random DAG shaped like a recorded computation, with ``n`` nodes.

    The first three nodes are inputs.  Every later node is an op with fan-in 1 (40 %) or 2; each
    operand is a fresh constant created just for it (20 %), a skip edge from up to 60 nodes back
    (15 %), or one of the 5 most recent nodes.
    """
    rng = random.Random(seed)
    g = nx.DiGraph()
    count = 0

    def new_node() -> str:
        nonlocal count
        name = f"n{count}"
        count += 1
        g.add_node(name)
        return name

    for _ in range(min(3, n)):
        new_node()
    while count < n:
        arity = 1 if rng.random() < 0.4 else 2
        operands: list[str] = []
        for _ in range(arity):
            roll = rng.random()
            if roll < 0.2 and count < n - 1:
                operands.append(new_node())
            else:
                back = rng.randint(1, 60) if roll < 0.35 else rng.randint(1, 5)
                operands.append(f"n{max(0, count - back)}")
        if count >= n:
            break
        op = new_node()
        for src in dict.fromkeys(operands):
            g.add_edge(src, op)
    return g


def _bezier_points(ctrl: list[tuple[float, float]], steps: int = 8) -> list[tuple[float, float]]:
    """Sample a piecewise cubic Bezier (3k + 1 control points, as Graphviz writes them) into a
    polyline."""
    pts = [ctrl[0]]
    for k in range(0, len(ctrl) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ctrl[k:k + 4]
        for s in range(1, steps + 1):
            t = s / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            pts.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return pts


def dot_layout(g: nx.DiGraph, timeout: float = DOT_TIMEOUT) -> tuple[Layout | None, float]:
    """Lay ``g`` out with Graphviz dot; returns (layout or None on timeout, seconds).

    Only the subprocess is timed.  Each edge's route is its tail's centre, the sampled spline,
    then its head's centre, matching what :class:`Layout` routes hold.
    """
    names = {v: f"n{i}" for i, v in enumerate(g.nodes)}
    back = {name: v for v, name in names.items()}
    lines = ["digraph G {", "  rankdir=LR;",
             '  node [shape=box, width=0.5, height=0.3, fixedsize=true, label=""];']
    lines += [f"  {names[v]};" for v in g.nodes]
    lines += [f"  {names[u]} -> {names[v]};" for u, v in g.edges]
    lines.append("}")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "graph.dot")
        Path(src).write_text("\n".join(lines))
        start = time.perf_counter()
        try:
            res = subprocess.run(["dot", "-Tplain", src], capture_output=True, text=True,
                                 timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            return None, time.perf_counter() - start
        seconds = time.perf_counter() - start
    positions: dict = {}
    routes: dict = {}
    for line in res.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            positions[back[parts[1]]] = (float(parts[2]) * 72.0, float(parts[3]) * 72.0)
    for line in res.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "edge":
            u, v, k = back[parts[1]], back[parts[2]], int(parts[3])
            ctrl = [(float(parts[4 + 2 * i]) * 72.0, float(parts[5 + 2 * i]) * 72.0)
                    for i in range(k)]
            routes[(u, v)] = tuple([positions[u], *_bezier_points(ctrl), positions[v]])
    return Layout(positions, routes, "dot", "LR"), seconds


def multipartite(g: nx.DiGraph) -> tuple[Layout, float]:
    """networkx multipartite layout, one layer per topological generation, straight edges."""
    start = time.perf_counter()
    layers = dict(enumerate(nx.topological_generations(g)))
    raw = nx.multipartite_layout(g, subset_key=layers)
    positions = {v: (float(x), float(y)) for v, (x, y) in raw.items()}
    routes = {(u, v): (positions[u], positions[v]) for u, v in g.edges}
    seconds = time.perf_counter() - start
    return Layout(positions, routes, "multipartite", "LR"), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 200, 1000, 5000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    have_dot = shutil.which("dot") is not None
    if not have_dot:
        print("Graphviz 'dot' not found on PATH; skipping it (install: apt-get install graphviz)")

    print(f"{'n':>6} {'edges':>6}  {'method':<13}{'seconds':>9} {'crossings':>10}"
          f" {'time/dot':>9} {'cross/dot':>10}")
    for n in args.sizes:
        g = computation_dag(n, args.seed)
        rows: list[tuple[str, float | None, int | None]] = []
        start = time.perf_counter()
        ours = layout(g, "layered", "LR")
        rows.append(("adviz", time.perf_counter() - start, count_crossings(ours)))
        dot_row: tuple[float | None, int | None] = (None, None)
        if have_dot:
            drawn, seconds = dot_layout(g)
            dot_row = (seconds, count_crossings(drawn)) if drawn else (None, None)
            rows.append(("dot" if drawn else "dot (timeout)", seconds if drawn else None,
                         dot_row[1]))
        mp, seconds = multipartite(g)
        rows.append(("multipartite", seconds, count_crossings(mp)))
        for name, seconds, crossings in rows:
            t_ratio = (f"{seconds / dot_row[0]:9.2f}" if seconds is not None and dot_row[0]
                       else f"{'-':>9}")
            c_ratio = (f"{crossings / dot_row[1]:10.2f}" if crossings is not None and dot_row[1]
                       else f"{'-':>10}")
            sec = f"{seconds:9.3f}" if seconds is not None else f"{'timeout':>9}"
            cr = f"{crossings:10d}" if crossings is not None else f"{'-':>10}"
            print(f"{n:>6} {g.number_of_edges():>6}  {name:<13}{sec} {cr} {t_ratio} {c_ratio}",
                  flush=True)


if __name__ == "__main__":
    main()

"""Pure, deterministic graph layouts for drawing computation graphs.

:func:`layout` maps a :class:`networkx.DiGraph` to a :class:`Layout`: a position per node and a
polyline per edge, in screen coordinates (y grows downward, smallest coordinates at 0).  The
default ``"layered"`` method is a Sugiyama-style drawing (:mod:`adviz.graph.layout.layered`) in which
data flows along the layer axis; the other methods wrap networkx's general-purpose layouts.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from .crossings import count_route_crossings
from .layered import layered_layout
from .networkx_layouts import networkx_positions

Point = tuple[float, float]

METHODS = ("layered", "spring", "kamada-kawai", "spectral", "shell", "circular", "planar")
DIRECTIONS = ("LR", "TB")


@dataclass(frozen=True)
class Layout:
    """Node positions and edge polylines of one drawing.

    ``routes[(u, v)]`` runs from ``positions[u]`` to ``positions[v]`` inclusive: two points for a
    straight edge; a layered edge also passes through a point on every layer it skips, and a
    steep piece between two layers bends near both ends (see :mod:`adviz.graph.layout.layered`).  In
    graphs with far more long edges than nodes, edges sharing a bundle skip the points where it
    runs straight, and the longest edges may run on lanes beside the drawing (then the routes,
    not the nodes, reach coordinate 0 across the layers).
    """

    positions: dict[Hashable, Point]
    routes: dict[tuple[Hashable, Hashable], tuple[Point, ...]]
    method: str
    direction: str


def count_crossings(layout: Layout) -> int:
    """Number of proper crossings between the edge polylines of ``layout``.

    Segments that share an endpoint, or only touch, do not count; neither do pieces of the same
    edge.  Runs in roughly ``O(S log S + K)`` for ``S`` segments and ``K`` pairs of segments with
    overlapping extents (see :mod:`adviz.graph.layout.crossings`).
    """
    return count_route_crossings(layout.routes)


def layout(graph: nx.DiGraph, method: str = "layered", direction: str = "LR", *, seed: int = 0,
           node_sep: float = 90.0, layer_sep: float = 180.0, effort: float = 1.0) -> Layout:
    """Lay out ``graph`` with ``method`` (one of :data:`METHODS`).

    ``direction`` (``"LR"`` or ``"TB"``) is the flow direction of the layered method; the other
    methods ignore it beyond recording it.  ``node_sep`` is the minimum distance between nodes of
    one layer (and the typical nearest-neighbour distance of the other methods), ``layer_sep``
    the distance between consecutive layers.  ``seed`` fixes the randomness of ``"spring"``.
    ``effort`` (0 to 1) lets the layered method spend less time reducing crossings.
    The result depends only on the arguments and the graph's node and edge order.

    Raises ``ValueError`` for an unknown method or direction, or for ``"planar"`` when the graph
    is not planar.
    """
    if method not in METHODS:
        raise ValueError(f"unknown layout method {method!r}; expected one of {', '.join(METHODS)}")
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown layout direction {direction!r}; expected 'LR' or 'TB'")
    if node_sep <= 0 or layer_sep <= 0:
        raise ValueError("node_sep and layer_sep must be positive")
    if method == "layered":
        positions, routes = layered_layout(graph, direction, float(node_sep), float(layer_sep), effort)
    else:
        positions = networkx_positions(graph, method, seed, float(node_sep))
        routes = {(u, v): (positions[u], positions[v]) for u, v in graph.edges}
    return Layout(positions=positions, routes=routes, method=method, direction=direction)


__all__: list[str] = ["DIRECTIONS", "METHODS", "Layout", "count_crossings", "layout"]

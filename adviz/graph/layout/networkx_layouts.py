"""networkx's general-purpose layouts, scaled to the drawing's node spacing.

networkx returns positions in a unit box; :func:`networkx_positions` scales them so the typical
distance between nearest neighbours is ``node_sep``, pushes apart nodes that still sit closer
than half of that (spectral layouts in particular put structurally equivalent nodes on the very
same spot) and moves the drawing to non-negative coordinates.
"""
from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np

Point = tuple[float, float]

# Golden angle: successive multiples spread points evenly around a circle (sunflower pattern).
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))
_SEPARATION_ROUNDS = 60


def _raw(graph: nx.Graph, method: str, seed: int) -> dict[Hashable, np.ndarray]:
    """Unscaled positions from networkx (on the undirected graph: these methods are symmetric)."""
    if method == "spring":
        return nx.spring_layout(graph, seed=seed)
    if method == "kamada-kawai":
        # networkx gives unreachable pairs a distance larger than any real one, so disconnected
        # graphs work; the circle it starts from keeps the result deterministic.
        return nx.kamada_kawai_layout(graph)
    if method == "spectral":
        # Needs at least three nodes to have two non-trivial eigenvectors.
        return nx.spectral_layout(graph) if len(graph) >= 3 else nx.circular_layout(graph)
    if method == "shell":
        return nx.shell_layout(graph)
    if method == "circular":
        return nx.circular_layout(graph)
    if method == "planar":
        try:
            return nx.planar_layout(graph)
        except nx.NetworkXException as exc:
            msg = "the graph is not planar, so the 'planar' layout cannot draw it"
            raise ValueError(msg) from exc
    raise ValueError(f"not a networkx layout method: {method!r}")


def _nearest_distances(pts: np.ndarray) -> np.ndarray:
    """Distance from every point to its nearest other point (all pairs, in chunks)."""
    n = len(pts)
    out = np.empty(n)
    step = max(1, 2_000_000 // n)
    for start in range(0, n, step):
        block = pts[start:start + step]
        d2 = ((block[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2)
        d2[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf
        out[start:start + step] = np.sqrt(d2.min(axis=1))
    return out


def _spread_duplicates(pts: np.ndarray, spacing: float) -> np.ndarray:
    """Fan nodes that share a position out in a sunflower around it, in node order.

    The k-th point goes to radius ``spacing * sqrt(k)`` at angle ``k`` golden angles, which
    keeps neighbours about ``spacing`` apart however many there are.
    """
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (x, y) in enumerate(np.round(pts, 6)):
        groups.setdefault((float(x), float(y)), []).append(i)
    pts = pts.copy()
    for members in groups.values():
        for k, i in enumerate(members[1:], start=1):
            r = spacing * math.sqrt(k)
            pts[i] += (r * math.cos(k * _GOLDEN), r * math.sin(k * _GOLDEN))
    return pts


def _close_pairs(pts: np.ndarray, dmin: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs closer than ``dmin``: sort by x, test only points within ``dmin`` in x."""
    n = len(pts)
    order = np.argsort(pts[:, 0], kind="stable")
    xs = pts[order, 0]
    counts = np.searchsorted(xs, xs + dmin, side="left") - np.arange(n) - 1
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    i = np.repeat(np.arange(n), counts)
    j = i + 1 + (np.arange(total) - first)
    a, b = order[i], order[j]
    near = np.hypot(*(pts[b] - pts[a]).T) < dmin
    return a[near], b[near]


def _separate(pts: np.ndarray, dmin: float) -> np.ndarray:
    """Push apart pairs of nodes closer than ``dmin`` (a few damped relaxation rounds).

    Each close pair moves apart along the line through them by half the missing distance,
    averaged over the pairs a node is part of; the search stops when no pair is too close.
    """
    pts = pts.copy()
    for _ in range(_SEPARATION_ROUNDS):
        a, b = _close_pairs(pts, dmin)
        if len(a) == 0:
            break
        delta = pts[b] - pts[a]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        # Coincident pairs get a direction from their indices (deterministic, well spread).
        same = dist < 1e-9
        angle = (a[same] * 7 + b[same]) * _GOLDEN
        delta[same] = np.column_stack((np.cos(angle), np.sin(angle)))
        dist[same] = 1.0
        push = delta * (((dmin - np.where(same, 0.0, dist)) / 2.0) / dist)[:, None]
        moves = np.zeros_like(pts)
        hits = np.zeros(len(pts))
        np.add.at(moves, b, push)
        np.add.at(moves, a, -push)
        np.add.at(hits, a, 1.0)
        np.add.at(hits, b, 1.0)
        pts += moves / np.maximum(hits, 1.0)[:, None]
    return pts


def networkx_positions(graph: nx.DiGraph, method: str, seed: int,
                       node_sep: float) -> dict[Hashable, Point]:
    """Positions of a networkx layout scaled to ``node_sep``, in non-negative coordinates.

    The scale makes the median nearest-neighbour distance ``node_sep`` (among distinct
    positions), but never leaves the drawing narrower than ``node_sep * sqrt(n)``, i.e. less
    than about ``node_sep**2`` of area per node, and never wider than ``node_sep * n``.  Then
    nodes closer than ``node_sep / 2`` are pushed apart.  ``seed`` drives ``"spring"``.
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    raw = _raw(graph.to_undirected(as_view=True), method, seed)
    pts = np.array([raw[v] for v in nodes], dtype=float)
    pts -= pts.mean(axis=0)
    extent = float(np.ptp(pts, axis=0).max())
    scale = 1.0
    if extent > 0:
        scale = node_sep * math.sqrt(n) / extent
        unique = np.unique(np.round(pts / extent, 9), axis=0) * extent
        if len(unique) > 1:
            nn = float(np.median(_nearest_distances(unique)))
            if nn > 0:
                scale = max(scale, min(node_sep / nn, node_sep * n / extent))
    pts = _spread_duplicates(pts * scale, node_sep * 0.6)
    pts = _separate(pts, node_sep / 2.0)
    pts -= pts.min(axis=0)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, pts)}

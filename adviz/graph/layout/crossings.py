"""Count proper crossings between edge polylines.

Every polyline is cut into segments.  Two segments can only cross if their extents overlap on
both axes, so the segments are sorted by their low end along one axis; segment ``i`` then only
has to be tested against the run of segments whose low end lies inside ``i``'s extent (found with
``searchsorted``).  Of the two axes the one producing fewer candidate pairs is chosen, and the
candidates are tested in vectorised chunks, so a layered drawing of thousands of edges (whose
segments only overlap within one gap between layers) is counted in a fraction of a second.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

Point = tuple[float, float]

# Candidate pairs tested per vectorised chunk: bounds the temporary arrays to a few tens of MB.
_CHUNK = 1 << 21


def _segments(routes: Iterable[Sequence[Point]]) -> tuple[np.ndarray, np.ndarray]:
    """Segments of all routes as an ``(m, 4)`` array ``x1, y1, x2, y2``, and each one's route."""
    coords: list[tuple[float, float, float, float]] = []
    owner: list[int] = []
    for rid, pts in enumerate(routes):
        for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
            if x1 == x2 and y1 == y2:
                continue  # a zero-length piece cannot cross anything properly
            coords.append((x1, y1, x2, y2))
            owner.append(rid)
    return np.asarray(coords, dtype=float).reshape(-1, 4), np.asarray(owner, dtype=np.int64)


def _candidate_ends(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort segments by ``lo``; return the order and, per sorted segment, the index one past
    its last candidate partner."""
    order = np.argsort(lo, kind="stable")
    lo_s = lo[order]
    end = np.searchsorted(lo_s, hi[order], side="right")
    return order, end


def count_segment_crossings(routes: Iterable[Sequence[Point]]) -> int:
    """Number of proper crossings between polylines given as point sequences.

    A crossing is proper when the two segments meet in a single point interior to both, so
    segments that share an endpoint (edges leaving the same node) or merely touch do not count.
    Pieces of the same polyline are never compared with each other.
    """
    seg, owner = _segments(routes)
    m = len(seg)
    if m < 2:
        return 0
    x1, y1, x2, y2 = seg.T
    xlo, xhi = np.minimum(x1, x2), np.maximum(x1, x2)
    ylo, yhi = np.minimum(y1, y2), np.maximum(y1, y2)

    # Pick the sweep axis with fewer candidate pairs (segments whose extents overlap on it).
    best = None
    for lo, hi, olo, ohi in ((xlo, xhi, ylo, yhi), (ylo, yhi, xlo, xhi)):
        order, end = _candidate_ends(lo, hi)
        counts = end - np.arange(m) - 1
        total = int(counts.sum())
        if best is None or total < best[0]:
            best = (total, order, counts, olo, ohi)
    _, order, counts, olo, ohi = best

    # Scale-aware tolerance for the orientation tests: values this close to zero are collinear.
    span = float(max(np.ptp(seg[:, [0, 2]]), np.ptp(seg[:, [1, 3]]), 1.0))
    eps = 1e-9 * span * span

    s = seg[order]
    own = owner[order]
    so_lo, so_hi = olo[order], ohi[order]
    cum = np.concatenate(([0], np.cumsum(counts)))
    crossings = 0
    start = 0
    while start < m:
        # Take as many sorted segments as fit into one chunk of candidate pairs (at least one).
        stop = int(np.searchsorted(cum, cum[start] + _CHUNK, side="right")) - 1
        stop = min(max(stop, start + 1), m)
        c = counts[start:stop]
        n_pairs = int(c.sum())
        if n_pairs:
            i = np.repeat(np.arange(start, stop), c)
            # j runs over i+1 .. i+counts[i] for every i of the chunk.
            first = np.repeat(cum[start:stop] - cum[start], c)
            j = i + 1 + (np.arange(n_pairs) - first)
            keep = (own[i] != own[j]) & (so_lo[j] <= so_hi[i]) & (so_lo[i] <= so_hi[j])
            i, j = i[keep], j[keep]
            crossings += _proper(s[i], s[j], eps)
        start = stop
    return crossings


def _proper(a: np.ndarray, b: np.ndarray, eps: float) -> int:
    """How many segment pairs ``a[k]``, ``b[k]`` cross properly (strict orientation tests)."""
    if len(a) == 0:
        return 0
    ax1, ay1, ax2, ay2 = a.T
    bx1, by1, bx2, by2 = b.T
    # orient(p, q, r) = (q - p) x (r - p): its sign says on which side of line pq the point r lies.
    dax, day = ax2 - ax1, ay2 - ay1
    dbx, dby = bx2 - bx1, by2 - by1
    o1 = dax * (by1 - ay1) - day * (bx1 - ax1)
    o2 = dax * (by2 - ay1) - day * (bx2 - ax1)
    o3 = dbx * (ay1 - by1) - dby * (ax1 - bx1)
    o4 = dbx * (ay2 - by1) - dby * (ax2 - bx1)
    # Proper iff each segment's endpoints lie strictly on opposite sides of the other's line.
    return int(np.count_nonzero(((o1 > eps) & (o2 < -eps) | (o1 < -eps) & (o2 > eps))
                                & ((o3 > eps) & (o4 < -eps) | (o3 < -eps) & (o4 > eps))))


def count_route_crossings(routes: Mapping[tuple[Hashable, Hashable], Sequence[Point]]) -> int:
    """:func:`count_segment_crossings` over the values of an edge -> polyline mapping."""
    return count_segment_crossings(routes.values())

"""Gradient magnitude at a glance, without Qt: |partial| per edge and |adjoint| per node on one
logarithmic scale, and its colours. (The product of the partials along a path is
:func:`adviz.graph.paths.path_sum`'s.)

A tensor's magnitude is its largest absolute element. Zero has no logarithm: it is drawn apart
(``position`` gives None), as is a value that is missing or not a number.

Example::

    >>> scale = LogScale(1e-3, 10.0)
    >>> scale.position(1e-3), scale.position(10.0), round(scale.position(0.1), 3)
    (0.0, 1.0, 0.5)
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..graph import Graph

def magnitude(value) -> float | None:
    """The largest |element| of ``value``; None when there is no value or none of it is a number."""
    if value is None:
        return None
    array = np.abs(np.asarray(value, dtype=np.float64))
    finite = array[~np.isnan(array)]
    return float(finite.max()) if finite.size else None


@dataclass(frozen=True)
class LogScale:
    """Magnitudes from ``low`` to ``high`` (both > 0) placed on [0, 1] by their logarithm."""

    low: float
    high: float

    def position(self, m: float | None) -> float | None:
        """Where ``m`` sits on the scale (clamped to [0, 1]); None for zero, inf's limit aside, or no value."""
        if m is None or m <= 0 or math.isnan(m):
            return None
        if math.isinf(m):
            return 1.0
        if self.high <= self.low:
            return 1.0
        t = (math.log10(m) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))
        return min(1.0, max(0.0, t))

    def ticks(self) -> list[float]:
        """Powers of ten within the scale (its two ends when it spans less than a decade)."""
        lo, hi = math.ceil(math.log10(self.low) - 1e-9), math.floor(math.log10(self.high) + 1e-9)
        powers = [10.0 ** k for k in range(lo, hi + 1)]
        if len(powers) > 6:
            stride = math.ceil(len(powers) / 6)
            powers = powers[::stride]
        return powers if len(powers) >= 2 else [self.low, self.high]


def magnitudes(graph: Graph) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """|partial| of each edge and |adjoint| of each node (None where there is none)."""
    edges = {eid: magnitude(e.partial_value) for eid, e in graph.edges.items()}
    nodes = {nid: magnitude(n.adjoint) for nid, n in graph.nodes.items()}
    return edges, nodes


def scale_for(graph: Graph) -> LogScale | None:
    """One scale for the graph's partials and adjoints: from the smallest nonzero to the largest finite."""
    edges, nodes = magnitudes(graph)
    values = [m for m in (*edges.values(), *nodes.values()) if m is not None and 0 < m < math.inf]
    if not values:
        return None
    low, high = min(values), max(values)
    if high / low < 10:                  # at least a decade, centred on what there is
        mid = math.sqrt(low * high)
        low, high = mid / math.sqrt(10), mid * math.sqrt(10)
    return LogScale(low, high)


def colour_at(t: float, stops: tuple[str, ...]) -> str:
    """The colour at ``t`` in [0, 1] along ``stops`` (``#rrggbb``), interpolated in sRGB."""
    t = min(1.0, max(0.0, t)) * (len(stops) - 1)
    k = min(int(t), len(stops) - 2)
    f = t - k
    a, b = stops[k], stops[k + 1]
    rgb = [round(int(a[i:i + 2], 16) * (1 - f) + int(b[i:i + 2], 16) * f) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in rgb)

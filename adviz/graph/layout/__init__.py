"""Pure, deterministic layouts of computation graphs: a graph in, positions and routes out.

:func:`layout` is the one entry point (:mod:`.methods`); the default ``"layered"`` method is a
Sugiyama-style drawing (:mod:`.layered`, with :mod:`.ordering`, :mod:`.placement` and
:mod:`.longedges`), the others wrap networkx (:mod:`.networkx_layouts`).
"""
from .methods import DIRECTIONS, METHODS, Layout, Point, count_crossings, layout

__all__ = ["DIRECTIONS", "METHODS", "Layout", "Point", "count_crossings", "layout"]

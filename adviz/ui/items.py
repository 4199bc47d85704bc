"""Scene items: a node and an edge of the graph, painted from the graph layer's fields.

Items compute nothing about derivatives; the scene tells them what step is showing through
small state objects, and they draw it. Nodes live in :mod:`adviz.ui.node_item`, edges with their
labels and dots in :mod:`adviz.ui.edge_item`, shared fonts in :mod:`adviz.ui.fonts`.
"""
from ..graph.model import SOURCE_KINDS
from .edge_item import LABEL_CHARS, EdgeItem, EdgeLabel, EdgeState, FlowDot, short_formula
from .node_item import NodeItem, NodeState

__all__ = ["NodeItem", "EdgeItem", "EdgeLabel", "FlowDot", "NodeState", "EdgeState", "SOURCE_KINDS",
           "LABEL_CHARS", "short_formula"]

"""A recorded gradient call as plain data: nodes, edges, step schedules and layouts (no Qt)."""
from .build import build_graph, forward_mode_graph, graph_for_call
from .jsonio import SCHEMA, VERSION, GraphJsonError, dumps, graph_json, loads
from .layout import DIRECTIONS, METHODS, Layout, count_crossings, layout
from .modes import JacobianByMode, finite_difference_jacobian, jacobian_by_mode
from .model import KIND_LABELS, SOURCE_KINDS, Edge, Graph, Node, Step
from .nonfinite import explain_edge, explain_node, explain_value
from .tangent import default_seed, dot, dual_text, fan_in_sum, tangent_schedule
from .symbols import SYMBOLS, graph_symbols, symbols_in
from .values import format_number, format_value

__all__ = [
    "build_graph", "forward_mode_graph", "graph_for_call", "default_seed", "dot", "dual_text",
    "fan_in_sum", "tangent_schedule", "JacobianByMode", "jacobian_by_mode", "finite_difference_jacobian", "SCHEMA", "VERSION", "GraphJsonError", "dumps", "graph_json", "loads", "DIRECTIONS",
    "METHODS", "Layout", "count_crossings", "layout", "KIND_LABELS", "SOURCE_KINDS", "Edge", "Graph",
    "Node", "Step", "format_number", "format_value", "explain_edge", "explain_node", "explain_value",
    "SYMBOLS", "graph_symbols", "symbols_in",
]

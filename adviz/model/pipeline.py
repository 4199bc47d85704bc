"""From what a person typed to a drawable graph: the one pipeline the app and ``adviz render`` share.

text + variables ──lang──▶ Trace ──graph──▶ Graph ──layout──▶ positions. No Qt here.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Callable

from ..graph import Graph, Layout, graph_for_call, layout
from ..lang.trace import Trace
from .document import Document, VariableSpec, declarations, is_script

# Layer spacing that leaves room for the partial's label on each edge.
SPACING = {"LR": (110.0, 260.0), "TB": (190.0, 150.0)}


@dataclass
class Outcome:
    """The result of one run: what to draw, or the error to show (``graph`` may still be set)."""

    graph: Graph | None = None
    layout: Layout | None = None
    trace: Any = None
    error: Any = None                    # a LangError with .line/.col/.message, or None
    outputs: list[str] = field(default_factory=list)
    free_names: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    script: bool = False


def run(doc: Document, on_statement: Callable[[int, int], None] | None = None,
        trace: Trace | None = None) -> Outcome:
    """Run the document through the language: a Trace, or the error.

    ``on_statement(line, col)`` is told where each statement of a script starts; a script fills
    ``trace`` when one is given.
    """
    from ..lang import LangError, run_functions, run_script
    out = Outcome(script=is_script(doc.text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if out.script:
            trace = run_script(doc.text, on_statement=on_statement, trace=trace)
            out.trace = trace
            out.calls = [f"{c.index + 1}: line {c.line}  {c.kind}({c.target_text}, {c.sources_text})"
                         for c in trace.calls]
            out.error = trace.error
            return out
        try:
            program = _parsed(doc.text)
        except LangError as exc:
            out.error = exc
            return out
        out.outputs = list(program.outputs)
        out.free_names = list(program.free_names)
        declared = {v.name for v in doc.variables}
        missing = [n for n in program.free_names if n not in declared]
        variables = doc.variables + [VariableSpec(n) for n in missing]
        target = doc.target if doc.target in program.outputs else (program.outputs[-1] if program.outputs else None)
        sources = [v.name for v in variables if v.source and v.name in program.free_names]
        trace = run_functions(program, declarations([v for v in variables if v.name in program.free_names]),
                              persistent=doc.persistent,
                              watch_accessed_variables=doc.watch_accessed_variables,
                              targets=[target] if target else None, sources=sources)
        out.trace = trace
        out.error = trace.error
    return out


@lru_cache(maxsize=8)
def _parsed(text: str):
    """The functions parsed and checked: the same text (a value dragged, a layout changed) is parsed once.
    A parse error is raised each time (exceptions are not cached)."""
    from ..lang import parse_functions
    return parse_functions(text)


def layout_effort(nodes: int) -> float:
    """How hard the layered layout works on crossings: fully for small graphs, less for big ones."""
    return 1.0 if nodes <= 300 else max(0.1, 300 / nodes)


def lay_out(graph: Graph, method: str = "layered", direction: str = "LR", seed: int = 0) -> Layout:
    """The one way a graph is laid out: ``method`` and ``direction`` with room for edge labels.

    Raises ValueError when ``method`` cannot draw this graph (planar on a graph that is not).
    """
    node_sep, layer_sep = SPACING.get(direction, SPACING["LR"])
    return layout(graph.to_networkx(), method, direction, seed=seed, node_sep=node_sep,
                  layer_sep=layer_sep, effort=layout_effort(len(graph.nodes)))


def with_moved(layout: Layout, moved: dict[str, tuple[float, float]]) -> Layout:
    """``layout`` with the nodes in ``moved`` where the user put them; their edges run straight.

    This is the layout the canvas draws and every export paints.
    """
    if not moved:
        return layout
    positions = dict(layout.positions)
    positions.update((k, p) for k, p in moved.items() if k in positions)
    routes = {}
    for (u, v), route in layout.routes.items():
        if u in moved or v in moved:
            routes[(u, v)] = (positions[u], positions[v])
        else:
            routes[(u, v)] = route
    return Layout(positions=positions, routes=routes, method=layout.method, direction=layout.direction)


def compute(doc: Document, method: str = "layered", direction: str = "LR", seed: int = 0,
            on_statement: Callable[[int, int], None] | None = None, trace: Trace | None = None) -> Outcome:
    """Run the document and turn its chosen gradient call into a laid-out graph."""
    out = run(doc, on_statement, trace)
    trace = out.trace
    if trace is None or not trace.calls:
        if out.error is None and trace is not None and out.script:
            out.error = Notice("this script makes no gradient() or jacobian() call to draw")
        return out
    index = max(0, min(doc.call, len(trace.calls) - 1))
    out.graph = graph_for_call(trace, index)
    try:
        out.layout = lay_out(out.graph, method, direction, seed)
    except ValueError as exc:      # e.g. planar on a graph that is not planar
        out.layout = lay_out(out.graph, "layered", direction)
        out.error = out.error or Notice(str(exc) + "; showing the layered layout")
    return out


class Notice(Exception):
    """A message about a run that has no place in the text (line and column 0)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = 0
        self.col = 0

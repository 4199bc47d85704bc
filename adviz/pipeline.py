"""From what a person typed to a drawable graph: the one pipeline the app and ``adviz render`` share.

text + variables ──lang──▶ Trace ──graph──▶ Graph ──layout──▶ positions. No Qt here.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace
from typing import Any

from .graph import Graph, Layout, graph_for_call, layout

KINDS = ("variable", "variable_untrainable", "watched", "constant")
KIND_TITLES = {"variable": "Variable", "variable_untrainable": "Variable (not trainable)",
               "watched": "watched constant", "constant": "constant"}
DEFAULT_VALUE = "1.0"
EXAMPLE = "u = x*y\nf = sin(u) + x**2"
EXAMPLE_VALUES = {"x": "2.0", "y": "3.0"}

# Layer spacing that leaves room for the partial's label on each edge.
SPACING = {"LR": (110.0, 260.0), "TB": (190.0, 150.0)}

_SCRIPT = re.compile(r"^\s*(import|from|with|print|for|if|del)\b|GradientTape", re.MULTILINE)


@dataclass
class VariableSpec:
    """One declared input: its name, value text, kind, and whether to differentiate by it."""

    name: str
    value: str = DEFAULT_VALUE
    kind: str = "variable"
    source: bool = True


@dataclass
class Document:
    """Everything the picture depends on."""

    text: str = EXAMPLE
    variables: list[VariableSpec] = field(default_factory=list)
    persistent: bool = False
    watch_accessed_variables: bool = True
    target: str | None = None
    call: int = 0

    def copy(self) -> "Document":
        return replace(self, variables=[replace(v) for v in self.variables])


def is_script(text: str) -> bool:
    """Whether ``text`` is a tape script rather than function lines."""
    return bool(_SCRIPT.search(text))


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


def sync_variables(text: str, variables: list[VariableSpec],
                   remembered: dict[str, VariableSpec] | None = None) -> list[VariableSpec]:
    """The variable list for ``text``: names it uses, in order, keeping known settings.

    A name that disappears is remembered in ``remembered`` so that it comes back as it was.
    """
    from .lang import LangError, parse_functions
    remembered = remembered if remembered is not None else {}
    for v in variables:
        remembered[v.name] = v
    if is_script(text):
        return list(variables)
    try:
        names = parse_functions(text).free_names
    except LangError:
        return list(variables)
    out = []
    for name in names:
        spec = remembered.get(name) or VariableSpec(name, EXAMPLE_VALUES.get(name, DEFAULT_VALUE))
        out.append(spec)
    return out


def declarations(variables: list[VariableSpec]) -> list[Any]:
    from .lang import Declaration
    return [Declaration(name=v.name, value=v.value, kind=v.kind) for v in variables]


def run(doc: Document) -> Outcome:
    """Run the document through the language: a Trace, or the error."""
    from .lang import LangError, parse_functions, run_functions, run_script
    out = Outcome(script=is_script(doc.text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if out.script:
            trace = run_script(doc.text)
            out.trace = trace
            out.calls = [f"{c.index + 1}: line {c.line}  {c.kind}({c.target_text}, {c.sources_text})"
                         for c in trace.calls]
            out.error = trace.error
            return out
        try:
            program = parse_functions(doc.text)
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


def layout_effort(nodes: int) -> float:
    """How hard the layered layout works on crossings: fully for small graphs, less for big ones."""
    return 1.0 if nodes <= 300 else max(0.1, 300 / nodes)


def compute(doc: Document, method: str = "layered", direction: str = "LR", seed: int = 0) -> Outcome:
    """Run the document and turn its chosen gradient call into a laid-out graph."""
    out = run(doc)
    trace = out.trace
    if trace is None or not trace.calls:
        if out.error is None and trace is not None and out.script:
            out.error = Notice("this script makes no gradient() or jacobian() call to draw")
        return out
    index = max(0, min(doc.call, len(trace.calls) - 1))
    out.graph = graph_for_call(trace, index)
    node_sep, layer_sep = SPACING.get(direction, SPACING["LR"])
    try:
        out.layout = layout(out.graph.to_networkx(), method, direction, seed=seed,
                            node_sep=node_sep, layer_sep=layer_sep, effort=layout_effort(len(out.graph.nodes)))
    except ValueError as exc:      # e.g. planar on a graph that is not planar
        out.layout = layout(out.graph.to_networkx(), "layered", direction, node_sep=node_sep, layer_sep=layer_sep)
        out.error = out.error or Notice(str(exc) + "; showing the layered layout")
    return out


class Notice(Exception):
    """A message about a run that has no place in the text (line and column 0)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = 0
        self.col = 0

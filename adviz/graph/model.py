"""The graph of one gradient call: plain data that the window, the exporters and JSON draw from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Kinds of node. Sources come in four kinds, as the tape sees them.
VARIABLE = "variable"                 # trainable Variable: watched when read
VARIABLE_UNTRAINABLE = "variable_untrainable"
WATCHED = "watched"                   # a constant passed to tape.watch()
CONSTANT = "constant"                 # a named constant nobody watched
LITERAL = "literal"                   # a number written in the expression
OP = "op"
TARGET = "target"                     # the op whose output is differentiated

SOURCE_KINDS = (VARIABLE, VARIABLE_UNTRAINABLE, WATCHED, CONSTANT)
KIND_LABELS = {
    VARIABLE: "Variable", VARIABLE_UNTRAINABLE: "non-trainable Variable", WATCHED: "watched constant",
    CONSTANT: "constant (not watched)", LITERAL: "literal", OP: "operation", TARGET: "target",
}


@dataclass
class Node:
    """A value in the picture: a source, a literal, or the output of one op."""

    id: str
    kind: str
    label: str                   # the name in the user's text, or the op's formula
    symbol: str                  # what the node's shape shows (name or op symbol)
    value: np.ndarray
    value_text: str
    recorded: bool
    reason: str = ""             # why the tape did not record it
    op: str | None = None
    formula: str = ""            # the output in terms of the inputs' labels
    name: str | None = None      # the user's name for it, if any
    is_source: bool = False
    is_target: bool = False
    gradient_op: bool = False    # recorded while an inner tape computed a gradient
    adjoint: np.ndarray | None = None
    adjoint_text: str = ""
    gradient: np.ndarray | None = None   # for sources: what gradient() returned
    gradient_text: str = ""              # "None", "0", or the value
    order: int = 0               # position in the forward (computation) order


@dataclass
class Edge:
    """An input flowing into an op, with the op's local partial for that input."""

    id: str
    source: str
    target: str
    index: int                   # which input of the op
    recorded: bool
    partial_formula: str         # e.g. "∂f/∂x = 2·x"
    partial_value: np.ndarray | None = None
    partial_text: str = ""
    contribution: np.ndarray | None = None
    contribution_text: str = ""


@dataclass
class Step:
    """One step of a schedule.

    Backward: ``node``'s adjoint (``upstream``) flows into its inputs along ``edges``;
    ``contributions`` and ``adjoints`` map edge and node ids to values after the step.
    Forward: ``node``'s value is computed. The first backward step is the seed at the target.
    """

    index: int
    kind: str                    # "seed", "backward", "forward"
    node: str
    edges: list[str] = field(default_factory=list)
    upstream: np.ndarray | None = None
    contributions: dict[str, np.ndarray] = field(default_factory=dict)
    adjoints: dict[str, np.ndarray] = field(default_factory=dict)
    accumulated: dict[str, np.ndarray] = field(default_factory=dict)   # adjoint before the step, at fan-out
    words: str = ""
    chain: list[str] = field(default_factory=list)


@dataclass
class Graph:
    """Nodes, edges and both schedules of one gradient call."""

    nodes: dict[str, Node]
    edges: dict[str, Edge]
    backward: list[Step]
    forward: list[Step]
    targets: list[str]
    sources: list[str]
    title: str = ""
    tape: dict[str, Any] = field(default_factory=dict)   # persistent, watch_accessed_variables, name
    error: str = ""

    def out_edges(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges.values() if e.source == node_id]

    def to_networkx(self):
        """A networkx DiGraph with the same ids (for layouts)."""
        import networkx as nx
        g = nx.DiGraph()
        g.add_nodes_from(sorted(self.nodes, key=lambda n: self.nodes[n].order))
        g.add_edges_from((e.source, e.target) for e in self.edges.values())
        return g

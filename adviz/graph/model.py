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


# Why a source gets no gradient (Cause.code on a source node).
CAUSES = (
    "constant-not-watched",     # a constant or plain tensor the tape was never told to watch
    "variable-not-trainable",   # a Variable made with trainable=False
    "variable-not-watched",     # watch_accessed_variables=False and no tape.watch(v)
    "computed-before-tape",     # the path was computed outside the with block
    "recording-stopped",        # the path runs through ops made inside tape.stop_recording()
    "integer-dtype",            # the source, or a value on the path, is not floating-point
    "not-connected",            # the target does not use the source at all
    "left-the-tape",            # the path leaves TensorFlow (.numpy(), float(), np.mean)
    "variable-replaced",        # x = x + 1 made a tensor from the Variable outside the tape
    "state-update",             # the value went through assign, assign_add or assign_sub
    "stop-gradient",            # the path runs through tf.stop_gradient
    "no-gradient-defined",      # an op (or comparison) on the path has no gradient
    "tape-reset",               # the path was recorded before tape.reset() erased it
)
# Why a call failed (Graph.failure.code).
FAILURES = (
    "tape-already-used",        # a non-persistent tape asked a second time
    "target-not-tensor",        # the target is None, a number or a list of numbers
    "source-not-tensor",        # a source is not a tensor or Variable
    "bad-output-gradients",     # output_gradients does not match the targets
    "bad-unconnected-gradients",  # unconnected_gradients is not NONE or ZERO
    "too-large",                # the call would compute more than the limits allow
    "call-error",               # any other error raised by the call
)
TAPE_STATUSES = ("recording", "stopped", "finished", "released")


@dataclass(frozen=True)
class Cause:
    """Why a source has no gradient, or why a call failed, in the user's own names.

    ``text`` says why in one sentence and ``fix`` how to change it (code in backticks);
    ``breaks`` are the node and edge ids where the chain breaks (may be empty); ``fix_action``
    is a machine-readable fix for function mode (``"watch:x"``, ``"variable:x"``,
    ``"trainable:x"``, ``"persistent"``, ``"watch_accessed"``) or ``""``; ``line`` is the script
    line of a failed call.
    """

    code: str
    text: str
    fix: str
    breaks: tuple[str, ...] = ()
    fix_action: str = ""
    line: int = 0


@dataclass(frozen=True)
class TapeState:
    """The tape as the call found it.

    ``status``: ``"recording"`` (inside its ``with`` block), ``"stopped"`` (inside
    ``stop_recording()``), ``"finished"`` (block exited) or ``"released"`` (a non-persistent
    tape already used). ``asked`` counts the tape's gradient and jacobian calls up to and
    including this one. ``watched`` is ``(label, how)`` for each Variable in
    ``tape.watched_variables()`` order, followed by each tensor given to ``tape.watch()``.
    """

    persistent: bool
    watch_accessed_variables: bool
    status: str
    asked: int
    watched: tuple[tuple[str, str], ...] = ()


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
    cause: Cause | None = None   # for a source with no gradient (None, or 0 when unconnected is ZERO): why
    tangent: np.ndarray | None = None    # forward mode: d(value)/d(seed direction); None where none reaches
    tangent_text: str = ""
    dual_text: str = ""          # the dual number ``value + tangent·ε``
    group: tuple[str, ...] = ()   # the scopes (function, module, layer) the op was made in, outermost first


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
    # Forward mode: local partial × the source's tangent, at the op's output shape.
    tangent_product: np.ndarray | None = None
    tangent_product_text: str = ""   # e.g. "ẋ·cos(x) = 1 × 0.5403 = 0.5403"


@dataclass
class Step:
    """One step of a schedule.

    Backward: ``node``'s adjoint (``upstream``) flows into its inputs along ``edges``;
    ``contributions`` and ``adjoints`` map edge and node ids to values after the step.
    Forward: ``node``'s value is computed. The first backward step is the seed at the target.
    Tangent (forward mode): the first step ("tangent-seed") gives each source its tangent in
    ``tangents``; each later one ("tangent") carries the tangents of ``node``'s inputs along
    ``edges``: ``contributions`` maps each edge to local partial × incoming tangent and
    ``tangents`` holds ``node``'s tangent, their sum (a fan-in sum when several edges arrive).
    """

    index: int
    kind: str                    # "seed", "backward", "forward", "tangent-seed", "tangent"
    node: str
    edges: list[str] = field(default_factory=list)
    upstream: np.ndarray | None = None
    contributions: dict[str, np.ndarray] = field(default_factory=dict)
    adjoints: dict[str, np.ndarray] = field(default_factory=dict)
    accumulated: dict[str, np.ndarray] = field(default_factory=dict)   # adjoint before the step, at fan-out
    words: str = ""
    chain: list[str] = field(default_factory=list)
    tangents: dict[str, np.ndarray] = field(default_factory=dict)   # node id -> tangent after the step


@dataclass
class Graph:
    """Nodes, edges and the three schedules of one gradient call: backward (reverse mode), forward
    (the values), and tangent (forward mode, seeded by ``seed``: one tangent per source)."""

    nodes: dict[str, Node]
    edges: dict[str, Edge]
    backward: list[Step]
    forward: list[Step]
    targets: list[str]
    sources: list[str]
    title: str = ""
    tape: dict[str, Any] = field(default_factory=dict)   # persistent, watch_accessed_variables, name
    error: str = ""                                      # a failed call's message (see failure)
    failure: Cause | None = None                         # a failed call: its cause, shown instead of None
    notes: list[str] = field(default_factory=list)       # e.g. TensorFlow's warning for a call inside the block
    tape_state: TapeState | None = None
    tangent: list[Step] = field(default_factory=list)
    seed: dict[str, np.ndarray] = field(default_factory=dict)   # source node id -> its tangent

    def out_edges(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges.values() if e.source == node_id]

    def schedule(self, mode: str) -> list[Step]:
        """The steps of one pass: ``backward`` (adjoints), ``forward`` (values) or ``tangent`` (forward mode)."""
        return {"forward": self.forward, "tangent": self.tangent}.get(mode, self.backward)

    def to_networkx(self):
        """A networkx DiGraph with the same ids (for layouts)."""
        import networkx as nx
        g = nx.DiGraph()
        g.add_nodes_from(sorted(self.nodes, key=lambda n: self.nodes[n].order))
        g.add_edges_from((e.source, e.target) for e in self.edges.values())
        return g

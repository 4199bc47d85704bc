"""Why a source has no gradient, and why a call failed, as :class:`~adviz.graph.model.Cause` data.

The walk starts at the targets and goes back through what made each value: this tape's
records (kept or only seen), then, where the tape saw nothing, the run's history (ops outside
the ``with`` block, values that left TensorFlow, ``assign`` calls, comparisons; see
:mod:`adviz.engine.history`). A source no path reaches is not connected. A source reached by a
clean path (every op inside the block, floating-point, differentiable) lacks a gradient for a
reason of its own: it was not watched, is not trainable, or is an integer. Otherwise the first
break on the way back from the target is the cause, and where it lies is named by node and
edge ids of the picture.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from ..engine import GradientTape, TapeCall, Tensor, Variable, flatten
from ..engine.dtypes import is_floating
from ..engine.history import ASSIGN, COMPARE, NUMPY
from .model import Cause, Graph, TapeState
from .wording import cause_for, failure_for

AUTOMATIC = "trainable Variable read inside the tape: watched automatically"
HISTORY_STEPS = 200     # how far back through ops outside the tape a replaced Variable is looked for


@dataclass
class Break:
    """Where a path from the target stops carrying a gradient."""

    code: str
    at: int                   # engine id of the value where it breaks
    edge: str = ""            # the picture's edge id, when the break is an edge
    how: str = ""             # source text (``y.numpy()``, ``v.assign(...)``)
    line: int = 0
    op: str = ""              # the op's name (outside the tape, or stop_gradient)


@dataclass
class Scene:
    """What the diagnosis reads of one call: the tape, its records up to the call and the picture's ids."""

    tape: GradientTape
    call: TapeCall
    producer: dict[int, Any]                 # engine id -> Record of this tape (kept or only seen)
    ids: dict[int, str]                      # engine id -> node id
    edge_of: dict[tuple[int, int], str]      # (output id, input index) -> edge id
    names: Mapping[int, str]
    tape_name: str = "tape"
    history: Any = None                      # adviz.engine.history.Witness, or None
    moment: Any = None                       # adviz.lang.trace.TapeMoment, or None
    objects: dict[int, Any] = field(default_factory=dict)   # engine id -> tensor or Variable seen

    def __post_init__(self) -> None:
        for rec in self.producer.values():
            self.objects.setdefault(rec.output._id, rec.output)
            for n in rec.inputs:
                self.objects.setdefault(n._id, n)

    def links(self, oid: int) -> list[Any]:
        if self.history is None:
            return []
        limit = self.moment.moment if self.moment is not None and self.moment.moment else None
        return [k for k in self.history.links.get(oid, ()) if limit is None or k.order <= limit]

    def outside(self, oid: int) -> Any:
        return None if self.history is None else self.history.ops.get(oid)


def _dtype_of(obj: Any) -> np.dtype | None:
    if isinstance(obj, Variable):
        return obj._value._value.dtype
    if isinstance(obj, Tensor):
        return obj._value.dtype
    return None


def _node_break(scene: Scene, oid: int) -> Break | None:
    """A break at a value itself: a comparison's result, or a value that is not floating-point."""
    for link in scene.links(oid):
        if link.kind == COMPARE:
            return Break("no-gradient-defined", oid, how=link.how, line=link.line)
    dtype = _dtype_of(scene.objects.get(oid))
    if dtype is not None and not is_floating(dtype):
        return Break("integer-dtype", oid)
    return None


def _inputs(scene: Scene, oid: int) -> list[tuple[int, Break | None]]:
    """What made ``oid``, each with the break on the way there (None when the tape follows it)."""
    out: list[tuple[int, Break | None]] = []
    rec = scene.producer.get(oid)
    if rec is not None:
        for i, n in enumerate(rec.inputs):
            edge = scene.edge_of.get((oid, i), "")
            if rec.reason == "stopped":
                out.append((n._id, Break("recording-stopped", oid, edge=edge, op=rec.op.name)))
            elif rec.op.stops_gradient:
                out.append((n._id, Break(rec.op.stop_code, oid, edge=edge, op=rec.op.name)))
            else:
                out.append((n._id, None))
        return out
    made = scene.outside(oid)
    if made is not None:
        name, inputs, line = made[0], made[1], made[2]
        moment = scene.moment
        if moment is not None and moment.reset_order and moment.entered <= oid < moment.reset_order:
            brk = Break("tape-reset", oid, op=name, line=moment.reset_line)
        else:
            brk = Break("computed-before-tape", oid, op=name, line=line)
        out.extend((i, brk) for i in inputs)
    for link in scene.links(oid):
        if link.kind == COMPARE:
            out.extend((s, None) for s in link.sources)     # the break is the value itself
            continue
        code = "left-the-tape" if link.kind == NUMPY else "state-update" if link.kind == ASSIGN else "no-gradient-defined"
        out.extend((s, Break(code, oid, how=link.how, line=link.line)) for s in link.sources)
    return out


def _walk(scene: Scene, targets: list[Any], clean: bool) -> dict[int, Break | None]:
    """Every value the targets depend on, with the first break on the way (from the target).

    ``clean``: stop at every break, so that what is reached is reached through the tape alone.
    """
    seen: dict[int, Break | None] = {}
    queue: deque[tuple[int, Break | None]] = deque((t._id, None) for t in targets)
    while queue:
        oid, brk = queue.popleft()
        if oid in seen:
            continue
        here = brk or _node_break(scene, oid)
        seen[oid] = here
        if clean and here is not None:
            continue
        for nxt, edge_brk in _inputs(scene, oid):
            if nxt in seen or (clean and edge_brk is not None):
                continue
            queue.append((nxt, here or edge_brk))
    return seen


def _replaced(scene: Scene, source: Any, label: str) -> int:
    """The line where ``label`` was rebound to a tensor computed from a Variable of that name, or 0."""
    start = scene.outside(source._id)
    if start is None:
        return 0
    queue, seen = deque([source._id]), {source._id}
    while queue and len(seen) < HISTORY_STEPS:
        made = scene.outside(queue.popleft())
        if made is None:
            continue
        if any(scene.names.get(v) == label for v in made[3]):
            return start[2] or made[2]
        for i in made[1]:
            if i not in seen:
                seen.add(i)
                queue.append(i)
    return 0


def _kept_reach(scene: Scene, targets: list[Any]) -> set[int]:
    """Ids the targets reach through records the tape kept (floating-point, differentiable)."""
    seen: set[int] = set()
    stack = [t._id for t in targets]
    while stack:
        oid = stack.pop()
        if oid in seen:
            continue
        seen.add(oid)
        rec = scene.producer.get(oid)
        if rec is not None and not rec.reason and not rec.op.stops_gradient and is_floating(rec.output.dtype):
            stack.extend(n._id for n in rec.inputs)
    return seen


def _unreached(scene: Scene, targets: list[Any], sources: list[Any]) -> list[bool]:
    """For each source: whether the call gave it no gradient (None, or 0 only because unconnected)."""
    call = scene.call
    flat = flatten(call.result) if call.result is not None else []
    if len(flat) != len(sources):
        flat = [None] * len(sources)
    adjoints = call.backward.adjoints if call.backward is not None else None
    reach = _kept_reach(scene, targets) if adjoints is None else set()
    out = []
    for s, r in zip(sources, flat):
        if r is None:
            out.append(True)
        elif adjoints is not None:
            out.append(s._id not in adjoints)
        else:    # a jacobian: zeros from unconnected_gradients=ZERO, or a real zero
            out.append(s._id not in reach or not scene.tape.is_watched(s))
    return out


def explain_sources(graph: Graph, scene: Scene, targets: list[Any], sources: list[Any]) -> None:
    """Set ``cause`` on every source node of ``graph`` that got no gradient."""
    missing = _unreached(scene, targets, sources)
    if not any(missing):
        return
    clean = _walk(scene, targets, clean=True)
    full = _walk(scene, targets, clean=False)
    target_label = " + ".join(graph.nodes[scene.ids[t._id]].label for t in targets if t._id in scene.ids) or "the target"
    for s, lacks in zip(sources, missing):
        node = graph.nodes.get(scene.ids.get(s._id, ""))
        if not lacks or node is None or node.cause is not None:
            continue
        scene.objects.setdefault(s._id, s)
        node.cause = _cause(graph, scene, s, node.label, target_label, clean, full)


def _label(graph: Graph, scene: Scene, oid: int) -> str:
    node = graph.nodes.get(scene.ids.get(oid, ""))
    if node is not None:
        return node.label
    return scene.names.get(oid) or "a value"


def _cause(graph: Graph, scene: Scene, source: Any, label: str, target: str,
           clean: dict[int, Break | None], full: dict[int, Break | None]) -> Cause:
    tape, sid = scene.tape, source._id
    node_id = scene.ids.get(sid, "")
    words = {"s": label, "t": target, "tape": scene.tape_name}
    # A break at the source itself: the node and the edges out of it that the tape did not record.
    here = (node_id,) + tuple(e.id for e in graph.out_edges(node_id) if not e.recorded)
    dtype = _dtype_of(source)
    if sid in full and dtype is not None and not is_floating(dtype):
        return cause_for("integer-source", words | {"dtype": dtype.name}, here)
    if sid in clean and clean[sid] is None:
        if isinstance(source, Variable):
            if not source.trainable:
                return cause_for("variable-not-trainable", words, here)
            if not tape.watch_accessed_variables:
                return cause_for("variable-not-watched", words, here)
            return cause_for("variable-unread", words, here)
        line = _replaced(scene, source, label)
        if line:
            return cause_for("variable-replaced", words | {"line": line}, here)
        return cause_for("constant-not-watched", words, here)
    if sid not in full:
        return cause_for("not-connected", words, ())
    brk = full[sid]
    if brk is None:   # reached only past a break recorded at the source itself
        return cause_for("constant-not-watched", words, here)
    at = scene.ids.get(brk.at, "")
    breaks = tuple(b for b in (at, brk.edge) if b)
    dtype = _dtype_of(scene.objects.get(brk.at))
    moment = scene.moment
    when = "after" if moment is not None and moment.entered and brk.at > moment.entered else "before"
    words |= {"v": _label(graph, scene, brk.at), "how": brk.how, "line": brk.line, "op": brk.op,
              "dtype": dtype.name if dtype is not None else "integer", "when": when}
    return cause_for(brk.code, words, breaks)


# -- the call itself ------------------------------------------------------------------------------
def explain_failure(message: str, kind: str, line: int, tape_name: str, target_text: str,
                    earlier_line: int) -> Cause:
    """The cause of a failed call from its error (``kind`` is the language's error kind)."""
    return failure_for(message, kind, {"tape": tape_name, "line": line, "t": target_text,
                                       "earlier": earlier_line}, line)


PERSISTENT_INSIDE = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly less "
    "efficient than calling it outside the context (it causes the gradient ops to be recorded on the "
    "tape, leading to increased CPU and memory usage). Only call GradientTape.gradient inside the "
    "context if you actually want to trace the gradient in order to compute higher order derivatives.")


def notes_for(state: TapeState, tape_name: str, kind: str) -> list[str]:
    """TensorFlow's word on a call made inside the tape's own ``with`` block."""
    if state.status != "recording":
        return []
    if state.persistent:
        return [PERSISTENT_INSIDE]
    return [f"{kind}() is called inside {tape_name}'s own `with` block: TensorFlow stops a non-persistent "
            f"tape's recording at this call, so call it after the block."]


def tape_state(tape: GradientTape, moment: Any, names: Mapping[int, str], asked: int) -> TapeState:
    """The tape as the call found it (from the language's :class:`TapeMoment` when there is one)."""
    if moment is None:
        watched = tuple((names.get(v._id, v.name), AUTOMATIC) for v in tape.watched_variables())
        status = "recording" if tape.recording else "finished"
        return TapeState(tape.persistent, tape.watch_accessed_variables, status, asked, watched)
    watched = tuple((names.get(oid, "?"), how) for oid, how in moment.watched)
    return TapeState(tape.persistent, tape.watch_accessed_variables, moment.status, moment.asked, watched)

"""Turn one gradient call on a tape into a :class:`~adviz.graph.model.Graph`.

The graph holds what the tape recorded and, dimmed, what it saw but did not record, with the
reason in words. Numbers come from the engine's backward steps; nothing is re-derived here.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any, Iterable, Mapping, Protocol, Sequence

import numpy as np

from ..engine import GradientTape, TapeCall, Tensor, Variable, flatten
from .diagnosis import Scene, explain_failure, explain_sources, notes_for, tape_state
from .formulas import chain_lines, derivative_part, inputs_text, op_formula, partial_formula, slot_numbers
from .model import (CONSTANT, LITERAL, OP, TARGET, VARIABLE, VARIABLE_UNTRAINABLE, WATCHED, Edge,
                    Graph, Node, Step)
from .tangent import tangent_schedule
from .texts import forward_words
from .values import format_value, is_zero


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


LABEL_LIMIT = 32


def _subscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _value_of(obj: Any, seen: dict[int, np.ndarray] | None = None) -> np.ndarray:
    """The value an op read (a Variable may have been assigned since), else the current one."""
    if seen and obj._id in seen:
        return seen[obj._id]
    return obj._value._value if isinstance(obj, Variable) else obj._value


def build_graph(tape: GradientTape, call: TapeCall, names: Mapping[int, str] | None = None, *,
                gradient_ranges: Iterable[tuple[int, int]] = (), title: str = "",
                tape_name: str = "tape", history: Any = None, moment: Any = None,
                explain: bool = True, seed: Sequence[Any] | None = None) -> Graph:
    """The graph of ``call`` (one entry of ``tape.calls``).

    ``names`` maps engine ids to the user's names; ``gradient_ranges`` are the id ranges that
    inner gradient calls created, so that their ops, recorded on this tape, are marked.
    ``history`` (an :class:`adviz.engine.history.Witness`) and ``moment`` (the language's
    ``TapeMoment``) let the diagnosis see past the tape; with ``explain`` every source that got
    no gradient gets its ``cause`` (see :mod:`adviz.graph.diagnosis`). ``seed`` gives each source
    its tangent for the forward-mode schedule ``Graph.tangent`` (default: 1 for the first source,
    0 for the others; see :mod:`adviz.graph.tangent`).
    """
    names = names or {}
    ranges = list(gradient_ranges)
    records = list(tape.records[: call.records]) + list(tape.unrecorded[: call.unrecorded])
    records.sort(key=lambda r: r.output._id)
    producer = {r.output._id: r for r in records}

    targets = [t for t in flatten(call.target) if isinstance(t, (Tensor, Variable))]
    sources = [s for s in flatten(call.sources) if isinstance(s, (Tensor, Variable))]
    results = flatten(call.result) if call.kind == "gradient" else [None] * len(sources)

    # The records the targets depend on (recorded or not).
    needed: dict[int, Any] = {}
    stack = [t._id for t in targets]
    seen: set[int] = set()
    while stack:
        oid = stack.pop()
        if oid in seen:
            continue
        seen.add(oid)
        rec = producer.get(oid)
        if rec is not None:
            needed[oid] = rec
            stack.extend(n._id for n in rec.inputs)
    chosen = sorted(needed.values(), key=lambda r: r.output._id)
    read: dict[int, np.ndarray] = {}
    for rec in chosen:
        for n, v in zip(rec.inputs, rec.values):
            read.setdefault(n._id, v._value)

    nodes: dict[str, Node] = {}
    ids: dict[int, str] = {}          # engine id -> node id
    keys: dict[int, str] = {}         # engine id -> structural key
    used_ids: dict[str, int] = {}
    leaves: list[Any] = []
    leaf_seen: set[int] = set()
    for rec in chosen:
        for n in rec.inputs:
            if n._id not in needed and n._id not in leaf_seen:
                leaf_seen.add(n._id)
                leaves.append(n)
    for s in sources:
        if s._id not in needed and s._id not in leaf_seen:
            leaf_seen.add(s._id)
            leaves.append(s)
    for t in targets:
        if t._id not in needed and t._id not in leaf_seen:
            leaf_seen.add(t._id)
            leaves.append(t)

    def unique(node_id: str) -> str:
        count = used_ids.get(node_id, 0)
        used_ids[node_id] = count + 1
        return node_id if count == 0 else f"{node_id}~{count + 1}"

    order = 0
    pending_literals: list[Any] = []
    for leaf in leaves:
        name = names.get(leaf._id)
        if name is None and not isinstance(leaf, Variable) and not tape.is_watched(leaf):
            pending_literals.append(leaf)
            continue
        node = _leaf_node(tape, leaf, name, unique(f"v:{name or 'input'}"), order, read)
        order += 1
        nodes[node.id] = node
        ids[leaf._id] = node.id
        keys[leaf._id] = node.id

    target_ids = {t._id for t in targets}
    handles: dict[str, int] = {}
    for rec in chosen:
        parts = [keys.get(n._id, "#") for n in rec.inputs]
        attrs = "".join(f";{k}={v!r}" for k, v in sorted(rec.attrs.items()))
        key = f"{rec.op.name}({','.join(parts)}{attrs})"
        node_id = unique("o:" + _short_hash(key))
        keys[rec.output._id] = node_id
        ids[rec.output._id] = node_id
        for i, n in enumerate(rec.inputs):
            if n._id not in ids:  # a literal: its id comes from the op that reads it
                lit_id = unique(f"{node_id}/{i}")
                lit = _literal_node(n, lit_id, order, recorded=not rec.reason, read=read)
                order += 1
                nodes[lit_id] = lit
                ids[n._id] = lit_id
                keys[n._id] = lit_id
        labels = [nodes[ids[n._id]].label for n in rec.inputs]
        formula = op_formula(rec.op, labels, rec.attrs)
        name = names.get(rec.output._id)
        is_target = rec.output._id in target_ids
        label = name or formula
        if len(label) > LABEL_LIMIT:
            # Unnamed results nest their inputs' formulas; past a few levels a short handle reads
            # better (and keeps labels from growing with the depth of the graph).
            handles[rec.op.name] = handles.get(rec.op.name, 0) + 1
            label = f"{rec.op.name}{_subscript(handles[rec.op.name])}"
        node = Node(
            id=node_id, kind=TARGET if is_target else OP, label=label, symbol=rec.op.symbol,
            value=rec.output._value, value_text=format_value(rec.output._value),
            recorded=not rec.reason, reason=_op_reason(rec, labels), op=rec.op.name, formula=formula,
            name=name, is_target=is_target, order=order,
            gradient_op=any(lo <= rec.output._id < hi for lo, hi in ranges), group=rec.scope)
        order += 1
        nodes[node_id] = node

    for leaf in pending_literals:   # a target or source that is an unnamed constant
        if leaf._id in ids:
            continue
        lit_id = unique(f"v:{leaf._id}")
        nodes[lit_id] = _literal_node(leaf, lit_id, order, recorded=False)
        ids[leaf._id] = lit_id
        order += 1

    for t in targets:
        nodes[ids[t._id]].is_target = True

    edges: dict[str, Edge] = {}
    edge_of: dict[tuple[int, int], str] = {}
    for rec in chosen:
        op_id = ids[rec.output._id]
        out_label = nodes[op_id].label
        labels = [nodes[ids[n._id]].label for n in rec.inputs]
        slots = slot_numbers([n._id for n in rec.inputs])
        for i, n in enumerate(rec.inputs):
            src = ids[n._id]
            edge_id = f"{src}>{op_id}/{i}"
            edges[edge_id] = Edge(
                id=edge_id, source=src, target=op_id, index=i, recorded=not rec.reason,
                partial_formula=partial_formula(rec.op, i, out_label, labels, rec.attrs, _values(rec), slots[i]))
            edge_of[(rec.output._id, i)] = edge_id

    for s, result in zip(sources, results):
        node = nodes[ids[s._id]]
        node.is_source = True
        node.gradient = None if result is None else np.asarray(result.numpy())
        node.gradient_text = "None" if result is None else ("0" if is_zero(node.gradient) else format_value(node.gradient))

    target_label = " + ".join(nodes[ids[t._id]].label for t in targets) or "target"
    backward = _backward_schedule(call, nodes, edges, ids, edge_of, targets, target_label)
    forward = [Step(k, "forward", n.id, words=forward_words(n))
               for k, n in enumerate(sorted(nodes.values(), key=lambda n: n.order))]
    graph = Graph(nodes=nodes, edges=edges, backward=backward, forward=forward,
                  targets=[ids[t._id] for t in targets], sources=[ids[s._id] for s in sources],
                  title=title, tape={"name": tape_name, "persistent": tape.persistent,
                                     "watch_accessed_variables": tape.watch_accessed_variables})
    graph.tangent, graph.seed = tangent_schedule(chosen, sources, seed, tape.is_watched, nodes, edges, ids, edge_of)
    asked = next((k + 1 for k, c in enumerate(tape.calls) if c is call), len(tape.calls) or 1)
    graph.tape_state = tape_state(tape, moment, names, asked)
    if explain:
        scene = Scene(tape, call, producer, ids, edge_of, names, tape_name or "tape", history, moment)
        explain_sources(graph, scene, targets, sources)
        first = next((n.cause for n in (nodes[i] for i in graph.sources) if n.cause is not None), None)
        if first is not None and backward and backward[0].kind == "seed" and not backward[0].adjoints:
            backward[0].words += " " + first.text      # why, in words, where the picture says nothing flows
    return graph


def forward_mode_graph(tape: GradientTape, call: TapeCall, seed: Sequence[Any] | None = None,
                       names: Mapping[int, str] | None = None, **options: Any) -> Graph:
    """The graph of ``call`` with its forward-mode schedule seeded by ``seed`` (one tangent per
    source of the call; default 1 for the first, 0 for the others): ``Graph.tangent`` and each
    node's ``tangent`` then hold the directional derivative along the seed."""
    return build_graph(tape, call, names, seed=seed, **options)


def _values(rec: Any) -> list[np.ndarray]:
    return [v._value for v in rec.values]


def _leaf_node(tape: GradientTape, leaf: Any, name: str | None, node_id: str, order: int,
               read: dict[int, np.ndarray] | None = None) -> Node:
    watched = tape.is_watched(leaf)
    label = name or "input"
    if isinstance(leaf, Variable):
        kind = VARIABLE if leaf.trainable else VARIABLE_UNTRAINABLE
        if watched:
            reason = ""
        elif not leaf.trainable:
            reason = f"{label} is a non-trainable Variable: tapes do not watch those by themselves"
        elif any(r.reason == "stopped" and any(n is leaf for n in r.inputs) for r in tape.unrecorded):
            reason = f"{label} was read only inside stop_recording(), so the tape never watched it"
        elif not tape.watch_accessed_variables:
            reason = (f"{label} is a Variable, but the tape was made with watch_accessed_variables=False "
                      f"and never told to watch({label})")
        else:
            reason = f"{label} was not read inside the tape's block, so the tape never watched it"
    else:
        kind = WATCHED if watched else CONSTANT
        reason = "" if watched else f"{label} is a constant that was never watched"
    value = _value_of(leaf, read)
    return Node(id=node_id, kind=kind, label=label, symbol=label, value=value,
                value_text=format_value(value), recorded=watched, reason=reason, name=name, order=order)


def _literal_node(leaf: Any, node_id: str, order: int, recorded: bool,
                  read: dict[int, np.ndarray] | None = None) -> Node:
    value = _value_of(leaf, read)
    text = format_value(value)
    return Node(id=node_id, kind=LITERAL, label=text, symbol=text, value=value, value_text=text,
                recorded=recorded, order=order)


def _op_reason(rec: Any, labels: list[str]) -> str:
    if rec.reason == "stopped":
        return "computed inside stop_recording(), so the tape did not record it"
    if rec.reason == "unwatched":
        return f"none of its inputs ({', '.join(labels)}) is watched, so the tape did not record it"
    return ""


def _backward_schedule(call: TapeCall, nodes: dict[str, Node], edges: dict[str, Edge],
                       ids: dict[int, str], edge_of: dict[tuple[int, int], str], targets: list[Any],
                       target_label: str) -> list[Step]:
    bp = call.backward
    if bp is None:
        return []
    running: dict[str, np.ndarray] = {}
    seed_adj = {ids[t]: v for t, v in bp.seeds.items() if t in ids}
    running.update(seed_adj)
    seed_node = next(iter(seed_adj), ids[targets[0]._id] if targets else "")
    whole = derivative_part(target_label)
    schedule = [Step(0, "seed", seed_node, adjoints=dict(seed_adj),
                     upstream=seed_adj.get(seed_node),
                     words=(f"Start at the target: ∂{whole}/∂{whole} = 1"
                            if seed_adj else "The target does not depend on any watched source: nothing flows back."),
                     chain=[f"∂{whole}/∂{whole} = 1"] if seed_adj else [])]
    for k, st in enumerate(bp.steps, start=1):
        rec = st.record
        op_id = ids.get(rec.output._id)
        if op_id is None:
            continue
        out_label = nodes[op_id].label
        step = Step(k, "backward", op_id, upstream=st.upstream)
        lit: list[str] = []
        chain: list[str] = []
        slots = slot_numbers([n._id for n in rec.inputs])
        for i, contribution in enumerate(st.contributions):
            if contribution is None:
                continue
            edge = edges[edge_of[(rec.output._id, i)]]
            in_id = edge.source
            edge.partial_value = st.partials[i]
            edge.partial_text = "" if st.partials[i] is None else format_value(st.partials[i])
            edge.contribution = contribution
            edge.contribution_text = format_value(contribution)
            step.edges.append(edge.id)
            step.contributions[edge.id] = contribution
            before = running.get(in_id)
            if before is not None and in_id not in step.adjoints:   # fan-out: what it had before this step
                step.accumulated[in_id] = before
            running[in_id] = st.adjoints[i]
            step.adjoints[in_id] = st.adjoints[i]
            in_label = nodes[in_id].label
            lit.append(in_label)
            operands = {nodes[ids[n._id]].label: v._value for n, v in zip(rec.inputs, rec.values) if n._id in ids}
            chain.extend(chain_lines(target_label, out_label, in_label, st.upstream, st.partials[i],
                                     contribution, before, st.adjoints[i], slots[i], edge.partial_formula,
                                     operands))
        step.words = (f"Step {k}: the adjoint of {out_label} (∂{whole}/∂{derivative_part(out_label)} = "
                      f"{format_value(st.upstream)}) flows back into {inputs_text(lit)}.")
        step.chain = chain
        schedule.append(step)
    for oid, adj in bp.adjoints.items():
        node_id = ids.get(oid)
        if node_id is not None:
            nodes[node_id].adjoint = adj
            nodes[node_id].adjoint_text = format_value(adj)
    return schedule


class RecordedCall(Protocol):
    """One gradient call of a run, as :func:`graph_for_call` reads it (``adviz.lang.GradientCall``)."""

    kind: str
    tape_index: int
    target: Any
    sources: Any
    target_text: str
    sources_text: str
    tape_call: TapeCall | None
    names: dict[int, str]
    error: Any


class RecordedTape(Protocol):
    """A tape of a run (``adviz.lang.TapeInfo``)."""

    name: Any
    tape: GradientTape


class RecordedRun(Protocol):
    """The tapes and gradient calls of a run (``adviz.lang.Trace``); the graph layer does not
    import the language, so it names only what it reads."""

    @property
    def calls(self) -> Sequence[RecordedCall]: ...

    @property
    def tapes(self) -> Sequence[RecordedTape]: ...


def graph_for_call(trace: RecordedRun, index: int) -> Graph:
    """The graph of gradient call ``index`` of a language trace (``adviz.lang.Trace``).

    A call that raised (a non-persistent tape asked twice) still shows the tape's graph, with
    the error in ``Graph.error`` and its cause in ``Graph.failure`` (its sources then get no
    cause of their own: the failure is the reason). A call inside its tape's ``with`` block gets
    TensorFlow's warning in ``Graph.notes``.
    """
    call = trace.calls[index]
    info = trace.tapes[call.tape_index]
    tape = info.tape
    ranges = [c.tape_call.created for c in trace.calls if c.tape_call is not None and c is not call]
    tape_call = call.tape_call
    if tape_call is None:
        n_sources = len(flatten(call.sources)) if call.sources is not None else 0
        tape_call = TapeCall(call.kind, call.target, call.sources, [None] * n_sources,
                             len(tape.records), len(tape.unrecorded))
    title = f"{call.kind}({call.target_text}, {call.sources_text})"
    moment = getattr(call, "tape_moment", None)
    graph = build_graph(tape, tape_call, call.names, gradient_ranges=ranges, title=title,
                        tape_name=info.name, history=getattr(trace, "history", None), moment=moment,
                        explain=call.error is None)
    if moment is None and graph.tape_state is not None:   # count this tape's calls in the trace
        asked = sum(1 for c in trace.calls[: index + 1] if c.tape_index == call.tape_index)
        graph.tape_state = replace(graph.tape_state, asked=asked)
    name = info.name or "tape"
    if call.error is not None:
        graph.error = str(call.error.message if hasattr(call.error, "message") else call.error)
        earlier = next((c.line for c in reversed(trace.calls[:index]) if c.tape_index == call.tape_index), 0)
        graph.failure = explain_failure(graph.error, getattr(call.error, "kind", ""), getattr(call, "line", 0),
                                        name, call.target_text, earlier)
        if not graph.backward and graph.targets:      # nothing ran backward: the one step says why
            graph.backward = [Step(0, "seed", graph.targets[0], words=f"This call failed: {graph.failure.text}")]
    if graph.tape_state is not None:
        graph.notes = notes_for(graph.tape_state, name, call.kind)
    return graph

"""The forward-mode schedule of a graph: tangents flowing from the sources to the targets.

Each source is seeded with a tangent (by default 1 for the first source, 0 for the others, so
every tangent is ∂value/∂first source). Each step computes one op's tangent as the sum over its
inputs of local partial × the input's tangent: a node with several inputs sums them (a fan-in sum,
the mirror of the backward pass's fan-out sum). The numbers come from the engine's
:func:`~adviz.engine.run_forward`, run on the records the backward pass used; nothing is re-derived.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from ..engine import Record, run_forward
from ..engine.dtypes import is_floating
from .formulas import derivative_part, inputs_text, slot_label, slot_numbers, term
from .model import Edge, Node, Step
from .values import format_value


def dot(label: str) -> str:
    """The tangent's name: ``ẋ`` for a one-letter name; a longer name or a formula gets a dot of
    its own after it (``sin(u)˙``, ``(x·y)˙``), as a combining dot over ``)`` cannot be seen."""
    if len(label) == 1:
        return label + "\u0307"
    return derivative_part(label) + "\u02d9"


def dual_text(value: Any, tangent: Any | None) -> str:
    """The dual number ``a + b·ε`` (``b`` is 0 where no tangent reaches)."""
    b = "0" if tangent is None else format_value(tangent)
    if b.startswith("−"):   # a negative scalar: a − b·ε
        return f"{format_value(value)} − {b[1:]}·ε"
    return f"{format_value(value)} + {b}·ε"


def default_seed(sources: Sequence[Any]) -> list[np.ndarray]:
    """1 (ones of its shape) for the first source, 0 for the others."""
    return [np.full(np.shape(s), 1.0 if k == 0 else 0.0) for k, s in enumerate(sources)]


def fan_in_sum(step: Step) -> str:
    """``c₁ + c₂ = total`` at a step where several inputs carry tangents into ``step.node``."""
    parts = [term(format_value(step.contributions[e])) for e in step.edges]
    return f"{' + '.join(parts)} = {format_value(step.tangents[step.node])}"


def tangent_schedule(records: Sequence[Record], sources: Sequence[Any], seed: Sequence[Any] | None,
                     watched: Any, nodes: dict[str, Node], edges: dict[str, Edge], ids: Mapping[int, str],
                     edge_of: Mapping[tuple[int, int], str]) -> tuple[list[Step], dict[str, np.ndarray]]:
    """The forward-mode steps over the recorded ``records`` and the seed per source node id.

    ``seed`` gives one tangent per source (None: :func:`default_seed`); only sources the tape
    watched (``watched(source)``) and of floating dtype carry one, as only they get gradients.
    Fills each reached node's ``tangent`` and each used edge's ``tangent_product``.
    """
    seed = default_seed(sources) if seed is None else list(seed)
    if len(seed) != len(sources):
        raise ValueError(f"the seed has {len(seed)} tangents for {len(sources)} sources")
    seeds: dict[int, np.ndarray] = {}
    for s, t in zip(sources, seed):
        if t is not None and watched(s) and is_floating(s.dtype) and s._id in ids:
            seeds[s._id] = np.broadcast_to(np.asarray(t, dtype=s.dtype), s.shape).copy()
    with np.errstate(all="ignore"):   # an inf or nan tangent is shown and explained, not warned about
        fp = run_forward([r for r in records if not r.reason], seeds)
    seeded = {ids[k]: v for k, v in fp.seeds.items()}
    first = next(iter(seeded), ids[sources[0]._id] if sources and sources[0]._id in ids else "")
    schedule = [Step(0, "tangent-seed", first, tangents=dict(seeded),
                     words=("Seed the sources' tangents: " + ", ".join(
                         f"{dot(nodes[n].label)} = {format_value(v)}" for n, v in seeded.items()) + "."
                            if seeded else "No watched source to seed: no tangent flows."),
                     chain=[f"{dot(nodes[n].label)} = {format_value(v)}" for n, v in seeded.items()])]
    for k, st in enumerate(fp.steps, start=1):
        rec = st.record
        node_id = ids.get(rec.output._id)
        if node_id is None:
            continue
        out = nodes[node_id].label
        step = Step(k, "tangent", node_id, tangents={node_id: st.tangent})
        slots = slot_numbers([n._id for n in rec.inputs])
        lit: list[str] = []
        for i, c in enumerate(st.contributions):
            if c is None:
                continue
            edge = edges[edge_of[(rec.output._id, i)]]
            inp = nodes[edge.source].label
            edge.tangent_product = c
            edge.tangent_product_text = _product(out, inp, slots[i], st.partials[i], st.tangents[i], c)
            step.edges.append(edge.id)
            step.contributions[edge.id] = c
            step.chain.append(f"{dot(out)} ∋ {edge.tangent_product_text}")
            lit.append(inp)
        if len(step.edges) > 1:
            step.chain.append(f"{dot(out)} = {fan_in_sum(step)}   "
                              f"({out} has {len(step.edges)} inputs carrying tangents: the contributions add up)")
        elif step.chain:
            step.chain[0] = step.chain[0].replace("∋", "=", 1)
        flow = "tangent of {} flows" if len(lit) == 1 else "tangents of {} flow"
        step.words = (f"Step {k}: the {flow.format(inputs_text(lit))} into {out}: "
                      f"{dot(out)} = {format_value(st.tangent)}.")
        schedule.append(step)
    for oid, t in fp.tangents.items():
        node_id = ids.get(oid)
        if node_id is not None:
            nodes[node_id].tangent = np.asarray(t)
            nodes[node_id].tangent_text = format_value(t)
    for node in nodes.values():
        node.dual_text = dual_text(node.value, node.tangent)
    return schedule, seeded


def _product(out: str, inp: str, slot: int | None, partial: Any, tangent: Any, contribution: Any) -> str:
    # ∂u/∂x · ẋ = partial × tangent = contribution; a structural op carries ẋ through its rule.
    if partial is None:
        return f"{dot(inp)} through {out} = {format_value(contribution)}"
    return (f"∂{derivative_part(out)}/∂{slot_label(inp, slot)} · {dot(inp)} = {term(format_value(partial))} × "
            f"{term(format_value(tangent))} = {format_value(contribution)}")

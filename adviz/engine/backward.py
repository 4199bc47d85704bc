"""The backward pass as data: one :class:`BackwardStep` per recorded op, newest first.

``GradientTape.gradient`` and the visualiser's animation both run :func:`run_backward`, so the
picture and the answer come from one computation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Sequence

import numpy as np

from .backends import NUMPY, TENSORS
from .dtypes import is_floating
from .ops import MINUS_ONE, ONE
from .recording import Operand, Record, differentiating
from .shapes import Backend, sum_to_shape
from .tensor import Tensor, Variable


class Recorded(Protocol):
    """What the backward pass reads from a tape."""

    @property
    def records(self) -> tuple[Record, ...]: ...

    def is_watched(self, node: Operand) -> bool: ...


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """The adjoint of ``record.output`` flowing back into the record's inputs.

    For input ``i`` (``None`` where that input leads to no source): ``partials[i]`` is the local
    partial ∂output/∂input (elementwise ops; ``None`` for structural ones), ``contributions[i]``
    is upstream × local partial summed back to the input's shape, and ``adjoints[i]`` the
    input's adjoint after adding that contribution.
    """

    index: int
    record: Record
    upstream: np.ndarray
    partials: tuple[np.ndarray | None, ...]
    contributions: tuple[np.ndarray | None, ...]
    adjoints: tuple[np.ndarray | None, ...]


@dataclass(frozen=True)
class BackwardPass:
    """The result of one backward pass: its steps, the adjoint of every node id, the gradients."""

    steps: tuple[BackwardStep, ...]
    adjoints: dict[int, np.ndarray]
    seeds: dict[int, np.ndarray]
    gradients: tuple[Tensor | None, ...]


def _reachable(records: Sequence[Record], sources: set[int]) -> set[int]:
    """Floating-point ids that depend on a source through recorded ops (only these need
    adjoints; an integer value, or an op with no partial such as stop_gradient, stops the gradient)."""
    reach = set(sources)
    for rec in records:
        for n in rec.inputs:
            if n._id in reach:
                if rec.output._value.dtype.kind == "f" and not rec.op.stops_gradient:
                    reach.add(rec.output._id)
                break
    return reach


def run_backward(tape: Recorded, targets: list[Operand], sources: list[Operand], seeds: list[Any] | None,
                 keep_steps: bool) -> BackwardPass:
    """Propagate adjoints from ``targets`` back through ``tape``'s records to ``sources``.

    A source gets a gradient only if the tape watched it (or recorded the op that made it) and
    a recorded path joins it to a target. When another tape is recording, the arithmetic runs
    on recorded tensors so that gradients can be differentiated again.
    """
    m = TENSORS if differentiating() else NUMPY
    records = tape.records  # a snapshot: this pass may itself be recorded on the tape
    source_ids = {s._id for s in sources if tape.is_watched(s) and is_floating(s.dtype)}
    reach = _reachable(records, source_ids)

    adj: dict[int, Any] = {}
    seed_values: dict[int, Any] = {}
    for k, t in enumerate(targets):
        if t is None:
            raise TypeError("a target is None")
        tid = t._id
        value = t._value if isinstance(t, Variable) else t
        if seeds is not None:
            seed = seeds[k]
            seed = seed if m is TENSORS else np.asarray(seed._value if isinstance(seed, Tensor) else seed,
                                                        dtype=value.dtype)
            if m is TENSORS and not isinstance(seed, Tensor):
                seed = Tensor(np.array(seed, dtype=value.dtype))
        else:
            ones = np.ones(value.shape, dtype=value.dtype)
            seed = Tensor(ones) if m is TENSORS else ones
        if tid in reach and is_floating(value.dtype):
            adj[tid] = adj[tid] + seed if tid in adj else seed
            seed_values[tid] = seed

    numeric = m is NUMPY
    steps: list[BackwardStep] = []
    hook = tape.step_hook  # whoever runs the tape may watch (and stop) a long pass step by step
    for index in range(len(records) - 1, -1, -1):
        rec = records[index]
        g = adj.get(rec.output._id)
        if g is None:  # off the path (adjoints only ever exist for floating values)
            continue
        if hook is not None:
            hook(rec, keep_steps)
        op, inputs, values, out, attrs, _ = rec
        xs = None  # the rule's arguments, made only if a rule needs them
        n = len(inputs)
        if keep_steps:
            partials: list[Any] = [None] * n
            contribs: list[Any] = [None] * n
            after: list[Any] = [None] * n
        for i in range(n):
            nid = inputs[i]._id
            if nid not in reach:
                continue
            value = values[i]._value
            if op.elementwise:
                p = op.partials[i]
                if p is ONE:
                    c, p = g, 1.0
                elif p is MINUS_ONE:
                    c, p = -g, -1.0
                else:
                    if xs is None:
                        xs, outv = rule_arguments(m, inputs, values, out, numeric)
                    p = p(m, outv, *xs, **attrs)
                    c = g * p
                if not numeric or getattr(c, "shape", None) != value.shape:
                    c = sum_to_shape(m, c, value.shape)
            else:
                if xs is None:
                    xs, outv = rule_arguments(m, inputs, values, out, False)
                p = None
                c = op.vjps[i](m, g, outv, *xs, **attrs)
                if numeric:
                    c = np.asarray(c)
            prev = adj.get(nid)
            adj[nid] = c if prev is None else prev + c
            if keep_steps:
                partials[i], contribs[i], after[i] = p, c, adj[nid]
        if keep_steps:
            steps.append(BackwardStep(index, rec, _arr(g), tuple(_arr(p) for p in partials),
                              tuple(_arr(c) for c in contribs), tuple(_arr(a) for a in after)))

    gradients = []
    for s in sources:
        g = adj.get(s._id) if s._id in source_ids else None
        if g is not None and m is NUMPY:
            g = Tensor(np.array(g, dtype=s.dtype))
        gradients.append(g)
    return BackwardPass(tuple(steps), {k: _arr(v) for k, v in adj.items()} if keep_steps else {},
                        {k: _arr(v) for k, v in seed_values.items()}, tuple(gradients))


def rule_arguments(m: Backend, inputs: tuple[Operand, ...], values: tuple[Tensor, ...], out: Tensor,
               scalars: bool) -> tuple[list[Any], Any]:
    """What a rule receives for the inputs and the output of one record (both passes use it)."""
    if m is TENSORS:
        # A Variable stands for itself (so an outer tape links back to it) only while it
        # still holds the value the op read; after an assign the recorded value is used.
        return [n if n._value is v else v for n, v in zip(inputs, values)], out
    outv = out._value
    if scalars and not outv.ndim:
        # 0-d arrays as numpy scalars: the same numbers, several times faster arithmetic.
        # (An elementwise op's output is 0-d only when all its inputs are.)
        xs = []
        for v in values:
            xs.append(v._value[()])
        return xs, outv[()]
    return [v._value for v in values], outv


def _arr(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, Tensor):
        return x._value
    return np.asarray(x)

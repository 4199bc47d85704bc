"""Forward mode: tangents carried along with values, as data and as ``tf.autodiff.ForwardAccumulator``.

Every value ``a`` gets a tangent ``ȧ`` (a dual number ``a + ȧ·ε``). An op's output tangent is
the sum over its inputs of (local partial × input tangent) for elementwise rows, or the row's
``jvps`` rule for structural ones (see :mod:`adviz.engine.ops`). :func:`tangent_step` is that one
computation: :class:`ForwardAccumulator` runs it as ops execute, :func:`run_forward` replays
recorded ops with it, so the picture of forward mode and ``acc.jvp`` give the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .backends import NUMPY, TENSORS
from .backward import rule_arguments
from .dtypes import is_floating
from .ops import MINUS_ONE, ONE
from .recording import _STACK as STACK, Record, TapeState, enclosing_only, pop, push
from .shapes import Backend
from .tape import UnconnectedGradients, flatten, unconnected_mode, unflatten
from .tensor import Tensor, Variable, to_array


@dataclass(frozen=True, slots=True)
class ForwardStep:
    """Tangents flowing through one record into its output.

    For input ``i`` (``None`` where it carries no tangent): ``tangents[i]`` is its tangent,
    ``partials[i]`` the local partial ∂output/∂input (elementwise ops; ``None`` for structural
    ones) and ``contributions[i]`` partial × tangent at the output's shape. ``tangent`` is their sum.
    """

    index: int
    record: Record
    tangents: tuple[np.ndarray | None, ...]
    partials: tuple[np.ndarray | None, ...]
    contributions: tuple[np.ndarray | None, ...]
    tangent: np.ndarray


@dataclass(frozen=True)
class ForwardPass:
    """One forward-mode pass: its steps, the tangent of every engine id it reached, the seeds."""

    steps: tuple[ForwardStep, ...]
    tangents: dict[int, np.ndarray]
    seeds: dict[int, np.ndarray]


def tangent_step(m: Backend, rec: Record, tangents: Sequence[Any]) -> tuple[list[Any], list[Any], Any] | None:
    """``(partials, contributions, output tangent)`` of one record, or None if no tangent reaches
    its output (no input has one, the op stops gradients, or the output is not floating-point)."""
    op, inputs, values, out, attrs = rec[:5]
    if op.stops_gradient or not is_floating(out._value.dtype):
        return None
    n = len(inputs)
    partials: list[Any] = [None] * n
    contribs: list[Any] = [None] * n
    total = None
    xs = outv = None
    shape = out._value.shape
    for i, t in enumerate(tangents):
        if t is None:
            continue
        if xs is None:
            # Plain numbers for scalar elementwise ops: the same values, far cheaper arithmetic.
            xs, outv = rule_arguments(m, inputs, values, out, op.elementwise)
        if op.elementwise:
            p = op.partials[i]
            if p is None:
                continue
            if p is ONE:
                c, p = t, 1.0
            elif p is MINUS_ONE:
                c, p = -t, -1.0
            else:
                # Exact for elementwise functions: d op(x) = op'(x) · dx, element by element.
                p = p(m, outv, *xs, **attrs)
                c = p * t
            if tuple(m.shape(c)) != shape:
                c = m.broadcast_to(c, shape)
        else:
            p = None
            c = op.jvps[i](m, t, outv, *xs, **attrs)
        if m is NUMPY:
            c = np.asarray(c, dtype=out._value.dtype)
        partials[i], contribs[i] = p, c
        total = c if total is None else total + c
    if total is None:
        return None
    return partials, contribs, total


def run_forward(records: Sequence[Record], seeds: dict[int, Any], keep_steps: bool = True) -> ForwardPass:
    """Carry the tangents ``seeds`` (engine id -> tangent) through ``records`` in execution order."""
    tangents: dict[int, Any] = {k: np.asarray(_arr(v)) for k, v in seeds.items()}
    steps: list[ForwardStep] = []
    for index, rec in enumerate(records):
        incoming = [tangents.get(n._id) for n in rec.inputs]
        if all(t is None for t in incoming):
            continue
        result = tangent_step(NUMPY, rec, incoming)
        if result is None:
            continue
        partials, contribs, total = result
        tangents[rec.output._id] = total
        if keep_steps:
            steps.append(ForwardStep(index, rec, tuple(incoming), tuple(_arr(p) for p in partials),
                                     tuple(contribs), total))
    return ForwardPass(tuple(steps), tangents, {k: tangents[k] for k in seeds})


class ForwardAccumulator(TapeState):
    """Forward-mode autodiff (``tf.autodiff.ForwardAccumulator``): inside its ``with`` block, ops on
    ``primals`` carry tangents, and ``jvp(target)`` is the Jacobian-vector product J·tangents.

    Its tangent arithmetic is recorded by the tapes and accumulators that enclose it, so a
    ``GradientTape`` around it differentiates a JVP (reverse over forward); inside it, a tape's
    ``gradient`` runs on recorded tensors, so ``jvp`` of a gradient is a Hessian-vector product.
    """

    _accumulator = True

    def __init__(self, primals: Any, tangents: Any) -> None:
        super().__init__(watch_accessed_variables=False)
        flat_p, flat_t = flatten(primals), flatten(tangents)
        if len(flat_p) != len(flat_t):
            raise ValueError(f"ForwardAccumulator got {len(flat_p)} primals but {len(flat_t)} tangents")
        self._tangents: dict[int, Any] = {}
        for k, (p, t) in enumerate(zip(flat_p, flat_t)):
            if not isinstance(p, (Tensor, Variable)):
                raise TypeError(f"primal {k} is a {type(p).__name__}, not an adviz.Tensor or adviz.Variable")
            value = t if isinstance(t, Tensor) else Tensor(np.array(to_array(t, dtype=p.dtype)))
            if tuple(value.shape) != tuple(p.shape):
                raise ValueError(f"tangent {k} has shape {tuple(value.shape)} but its primal has shape {tuple(p.shape)}")
            if is_floating(p.dtype):
                self._tangents[p._id] = value

    def __enter__(self) -> "ForwardAccumulator":
        self._recording = True
        push(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._recording = False
        pop(self)

    def carry(self, rec: Record) -> None:
        """An op ran inside the block: give its output a tangent (called by the recording module)."""
        # The hot path of forward mode: every op inside the block passes here once.
        tangents = self._tangents
        ins = rec[1]
        if len(ins) == 1:
            t = tangents.get(ins[0]._id)
            if t is None:
                return
            incoming: Sequence[Any] = (t,)
        elif len(ins) == 2:
            t, u = tangents.get(ins[0]._id), tangents.get(ins[1]._id)
            if t is None and u is None:
                return
            incoming = (t, u)
        else:
            incoming = [tangents.get(n._id) for n in ins]
            if all(t is None for t in incoming):
                return
        for tape in STACK:
            if tape is self:
                break
            if tape._recording and not tape._stopped:
                # A tape outside records the tangent's arithmetic, so that it can be differentiated.
                with enclosing_only(self):
                    result = tangent_step(TENSORS, rec, list(incoming))
                if result is not None:
                    tangents[rec[3]._id] = result[2]
                return
        # Nothing outside records: plain numpy, and the tape stack is left as it is.
        op = rec[0]
        outv = rec[3]._value
        if op.elementwise and not outv.ndim:
            # Scalars: numpy scalars rather than 0-d arrays, the same numbers, far cheaper arithmetic.
            dtype = outv.dtype
            if dtype.kind != "f":
                return
            kind = dtype.type
            xs = None
            total = None
            i = 0
            for p in op.partials:         # (indexing: cheaper than zip on this path)
                t = incoming[i]
                i += 1
                if t is None or p is None:
                    continue
                if type(t) is not kind:
                    t = kind(_arr(t))
                if p is ONE:
                    c = t
                elif p is MINUS_ONE:
                    c = -t
                else:
                    if xs is None:
                        xs = [v._value[()] for v in rec[2]]
                        o = outv[()]
                        attrs = rec[4]
                    c = (p(NUMPY, o, *xs, **attrs) if attrs else p(NUMPY, o, *xs)) * t
                total = c if total is None else total + c
            if total is not None and type(total) is not kind:
                total = kind(total)
        else:
            result = tangent_step(NUMPY, rec, [_arr(t) for t in incoming])
            total = None if result is None else result[2]
        if total is not None:
            tangents[rec[3]._id] = total

    def jvp(self, primals: Any, unconnected_gradients: Any = UnconnectedGradients.NONE) -> Any:
        """The tangent of each value in ``primals`` (a nested structure): None, or zeros with
        ``UnconnectedGradients.ZERO``, for a value that does not depend on the accumulator's primals."""
        mode = unconnected_mode(unconnected_gradients)
        out = []
        for p in flatten(primals):
            if not isinstance(p, (Tensor, Variable)):
                raise TypeError(f"jvp() takes tensors, got {type(p).__name__}")
            t = self._tangents.get(p._id)
            if t is None:
                zero = mode is UnconnectedGradients.ZERO and is_floating(p.dtype)
                out.append(Tensor(np.zeros(p.shape, dtype=p.dtype)) if zero else None)
            else:
                out.append(t if isinstance(t, Tensor) else Tensor(np.array(t, dtype=p.dtype)))
        return unflatten(primals, iter(out))


def _arr(x: Any) -> Any:
    if x is None or isinstance(x, np.ndarray):
        return x
    if isinstance(x, Tensor):
        return x._value
    return np.asarray(x)

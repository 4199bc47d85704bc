"""Recording: the stack of open tapes, :class:`Record`, and :func:`apply`, which runs every op.

The stack is the engine's only global state. A tape's state (what it recorded, what it
watches) is a :class:`TapeState`, defined here because recording is what writes it;
:class:`~adviz.engine.tape.GradientTape` adds the user-facing methods.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, NamedTuple

import numpy as np

from .dtypes import public
from .errors import mixed_dtypes, shape_mismatch
from .ops import OPS, Op
from .tensor import Tensor, Variable, set_op_runner, to_array

# What an op reads: a tensor, or a Variable (kept as itself, so its identity survives).
Operand = Tensor | Variable


class Record(NamedTuple):
    """One executed primitive: ``output = op(*values, **attrs)``.

    ``inputs`` are the objects the op read (a Variable stays a Variable, so its identity is
    kept), ``values`` the tensors they held at that moment. ``reason`` is empty for a record a
    tape kept; for one it only saw it says why it was not recorded (``"unwatched"``,
    ``"stopped"``). Immutable; a named tuple rather than a frozen dataclass because one is made
    for every recorded op and a tuple is made three times faster.
    """

    op: Op
    inputs: tuple[Operand, ...]
    values: tuple[Tensor, ...]
    output: Tensor
    attrs: dict[str, Any]
    reason: str = ""
    scope: tuple[str, ...] = ()   # the scopes (function, module, layer) the op was made in, outermost first


class TapeState:
    """What recording writes into: a tape's records, the records it only saw, and its watch set."""

    _witness = False   # a history keeper (adviz.engine.history.Witness) rather than a tape
    _accumulator = False   # a forward-mode accumulator (adviz.engine.forward.ForwardAccumulator)

    def __init__(self, watch_accessed_variables: bool) -> None:
        self._watch_accessed = bool(watch_accessed_variables)
        self._records: list[Record] = []
        self._unrecorded: list[Record] = []
        self._watched: dict[int, Operand] = {}
        self._variables: list[Variable] = []
        self._recording = False
        self._stopped = False

    def _watch_one(self, node: Operand) -> None:
        if node._id in self._watched:
            return
        self._watched[node._id] = node
        if isinstance(node, Variable):
            self._variables.append(node)


# Tapes whose ``with`` block is open, innermost last. The only global state of the engine.
_STACK: list[TapeState] = []


def push(tape: TapeState) -> None:
    """Open ``tape``: ops from now on are offered to it."""
    _STACK.append(tape)


def pop(tape: TapeState) -> None:
    """Close ``tape`` (wherever it is on the stack; a closed tape is left alone)."""
    if tape in _STACK:
        _STACK.remove(tape)


# The grouping scopes open now (a script function, a module, a Keras layer), outermost first.
# One tuple, replaced only when a scope opens or closes, so every record shares it.
_SCOPE: tuple[str, ...] = ()


@contextmanager
def scope(name: str) -> Iterator[None]:
    """Ops run inside the block are recorded as made in ``name`` (inside the scopes open now)."""
    global _SCOPE
    outer = _SCOPE
    _SCOPE = (*outer, name)
    try:
        yield
    finally:
        _SCOPE = outer


def current_scope() -> tuple[str, ...]:
    """The grouping scopes open now, outermost first."""
    return _SCOPE


def open_tapes() -> tuple[TapeState, ...]:
    """The tapes whose ``with`` block is open, innermost last."""
    return tuple(_STACK)


@contextmanager
def enclosing_only(tape: TapeState) -> Iterator[None]:
    """Within the block only what encloses ``tape`` sees ops: an accumulator's own arithmetic is
    recorded by the tapes outside it (so it can be differentiated again), never by itself."""
    if tape not in _STACK:
        yield
        return
    here = _STACK.index(tape)
    inner = _STACK[here:]
    del _STACK[here:]
    try:
        yield
    finally:
        _STACK.extend(inner)


def differentiating() -> bool:
    """Whether some open tape records now: a backward pass run now must itself be recorded."""
    return any(t._recording and not t._stopped for t in _STACK)


def _check_dtypes(op: Op, values: tuple[Tensor, ...]) -> None:
    first = values[0]._value.dtype
    for index, v in enumerate(values[1:], 1):
        if v._value.dtype != first:
            raise mixed_dtypes(op.name, index, public(first).kernel_name, public(v._value.dtype).kernel_name)


def apply(op: Op, args: tuple[Any, ...], attrs: dict[str, Any]) -> Tensor:
    """Run ``op`` on ``args`` and let every open tape record (or note) it."""
    # The hot path of the engine: every op passes here once. Arities 1 and 2 are spelled out
    # and plain tensor arguments skip the conversion loop.
    n = len(args)
    if n == 2:
        a, b = args
        if type(a) is Tensor and type(b) is Tensor:
            inputs = values = args if type(args) is tuple else (a, b)
        else:
            inputs, values = _convert(args)
            a, b = values
        x, y = a._value, b._value
        if x.dtype != y.dtype:
            _check_dtypes(op, values)
        arrays: tuple[np.ndarray, ...] = (x, y)
    elif n == 1:
        a = args[0]
        if type(a) is Tensor:
            inputs = values = (a,)
        else:
            inputs, values = _convert(args)
        arrays = (values[0]._value,)
    else:
        inputs, values = _convert(args)
        arrays = tuple([v._value for v in values])
        _check_dtypes(op, values)
    try:
        result = op.forward(*arrays, **attrs)
    except ValueError as exc:
        problem = op.shape_problem and op.shape_problem([v.shape for v in values])
        if problem:
            raise shape_mismatch(op.name, [tuple(v.shape) for v in values], problem) from None
        shapes = " and ".join(str(v.shape) for v in values)
        raise ValueError(f"{op.name}: incompatible shapes {shapes}: {exc}") from None
    # ufuncs on 0-d arrays return numpy scalars; a fresh ndarray result is used as it is.
    out = Tensor(result if type(result) is np.ndarray else np.asanyarray(result))
    if _STACK:
        _record(op, inputs, values, out, attrs)
    return out


def _convert(args: tuple[Any, ...]) -> tuple[tuple[Operand, ...], tuple[Tensor, ...]]:
    """The inputs an op reads and the tensors they hold: Variables are read (and so watched),
    numbers and lists become tensors of the first tensor argument's dtype where they fit."""
    hint = None
    for a in args:
        if isinstance(a, Tensor):
            hint = a._value.dtype
            break
        if isinstance(a, Variable):
            hint = a._value._value.dtype
            break
    inputs: list[Operand] = []
    values: list[Tensor] = []
    for a in args:
        if isinstance(a, Tensor):
            inputs.append(a)
            values.append(a)
        elif isinstance(a, Variable):
            read_variable(a)
            inputs.append(a)
            values.append(a._value)
        else:
            array = np.array(to_array(a, hint=hint))
            if hint is not None and hint.kind in "iub" and array.dtype.kind == "f":
                raise TypeError(f"Cannot convert {a} to EagerTensor of dtype {public(hint).name}")
            t = Tensor(array)
            inputs.append(t)
            values.append(t)
    return tuple(inputs), tuple(values)


def _record(op: Op, inputs: tuple[Operand, ...], values: tuple[Tensor, ...], out: Tensor,
            attrs: dict[str, Any]) -> None:
    kept = stopped = unwatched = None
    group = _SCOPE
    for tape in _STACK:
        if tape._witness:
            tape.see(op, inputs, out)  # type: ignore[attr-defined]
            continue
        if tape._accumulator:
            # The tapes outside it (before it on the stack) have recorded the op, so they can
            # record its tangent's arithmetic too; the tapes inside it never see that.
            if kept is None:
                kept = Record(op, inputs, values, out, attrs, "", group)
            tape.carry(kept)  # type: ignore[attr-defined]
            continue
        if tape._stopped:
            stopped = stopped or Record(op, inputs, values, out, attrs, "stopped", group)
            tape._unrecorded.append(stopped)
            continue
        watched = tape._watched
        for n in inputs:
            if n._id in watched:
                if kept is None:
                    kept = Record(op, inputs, values, out, attrs, "", group)
                tape._records.append(kept)
                watched[out._id] = out
                break
        else:
            unwatched = unwatched or Record(op, inputs, values, out, attrs, "unwatched", group)
            tape._unrecorded.append(unwatched)


def read_variable(var: Variable) -> Tensor:
    """A Variable is being read: tapes that watch accessed variables start watching it."""
    for tape in _STACK:
        if tape._watch_accessed and var._trainable and not tape._stopped and var._id not in tape._watched:
            tape._watch_one(var)
    return var._value


# Tensors' operators run through apply; tensor.py cannot import this module, so it is told here.
set_op_runner(apply, OPS)

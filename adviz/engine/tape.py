"""The user's side of recording: :class:`GradientTape`, its ``gradient`` and ``jacobian``."""
from __future__ import annotations

import enum
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from .backward import BackwardPass, run_backward
from .dtypes import is_floating
from .ops import OPS
from .recording import Operand, Record, TapeState, apply, differentiating, pop, push
from .tensor import Tensor, Variable, next_id


@dataclass(frozen=True)
class TapeCall:
    """One ``gradient`` or ``jacobian`` call, as the tape saw it.

    ``records``/``unrecorded`` say how many of the tape's records existed at the call, so a
    persistent tape that keeps recording afterwards still shows the graph the call used.
    ``backward`` holds the steps when the tape's ``keep_steps`` was set.
    """

    kind: str
    target: Any
    sources: Any
    result: Any
    records: int
    unrecorded: int
    backward: BackwardPass | None = None
    # Ids of the tensors the call itself created: recorded on an outer tape, they are gradient ops.
    created: tuple[int, int] = (0, 0)


class TapeWarning(UserWarning):
    """What TensorFlow logs as ``WARNING:tensorflow:`` about a tape; it logs each kind only the
    first ``limit`` times in a program."""

    limit = 1


class WatchDtypeWarning(TapeWarning):
    limit = 5


class PersistentInsideWarning(TapeWarning):
    limit = 1


PERSISTENT_INSIDE = ("Calling GradientTape.gradient on a persistent tape inside its context is significantly "
                     "less efficient than calling it outside the context (it causes the gradient ops to be "
                     "recorded on the tape, leading to increased CPU and memory usage). Only call "
                     "GradientTape.gradient inside the context if you actually want to trace the gradient "
                     "in order to compute higher order derivatives.")


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


def flatten(structure: Any) -> list[Any]:
    """The leaves of nested lists, tuples and dicts, in order (how TensorFlow walks structures)."""
    if isinstance(structure, dict):
        return [leaf for key in structure for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def unflatten(structure: Any, leaves: Iterator[Any]) -> Any:
    """``structure`` with its leaves replaced, in order, by ``leaves`` (the inverse of :func:`flatten`)."""
    if isinstance(structure, dict):
        return {key: unflatten(structure[key], leaves) for key in structure}
    if isinstance(structure, (list, tuple)):
        items = [unflatten(item, leaves) for item in structure]
        return items if isinstance(structure, list) else tuple(items)
    return next(leaves)


def unconnected_mode(value: Any) -> UnconnectedGradients:
    """``value`` (an :class:`UnconnectedGradients` or its string) as the enum."""
    if isinstance(value, UnconnectedGradients):
        return value
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


class GradientTape(TapeState):
    """Records operations on watched tensors so they can be differentiated (``tf.GradientTape``)."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        super().__init__(watch_accessed_variables)
        self._persistent = bool(persistent)
        self._used = False
        self.calls: list[TapeCall] = []
        # When set, each gradient() keeps its backward pass (the steps) in ``calls``.
        self.keep_steps = False
        # Called as ``step_hook(record, keep_steps)`` before each step of a backward pass, so
        # that a caller can count the work or stop a long pass by raising.
        self.step_hook: Callable[[Record, bool], None] | None = None

    # -- recording ------------------------------------------------------------------
    def __enter__(self) -> "GradientTape":
        if self._recording:
            raise ValueError("Tape is still recording, this can happen if you try to re-enter an already-active tape.")
        self._recording = True
        push(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._recording = False
        pop(self)

    @property
    def persistent(self) -> bool:
        return self._persistent

    @property
    def watch_accessed_variables(self) -> bool:
        return self._watch_accessed

    @property
    def recording(self) -> bool:
        """Whether the tape's ``with`` block is open (even inside ``stop_recording()``)."""
        return self._recording

    @property
    def stopped(self) -> bool:
        """Whether the tape is inside ``stop_recording()``."""
        return self._stopped

    @property
    def used(self) -> bool:
        """Whether ``gradient`` or ``jacobian`` was called since the tape was made or reset."""
        return self._used

    @property
    def records(self) -> tuple[Record, ...]:
        """What this tape recorded, in execution order."""
        return tuple(self._records)

    @property
    def unrecorded(self) -> tuple[Record, ...]:
        """Ops that ran inside the block but were not recorded, each with its reason (display only)."""
        return tuple(self._unrecorded)

    def is_watched(self, node: Operand) -> bool:
        """Whether ``node`` is watched, or was produced by a recorded op."""
        return node._id in self._watched

    def watch(self, tensor: Any) -> None:
        """Watch a tensor, a Variable, or a nested list of them, so ops on it are recorded."""
        for leaf in flatten(tensor):
            if not isinstance(leaf, (Tensor, Variable)):
                raise ValueError(f"Passed in object {leaf!r} of type {type(leaf).__name__!r}, "
                                 "not an adviz.Tensor or adviz.Variable.")
            if not is_floating(leaf.dtype):
                warnings.warn(f"The dtype of the watched tensor must be floating (e.g. tf.float32), "
                              f"got {leaf.dtype!r}", WatchDtypeWarning, stacklevel=2)
            self._watch_one(leaf)

    def watched_variables(self) -> tuple[Variable, ...]:
        """The Variables this tape watched, in the order it first saw them."""
        return tuple(self._variables)

    @contextmanager
    def stop_recording(self) -> Iterator[None]:
        """Temporarily stop recording: ops in this block are seen but not recorded."""
        if not self._recording:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        self._stopped = True
        try:
            yield
        finally:
            self._stopped = False

    def reset(self) -> None:
        """Forget everything recorded so far; a recording tape keeps recording."""
        self._records.clear()
        self._unrecorded.clear()
        self._watched.clear()
        self._variables.clear()
        self._used = False

    # -- differentiation ------------------------------------------------------------
    def _consume(self) -> None:
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set of "
                               "gradients (or jacobians)")
        self._used = True

    def backward(self, target: Any, sources: Any, output_gradients: Any = None) -> BackwardPass:
        """The backward pass as an explicit list of steps (see :mod:`adviz.engine.backward`).

        Does not count as the tape's one use; ``gradient`` sums exactly these steps.
        """
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received None.")
        targets = flatten(target)
        seeds = None if output_gradients is None else _check_seeds(targets, flatten(output_gradients))
        return run_backward(self, targets, flatten(sources), seeds, keep_steps=True)

    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: Any = UnconnectedGradients.NONE) -> Any:
        """d(sum of targets)/d(source) for every source, in the structure of ``sources``."""
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received None.")
        mode = unconnected_mode(unconnected_gradients)
        self._consume()
        if self._recording and self._persistent:
            warnings.warn(PERSISTENT_INSIDE, PersistentInsideWarning, stacklevel=2)
        flat_sources = flatten(sources)
        for s in flat_sources:
            if not isinstance(s, (Tensor, Variable)):
                raise ValueError(f"sources must be tensors or Variables, got {type(s).__name__}")
        targets = flatten(target)
        seeds = None if output_gradients is None else _check_seeds(targets, flatten(output_gradients))
        n_records, n_unrecorded = len(self._records), len(self._unrecorded)
        first = next_id()
        result = run_backward(self, targets, flat_sources, seeds, keep_steps=self.keep_steps)
        grads = [_finish(g, s, mode) for g, s in zip(result.gradients, flat_sources)]
        out = unflatten(sources, iter(grads))
        self.calls.append(TapeCall("gradient", target, sources, out, n_records, n_unrecorded,
                                   result if self.keep_steps else None, (first, next_id())))
        return out

    def jacobian(self, target: Any, sources: Any,
                 unconnected_gradients: Any = UnconnectedGradients.NONE) -> Any:
        """d target[i...] / d source[j...] for every element pair: shape target.shape + source.shape."""
        if target is None:
            raise TypeError("Argument `target` should be a Tensor, but received None.")
        mode = unconnected_mode(unconnected_gradients)
        self._consume()
        flat_sources = flatten(sources)
        tgt = target._value if isinstance(target, Variable) else target
        if not isinstance(tgt, Tensor):
            raise TypeError("jacobian target must be a tensor")
        size = int(np.prod(tgt.shape))
        n_records, n_unrecorded = len(self._records), len(self._unrecorded)
        first = next_id()
        rows: list[list[Any]] = [[] for _ in flat_sources]
        # Unless a tape records the passes, one seed buffer serves them all, its single 1 moved
        # along: the gradients are copies, so no pass keeps it (a fresh seed per element would
        # write size² numbers).
        reuse = not differentiating()
        seed = np.zeros(size, dtype=tgt.dtype)
        for k in range(size):
            if not reuse:
                seed = np.zeros(size, dtype=tgt.dtype)
            seed[k] = 1
            try:
                res = run_backward(self, [target], flat_sources, [Tensor(seed.reshape(tgt.shape))], keep_steps=False)
            finally:
                if reuse:
                    seed[k] = 0
            for i, g in enumerate(res.gradients):
                rows[i].append(g)
        grads = []
        for s, parts in zip(flat_sources, rows):
            if all(p is None for p in parts):
                grads.append(_finish(None, s, mode, shape=tgt.shape + tuple(s.shape)))
                continue
            grads.append(_stack(parts, tgt.shape, s))
        out = unflatten(sources, iter(grads))
        self.calls.append(TapeCall("jacobian", target, sources, out, n_records, n_unrecorded,
                                   None, (first, next_id())))
        return out

    def batch_jacobian(self, target: Any, source: Any, unconnected_gradients: Any = UnconnectedGradients.NONE,
                       parallel_iterations: Any = None, experimental_use_pfor: bool = True) -> Any:
        """The Jacobian of each example of a batch: ``result[b, i…, j…] = ∂target[b, i…]/∂source[b, j…]``,
        of shape ``(batch,) + target.shape[1:] + source.shape[1:]``. As in TensorFlow, examples are
        taken to be independent: one backward pass per element of an example gives every example's row."""
        if target is None:
            raise TypeError("Argument `target` should be a Tensor, but received None.")
        mode = unconnected_mode(unconnected_gradients)
        tgt = target._value if isinstance(target, Variable) else target
        if not isinstance(tgt, Tensor) or not isinstance(source, (Tensor, Variable)):
            raise TypeError("batch_jacobian takes one target tensor and one source tensor or Variable")
        t_shape, s_shape = tuple(tgt.shape), tuple(source.shape)
        if not t_shape or not s_shape:
            raise ValueError(f"Need first dimension of target shape ({t_shape}) and source shape ({s_shape}) "
                             "to match.")
        if t_shape[0] != s_shape[0]:
            raise ValueError(f"Need first dimension of target shape {list(t_shape)} and source shape "
                             f"{list(s_shape)} to match.")
        self._consume()
        batch, per = t_shape[0], int(np.prod(t_shape[1:], dtype=np.int64))
        n_records, n_unrecorded = len(self._records), len(self._unrecorded)
        first = next_id()
        parts: list[Any] = []
        for k in range(per):
            seed = np.zeros((batch, per), dtype=tgt.dtype)
            seed[:, k] = 1
            res = run_backward(self, [target], [source], [Tensor(seed.reshape(t_shape))], keep_steps=False)
            parts.append(res.gradients[0])
        out_shape = (batch,) + t_shape[1:] + s_shape[1:]
        if all(p is None for p in parts):
            result = _finish(None, source, mode, shape=out_shape)
        else:
            # Row k of every example: the gradient of element k summed over the batch, split by example.
            rows = _stack(parts, (per,), source)
            if differentiating():     # recorded, so that an outer tape can differentiate it
                moved = apply(OPS["transpose"], (apply(OPS["reshape"], (rows,), {"shape": (per, batch, -1)}),),
                              {"perm": (1, 0, 2)})
                result = apply(OPS["reshape"], (moved,), {"shape": out_shape})
            else:
                values = np.swapaxes(rows._value.reshape(per, batch, -1), 0, 1)
                result = Tensor(np.ascontiguousarray(values).reshape(out_shape))
        self.calls.append(TapeCall("batch_jacobian", target, source, result, n_records, n_unrecorded,
                                   None, (first, next_id())))
        return result


def _stack(parts: list[Any], target_shape: tuple[int, ...], source: Operand) -> Tensor:
    """Place the gradient of each target element in its row of the Jacobian.

    Built from recorded ops (scatter and add) so that an outer tape can differentiate it.
    """
    shape = (len(parts),) + tuple(source.shape)
    if not differentiating():
        # Nothing records it: place the rows directly (the recorded form below writes a full
        # jacobian-sized array for every row).
        first = next(p for p in parts if p is not None)
        out = np.zeros(shape, dtype=first.dtype)
        for k, part in enumerate(parts):
            if part is not None:
                out[k] = part._value
        return Tensor(out.reshape(tuple(target_shape) + tuple(source.shape)))
    total = None
    for k, part in enumerate(parts):
        if part is None:
            continue
        row = apply(OPS["index_grad"], (part,), {"shape": shape, "index": (k,)})
        total = row if total is None else apply(OPS["add"], (total, row), {})
    return apply(OPS["reshape"], (total,), {"shape": tuple(target_shape) + tuple(source.shape)})


def _check_seeds(targets: list[Any], seeds: list[Any]) -> list[Any]:
    """output_gradients must give one value per target, each of the target's shape."""
    if len(seeds) != len(targets):
        raise ValueError(f"output_gradients has {len(seeds)} entries for {len(targets)} targets")
    for k, (t, seed) in enumerate(zip(targets, seeds)):
        shape = tuple(np.shape(seed._value if isinstance(seed, (Tensor, Variable)) else seed))
        if isinstance(seed, Variable):
            shape = tuple(seed.shape)
        if shape != tuple(t.shape):
            raise ValueError(f"output_gradients[{k}] has shape {shape} but target {k} has shape {tuple(t.shape)}")
    return seeds


def _finish(grad: Any, source: Operand, mode: UnconnectedGradients, shape: tuple[int, ...] | None = None) -> Any:
    if grad is not None:
        return grad
    if mode is UnconnectedGradients.ZERO and is_floating(source.dtype):
        return Tensor(np.zeros(source.shape if shape is None else shape, dtype=source.dtype))
    return None

"""Why reverse mode wins for gradients: a Jacobian built both ways, with the work each way costs.

For ``f: ℝⁿ → ℝᵐ`` forward mode gets one column of the Jacobian per pass (seed one input's
tangent with 1), so it needs n passes; reverse mode gets one row per pass (seed one output's
adjoint with 1), so it needs m. A loss has m = 1: one backward pass gives the whole gradient,
whatever n is. Both ways run the engine's own passes over one recording of ``f``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..engine import GradientTape, Tensor, flatten, run_backward, run_forward


@dataclass(frozen=True)
class JacobianByMode:
    """The m×n Jacobian of ``f`` at a point, by n forward passes and by m reverse passes.

    Inputs and outputs are flattened in order (element by element), so ``n`` and ``m`` count
    elements. ``*_steps`` count the op steps (one chain-rule application at one op) over all
    passes and ``*_products`` the partial × tangent (or adjoint × partial) products along edges;
    ``ops`` is the number of ops one evaluation of ``f`` records.
    """

    forward: np.ndarray
    reverse: np.ndarray
    n: int
    m: int
    ops: int
    forward_passes: int
    reverse_passes: int
    forward_steps: int
    reverse_steps: int
    forward_products: int
    reverse_products: int
    forward_pass_steps: tuple[int, ...] = ()   # op steps of each forward pass (one per column)
    reverse_pass_steps: tuple[int, ...] = ()   # op steps of each reverse pass (one per row)

    @property
    def summary(self) -> str:
        """The comparison in one sentence."""
        cheaper = ("reverse" if self.reverse_steps < self.forward_steps else
                   "forward" if self.forward_steps < self.reverse_steps else "neither")
        return (f"f has n = {self.n} input{'s' * (self.n != 1)} and m = {self.m} output{'s' * (self.m != 1)}: forward mode needs {self.forward_passes} "
                f"passes ({self.forward_steps} op steps, one column each), reverse mode {self.reverse_passes} "
                f"({self.reverse_steps} op steps, one row each); {cheaper} mode is cheaper here.")


def _as_tensors(inputs: Sequence[Any]) -> list[Tensor]:
    return [Tensor(np.array(x, dtype=np.float64)) for x in inputs]


def _unit(sizes: list[int], shapes: list[tuple[int, ...]], k: int) -> list[np.ndarray]:
    """The k-th unit vector of the concatenated elements, split back into arrays of ``shapes``."""
    flat = np.zeros(sum(sizes))
    flat[k] = 1.0
    return [part.reshape(shape) for part, shape in zip(np.split(flat, np.cumsum(sizes)[:-1]), shapes)]


def jacobian_by_mode(f: Callable[..., Any], inputs: Sequence[Any]) -> JacobianByMode:
    """Record ``f(*inputs)`` once (float64), then build its Jacobian column by column with forward
    passes and row by row with reverse passes. ``f`` returns a tensor or a list of tensors."""
    xs = _as_tensors(inputs)
    with GradientTape(persistent=True) as tape:
        tape.watch(xs)
        outputs = [y for y in flatten(f(*xs))]
    return jacobian_of_recording(tape, xs, outputs)


def jacobian_of_recording(tape: GradientTape, xs: Sequence[Any], outputs: Sequence[Any]) -> JacobianByMode:
    """:func:`jacobian_by_mode` over what ``tape`` already recorded: the Jacobian of ``outputs``
    with respect to ``xs`` (tensors or Variables the tape watched), by forward and by reverse passes."""
    xs, outputs = list(xs), list(outputs)
    records = [r for r in tape.records if not r.reason]
    in_shapes = [tuple(x.shape) for x in xs]
    out_shapes = [tuple(y.shape) for y in outputs]
    in_sizes = [int(np.prod(s)) for s in in_shapes]
    out_sizes = [int(np.prod(s)) for s in out_shapes]
    n, m = sum(in_sizes), sum(out_sizes)

    forward = np.zeros((m, n))
    forward_steps = forward_products = 0
    forward_each: list[int] = []
    in_starts = np.cumsum([0] + in_sizes)
    for j in range(n):   # one column per input element, the pass seeding its input alone
        k = int(np.searchsorted(in_starts, j, side="right")) - 1
        seeds = {xs[k]._id: _unit([in_sizes[k]], [in_shapes[k]], j - int(in_starts[k]))[0]}
        fp = run_forward(records, seeds)
        forward_each.append(len(fp.steps))
        forward_steps += len(fp.steps)
        forward_products += sum(c is not None for st in fp.steps for c in st.contributions)
        column = [np.asarray(fp.tangents.get(y._id, np.zeros(s))).reshape(-1) for y, s in zip(outputs, out_shapes)]
        forward[:, j] = np.concatenate(column) if column else []

    reverse = np.zeros((m, n))
    reverse_steps = reverse_products = 0
    reverse_each: list[int] = []
    starts = np.cumsum([0] + out_sizes)
    for i in range(m):   # one row per output element, the pass starting at its output alone
        k = int(np.searchsorted(starts, i, side="right")) - 1
        seed = _unit([out_sizes[k]], [out_shapes[k]], i - int(starts[k]))
        bp = run_backward(tape, [outputs[k]], xs, seed, keep_steps=True)
        reverse_each.append(len(bp.steps))
        reverse_steps += len(bp.steps)
        reverse_products += sum(c is not None for st in bp.steps for c in st.contributions)
        row = [np.zeros(s) if g is None else g.numpy() for g, s in zip(bp.gradients, in_sizes)]
        reverse[i, :] = np.concatenate([r.reshape(-1) for r in row]) if row else []
    return JacobianByMode(forward, reverse, n, m, len(records), n, m, forward_steps, reverse_steps,
                          forward_products, reverse_products, tuple(forward_each), tuple(reverse_each))


def finite_difference_jacobian(f: Callable[..., Any], inputs: Sequence[Any], h: float = 1e-6) -> np.ndarray:
    """The m×n Jacobian of ``f`` by central differences (f(x + h·e) − f(x − h·e)) / 2h, in float64."""
    xs = [np.array(x, dtype=np.float64) for x in inputs]
    shapes = [x.shape for x in xs]
    sizes = [x.size for x in xs]

    def at(flat: np.ndarray) -> np.ndarray:
        parts = [Tensor(p.reshape(s)) for p, s in zip(np.split(flat, np.cumsum(sizes)[:-1]), shapes)]
        return np.concatenate([np.asarray(y._value).reshape(-1) for y in flatten(f(*parts))])

    base = np.concatenate([x.reshape(-1) for x in xs])
    columns = []
    for j in range(base.size):
        step = np.zeros_like(base)
        step[j] = h
        columns.append((at(base + step) - at(base - step)) / (2 * h))
    return np.stack(columns, axis=1)

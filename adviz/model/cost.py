"""Why reverse mode wins: the current functions' Jacobian by n forward and by m reverse passes,
and the stages of playing them side by side. No Qt.

For ``f: ℝⁿ → ℝᵐ`` (n input elements ticked ∂, m elements of the final outputs) forward mode
fills the Jacobian one column per pass, reverse mode one row per pass. Played together, pass k
adds column k on the left and row k on the right; each side counts the op steps its passes took.
The numbers come from :func:`adviz.graph.modes.jacobian_of_recording`, over one recording.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from itertools import product
from typing import Callable

import numpy as np

from ..engine.dtypes import is_floating
from ..graph.formulas import derivative_part
from ..graph.modes import JacobianByMode, jacobian_of_recording
from ..graph.tangent import dot
from .document import Document, declarations, is_script

MAX_ELEMENTS = 64      # inputs and outputs the view plays (a 64×64 Jacobian is already hard to read)


class CostError(ValueError):
    """Why the cost view cannot show the document: one sentence for the person."""


@dataclass(frozen=True)
class Stage:
    """The picture after ``passes`` passes of each mode."""

    passes: int
    columns: int           # forward mode: columns of the Jacobian known
    rows: int              # reverse mode: rows known
    forward_ops: int       # op steps the forward passes took so far
    reverse_ops: int
    caption: str


@dataclass(frozen=True)
class CostView:
    """The Jacobian both ways, with a label per column (input element) and per row (output element)."""

    result: JacobianByMode
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    @property
    def n(self) -> int:
        return self.result.n

    @property
    def m(self) -> int:
        return self.result.m

    @property
    def length(self) -> int:
        """Stages 0 (nothing yet) to max(n, m) (both Jacobians complete)."""
        return max(self.n, self.m) + 1

    @property
    def difference(self) -> float:
        """The largest |forward − reverse| entry: 0 up to rounding, as both are the same Jacobian."""
        if self.result.forward.size == 0:
            return 0.0
        with np.errstate(invalid="ignore"):
            return float(np.nanmax(np.abs(self.result.forward - self.result.reverse), initial=0.0))

    @property
    def equal(self) -> bool:
        f, r = self.result.forward, self.result.reverse
        return bool(np.allclose(f, r, rtol=1e-9, atol=1e-12, equal_nan=True))

    def stage(self, k: int) -> Stage:
        """After ``k`` passes of each mode (clipped to 0 … max(n, m))."""
        k = max(0, min(int(k), self.length - 1))
        r = self.result
        columns, rows = min(k, self.n), min(k, self.m)
        fops, rops = sum(r.forward_pass_steps[:columns]), sum(r.reverse_pass_steps[:rows])
        if k == 0:
            caption = (f"f: ℝ{_sup(self.n)} → ℝ{_sup(self.m)}. Forward mode needs one pass per input "
                       f"({self.n}), reverse mode one pass per output ({self.m}).")
        else:
            parts = [_side("Forward", k, columns, self.n, "column", self.inputs, fops, seed=lambda x: f"seed {dot(x)} = 1"),
                     _side("Reverse", k, rows, self.m, "row", self.outputs, rops,
                           seed=lambda y: f"seed ∂{derivative_part(y)}/∂{derivative_part(y)} = 1")]
            caption = " ".join(parts)
            if columns == self.n and rows == self.m:
                same = "equal" if self.equal else f"different (largest difference {self.difference:.3g})"
                caption += (f" Both Jacobians are complete and {same}: forward mode took {r.forward_steps} op steps, "
                            f"reverse mode {r.reverse_steps}.")
        return Stage(k, columns, rows, fops, rops, caption)

    @property
    def summary(self) -> str:
        return self.result.summary


def _sup(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _side(mode: str, k: int, done: int, total: int, what: str, labels: tuple[str, ...], ops: int,
          seed: Callable[[str], str]) -> str:
    if k > total:
        return f"{mode} mode finished after {total} pass{'es' * (total != 1)} ({ops} op steps)."
    return (f"{mode} pass {k} ({seed(labels[k - 1])}) gives {what} {k}: {done} of {total} {what}s, "
            f"{ops} op steps so far.")


def _final_outputs(definitions) -> list[str]:
    """The defined names no later definition uses: the function's outputs."""
    used: set[str] = set()
    final: list[str] = []
    for name, expr, _line in reversed(definitions):
        if name not in used and name not in final:
            final.append(name)
        used.update(n.id for n in ast.walk(expr) if isinstance(n, ast.Name))
    return list(reversed(final))


def _element_labels(name: str, shape: tuple[int, ...]) -> list[str]:
    if not shape:
        return [name]
    return [f"{name}[{', '.join(map(str, index))}]" for index in product(*(range(s) for s in shape))]


def cost_of_document(doc: Document) -> CostView:
    """The cost view of ``doc``'s functions; :class:`CostError` says why there is none."""
    from ..lang import LangError, parse_functions, run_functions
    if is_script(doc.text):
        raise CostError("The cost view works on typed functions f: ℝⁿ → ℝᵐ; a tape script's gradient "
                        "calls are pictured one at a time.")
    try:
        program = parse_functions(doc.text)
    except LangError as exc:
        raise CostError(f"line {exc.line}, col {exc.col}: {exc.message}") from None
    if not program.definitions:
        raise CostError("There is no function yet: type one, such as f = x**2 * y.")
    outputs = _final_outputs(program.definitions)
    sources = [v.name for v in doc.variables if v.source]
    if not sources:
        raise CostError("No input is ticked ∂: tick the inputs to differentiate by.")
    trace = run_functions(program, declarations(doc.variables), persistent=True,
                          watch_accessed_variables=doc.watch_accessed_variables, targets=outputs, sources=sources)
    if trace.error is not None:
        raise CostError(f"line {trace.error.line}, col {trace.error.col}: {trace.error.message}")
    tape = trace.tapes[0].tape
    call = trace.calls[0]
    xs = [(name, s) for name, s in zip(call.source_names, call.sources)
          if tape.is_watched(s) and is_floating(s.dtype)]
    if not xs:
        raise CostError("None of the ticked inputs is watched by the tape (a constant, or an integer): "
                        "make one a Variable or a watched constant.")
    ys = [(c.target_text, c.target) for c in trace.calls]
    n = sum(int(np.prod(s.shape)) for _, s in xs)
    m = sum(int(np.prod(y.shape)) for _, y in ys)
    if n > MAX_ELEMENTS or m > MAX_ELEMENTS:
        raise CostError(f"f has {n} input and {m} output elements; the cost view plays at most "
                        f"{MAX_ELEMENTS} of each. Try smaller vectors.")
    if n == 0 or m == 0:
        raise CostError("f has no input or no output element (an empty tensor).")
    result = jacobian_of_recording(tape, [s for _, s in xs], [y for _, y in ys])
    inputs = tuple(label for name, s in xs for label in _element_labels(name, tuple(s.shape)))
    outs = tuple(label for name, y in ys for label in _element_labels(name, tuple(y.shape)))
    return CostView(result, inputs, outs)

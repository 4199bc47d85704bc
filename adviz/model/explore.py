"""Live exploration without Qt: an input's value nudged, the graph recomputed without a layout,
and the target sampled around the current point for a curve or a contour map.

Every number here comes from running the typed functions through the language (the same safe
evaluator the picture uses), never from ``eval``. A sample that fails (the log of a negative
number, a division by zero) is ``nan``: a gap in the curve, not an error.

Example::

    >>> from adviz.model import Document, VariableSpec
    >>> doc = Document("f = x**2", [VariableSpec("x", "3")])
    >>> curve = sample_curve(doc, "x", count=5, half_width=1.0)
    >>> [round(float(y), 6) for y in curve.ys]
    [4.0, 6.25, 9.0, 12.25, 16.0]
"""
from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, replace

import numpy as np

from .document import Document, declarations, is_script
from .pipeline import Outcome, run

MAX_CURVE = 401            # samples of a curve, at most
MAX_GRID = 41              # samples along each side of a contour map, at most
SECANT_FRACTION = 0.08     # the secant's half-width, as a fraction of the plotted half-width
SAMPLE_SECONDS = 1.5       # a plot's sampling takes about this long at most (fewer samples of a big function)


def evaluate(doc: Document) -> Outcome:
    """Run ``doc`` and build its chosen call's graph, without a layout (the picture keeps its own)."""
    from ..graph import graph_for_call
    out = run(doc)
    trace = out.trace
    if trace is not None and trace.calls:
        out.graph = graph_for_call(trace, max(0, min(doc.call, len(trace.calls) - 1)))
    out.trace = None           # the picture of a function needs only the graph
    return out


def array_from_bytes(data: bytes, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    """An array from its raw bytes (how the worker process sends small arrays: quicker than pickle's way)."""
    return np.frombuffer(bytearray(data), dtype=dtype).reshape(shape)


# -- values as text -------------------------------------------------------------------
def number_text(x: float, step: float = 0.0) -> str:
    """``x`` written with as many decimals as ``step`` (the scrub's resolution) needs, no more."""
    x = float(x)
    if not math.isfinite(x):
        return repr(x)
    if step > 0 and abs(x) < 1e15:
        decimals = max(0, min(12, -math.floor(math.log10(step)) + 1))
        x = round(x, decimals)
        text = f"{x:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{x:.0f}"
    else:
        text = f"{x:.10g}"
    if text in ("-0", ""):
        text = "0"
    return text


def value_array(text: str) -> np.ndarray | None:
    """The numbers of a value text (``2``, ``[1, 2]``, ``pi/4``), or None when it is not valid."""
    from ..lang import LangError
    from ..lang.functions import literal_value
    try:
        with np.errstate(all="ignore"):
            return np.asarray(literal_value(text, "float64"), dtype=np.float64)
    except (LangError, ValueError, TypeError, OverflowError):
        return None


def array_text(array: np.ndarray, step: float = 0.0) -> str:
    """A value text for ``array``: a number, or nested lists of numbers."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 0:
        return number_text(float(array), step)

    def nested(a: np.ndarray) -> str:
        if a.ndim == 1:
            return "[" + ", ".join(number_text(float(v), step) for v in a) + "]"
        return "[" + ", ".join(nested(row) for row in a) + "]"
    return nested(array)


def element_label(shape: tuple[int, ...], index: int) -> str:
    """``[i, j]`` of flat element ``index`` in an array of ``shape`` (``""`` for a scalar)."""
    if not shape:
        return ""
    return "[" + ", ".join(str(k) for k in np.unravel_index(index, shape)) + "]"


def with_element(text: str, index: int, number: float, step: float = 0.0) -> str | None:
    """``text``'s value with flat element ``index`` set to ``number`` (None when the text is not a value)."""
    array = value_array(text)
    if array is None or not 0 <= index < max(1, array.size):
        return None
    array = array.copy()
    array.reshape(-1)[index] = number
    return array_text(array, step)


def slider_range(value: float) -> tuple[float, float]:
    """A sensible range to drag ``value`` over: ``value ± max(1, |value|)``."""
    half = max(1.0, abs(value)) if math.isfinite(value) else 1.0
    return value - half, value + half


def scrub_step(low: float, high: float) -> float:
    """A round step for dragging over ``[low, high]``: about a thousandth of it (1, 2 or 5 × 10^k)."""
    span = abs(high - low) / 1000 or 1e-3
    power = 10 ** math.floor(math.log10(span))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= span)


# -- sampling ---------------------------------------------------------------------------
class _Target:
    """The functions parsed once, run again for each sample: the sum of the target at given inputs."""

    def __init__(self, doc: Document) -> None:
        from ..lang import parse_functions
        if is_script(doc.text):
            raise ValueError("plots work on typed functions, not on scripts")
        self.program = parse_functions(doc.text)
        if not self.program.outputs:
            raise ValueError("there is no function to plot")
        self.target = doc.target if doc.target in self.program.outputs else self.program.outputs[-1]
        self.doc = doc
        self.variables = [v for v in doc.variables if v.name in self.program.free_names]

    def base(self, name: str) -> np.ndarray:
        spec = next((v for v in self.variables if v.name == name), None)
        if spec is None:
            raise ValueError(f"{name} is not an input of the functions")
        array = value_array(spec.value)
        if array is None:
            raise ValueError(f"{name} has no valid value")
        return array

    def value(self, overrides: dict[str, np.ndarray]) -> float:
        """The target's sum with ``overrides`` in place of the inputs' values; nan when the run fails."""
        from ..lang import run_functions
        variables = [replace(v, value=overrides[v.name].tolist()) if v.name in overrides else v for v in self.variables]
        trace = run_functions(self.program, declarations(variables), targets=[self.target], sources=[])
        if trace.error is not None or not trace.calls:
            return float("nan")
        out = np.asarray(trace.calls[0].target.numpy(), dtype=np.float64)
        total = float(np.sum(out)) if out.size else float("nan")
        return total if math.isfinite(total) else float("nan")

    def gradient(self, names: list[str]) -> list[np.ndarray | None]:
        """d(sum of the target)/d(each of ``names``) by the tape, each made a Variable so it gets one."""
        from ..lang import run_functions
        variables = [replace(v, kind="variable") if v.name in names else v for v in self.variables]
        trace = run_functions(self.program, declarations(variables), persistent=True, targets=[self.target],
                              sources=list(names))
        if trace.error is not None or not trace.calls or trace.calls[0].result is None:
            return [None] * len(names)
        return [None if g is None else np.asarray(g.numpy(), dtype=np.float64) for g in trace.calls[0].result]


@dataclass
class Curve:
    """The target around one input's element: samples, the point, the tangent's and the secant's slopes."""

    name: str
    index: int
    label: str                 # "x" or "w[0, 1]"
    target: str
    xs: np.ndarray
    ys: np.ndarray             # nan where a sample failed
    x0: float
    y0: float
    slope: float               # the gradient: the tangent's slope (nan when there is none)
    h: float                   # the secant runs from x0 - h to x0 + h
    secant: float              # (f(x0 + h) - f(x0 - h)) / 2h (nan when either end failed)
    ends: tuple[float, float] = (float("nan"), float("nan"))     # f(x0 - h), f(x0 + h)
    message: str = ""          # why there is no curve
    clipped: bool = False      # sampling ran out of time: the samples not taken are gaps


@dataclass
class Contour:
    """The target over two inputs' elements: a grid of samples, the point and the gradient there."""

    names: tuple[str, str]
    labels: tuple[str, str]
    target: str
    xs: np.ndarray
    ys: np.ndarray
    zs: np.ndarray             # zs[j, i] at (xs[i], ys[j]); nan where a sample failed
    point: tuple[float, float]
    gradient: tuple[float, float]
    message: str = ""
    clipped: bool = False


def _element(array: np.ndarray, index: int) -> float:
    return float(array.reshape(-1)[index]) if array.ndim else float(array)


def _set(array: np.ndarray, index: int, number: float) -> np.ndarray:
    out = np.array(array, dtype=np.float64, copy=True)
    if out.ndim:
        out.reshape(-1)[index] = number
        return out
    return np.asarray(number, dtype=np.float64)


def sample_curve(doc: Document, name: str, index: int = 0, half_width: float | None = None,
                 count: int = 121, span: tuple[float, float] | None = None) -> Curve:
    """The target (summed) at ``count`` points around ``name``'s element ``index``, the gradient there
    and the central finite-difference secant over ``±h`` (h a small fraction of the half-width).

    ``span`` (low, high) samples that interval instead, wherever the element lies.
    """
    count = max(3, min(int(count), MAX_CURVE))
    empty = np.zeros(0)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            target = _Target(doc)
            base = target.base(name)
            index = max(0, min(index, base.size - 1))
            x0 = _element(base, index)
            half = half_width if half_width and half_width > 0 else slider_range(x0)[1] - x0
            low, high = span if span is not None and span[1] > span[0] else (x0 - half, x0 + half)
            half = (high - low) / 2
            started = time.perf_counter()
            y0 = target.value({name: base})
            count = _affordable(count, time.perf_counter() - started)
            xs = np.linspace(low, high, count)
            ys, clipped = _sampled(len(xs), lambda k: target.value({name: _set(base, index, xs[k])}))
            xs, ys = xs[~clipped], ys[~clipped]
            grad = target.gradient([name])[0]
            slope = _element(grad, index) if grad is not None else float("nan")
            h = half * SECANT_FRACTION
            up, down = target.value({name: _set(base, index, x0 + h)}), target.value({name: _set(base, index, x0 - h)})
            secant = (up - down) / (2 * h)
        except Exception as exc:  # noqa: BLE001 - a plot that cannot be drawn says why, never raises
            return Curve(name, index, name, "", empty, empty, float("nan"), float("nan"), float("nan"), 0.0,
                         float("nan"), message=str(getattr(exc, "message", exc)))
    label = name + element_label(base.shape, index)
    return Curve(name, index, label, target.target, xs, ys, x0, y0, slope, h, secant, (down, up),
                 clipped=bool(clipped.any()))


def sample_contour(doc: Document, first: tuple[str, int], second: tuple[str, int], count: int = 25,
                   spans: tuple[tuple[float, float], tuple[float, float]] | None = None) -> Contour:
    """The target (summed) on a ``count``×``count`` grid around two inputs' elements (or over
    ``spans``, one (low, high) for each), with the gradient at the current point."""
    count = max(3, min(int(count), MAX_GRID))
    empty = np.zeros(0)
    (a, ia), (b, ib) = first, second
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            target = _Target(doc)
            base_a, base_b = target.base(a), target.base(b)
            ia, ib = max(0, min(ia, base_a.size - 1)), max(0, min(ib, base_b.size - 1))
            pa, pb = _element(base_a, ia), _element(base_b, ib)
            (la, ha), (lb, hb) = spans if spans is not None else (slider_range(pa), slider_range(pb))
            started = time.perf_counter()
            target.value({a: base_a} if a == b else {a: base_a, b: base_b})
            count = max(3, int(math.sqrt(_affordable(count * count, time.perf_counter() - started))))
            xs, ys = np.linspace(la, ha, count), np.linspace(lb, hb, count)
            def at(k: int) -> float:
                xv, yv = xs[k % count], ys[k // count]
                if a == b:
                    return target.value({a: _set(_set(base_a, ia, xv), ib, yv)})
                return target.value({a: _set(base_a, ia, xv), b: _set(base_b, ib, yv)})

            flat, clipped = _sampled(count * count, at)
            zs = flat.reshape(count, count)
            clipped = bool(clipped.any())
            names = [a] if a == b else [a, b]
            grads = target.gradient(names)
            ga = _element(grads[0], ia) if grads[0] is not None else float("nan")
            gb_array = grads[0] if a == b else grads[1]
            gb = _element(gb_array, ib) if gb_array is not None else float("nan")
        except Exception as exc:  # noqa: BLE001 - a plot that cannot be drawn says why, never raises
            return Contour((a, b), (a, b), "", empty, empty, np.zeros((0, 0)), (float("nan"),) * 2,
                           (float("nan"),) * 2, message=str(getattr(exc, "message", exc)))
    labels = (a + element_label(base_a.shape, ia), b + element_label(base_b.shape, ib))
    return Contour((a, b), labels, target.target, xs, ys, zs, (pa, pb), (ga, gb), clipped=clipped)


def _affordable(count: int, one: float) -> int:
    """How many samples fit in SAMPLE_SECONDS when one takes ``one`` seconds (at least 9, at most ``count``)."""
    return max(min(count, 9), min(count, int(SAMPLE_SECONDS / max(one, 1e-6))))


def _sampled(count: int, value, seconds: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``value(k)`` for k = 0 … count-1, coarse to fine (every 8th first, then the points between),
    until ``seconds`` (default: twice SAMPLE_SECONDS) have passed (the first two are always taken). Returns the samples and which
    were not taken (nan where a sample failed or was not taken)."""
    limit = 2 * SAMPLE_SECONDS if seconds is None else seconds
    out = np.full(count, np.nan)
    missing = np.ones(count, dtype=bool)
    start = time.perf_counter()
    for taken, k in enumerate(_coarse_to_fine(count)):
        if taken >= 2 and time.perf_counter() - start > limit:      # the two ends, always
            break
        out[k] = value(k)
        missing[k] = False
    return out, missing


def _coarse_to_fine(count: int) -> list[int]:
    """0 … count-1 in an order that covers the whole range early: every 8th, then every 4th, …"""
    order, seen = [], set()
    for stride in (8, 4, 2, 1):
        for k in list(range(0, count, stride)) + [count - 1]:
            if k not in seen:
                seen.add(k)
                order.append(k)
    return order

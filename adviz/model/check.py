"""Check a gradient against central finite differences in float64 (no Qt)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from .document import Document, VariableSpec, declarations, is_script

MAX_ELEMENTS = 64
TOLERANCE = 1e-5


@dataclass
class CheckResult:
    """The tape's gradient beside the numerical one; ``ok`` when they agree."""

    name: str
    analytic: np.ndarray | None
    numeric: np.ndarray | None
    rel_error: float = float("nan")
    ok: bool = False
    message: str = ""


def _target_sum(doc: Document, variables: list[VariableSpec]) -> float:
    from ..lang import parse_functions, run_functions
    program = parse_functions(doc.text)
    target = doc.target if doc.target in program.outputs else program.outputs[-1]
    decls = declarations([v for v in variables if v.name in program.free_names])
    trace = run_functions(program, decls, persistent=True, targets=[target], sources=[])
    if trace.error is not None:
        raise ValueError(trace.error.message)
    return float(np.sum(np.asarray(trace.calls[0].target.numpy(), dtype=np.float64)))


def finite_difference_check(doc: Document, name: str) -> CheckResult:
    """d(sum of the target)/d(name) by the tape (all inputs in float64) and by central differences."""
    from ..lang import parse_functions, run_functions
    from ..lang.functions import literal_value
    if is_script(doc.text):
        return CheckResult(name, None, None, message="The finite-difference check works on typed functions, not scripts.")
    spec = next((v for v in doc.variables if v.name == name), None)
    if spec is None:
        return CheckResult(name, None, None, message=f"{name} is not an input of the functions.")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            base = np.array(literal_value(spec.value, "float64"), dtype=np.float64)
            program = parse_functions(doc.text)
            target = doc.target if doc.target in program.outputs else program.outputs[-1]
            # The tape's answer, with this input made a Variable so that it gets a gradient at all.
            variables = [replace(v, kind="variable") if v.name == name else v for v in doc.variables]
            decls = declarations([v for v in variables if v.name in program.free_names])
            trace = run_functions(program, decls, persistent=True, targets=[target], sources=[name])
            if trace.error is not None:
                return CheckResult(name, None, None, message=f"cannot check: {trace.error.message}")
            grad = trace.calls[0].result[0]
            analytic = None if grad is None else np.asarray(grad.numpy(), dtype=np.float64)
            def target_sum(x: np.ndarray) -> float:
                text = repr(x.tolist()) if base.ndim else repr(float(x))
                return _target_sum(doc, [replace(v, value=text) if v.name == name else v for v in doc.variables])

            numeric = central_differences(target_sum, base)
        except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised into the UI
            return CheckResult(name, None, None, message=f"cannot check: {exc}")
    return verdict(name, analytic, numeric, TOLERANCE)


def central_differences(f: Callable[[np.ndarray], float], base: np.ndarray) -> np.ndarray:
    """∂f/∂x at ``base`` by central differences in float64, element by element (the first 64)."""
    numeric = np.zeros(base.shape)
    flat = numeric.reshape(-1)
    for k in range(min(base.size, MAX_ELEMENTS)):
        h = 1e-6 * max(1.0, abs(float(base.reshape(-1)[k])))
        values = []
        for sign in (1, -1):
            x = base.copy().reshape(-1)
            x[k] += sign * h
            values.append(f(x.reshape(base.shape)))
        flat[k] = (values[0] - values[1]) / (2 * h)
    return numeric


def verdict(name: str, analytic: np.ndarray | None, numeric: np.ndarray, tolerance: float,
            none_means: str = "finite differences give") -> CheckResult:
    """The tape's gradient against the numerical one: their relative error, and whether it is small."""
    if analytic is None:
        return CheckResult(name, None, numeric, message=(
            f"The tape returns None for {name}; {none_means} {np.round(numeric, 6).tolist()}."))
    count = min(numeric.size, MAX_ELEMENTS)
    a, n = analytic.reshape(-1)[:count], numeric.reshape(-1)[:count]
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        return CheckResult(name, analytic, numeric, message="The function is not finite here; no check possible.")
    err = float(np.max(np.abs(a - n)) / max(1e-8, float(np.max(np.abs(a))), float(np.max(np.abs(n)))))
    return CheckResult(name, analytic, numeric, err, err < tolerance)

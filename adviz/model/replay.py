"""A script's gradient checked by finite differences: the tape's records replayed in float64.

A script's values are written in its text, so they cannot be nudged from outside; instead the ops
the tape recorded up to the call are run again with the source nudged by ±h, and the target's
change gives the numerical derivative. It checks the backward pass against the very forward pass
the tape saw (what the tape did not record does not count, as for ``tape.gradient``).
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..engine import flatten
from .check import CheckResult, central_differences, verdict

TOLERANCE = 1e-4          # the tape's gradients are float32 here; the replay is float64


def _value(tensor: Any) -> np.ndarray:
    inner = getattr(tensor, "_value", tensor)
    return np.asarray(getattr(inner, "_value", inner), dtype=np.float64)


def replay_check(trace: Any, call_index: int, name: str) -> CheckResult:
    """d(sum of the target)/d(``name``) of gradient call ``call_index``: the tape's and by replay."""
    if not 0 <= call_index < len(trace.calls):
        return CheckResult(name, None, None, message="there is no such gradient call")
    call = trace.calls[call_index]
    if call.kind != "gradient" or call.tape_call is None or call.result is None:
        return CheckResult(name, None, None, message="only a gradient() call that ran can be checked")
    if name not in call.source_names:
        return CheckResult(name, None, None, message=f"{name} is not a source of this call")
    k = call.source_names.index(name)
    source, result = call.sources[k], flatten(call.result)[k]
    tape = trace.tapes[call.tape_index].tape
    records = list(tape.records[: call.tape_call.records])
    targets = [t for t in flatten(call.target) if hasattr(t, "_id")]
    read = next((v for r in records for i, v in zip(r.inputs, r.values) if i._id == source._id), source)
    base = _value(read)

    def target_sum(x: np.ndarray) -> float:
        env = {source._id: x}
        for rec in records:
            args = [env.get(i._id, _value(v)) for i, v in zip(rec.inputs, rec.values)]
            env[rec.output._id] = np.asarray(rec.op.forward(*args, **rec.attrs), dtype=np.float64)
        return float(sum(np.sum(env.get(t._id, _value(t))) for t in targets))

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        numeric = central_differences(target_sum, base)
    return verdict(name, None if result is None else _value(result), numeric, TOLERANCE,
                   none_means="finite differences of what it recorded give")

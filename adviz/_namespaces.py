"""Build ``adviz``, ``adviz.math``, ``adviz.nn`` and ``adviz.linalg`` from the op table."""
from __future__ import annotations

from typing import Any

from .engine import FUNCTIONS, OPS


def exported(namespace: str) -> dict[str, Any]:
    """Functions the op table exports under ``namespace`` ("" is the top level)."""
    out: dict[str, Any] = {}
    for op in OPS.values():
        if op.internal or namespace not in op.exports:
            continue
        for name in (op.name,) + op.aliases:
            out[name] = FUNCTIONS[name]
    return out

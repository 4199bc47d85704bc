"""Build ``adviz``, ``adviz.math``, ``adviz.nn``, ``adviz.linalg`` and ``adviz.random`` from the
op table and the library built on it."""
from __future__ import annotations

from typing import Any, Callable

from .engine import FUNCTIONS
from .engine.namespaces import LIBRARY, PYTHON_ONLY
from .engine.ops import exported as exported_ops


def exported(namespace: str) -> dict[str, Callable[..., Any]]:
    """Functions exported under ``namespace`` ("" is the top level): the op table's, then the library's."""
    out: dict[str, Callable[..., Any]] = {name: FUNCTIONS[name] for name in exported_ops(namespace)}
    out.update(LIBRARY.get(namespace, {}))
    out.update(PYTHON_ONLY.get(namespace, {}))
    return out

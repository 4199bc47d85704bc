"""Build ``adviz``, ``adviz.math``, ``adviz.nn`` and ``adviz.linalg`` from the op table."""
from __future__ import annotations

from typing import Callable

from .engine import FUNCTIONS, Tensor
from .engine.ops import exported as exported_ops


def exported(namespace: str) -> dict[str, Callable[..., Tensor]]:
    """Functions the op table exports under ``namespace`` ("" is the top level)."""
    return {name: FUNCTIONS[name] for name in exported_ops(namespace)}

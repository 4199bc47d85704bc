"""The graph, its layout and both schedules as JSON (schema ``adviz.graph``, version 1).

The schema is documented in ``docs/graph-json.md`` and given as JSON Schema in
``adviz/graph/graph.schema.json``. Arrays are nested lists; ``nan`` and infinities, which JSON
cannot hold, are the strings ``"nan"``, ``"inf"`` and ``"-inf"``.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .layout import Layout
from .model import Graph, Step

SCHEMA = "adviz.graph"
VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("graph.schema.json")


def _number(x: Any) -> Any:
    if isinstance(x, bool):
        return x
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def array_json(value: ArrayLike | None) -> float | bool | str | None | list[Any]:
    """A numpy value as a JSON number or nested list (``None`` stays ``null``)."""
    if value is None:
        return None
    array = np.asarray(value)
    if array.ndim == 0:
        return bool(array) if array.dtype.kind == "b" else _number(array)
    return [array_json(v) for v in array]


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "index": step.index, "kind": step.kind, "node": step.node, "edges": list(step.edges),
        "upstream": array_json(step.upstream),
        "contributions": {k: array_json(v) for k, v in step.contributions.items()},
        "adjoints": {k: array_json(v) for k, v in step.adjoints.items()},
        "accumulated": {k: array_json(v) for k, v in step.accumulated.items()},
        "words": step.words, "chain": list(step.chain),
    }


def graph_json(graph: Graph, layout: Layout | None = None) -> dict[str, Any]:
    """The whole picture as plain JSON data."""
    nodes = []
    for n in sorted(graph.nodes.values(), key=lambda n: n.order):
        nodes.append({
            "id": n.id, "kind": n.kind, "label": n.label, "symbol": n.symbol, "name": n.name,
            "op": n.op, "formula": n.formula, "value": array_json(n.value), "value_text": n.value_text,
            "shape": list(np.shape(n.value)), "dtype": str(np.asarray(n.value).dtype),
            "recorded": n.recorded, "reason": n.reason, "is_source": n.is_source,
            "is_target": n.is_target, "gradient_op": n.gradient_op,
            "adjoint": array_json(n.adjoint), "gradient": array_json(n.gradient),
            "gradient_text": n.gradient_text if n.is_source else None,
        })
    edges = [{
        "id": e.id, "source": e.source, "target": e.target, "index": e.index, "recorded": e.recorded,
        "partial_formula": e.partial_formula, "partial": array_json(e.partial_value),
        "contribution": array_json(e.contribution),
    } for e in graph.edges.values()]
    data: dict[str, Any] = {
        "schema": SCHEMA, "version": VERSION, "title": graph.title, "tape": dict(graph.tape),
        "targets": list(graph.targets), "sources": list(graph.sources),
        "nodes": nodes, "edges": edges,
        "schedules": {"backward": [_step_json(s) for s in graph.backward],
                      "forward": [_step_json(s) for s in graph.forward]},
    }
    if layout is not None:
        data["layout"] = {
            "method": layout.method, "direction": layout.direction,
            "positions": {str(k): [float(x), float(y)] for k, (x, y) in layout.positions.items()},
            "routes": [{"source": str(u), "target": str(v), "points": [[float(x), float(y)] for x, y in pts]}
                       for (u, v), pts in layout.routes.items()],
        }
    return data


def dumps(graph: Graph, layout: Layout | None = None) -> str:
    """:func:`graph_json` as text."""
    return json.dumps(graph_json(graph, layout), indent=1, ensure_ascii=False, allow_nan=False)

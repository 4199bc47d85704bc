"""The graph, its layout and its schedules as JSON (schema ``adviz.graph``, version 3).

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
from .model import Cause, Graph, Node, Step

SCHEMA = "adviz.graph"
VERSION = 3     # 2: why a source has no gradient (cause), a failed call's error, notes, the tape's state
#                 3: forward mode: node tangents and dual numbers, edge tangent products, the tangent schedule
READABLE = (2, 3)   # a version-2 file is a version-3 file without forward mode
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
        **({"tangents": {k: array_json(v) for k, v in step.tangents.items()}}
           if step.kind in ("tangent-seed", "tangent") else {}),
    }


def _cause_json(node: Node) -> dict[str, Any]:
    cause = node.cause
    if cause is None:
        return {"cause": None, "cause_text": None, "fix_text": None, "fix_action": None, "break": None}
    return {"cause": cause.code, "cause_text": cause.text, "fix_text": cause.fix,
            "fix_action": cause.fix_action or None, "break": list(cause.breaks)}


def _error_json(graph: Graph) -> dict[str, Any] | None:
    failure: Cause | None = graph.failure
    if failure is None:
        return None
    return {"cause": failure.code, "message": graph.error or failure.text, "line": failure.line,
            "text": failure.text, "fix_text": failure.fix, "fix_action": failure.fix_action or None}


def _tape_json(graph: Graph) -> dict[str, Any]:
    data = dict(graph.tape)
    state = graph.tape_state
    if state is not None:
        data.update(persistent=state.persistent, watch_accessed_variables=state.watch_accessed_variables,
                    status=state.status, asked=state.asked,
                    watched=[{"label": label, "how": how} for label, how in state.watched])
    return data


def graph_json(graph: Graph, layout: Layout | None = None) -> dict[str, Any]:
    """The whole picture as plain JSON data."""
    forward_mode = bool(graph.tangent)     # the tangent fields are there exactly when the tangent pass is
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
            "group": list(n.group),
            **_cause_json(n),
            **({"tangent": array_json(n.tangent), "tangent_text": n.tangent_text or None,
                "dual_text": n.dual_text or None} if forward_mode else {}),
        })
    edges = [{
        "id": e.id, "source": e.source, "target": e.target, "index": e.index, "recorded": e.recorded,
        "partial_formula": e.partial_formula, "partial": array_json(e.partial_value),
        "contribution": array_json(e.contribution),
        **({"tangent_product": array_json(e.tangent_product), "tangent_product_text": e.tangent_product_text or None}
           if forward_mode else {}),
    } for e in graph.edges.values()]
    data: dict[str, Any] = {
        "schema": SCHEMA, "version": VERSION, "title": graph.title, "tape": _tape_json(graph),
        "targets": list(graph.targets), "sources": list(graph.sources),
        "error": _error_json(graph), "notes": list(graph.notes),
        "nodes": nodes, "edges": edges,
        "schedules": {"backward": [_step_json(s) for s in graph.backward],
                      "forward": [_step_json(s) for s in graph.forward]},
    }
    if forward_mode:
        data["schedules"]["tangent"] = [_step_json(s) for s in graph.tangent]
        data["seed"] = {k: array_json(v) for k, v in graph.seed.items()}
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


class GraphJsonError(ValueError):
    """A text that is not a graph JSON this adviz reads: one line that says why."""


def loads(text: str) -> dict[str, Any]:
    """The data of a graph JSON text, checked to be ``adviz.graph`` of a version this adviz reads
    (2 or 3; a version-2 file simply has no forward-mode fields)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise GraphJsonError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise GraphJsonError(f"not an {SCHEMA} file (its \"schema\" field must be {SCHEMA!r})")
    version = data.get("version")
    if version not in READABLE:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        raise GraphJsonError(f"{SCHEMA} version {version!r} "
                             + ("is newer than this adviz reads" if newer else "is not one this adviz reads")
                             + f" (it reads versions {', '.join(map(str, READABLE))})")
    return data

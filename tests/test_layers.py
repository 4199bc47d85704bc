"""The shape of the code: imports run one way, and only the engine asks an op for its name."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "adviz"
LAYERS = ("engine", "lang", "graph", "model")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every adviz module ``path`` imports, at the top or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] == "adviz"}


def _graph() -> dict[str, set[str]]:
    files = [p for layer in LAYERS for p in (PACKAGE / layer).rglob("*.py")]
    modules = {_module_name(p): p for p in files}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    return None


def test_no_import_circles_below_the_ui() -> None:
    # A package imports its own modules (its face), so a package's __init__ is left out of the
    # circles it would otherwise close with every module that imports a sibling through it.
    graph = _graph()
    for name in graph:
        graph[name] = {m for m in graph[name] if m.rsplit(".", 1)[-1] not in LAYERS or m == name}
    assert _cycle(graph) is None, f"import circle: {' -> '.join(_cycle(graph) or [])}"


def test_layers_import_downward_only() -> None:
    allowed = {"engine": set(), "lang": {"engine"}, "graph": {"engine"}, "model": {"engine", "lang", "graph"}}
    for name, imported in _graph().items():
        layer = name.split(".")[1]
        for other in imported:
            other_layer = other.split(".")[1]
            assert other_layer == layer or other_layer in allowed[layer], f"{name} imports {other}"


# `op.name == "pow"`, `rec.op.name in (...)`, `if op.name != ...`: a per-op branch.
_OP_BRANCH = re.compile(r"\bop\.name\s*(==|!=|\bin\b|\bnot in\b)|[\"']\s*(==|!=)\s*\w*op\.name\b")


def test_only_the_engine_branches_on_op_names() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "engine"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _OP_BRANCH.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "read a field of the op row instead:\n" + "\n".join(offenders)

"""Pictures of a tape in notebooks: ``adviz.draw(tape)`` shows inline, with no window and no Graphviz."""
from __future__ import annotations

import inspect
import os
import tempfile
from pathlib import Path
from typing import Any

from .engine import GradientTape, TapeCall, Tensor, Variable
from .model.files import read_limited


def _names_from(frame: Any) -> dict[int, str]:
    names: dict[int, str] = {}
    if frame is None:
        return names
    for scope in (frame.f_globals, frame.f_locals):
        for name, value in list(scope.items()):
            if isinstance(value, (Tensor, Variable)) and not name.startswith("_"):
                names[value._id] = name
    return names


class Drawing:
    """A graph with its layout; Jupyter shows it through ``_repr_html_`` (the interactive player),
    with ``_repr_svg_``/``_repr_png_`` as fallbacks."""

    def __init__(self, graph: Any, layout: Any, **options: Any) -> None:
        self.graph = graph
        self.layout = layout
        self.options = options

    def _export_options(self, **overrides: Any):
        from .ui.export import ExportOptions
        values = {**self.options, **overrides}
        return ExportOptions(**values)

    def save(self, path: str | os.PathLike, **options: Any) -> Path:
        """Write PNG, SVG, PDF, GIF, JSON or an interactive HTML page, chosen by the suffix, atomically: a failure leaves what
        was there before. A suffix adviz cannot write, a folder or a special file is refused (ValueError)
        before Qt is loaded or anything is opened."""
        from .model.files import check_output
        check_output(path, suffixes=(".png", ".svg", ".pdf", ".gif", ".json", ".html"))
        if Path(path).suffix.lower() == ".html":     # the interactive page needs no Qt
            from .model.page import write_page
            values = {**self.options, **options}
            return write_page(self.graph, self.layout, path, theme=values.get("theme", "light"),
                              title=values.get("title"))
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from .ui.export import export
        return export(self.graph, self.layout, Path(path), self._export_options(**options))

    def _render(self, suffix: str, **options: Any) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"graph.{suffix}"
            self.save(path, **options)
            return read_limited(path, 1 << 31)

    def page(self) -> str:
        """The interactive page: the picture with a step player for the backward and forward pass."""
        from .model.page import page_html
        return page_html(self.graph, self.layout, theme=self.options.get("theme", "light"),
                         title=self.options.get("title"))

    def _repr_html_(self) -> str:
        # In an iframe, the page's script, styles and keys stay its own: two drawings in one
        # notebook do not share element ids, and the notebook's keys stay the notebook's.
        from html import escape
        n = len(self.graph.nodes)
        height = min(900, 260 + 60 * max(3, min(n, 10)))
        return (f'<iframe srcdoc="{escape(self.page(), quote=True)}" style="width:100%;height:{height}px;'
                f'border:1px solid #ddd;border-radius:6px" title="adviz: the backward pass, step by step"></iframe>')

    def _repr_svg_(self) -> str:
        return self._render("svg").decode("utf-8")

    def _repr_png_(self) -> bytes:
        return self._render("png", scale=1.5)

    def __repr__(self) -> str:
        return f"<adviz.Drawing: {len(self.graph.nodes)} nodes, {len(self.graph.backward)} backward steps>"


def draw(tape: GradientTape, target: Any = None, sources: Any = None, *, names: dict[str, Any] | None = None,
         layout: str = "layered", direction: str = "LR", step: int | str = "end", theme: str = "light",
         title: str | None = None, legend: bool = True, _caller: Any = None) -> Drawing:
    """Draw ``tape``'s last gradient call, or the call of ``target`` with respect to ``sources``.

    Names come from ``names`` ({"x": x, ...}) or, by default, from the caller's variables.
    ``gradient()`` is not called again, so a non-persistent tape is not used up.
    """
    from .graph import build_graph
    from .model import lay_out
    if not isinstance(tape, GradientTape):
        raise TypeError(f"draw() needs a GradientTape, not {type(tape).__name__}")
    frame = inspect.currentframe()
    ids = _names_from(_caller if _caller is not None else (frame.f_back if frame else None))
    if names:
        ids.update({value._id: key for key, value in names.items() if isinstance(value, (Tensor, Variable))})
    if target is None:
        if not tape.calls:
            raise ValueError("this tape has no gradient() call yet: pass target and sources")
        last = tape.calls[-1]
        target, sources = last.target, last.sources
        call = last
    else:
        if sources is None:
            raise ValueError("pass the sources to differentiate with respect to")
        call = None
    n_records, n_unrecorded = (call.records, call.unrecorded) if call else (len(tape.records), len(tape.unrecorded))
    if call is None or call.backward is None:
        bp = tape.backward(target, sources)
        result = list(bp.gradients)
        call = TapeCall("gradient", target, sources, result, n_records, n_unrecorded, bp)
    graph = build_graph(tape, call, ids, title=title or "")
    positions = lay_out(graph, layout, direction)
    return Drawing(graph, positions, step=step, theme=theme, title=title, legend=legend)

"""A tape script or lesson as one self-contained HTML page: its narration cells in order (markup
rendered safely, formulas readable), its code and printed output, and one step player per gradient
call placed where that call happens in the script. No Qt; nothing is loaded from the network.

The players are those of :mod:`adviz.model.page`, each with its own ids; the focused one takes
the keys (``←`` ``→`` ``Space`` ``Home`` ``End``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Callable, Iterable, Sequence, Union

from ..graph import Graph, Layout
from .document import Document
from .narration import lesson_title, narration_html
from .page import SCRIPT, page_style, player_html, theme_colours

Picture = Union[tuple[Graph, Layout], str, None]     # a call's graph and layout, or why it has none
Progress = Callable[[int, int], bool]

LESSON_STYLE = """
main{max-width:1100px;margin:0 auto;padding:0 16px 40px}
main h1{font-size:22px;margin:18px 0 6px}
.hint{color:%(muted)s;font-size:13px;margin:0 0 12px}
.narration{line-height:1.5;font-size:15px}
.narration h2{font-size:20px;margin:22px 0 6px}.narration h3{font-size:17px;margin:18px 0 6px}
.math{font-family:"STIX Two Math","Cambria Math",serif;font-style:italic;white-space:nowrap}
.display{text-align:center;margin:10px 0}
pre{margin:8px 0;padding:8px 12px;border-radius:6px;overflow:auto;font:13px ui-monospace,monospace;
border:1px solid %(grid)s}
pre.out{color:%(muted)s}
code{font:13px ui-monospace,monospace}
.call{font-size:14px;font-weight:600;margin:14px 0 4px;color:%(muted)s}
section.player{border:1px solid %(grid)s;border-radius:8px;margin:6px 0 18px}
section.player:focus,section.player:focus-within{outline:2px solid %(active)s;outline-offset:2px}
section.player .bar{position:static}
.note,.error{color:%(badge_none)s}
"""


def lesson_pictures(doc: Document, compute: Callable[[Document], object],
                    progress: Progress | None = None) -> tuple[object, list[Picture]] | None:
    """Run ``doc``'s script once per gradient call with ``compute`` (a document → Outcome, such as
    the worker's): the first run's trace and each call's picture, or a sentence saying why it has
    none. None when ``progress`` cancelled."""
    first = compute(replace(doc, call=0))
    trace = first.trace
    calls = list(trace.calls) if trace is not None else []
    pictures: list[Picture] = []
    for k, call in enumerate(calls):
        outcome = first if k == 0 else compute(replace(doc, call=k))
        if outcome.graph is not None and outcome.layout is not None:
            pictures.append((outcome.graph, outcome.layout))
        else:
            error = outcome.error
            pictures.append(f"no picture: {getattr(error, 'message', error) or 'the call was not drawn'}")
        if progress is not None and not progress(k + 1, len(calls)):
            return None
    return trace, pictures


def _code(lines: Sequence[str], first: int, last: int) -> str:
    body = "\n".join(lines[first - 1:last]).strip("\n")
    return f'<pre class="code"><code>{escape(body, quote=False)}</code></pre>' if body.strip() else ""


def _player(call, k: int, picture: Picture, theme: str) -> str:
    where = f" (line {call.line})" if getattr(call, "line", 0) else ""
    what = f"{getattr(call, 'kind', 'gradient')}({call.target_text}, {call.sources_text})"
    head = f'<h3 class="call">Gradient call {k + 1}{where}: <code>{escape(what, quote=False)}</code></h3>'
    if isinstance(picture, tuple):
        return head + "\n" + player_html(picture[0], picture[1], theme, prefix=f"c{k + 1}-", single=False)
    return head + f'\n<p class="note">{escape(picture or "no picture", quote=False)}</p>'


def lesson_page_html(text: str, trace, pictures: Sequence[Picture], theme: str = "light",
                     title: str | None = None) -> str:
    """The page of a script ``text`` run as ``trace``; ``pictures[k]`` is call k's picture."""
    lines = text.splitlines()
    cells = list(getattr(trace, "cells", None) or [])
    calls = list(getattr(trace, "calls", None) or [])
    first_narration = next((c.narration for c in cells if c.narration), "")
    heading = title if title is not None else lesson_title(first_narration, "A tape script")
    placed: set[int] = set()
    body: list[str] = []
    title_line = re.compile(r"^\s*#{1,3}\s+" + re.escape(heading) + r"\s*$", re.MULTILINE)
    for cell in cells:
        if cell.narration:
            narration = cell.narration
            if cell.narration is first_narration and title is None:    # the page's title already says it
                narration = title_line.sub("", narration, count=1)
            body.append(f'<div class="narration">{narration_html(narration)}</div>')
        if cell.last_line < cell.first_line:
            continue
        body.append(_code(lines, cell.first_line, cell.last_line))
        printed = "".join(p.text + p.end for p in trace.printed
                          if p.stream == "stdout" and cell.first_line <= p.line <= cell.last_line)
        if printed.strip():
            body.append(f'<pre class="out">{escape(printed.rstrip(), quote=False)}</pre>')
        for k, call in enumerate(calls):
            if k not in placed and cell.first_line <= call.line <= cell.last_line:
                placed.add(k)
                body.append(_player(call, k, pictures[k] if k < len(pictures) else None, theme))
    for k, call in enumerate(calls):      # a call outside every cell still gets its player, at the end
        if k not in placed:
            body.append(_player(call, k, pictures[k] if k < len(pictures) else None, theme))
    error = getattr(trace, "error", None)
    if error is not None:
        where = f"line {error.line}: " if getattr(error, "line", 0) else ""
        body.append(f'<p class="error">The script stopped here: {escape(where + error.message, quote=False)}</p>')
    t = theme_colours(theme)
    style = page_style(theme) + LESSON_STYLE % {k: v for k, v in t.items() if isinstance(v, str)}
    hint = ("Click a picture's player or Tab to it; then ← → step, Space plays, Home and End jump."
            if calls else "This script makes no gradient call, so there is no pass to play.")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title>",
        f"<style>{style}</style></head><body><main>",
        f"<h1>{escape(heading)}</h1>",
        f'<p class="hint">{hint}</p>',
        *body,
        f"</main><script>{SCRIPT}</script>",
        "</body></html>",
    ]) + "\n"


def write_lesson_page(text: str, trace, pictures: Sequence[Picture], path: str | Path, theme: str = "light",
                      title: str | None = None, inputs: Iterable[str | Path | None] = ()) -> Path:
    """Write the lesson page to ``path`` atomically (refused first when ``path`` is one of ``inputs``)."""
    from .files import check_output, write_text
    check_output(path, inputs, (".html", ".htm"))
    return write_text(path, lesson_page_html(text, trace, pictures, theme, title))

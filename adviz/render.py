"""``adviz render INPUT -o OUT``: the graph of a gradient call as JSON or a picture, with no display."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from .graph import DIRECTIONS, METHODS
from .model import Document, is_script
from .model.isolation import shared

IMAGE_FORMATS = ("png", "svg", "pdf", "gif")
FORMATS = ("json", "html") + IMAGE_FORMATS
PASSES = ("backward", "forward", "tangent")


class RenderError(Exception):
    """Bad input to ``adviz render``: printed as one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="adviz render",
        description="Write the graph of a gradient call as JSON (schema adviz.graph v3), as a picture, or as "
                    "one self-contained HTML page that plays the pass.")
    p.add_argument("input", help="function text such as 'f = x**2 * y', a tape script (.py) or a session (.adviz)")
    p.add_argument("-o", "--output", required=True, help="OUT.json, OUT.html, OUT.png, OUT.svg, OUT.pdf or OUT.gif")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="declare a Variable")
    p.add_argument("--const", action="append", default=[], metavar="NAME=VALUE", help="declare a constant (not watched)")
    p.add_argument("--watch", action="append", default=[], metavar="NAME=VALUE", help="declare a watched constant")
    p.add_argument("--layout", default=None, choices=METHODS, help="default: a session's layout, else layered")
    p.add_argument("--direction", default=None, choices=DIRECTIONS, help="default: a session's direction, else LR")
    p.add_argument("--call", default=None,
                   help="which gradient call of a script (1, 2, ...), or 'all'; default: a session's call, else 1; "
                        "a script written to .html without --call is one page with a player per call")
    p.add_argument("--target", default=None, help="which output of the functions to differentiate")
    p.add_argument("--persistent", action="store_true", help="make the tape persistent")
    p.add_argument("--step", default="end", help="picture: the step of the pass to show (0, 1, ..., or 'end')")
    p.add_argument("--mode", default=None, choices=PASSES,
                   help="picture, GIF and sequence: the pass to show: backward (adjoints, the default), forward "
                        "(values) or tangent (forward mode: dual numbers a + b·ε flowing from the first input)")
    p.add_argument("--theme", default="light", choices=("light", "dark", "projector", "print"))
    p.add_argument("--scale", type=float, default=2.0, help="PNG: pixels per point, 1 to 4")
    p.add_argument("--fps", type=float, default=12.0, help="GIF: frames per second")
    p.add_argument("--inbetween", type=int, default=4, help="GIF: frames between two steps")
    p.add_argument("--hold", type=float, default=1.5, metavar="SECONDS",
                   help="GIF: how long each step stays (the first and last frames twice as long); default 1.5")
    p.add_argument("--forward", action="store_true", help="the forward pass instead (the same as --mode forward)")
    p.add_argument("--title", default=None, help="a title above the picture")
    p.add_argument("--transparent", action="store_true", help="PNG: transparent background")
    p.add_argument("--sequence", action="store_true",
                   help="PNG: one numbered picture per step (OUT-000.png, OUT-001.png, ...)")
    p.add_argument("--no-legend", action="store_true", help="picture: leave the legend out")
    return p


def load_input(value: str) -> str:
    """The text behind INPUT: a file's contents, or INPUT itself as function text."""
    from .model.inputs import read_text_input
    try:
        return read_text_input(value)
    except ValueError as exc:
        raise RenderError(str(exc)) from None


def _outputs(text: str) -> list[str]:
    from .lang import LangError, parse_functions
    try:
        return list(parse_functions(text).outputs)
    except LangError:
        return []


def documents(args: argparse.Namespace) -> tuple[list[Document], int]:
    """The documents to render (one per call with ``--call all``) and how many calls exist.

    A session (``.adviz``) brings its document, and its layout and direction unless flags say otherwise.
    """
    from .model.inputs import load_session_input
    try:
        session = load_session_input(args.input)
    except ValueError as exc:
        raise RenderError(str(exc)) from None
    args.layout = args.layout or (session.layout if session else "layered")
    args.direction = args.direction or (session.direction if session else "LR")
    text = session.document.text if session else load_input(args.input)
    from .model.inputs import parse_declarations
    try:
        specs = parse_declarations({"var": args.var, "const": args.const, "watch": args.watch})
    except ValueError as exc:
        raise RenderError(str(exc)) from None
    names = {spec.name for spec in specs}
    base = Document(text=text, variables=specs, persistent=args.persistent, target=args.target)
    if session is not None:     # flags override the session's declarations and choices
        doc = session.document
        base = replace(doc, variables=[v for v in doc.variables if v.name not in names] + specs,
                       persistent=args.persistent or doc.persistent, target=args.target or doc.target)
        if args.call is None and is_script(text):
            return [base], 1
    if not is_script(text):
        if args.call not in (None, "1", "all"):
            raise RenderError("--call picks a gradient call of a script; functions make one call")
        if args.target is not None:
            outputs = _outputs(text)
            if args.target not in outputs:
                raise RenderError(f"--target {args.target}: the functions define {', '.join(outputs) or 'nothing'}")
        return [base], 1
    probe = shared().compute(base)      # to count the calls (user code runs in the worker process)
    count = len(probe.trace.calls) if probe.trace is not None else 0
    if args.call == "all":
        return [replace(base, call=k) for k in range(count)], count
    args.call = args.call or "1"
    try:
        k = int(args.call)
    except ValueError:
        raise RenderError(f"--call must be a number from 1 to {count} or 'all', not {args.call!r}") from None
    if not 1 <= k <= max(1, count):
        raise RenderError(f"--call {k}: the script makes {count} gradient call{'s' if count != 1 else ''}")
    return [replace(base, call=k - 1)], count


DECLARATIONS = ("--var", "--const", "--watch")


def _take_declarations(argv: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """``--var``, ``--const`` and ``--watch`` taken out of ``argv`` before argparse sees it.

    argparse looks ahead from every option to the next one, which takes seconds for ten thousand
    ``--var`` flags; here they are one pass. Anything unusual (``--var`` followed by an option or by
    nothing, an abbreviation, anything after ``--``) stays in ``argv`` for argparse to handle or report.
    """
    rest: list[str] = []
    declared: dict[str, list[str]] = {flag[2:]: [] for flag in DECLARATIONS}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        flag, sep, value = arg.partition("=")
        if flag in DECLARATIONS and sep:
            declared[flag[2:]].append(value)
            i += 1
        elif arg in DECLARATIONS and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            declared[arg[2:]].append(argv[i + 1])
            i += 2
        else:
            rest.append(arg)
            i += 1
    return rest, declared


def _script_input(args: argparse.Namespace) -> bool:
    """Whether INPUT is a tape script (a session holding one counts)."""
    from .model.inputs import load_session_input
    try:
        session = load_session_input(args.input)
    except ValueError as exc:
        raise RenderError(str(exc)) from None
    return is_script(session.document.text if session else load_input(args.input))


def _lesson_page(args: argparse.Namespace, out: Path, inputs: list[str]) -> int:
    """A tape script or lesson as one page: its narration, code and a step player per gradient call."""
    from .model.lesson_page import lesson_pictures, write_lesson_page
    docs, _count = documents(args)
    doc = docs[0]
    result = lesson_pictures(doc, lambda d: shared().compute(d, args.layout, args.direction))
    assert result is not None       # no progress callback: never cancelled
    trace, pictures = result
    if trace is None:
        raise RenderError("the script did not run")
    error = getattr(trace, "error", None)
    if error is not None:           # still written: the page shows where the script stopped
        print(f"adviz render: note: {error.line}:{error.col}: {error.message}", file=sys.stderr)
    write_lesson_page(doc.text, trace, pictures, out, theme=args.theme, title=args.title, inputs=inputs)
    return _say(out)


def _say(line: object) -> int:
    """Print a written path: 0, or BROKEN_PIPE when stdout's reader went away (``| head -1``), which
    does not stop the writing."""
    from .run import quiet_broken_pipe
    try:
        print(line)
    except BrokenPipeError:
        return quiet_broken_pipe()
    return 0


def _outputs_for(out: Path, count: int) -> list[Path]:
    return [out] if count == 1 else [out.with_name(f"{out.stem}-{k + 1}{out.suffix}") for k in range(count)]


def render_command(argv: Sequence[str]) -> int:
    """Entry point of ``adviz render``; returns the exit status.

    Every output is refused before anything is opened when it is the input (by name, symlink or
    hard link) or has a suffix adviz does not write; each file is written atomically, so a failure
    leaves what was there before.
    """
    from .model.files import check_output
    parser = _parser()
    argv, declared = _take_declarations(list(argv))
    args = parser.parse_args(argv)
    for key, values in declared.items():
        setattr(args, key, values + getattr(args, key))
    out = Path(args.output)
    fmt = out.suffix.lower().lstrip(".")
    inputs = [args.input]
    current = out          # the file being written, for a message
    status = 0             # BROKEN_PIPE once stdout is closed
    try:
        if fmt not in FORMATS:
            raise RenderError(f"unknown output format {out.suffix or '(none)'!r}; use one of "
                              + ", ".join("." + f for f in FORMATS))
        check_output(out, inputs)
        if not 1 <= args.scale <= 4:
            raise RenderError("--scale must be between 1 and 4")
        if not 0.5 <= args.fps <= 60:
            raise RenderError("--fps must be between 0.5 and 60")
        if not 0 <= args.inbetween <= 30:
            raise RenderError("--inbetween must be between 0 and 30")
        if not 0.1 <= args.hold <= 60:
            raise RenderError("--hold must be between 0.1 and 60 seconds")
        if args.forward and args.mode not in (None, "forward"):
            raise RenderError(f"--forward and --mode {args.mode} ask for two different passes: give one")
        if args.mode not in (None, "backward") and fmt not in IMAGE_FORMATS:
            raise RenderError(f"--mode {args.mode} picks the pass a picture shows (.png, .svg, .pdf, .gif); "
                              f".{fmt} holds every pass")
        if args.sequence and fmt != "png":
            raise RenderError("--sequence writes PNG pictures: use -o NAME.png")
        if fmt == "html" and args.call is None and _script_input(args):
            return _lesson_page(args, out, inputs)
        docs, _count = documents(args)
        paths = _outputs_for(out, len(docs))
        for path in paths:
            check_output(path, inputs)
        for doc, path in zip(docs, paths):
            current = path
            outcome = shared().compute(doc, args.layout, args.direction)
            if outcome.graph is None:
                error = outcome.error
                where = f"{error.line}:{error.col}: " if getattr(error, "line", 0) else ""
                raise RenderError(f"{where}{getattr(error, 'message', error)}")
            failure = outcome.graph.failure
            if failure is not None:      # still drawn: the picture and the JSON show the error
                where = f"line {failure.line}: " if failure.line else ""
                print(f"adviz render: note: {path}: call {doc.call + 1} failed ({failure.code}), "
                      f"{where}{outcome.graph.error}", file=sys.stderr)
            elif outcome.error is not None and getattr(outcome.error, "line", 0):
                print(f"adviz render: note: {outcome.error.line}:{outcome.error.col}: {outcome.error.message}",
                      file=sys.stderr)
            if fmt == "json":
                from .graph import dumps
                from .model.files import write_text
                write_text(path, dumps(outcome.graph, outcome.layout) + "\n")
            elif fmt == "html":       # no Qt: the page is written from the graph and the layout
                from .model.page import write_page
                write_page(outcome.graph, outcome.layout, path, theme=args.theme, title=args.title, inputs=inputs)
            else:
                os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
                from .ui.export import ExportOptions, export, make_scene, render_sequence
                options = ExportOptions(step=args.step, theme=args.theme, scale=args.scale, fps=args.fps,
                                        inbetween=args.inbetween, hold=args.hold, forward=args.forward,
                                        mode=args.mode,
                                        title=args.title, transparent=args.transparent, legend=not args.no_legend)
                if args.sequence:
                    for written in render_sequence(make_scene(outcome.graph, outcome.layout, options), path, options,
                                                   inputs=inputs):
                        status = status or _say(written)
                    continue
                export(outcome.graph, outcome.layout, path, options, inputs=inputs)
            status = status or _say(path)
    except (RenderError, ValueError) as exc:      # ValueError: a step out of range, a picture too large, a refusal
        print(f"adviz render: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"adviz render: cannot write {current}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return status

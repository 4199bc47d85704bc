"""Start the app, or take a screenshot of it without a display."""
from __future__ import annotations

import os
import sys
from typing import Any

from ..model import Document
from ..model.inputs import load_session_input, parse_declarations, read_text_input
from .application import make_app

def read_input(value: str | None) -> str | None:
    """INPUT is a file (a script or function text) or the function text itself."""
    if value is None:
        return None
    try:
        return read_text_input(value)
    except ValueError as exc:
        raise SystemExit(f"adviz: {exc}") from None


def read_session(value: str | None):
    """INPUT as a session when it names a ``.adviz`` file, else None."""
    try:
        return load_session_input(value)
    except ValueError as exc:
        raise SystemExit(f"adviz: {exc}") from None


def screenshot_suffixes() -> tuple[str, ...]:
    """The suffixes (``.png``, ``.jpg``, ...) Qt can write a picture of the window as."""
    from PySide6.QtGui import QImageWriter
    return tuple("." + bytes(f).decode("ascii", "replace").lower() for f in QImageWriter.supportedImageFormats())


def check_screenshot(out: str, source: str | None, step: str | None) -> str | None:
    """Why ``--screenshot OUT`` cannot be taken, before anything is opened or read; else None."""
    from pathlib import Path
    from ..model.files import OutputRefused, check_output
    suffix = Path(out).suffix.lower()
    if suffix in (".adviz", ".py", ".txt", ".json"):
        return (f"--screenshot {out}: the picture would be written over {out}; give the picture's name first: "
                f"adviz --screenshot OUT.png {out}")
    try:
        check_output(out, [source], screenshot_suffixes())
    except OutputRefused as exc:
        return str(exc)
    if step not in (None, "end"):
        try:
            int(step)
        except ValueError:
            return f"--step must be a number or 'end', not {step!r}"
    return None


def run_app(args: Any) -> int:
    """``adviz [INPUT] [--screenshot OUT.png [--step N|end]] [--theme ...]``."""
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        problem = check_screenshot(args.screenshot, args.input, args.step)
        if problem:
            print(f"adviz: {problem}", file=sys.stderr)
            return 2
    elif (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
          and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        # Qt would abort with a platform-plugin error: say what to do instead.
        print("adviz: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
              "Without a display, use 'adviz --screenshot OUT.png [INPUT]' or 'adviz render INPUT -o OUT.png'.",
              file=sys.stderr)
        return 2
    try:
        session = read_session(args.input)
        text = read_input(args.input) if session is None else None
        size = parse_size(args.size)
        specs = parse_declarations({"var": args.var, "const": args.const, "watch": args.watch})
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"adviz: {exc}", file=sys.stderr)
        return 2
    app = make_app()
    from PySide6.QtCore import QSettings
    from .window import MainWindow
    settings = QSettings() if not args.screenshot else QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                                                   "adviz", "adviz-screenshot")
    if args.screenshot:
        settings.clear()
    window = MainWindow(settings)
    if args.theme:
        window.apply_theme(args.theme)
    if session is not None and args.theme:
        session.theme = args.theme          # the command line wins over the file
    document = Document(text=text, variables=specs) if text is not None and specs else None
    if args.screenshot:
        return _screenshot(app, window, text, args.screenshot, args.step, session,
                           size=size, present=args.present, document=document, mode=getattr(args, "mode", None))
    if session is not None:
        window.sessions.apply_session(session, args.input)
    elif document is not None:
        window.model.load(document)
    elif text is not None:
        window.set_text(text)
    elif not window.restore_last_document():
        window.first_start()
    window.sessions.startup()
    window.show()
    return app.exec()


def parse_size(text: str | None) -> tuple[int, int] | None:
    """``1280x720`` as (1280, 720); ValueError with a one-line message when it is not a size."""
    if text is None:
        return None
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or not (320 <= int(width) <= 8000
                                                                        and 240 <= int(height) <= 8000):
        raise ValueError(f"--size must be WIDTHxHEIGHT between 320x240 and 8000x8000, such as 1280x720, not {text!r}")
    return int(width), int(height)


def _screenshot(app, window, text: str | None, out: str, step: str | None, session=None,
                size: tuple[int, int] | None = None, present: bool = False, document=None,
                mode: str | None = None) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    shown: list[bool] = []
    window.graphShown.connect(lambda: (shown.append(True), loop.quit()))
    window.errorShown.connect(lambda _m: QTimer.singleShot(50, loop.quit) if window.outcome and window.outcome.graph is None else None)
    QTimer.singleShot(15000, loop.quit)
    window.resize(*(size or (1400, 860)))
    window.show()
    if present:
        window.presentation.enter(full_screen=False)
    if session is not None:
        window.sessions.apply_session(session)
    elif document is not None:
        window.model.load(document)
    elif text is None:
        window.load_example()
    else:
        window.set_text(text)
    window.recompute()
    loop.exec()
    if not shown:      # an error state is not the picture that was asked for: write nothing
        error = window.outcome.error if window.outcome is not None else None
        if error is not None:
            where = f"line {error.line}, col {error.col}: " if getattr(error, "line", 0) else ""
            print(f"adviz: {where}{getattr(error, 'message', error)}", file=sys.stderr)
        print(f"adviz: no picture of the graph, so {out} was not written", file=sys.stderr)
        window.sessions.mark_clean()
        window.close()
        return 1
    if mode:
        window.model.set_mode(mode)
    if step is not None and window.player.length():
        index = window.player.length() - 1 if step == "end" else int(step)
        window.player.go(index, animate=False)
    if present:
        window.presentation.frame_step(animate=False)
    else:
        window.view.fit()
    app.processEvents()
    try:
        save_picture(window.grab().toImage(), out)
    except OSError as exc:
        print(f"adviz: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        window.sessions.mark_clean()     # a screenshot never asks to save
        window.close()
    return 0


def save_picture(image, out: str) -> None:
    """Write the QImage ``image`` to ``out`` in the format its suffix names, atomically; OSError if Qt
    cannot encode it (the previous file stays as it was)."""
    from pathlib import Path
    from PySide6.QtCore import QBuffer, QIODevice
    from ..model.files import write_bytes
    buffer = QBuffer()
    fmt = Path(out).suffix.lstrip(".").lower()
    if not buffer.open(QIODevice.OpenModeFlag.WriteOnly) or not image.save(buffer, fmt):
        raise OSError(f"Qt cannot write the picture as {fmt or 'an image without a suffix'}")
    write_bytes(out, bytes(buffer.data()))

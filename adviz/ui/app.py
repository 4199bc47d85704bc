"""Start the app, or take a screenshot of it without a display."""
from __future__ import annotations

import os
import sys
from typing import Any

from ..model.inputs import load_session_input, read_text_input
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


def run_app(args: Any) -> int:
    """``adviz [INPUT] [--screenshot OUT.png [--step N|end]] [--theme ...]``."""
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    except SystemExit as exc:
        print(exc, file=sys.stderr)
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
    if args.screenshot:
        return _screenshot(app, window, text, args.screenshot, args.step, session)
    if session is not None:
        window.sessions.apply_session(session, args.input)
    elif text is not None:
        window.set_text(text)
    elif not window.restore_last_document():
        window.open_first_lesson()
    window.sessions.startup()
    window.show()
    return app.exec()


def _screenshot(app, window, text: str | None, out: str, step: str | None, session=None) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    shown: list[bool] = []
    window.graphShown.connect(lambda: (shown.append(True), loop.quit()))
    window.errorShown.connect(lambda _m: QTimer.singleShot(50, loop.quit) if window.outcome and window.outcome.graph is None else None)
    QTimer.singleShot(15000, loop.quit)
    window.resize(1400, 860)
    window.show()
    if session is not None:
        window.sessions.apply_session(session)
    elif text is None:
        window.load_example()
    else:
        window.set_text(text)
    window.recompute()
    loop.exec()
    if not shown and window.outcome is not None and window.outcome.error is not None:
        error = window.outcome.error
        where = f"line {error.line}, col {error.col}: " if getattr(error, "line", 0) else ""
        print(f"adviz: {where}{getattr(error, 'message', error)}", file=sys.stderr)
    if step is not None and window.player.length():
        if step == "end":
            index = window.player.length() - 1
        else:
            try:
                index = int(step)
            except ValueError:
                print(f"adviz: --step must be a number or 'end', not {step!r}", file=sys.stderr)
                return 2
        window.player.go(index, animate=False)
    window.view.fit()
    app.processEvents()
    image = window.grab()
    if not image.save(out):
        print(f"adviz: cannot write {out}", file=sys.stderr)
        return 1
    window.sessions.mark_clean()     # a screenshot never asks to save
    window.close()
    return 0 if shown else 1

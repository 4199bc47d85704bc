"""Files dropped on the window open as if chosen in File ▸ Open."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from ..model.session import SUFFIX

OPENABLE = (SUFFIX, ".py", ".txt")


def dropped_path(mime: Any) -> Path | None:
    """The first local ``.adviz``, ``.py`` or ``.txt`` file among dropped URLs."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in OPENABLE:
                return path
    return None


class DropOpener(QObject):
    """An event filter for the widgets that accept drops; a dropped file goes to ``open_path``."""

    def __init__(self, open_path: Callable[[Path], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.open_path = open_path

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt virtual
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_path(event.mimeData()) is not None:
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            path = dropped_path(event.mimeData())
            if path is not None:
                event.acceptProposedAction()
                # Opened after the drop returns: the source application is not held by a dialog.
                QTimer.singleShot(0, lambda: self.open_path(path))
                return True
        return False

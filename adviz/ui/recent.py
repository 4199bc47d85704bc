"""File ▸ Recent files: the last eight files opened or saved that still exist."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QWidget

MAX_RECENT = 8


class RecentFiles:
    """The list in the settings and the menu that shows it; choosing an entry calls ``open_path``."""

    def __init__(self, settings: QSettings, parent: QWidget, open_path: Callable[[str], object]) -> None:
        self.settings = settings
        self.open_path = open_path
        self.menu = QMenu("Recent files", parent)
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def files(self) -> list[str]:
        """The recently opened or saved files that still exist, newest first."""
        raw = self.settings.value("recent_files", [], type=list) or []
        paths = [str(p) for p in raw if isinstance(p, str) and p]
        kept = [p for p in dict.fromkeys(paths) if Path(p).is_file()][:MAX_RECENT]
        if kept != paths:
            self.settings.setValue("recent_files", kept)
        return kept

    def add(self, path: Path) -> None:
        name = str(path.resolve())
        files = [name] + [p for p in self.files() if p != name]
        self.settings.setValue("recent_files", files[:MAX_RECENT])
        self.rebuild()

    def forget_missing(self) -> None:
        self.settings.setValue("recent_files", self.files())
        self.rebuild()

    def clear(self) -> None:
        self.settings.setValue("recent_files", [])
        self.rebuild()

    def rebuild(self) -> None:
        menu = self.menu
        menu.clear()
        files = self.files()
        for number, name in enumerate(files, start=1):
            action = menu.addAction(f"&{number} {Path(name).name}")
            action.setToolTip(name)
            action.setStatusTip(name)
            action.setData(name)
            action.triggered.connect(lambda _=False, p=name: self.open_path(p))
        if files:
            menu.addSeparator()
            menu.addAction("Clear the list", self.clear)
        menu.setEnabled(bool(files))

"""Each running adviz's own autosave file, guarded by a lock file holding its process id.

A window takes the first slot no live process holds; a slot that still has an autosave file was
left by a process that ended without closing cleanly, so that work is offered back. A second
adviz started while one runs takes another slot and never offers the first one's work.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings, QStandardPaths

from ..model.session import SUFFIX

SLOTS = 32


def autosave_path_for(settings: QSettings, slot: int = 0) -> Path:
    """Where slot ``slot``'s unsaved work is autosaved for windows with ``settings``.

    Beside an INI settings file (so a test's settings in a temporary folder keep their autosave
    there too), else in the application's data folder.
    """
    suffix = "" if slot == 0 else f"-{slot}"
    if settings.format() == QSettings.Format.IniFormat and settings.fileName():
        ini = Path(settings.fileName())
        return ini.with_name(f"{ini.stem}.autosave{suffix}{SUFFIX}")
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder or Path.home() / ".adviz") / f"autosave{suffix}{SUFFIX}"


class AutosaveSlot:
    """The autosave file this process owns while it runs (``path``), held by a lock file."""

    def __init__(self, settings: QSettings) -> None:
        self.path = autosave_path_for(settings)
        self._lock: QLockFile | None = None
        first: tuple[Path, QLockFile] | None = None
        for slot in range(SLOTS):
            path = autosave_path_for(settings, slot)
            lock = QLockFile(str(path) + ".lock")
            lock.setStaleLockTime(0)        # stale only when its process is gone, however old
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                break
            if not lock.tryLock(0):
                continue                    # a running adviz owns it
            if path.is_file():              # work left behind by an ended process: ours to offer
                if first is not None:
                    first[1].unlock()
                first = (path, lock)
                break
            if first is None:
                first = (path, lock)
            else:
                lock.unlock()
        if first is not None:
            self.path, self._lock = first

    def release(self) -> None:
        """This process is done with its slot (the autosave file, if any, stays for a later start)."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

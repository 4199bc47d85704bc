"""Sessions in the window: New, Open, Save, the title with its modified mark, autosave and recovery.

The file format lives in :mod:`adviz.model.session` (no Qt) and the state in the
:class:`~adviz.ui.model.DocumentModel`; this module owns the dialogs. Every dialog goes through one
method (``_ask_to_save``, ``_ask_to_recover``, ``_ask_open_path``, ``_ask_save_path``,
``_show_error``) so tests can replace it, and on a display nobody can answer (the offscreen
platform) none of them blocks.
"""
from __future__ import annotations

import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDateTime, QEvent, QObject, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from ..model import THEME_SETTINGS, Document
from ..model.session import SUFFIX, Session, SessionError, is_session_path, load_session, load_text, save_session
from .autosave import AutosaveSlot
from .drops import DropOpener
from .recent import RecentFiles

AUTOSAVE_MS = 30_000
FILTERS = ("adviz files (*.adviz *.py *.txt);;adviz sessions (*.adviz);;"
           "Tape scripts and functions (*.py *.txt);;All files (*)")
SAVE_FILTER = "adviz sessions (*.adviz)"


class SessionController(QObject):
    """The File menu's sessions for one :class:`MainWindow`; the window asks it before closing.

    The document counts as modified when its content, its layout or a dragged node differs from
    what was last saved or opened; the step, the pass, the chosen call and the theme do not count.
    """

    modifiedChanged = Signal(bool)
    opened = Signal(str)
    saved = Signal(str)

    SAVE = QMessageBox.StandardButton.Save
    DISCARD = QMessageBox.StandardButton.Discard
    CANCEL = QMessageBox.StandardButton.Cancel

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.model = window.model
        self.settings = window.settings
        self._slot = AutosaveSlot(self.settings)
        self.autosave_path = self._slot.path
        self._suggested: Path | None = None     # Save As's proposal when there is no session file yet
        self._autosaved_revision = self.model.revision
        self._was_modified = False
        self.recent = RecentFiles(self.settings, window, self.open_path)
        self.recent_menu = self.recent.menu
        self._build_actions()
        self.model.modifiedChanged.connect(self._on_modified)
        self.model.titleChanged.connect(lambda _name: self._update_title())
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()
        window.setAcceptDrops(True)
        self._drops = DropOpener(self.open_path, self)
        for target in (window, window.view.viewport(), window.inputs.editor.viewport()):
            target.installEventFilter(self._drops)
        self._update_title()

    def _build_actions(self) -> None:
        w = self.window
        a = w._action
        self.new_action = a("new", "New", "Ctrl+N", "Start an empty, untitled session", self.new)
        self.open_action = a("open", "Open…", "Ctrl+O", "Open a session (.adviz), a tape script (.py) or functions (.txt)",
                             self.open)
        self.save_action = a("save", "Save", "Ctrl+S", "Save the session", self.save)
        self.save_as_action = a("save_as", "Save As…", "Ctrl+Shift+S", "Save the session to a new file", self.save_as)
        menu = _file_menu(w)
        first = menu.actions()[0] if menu.actions() else None
        for action in (self.new_action, self.open_action):
            menu.insertAction(first, action)
        menu.insertMenu(first, self.recent_menu)
        menu.insertAction(first, self.save_action)
        menu.insertAction(first, self.save_as_action)
        if first is not None:
            menu.insertSeparator(first)

    # -- the modified flag and the title --------------------------------------------
    @property
    def modified(self) -> bool:
        return self.model.modified

    @property
    def path(self) -> Path | None:
        return self.model.path

    @property
    def display_name(self) -> str:
        return self.model.display_name

    def _on_modified(self, modified: bool) -> None:
        self._update_title()
        if modified != self._was_modified:
            self._was_modified = modified
            self.modifiedChanged.emit(modified)

    def mark_clean(self) -> None:
        """What the window shows now is what was last saved or opened."""
        self.model.mark_clean()
        self._autosaved_revision = self.model.revision

    def _update_title(self) -> None:
        if not shiboken6.isValid(self.window):
            return          # the window is being destroyed
        self.window.setWindowTitle(f"{self.model.display_name}[*] — adviz")
        self.window.setWindowModified(self.model.modified)

    # -- what is saved --------------------------------------------------------------
    def current_session(self) -> Session:
        """The window as a session: document, layout, moved nodes, step, pass and theme."""
        theme = self.window.theme_setting
        return self.model.session(theme if theme in THEME_SETTINGS else "system")

    def apply_session(self, session: Session, path: str | Path | None = None) -> None:
        """Put ``session`` in the window: its document, layout, moved nodes, step, pass and theme."""
        self.window.player.pause()
        if session.theme != self.window.theme_setting:
            self.window.apply_theme(session.theme)
        path = Path(path) if path is not None else None
        self.model.load(session.document, path, session=session)
        self._suggested = path
        self._autosaved_revision = self.model.revision

    def lesson_opened(self, path: Path) -> None:
        """A shipped lesson was opened: Save As proposes its name in the user's folder."""
        self._suggested = Path(self._folder()) / (path.stem + SUFFIX)
        self._autosaved_revision = self.model.revision

    # -- File menu ------------------------------------------------------------------
    def new(self) -> bool:
        """An empty, untitled session (after asking about unsaved changes)."""
        if not self.maybe_save():
            return False
        self.model.load(Document(text=""))
        self.window.show_editor()
        self._suggested = None
        self._remove_autosave()
        return True

    def open(self) -> bool:
        """File ▸ Open…: a session, a tape script or function text."""
        if not self.maybe_save():
            return False
        path = self._ask_open_path()
        if not path:
            return False
        return self.open_path(path, ask=False)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        """Open ``path``; on a bad file show why and leave the window as it was."""
        path = Path(path)
        if ask and not self.maybe_save():
            return False
        try:
            loaded: Session | str = load_session(path) if is_session_path(path) else load_text(path)
        except SessionError as exc:
            if not path.exists():
                self.recent.forget_missing()
            self._show_error(f"Cannot open {path.name}", f"{path.name}: {exc}")
            return False
        if isinstance(loaded, Session):
            self.apply_session(loaded, path)
        else:
            # A script or function lines: a new untitled session named after the file.
            self.model.load(Document(text=loaded), display=path.name)
            self._suggested = path.with_suffix(SUFFIX)
            self._autosaved_revision = self.model.revision
        self.recent.add(path)
        self.settings.setValue("session/folder", str(path.parent))
        self._remove_autosave()
        self.window.statusBar().showMessage(f"Opened {path}", 4000)
        self.opened.emit(str(path))
        return True

    def save(self) -> bool:
        """File ▸ Save: to the session's file, or ask where when there is none."""
        if self.model.path is None:
            return self.save_as()
        return self.save_to(self.model.path)

    def save_as(self) -> bool:
        """File ▸ Save As…: ask for a file name, then save there."""
        path = self._ask_save_path(self._suggested)
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        return self.save_to(path)

    def save_to(self, path: str | Path) -> bool:
        """Write the session to ``path`` (atomically); it becomes the session's file."""
        path = Path(path)
        try:
            save_session(path, self.current_session())
        except SessionError as exc:
            self._show_error("Cannot save", str(exc))
            return False
        self.model.saved_as(path)
        self._suggested = path
        self._autosaved_revision = self.model.revision
        self.recent.add(path)
        self.settings.setValue("session/folder", str(path.parent))
        self._remove_autosave()
        self.window.statusBar().showMessage(f"Saved {path}", 4000)
        self.saved.emit(str(path))
        return True

    def maybe_save(self) -> bool:
        """Before unsaved changes would go: Save, Discard or Cancel. True when it is fine to go on."""
        if not self.model.modified:
            return True
        answer = self._ask_to_save()
        if answer == self.SAVE:
            return self.save()
        return answer == self.DISCARD

    def confirm_close(self) -> bool:
        """The window is closing: ask about unsaved changes; a clean close removes the autosave."""
        if not self.maybe_save():
            return False
        self.timer.stop()
        self._remove_autosave()
        self._slot.release()
        return True

    def recent_files(self) -> list[str]:
        """The recently opened or saved files that still exist, newest first (at most eight)."""
        return self.recent.files()

    # -- autosave and recovery ------------------------------------------------------
    def autosave(self) -> bool:
        """Write the unsaved work to this window's autosave file; True when something was written."""
        if not self.model.modified or self.model.revision == self._autosaved_revision:
            return False
        try:
            self.autosave_path.parent.mkdir(parents=True, exist_ok=True)
            save_session(self.autosave_path, self.current_session())
        except (SessionError, OSError) as exc:
            self.window.statusBar().showMessage(f"Autosave failed: {exc}", 5000)
            return False
        self.settings.setValue(f"session/autosave_source/{self.autosave_path.name}",
                               str(self.model.path) if self.model.path else "")
        self._autosaved_revision = self.model.revision
        return True

    def recover(self) -> bool:
        """Restore the autosave a process left when it ended uncleanly; False when there is none."""
        path = self.autosave_path
        if not path.is_file():
            return False
        try:
            session = load_session(path)
        except SessionError as exc:
            self.window.statusBar().showMessage(f"The autosaved work cannot be restored: {exc}", 8000)
            return False
        source = str(self.settings.value(f"session/autosave_source/{path.name}", "") or "")
        self.apply_session(session, source or None)
        self.model.mark_modified()      # the restored work is saved nowhere but the autosave
        self.window.statusBar().showMessage("Restored the unsaved work of the last session", 6000)
        return True

    def offer_recovery(self) -> bool:
        """At start: if an ended process left an autosave in this window's slot, ask whether to restore it."""
        path = self.autosave_path
        if not path.is_file():
            return False
        answer = self._ask_to_recover(path)
        if answer is None:
            return False        # nobody to ask: keep the autosave for a later start
        if answer:
            return self.recover()
        self._remove_autosave()
        return False

    def startup(self) -> None:
        """Call once the first document is in the window: it counts as unmodified; offer any recovery."""
        self.mark_clean()
        QTimer.singleShot(0, self.offer_recovery)

    def _remove_autosave(self) -> None:
        try:
            self.autosave_path.unlink(missing_ok=True)
        except OSError:
            pass

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt virtual
        """Drops on the window open the dropped file (see :mod:`adviz.ui.drops`)."""
        return self._drops.eventFilter(watched, event)

    # -- dialogs (one method each, so tests can replace them) -----------------------
    def _ask_to_save(self) -> QMessageBox.StandardButton:
        if _headless():
            return self.DISCARD
        return QMessageBox.warning(
            self.window, "Unsaved changes", f"Save the changes to {self.model.display_name}?",
            self.SAVE | self.DISCARD | self.CANCEL, self.SAVE)

    def _ask_to_recover(self, path: Path) -> bool | None:
        """Yes or no; None when there is nobody to ask."""
        if _headless():
            return None
        when = QDateTime.fromSecsSinceEpoch(int(path.stat().st_mtime)).toString("yyyy-MM-dd hh:mm")
        answer = QMessageBox.question(
            self.window, "Restore unsaved work?",
            f"adviz did not close cleanly last time. Restore the work autosaved at {when}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_open_path(self) -> str | None:
        if _headless():
            return None
        path, _ = QFileDialog.getOpenFileName(self.window, "Open", self._folder(), FILTERS)
        return path or None

    def _ask_save_path(self, suggested: Path | None) -> str | None:
        if _headless():
            return None
        start = str(suggested) if suggested is not None else str(Path(self._folder()) / f"untitled{SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save session", start, SAVE_FILTER)
        return path or None

    def _show_error(self, title: str, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)
        if _headless():
            print(f"adviz: {message}", file=sys.stderr)
            return
        QMessageBox.warning(self.window, title, message)

    def _folder(self) -> str:
        folder = str(self.settings.value("session/folder", "") or "")
        if folder and Path(folder).is_dir():
            return folder
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def _file_menu(window) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and menu.title().replace("&", "") == "File":
            return menu
    return window.menuBar().addMenu("&File")


def _headless() -> bool:
    """Nobody can answer a dialog on these platforms: never block on one."""
    return QGuiApplication.platformName() in ("offscreen", "minimal")

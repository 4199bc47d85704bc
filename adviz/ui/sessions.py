"""Sessions in the window: open, save, recent files, autosave, crash recovery, drops and the modified flag.

The file format lives in :mod:`adviz.session` (no Qt); this module owns the dialogs. Every dialog goes
through one method (``_ask_to_save``, ``_ask_to_recover``, ``_ask_open_path``, ``_ask_save_path``,
``_show_error``) so tests can replace it, and on a display nobody can answer (the offscreen platform)
none of them blocks.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QDateTime, QEvent, QObject, QPointF, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ..graph import METHODS
from ..model import THEMES, Document
from ..model.session import (SUFFIX, Session, SessionError, is_session_path, load_session, load_text,
                       save_session)

if TYPE_CHECKING:
    from .window import MainWindow

AUTOSAVE_MS = 30_000
MAX_RECENT = 8
OPENABLE = (SUFFIX, ".py", ".txt")
FILTERS = ("adviz files (*.adviz *.py *.txt);;adviz sessions (*.adviz);;"
           "Tape scripts and functions (*.py *.txt);;All files (*)")
SAVE_FILTER = "adviz sessions (*.adviz)"


class SessionController(QObject):
    """The File menu's sessions for one :class:`MainWindow`; the window asks it before closing.

    ``modified`` turns on with an edit of the document, a dragged node or another layout, and off
    when the session is saved or opened. The step, pass and theme are saved but do not count as edits.
    """

    modifiedChanged = Signal(bool)
    opened = Signal(str)
    saved = Signal(str)

    SAVE = QMessageBox.StandardButton.Save
    DISCARD = QMessageBox.StandardButton.Discard
    CANCEL = QMessageBox.StandardButton.Cancel

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.settings: QSettings = window.settings
        self.path: Path | None = None          # the session file Save writes to
        self.display_name = "Untitled"
        self.modified = False
        self.autosave_path = autosave_path_for(self.settings)
        self._suggested: Path | None = None     # Save As's proposal when there is no session file yet
        self._clean_layout = (window.method, window.direction)
        self._pending_positions: dict[str, tuple[float, float]] | None = None
        self._pending_view: tuple[str, int] | None = None
        self._since_autosave = False
        self._quiet = False          # True while a session is being put in the window
        self._last_text = window.inputs.editor.toPlainText()
        self._build_actions()
        self._connect()
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()
        window.setAcceptDrops(True)
        for target in (window, window.view.viewport(), window.inputs.editor.viewport()):
            target.installEventFilter(self)
        self._update_title()

    # -- construction ---------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.window
        a = w._action
        self.new_action = a("new", "New", "Ctrl+N", "Start an empty, untitled session", self.new)
        self.open_action = a("open", "Open…", "Ctrl+O", "Open a session (.adviz), a tape script (.py) or functions (.txt)",
                             self.open)
        self.save_action = a("save", "Save", "Ctrl+S", "Save the session", self.save)
        self.save_as_action = a("save_as", "Save As…", "Ctrl+Shift+S", "Save the session to a new file", self.save_as)
        self.recent_menu = QMenu("Recent files", w)
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._rebuild_recent)
        menu = _file_menu(w)
        first = menu.actions()[0] if menu.actions() else None
        for action in (self.new_action, self.open_action):
            menu.insertAction(first, action)
        menu.insertMenu(first, self.recent_menu)
        menu.insertAction(first, self.save_action)
        menu.insertAction(first, self.save_as_action)
        if first is not None:
            menu.insertSeparator(first)
        self._rebuild_recent()

    def _connect(self) -> None:
        w = self.window
        # Bound methods, not lambdas: Qt drops these connections when the controller goes.
        # Not InputsPanel.edited: the editor reports a re-highlight (a new theme) as a change too.
        inputs = w.inputs
        inputs.editor.textChanged.connect(self._on_text)
        inputs.table.edited.connect(self._on_edit)
        for signal in (inputs.persistent.toggled, inputs.watch_accessed.toggled,
                       inputs.target.currentIndexChanged, inputs.call.currentIndexChanged):
            signal.connect(self._on_option)
        w.undo_stack.indexChanged.connect(self._on_edit)
        w.scene.nodeMoved.connect(self._on_edit)
        w.scene.layoutAnimationFinished.connect(self._check_layout)
        w.layout_group.triggered.connect(self._check_layout)
        w.graphShown.connect(self._on_graph_shown)
        w.errorShown.connect(self._on_error_shown)

    # -- the modified flag ----------------------------------------------------------
    def _on_edit(self, *_args: Any) -> None:
        if not self._quiet:
            self._set_modified(True)

    def _on_text(self) -> None:
        text = self.window.inputs.editor.toPlainText()
        if text != self._last_text:
            self._last_text = text
            self._on_edit()

    def _on_option(self, *_args: Any) -> None:
        if not self.window.inputs._loading:
            self._on_edit()

    def _check_layout(self, *_args: Any) -> None:
        if (self.window.method, self.window.direction) != self._clean_layout:
            self._on_edit()

    def _set_modified(self, modified: bool) -> None:
        if modified:
            self._since_autosave = True
        if modified != self.modified:
            self.modified = modified
            self._update_title()
            self.modifiedChanged.emit(modified)

    def mark_clean(self) -> None:
        """What the window shows now is what was last saved or opened."""
        self._clean_layout = (self.window.method, self.window.direction)
        self._last_text = self.window.inputs.editor.toPlainText()
        self._since_autosave = False
        self._set_modified(False)

    def _update_title(self) -> None:
        if not shiboken6.isValid(self.window):
            return          # the window is being destroyed
        self.window.setWindowTitle(f"{self.display_name}[*] — adviz")
        self.window.setWindowModified(self.modified)

    # -- what is saved --------------------------------------------------------------
    def current_session(self) -> Session:
        """The window as a session: document, layout, moved nodes, step, pass and theme."""
        w = self.window
        if self._pending_positions is not None:
            positions = dict(self._pending_positions)
        else:
            positions = {nid: (p.x(), p.y()) for nid, p in w.scene.moved_positions().items()}
        mode, step = self._pending_view or (w.player.mode, w.player.index)
        return Session(document=w.current_document(),
                       layout=w.method if w.method in METHODS else "layered",
                       direction=w.direction if w.direction in ("LR", "TB") else "LR",
                       positions=positions, step=max(0, step), mode=mode,
                       theme=w.theme_setting if w.theme_setting in THEMES else "system")

    def apply_session(self, session: Session, path: str | Path | None = None) -> None:
        """Put ``session`` in the window; its moved nodes, step and pass follow with the next picture."""
        w = self.window
        w.player.pause()
        self._quiet = True
        try:
            w.method, w.direction = session.layout, session.direction
            w.settings.setValue("layout/method", w.method)
            w.settings.setValue("layout/direction", w.direction)
            w._sync_layout_checks()
            if session.theme != w.theme_setting:
                w.apply_theme(session.theme)
            self._pending_positions = dict(session.positions)
            self._pending_view = (session.mode, session.step)
            self._prime_choices(session.document)
            w.apply_document(session.document)
            w.undo_stack.clear()
        finally:
            self._quiet = False
        self._set_file(Path(path) if path is not None else None)
        self.mark_clean()

    def _prime_choices(self, doc: Document) -> None:
        # apply_document reads the target and the call back from their combos before the run has
        # filled them; give the combos the session's choice so the first run draws the right call.
        inputs = self.window.inputs
        inputs.set_choices(inputs.target, [doc.target] if doc.target else [], doc.target)
        inputs.set_choices(inputs.call, [str(k + 1) for k in range(doc.call + 1)], doc.call)

    def take_positions(self, current: dict[str, QPointF]) -> dict[str, QPointF]:
        """The positions the next picture keeps: an opened session's moved nodes once, else ``current``."""
        if self._pending_positions is None:
            return current
        pending, self._pending_positions = self._pending_positions, None
        return {nid: QPointF(x, y) for nid, (x, y) in pending.items()}

    def _on_graph_shown(self) -> None:
        if self._pending_view is None:
            return
        mode, step = self._pending_view
        self._pending_view = None
        w = self.window
        if mode != w.player.mode:
            index = w.transport.mode.findData(mode)
            if index >= 0:
                w.transport.mode.setCurrentIndex(index)     # the window's slot switches the player
        w.player.go(step, animate=False)

    def _on_error_shown(self, _message: str) -> None:
        outcome = self.window.outcome
        if outcome is not None and outcome.graph is None:
            self._pending_positions = None       # no picture to place them on
            self._pending_view = None

    def _set_file(self, path: Path | None, display: str | None = None) -> None:
        self.path = path
        self.display_name = display or (path.name if path is not None else "Untitled")
        self._suggested = path
        self._update_title()

    # -- File menu ------------------------------------------------------------------
    def new(self) -> bool:
        """An empty, untitled session (after asking about unsaved changes)."""
        if not self.maybe_save():
            return False
        w = self.window
        self._pending_positions = self._pending_view = None
        self._clear_canvas()
        self._quiet = True
        try:
            doc = Document(text="")
            self._prime_choices(doc)
            w.apply_document(doc)
            w.undo_stack.clear()
        finally:
            self._quiet = False
        self._set_file(None)
        self.mark_clean()
        self._remove_autosave()
        return True

    def _clear_canvas(self) -> None:
        w = self.window
        w.scene.clear()
        w.scene.graph, w.scene.nodes, w.scene.edges = None, {}, {}
        w.outcome = None
        w._structure = ()
        w.view.stale_message = ""
        w.details.clear()
        w._sync_transport()
        w.view.viewport().update()

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
                self._forget_recent(path)
            self._show_error(f"Cannot open {path.name}", f"{path.name}: {exc}")
            return False
        if isinstance(loaded, Session):
            self.apply_session(loaded, path)
        else:
            self._open_text(loaded, path)
        self._add_recent(path)
        self.settings.setValue("session/folder", str(path.parent))
        self._remove_autosave()
        self.window.statusBar().showMessage(f"Opened {path}", 4000)
        self.opened.emit(str(path))
        return True

    def _open_text(self, text: str, path: Path) -> None:
        """A script or function lines become the editor's text, in a new untitled session."""
        w = self.window
        self._pending_positions, self._pending_view = {}, None     # no dragged node carries over
        self._quiet = True
        try:
            doc = Document(text=text)
            self._prime_choices(doc)
            w.apply_document(doc)
            w.undo_stack.clear()
        finally:
            self._quiet = False
        self._set_file(None, display=path.name)
        self._suggested = path.with_suffix(SUFFIX)
        self.mark_clean()

    def save(self) -> bool:
        """File ▸ Save: to the session's file, or ask where when there is none."""
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

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
        self._set_file(path)
        self.mark_clean()
        self._add_recent(path)
        self.settings.setValue("session/folder", str(path.parent))
        self._remove_autosave()
        self.window.statusBar().showMessage(f"Saved {path}", 4000)
        self.saved.emit(str(path))
        return True

    def maybe_save(self) -> bool:
        """Before unsaved changes would go: Save, Discard or Cancel. True when it is fine to go on."""
        if not self.modified:
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
        self.window._debounce.stop()    # a pending recompute would meet the window's stopped worker
        self._remove_autosave()
        return True

    # -- recent files ---------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """The recently opened or saved files that still exist, newest first (at most eight)."""
        raw = self.settings.value("recent_files", [], type=list) or []
        paths = [str(p) for p in raw if isinstance(p, str) and p]
        kept = [p for p in dict.fromkeys(paths) if Path(p).is_file()][:MAX_RECENT]
        if kept != paths:
            self.settings.setValue("recent_files", kept)
        return kept

    def _add_recent(self, path: Path) -> None:
        name = str(path.resolve())
        files = [name] + [p for p in self.recent_files() if p != name]
        self.settings.setValue("recent_files", files[:MAX_RECENT])
        self._rebuild_recent()

    def _forget_recent(self, path: Path) -> None:
        self.settings.setValue("recent_files", self.recent_files())
        self._rebuild_recent()

    def _rebuild_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.recent_files()
        for number, name in enumerate(files, start=1):
            action = menu.addAction(f"&{number} {Path(name).name}")
            action.setToolTip(name)
            action.setStatusTip(name)
            action.setData(name)
            action.triggered.connect(lambda _=False, p=name: self.open_path(p))
        if files:
            menu.addSeparator()
            menu.addAction("Clear the list", self._clear_recent)
        menu.setEnabled(bool(files))

    def _clear_recent(self) -> None:
        self.settings.setValue("recent_files", [])
        self._rebuild_recent()

    # -- autosave and recovery ------------------------------------------------------
    def autosave(self) -> bool:
        """Write the unsaved work to the autosave file; True when something was written."""
        if not self.modified or not self._since_autosave:
            return False
        try:
            self.autosave_path.parent.mkdir(parents=True, exist_ok=True)
            save_session(self.autosave_path, self.current_session())
        except (SessionError, OSError) as exc:
            self.window.statusBar().showMessage(f"Autosave failed: {exc}", 5000)
            return False
        self.settings.setValue("session/autosave_source", str(self.path) if self.path else "")
        self._since_autosave = False
        return True

    def recover(self) -> bool:
        """Restore the autosave of a session that did not close cleanly; False when there is none."""
        path = self.autosave_path
        if not path.is_file():
            return False
        try:
            session = load_session(path)
        except SessionError as exc:
            self.window.statusBar().showMessage(f"The autosaved work cannot be restored: {exc}", 8000)
            return False
        source = str(self.settings.value("session/autosave_source", "") or "")
        self.apply_session(session, source or None)
        self._set_modified(True)       # the restored work is saved nowhere but the autosave
        self.window.statusBar().showMessage("Restored the unsaved work of the last session", 6000)
        return True

    def offer_recovery(self) -> bool:
        """At start: if the last session left an autosave, ask whether to restore it."""
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
        self._since_autosave = self.modified

    # -- drops ----------------------------------------------------------------------
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

    # -- dialogs (one method each, so tests can replace them) -----------------------
    def _ask_to_save(self) -> QMessageBox.StandardButton:
        if _headless():
            return self.DISCARD
        return QMessageBox.warning(
            self.window, "Unsaved changes", f"Save the changes to {self.display_name}?",
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


def autosave_path_for(settings: QSettings) -> Path:
    """Where the unsaved work of a window with ``settings`` is autosaved.

    Beside an INI settings file (so a test's settings in a temporary folder keep their autosave
    there too), else in the application's data folder.
    """
    if settings.format() == QSettings.Format.IniFormat and settings.fileName():
        ini = Path(settings.fileName())
        return ini.with_name(f"{ini.stem}.autosave{SUFFIX}")
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder or Path.home() / ".adviz") / f"autosave{SUFFIX}"


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


def _file_menu(window) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and menu.title().replace("&", "") == "File":
            return menu
    return window.menuBar().addMenu("&File")


def _headless() -> bool:
    """Nobody can answer a dialog on these platforms: never block on one."""
    return QGuiApplication.platformName() in ("offscreen", "minimal")

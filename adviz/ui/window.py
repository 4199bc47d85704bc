"""The main window: inputs, the canvas with its transport bar, and details. Signals connect here."""
from __future__ import annotations

import json
import re
from html import escape
import time

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QApplication, QDockWidget, QLabel, QMainWindow, QMessageBox,
                               QVBoxLayout, QWidget)

from ..graph import METHODS, format_value
from ..model import Document, Notice, Outcome, VariableSpec, compute, is_script, lay_out, sync_variables
from .animator import Player
from .worker import Worker
from .icons import transport_icon
from .items import EdgeItem, NodeItem
from .lesson import LessonPanel, shipped_lessons
from .presentation import Presentation
from .panels import DetailsPanel, InputsPanel, TransportBar
from .scene import BACKWARD, FORWARD, GraphScene
from .sessions import SessionController
from .theme import theme_named, widget_palette
from .view import GraphView

DEBOUNCE_MS = 250
LAYOUT_TITLES = {"layered": "Layered", "spring": "Spring", "kamada-kawai": "Kamada-Kawai",
                 "spectral": "Spectral", "shell": "Shell", "circular": "Circular", "planar": "Planar"}


class _Relay(QObject):
    """Carries results from the worker thread to the window's thread."""

    computed = Signal(int, object)
    checked = Signal(object)
    laidOut = Signal(int, object, object)


class _Snapshot(QUndoCommand):
    """One edit of the document, undone by putting the previous document back."""

    def __init__(self, window: "MainWindow", before: Document, after: Document) -> None:
        super().__init__("edit")
        self.window, self.before, self.after = window, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.window.apply_document(self.after)

    def undo(self) -> None:
        self.window.apply_document(self.before)


class MainWindow(QMainWindow):
    """adviz's window. ``graphShown`` fires each time a new picture is on the canvas."""

    graphShown = Signal()
    errorShown = Signal(str)
    checkShown = Signal(object)

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("adviz — see the backward pass")
        self.settings = settings or QSettings()
        self.theme_setting = str(self.settings.value("theme", "system"))
        self.theme = theme_named(self.theme_setting)
        self.method = str(self.settings.value("layout/method", "layered"))
        self.direction = str(self.settings.value("layout/direction", "LR"))
        if self.method not in METHODS:
            self.method = "layered"
        if self.direction not in ("LR", "TB"):
            self.direction = "LR"
        self.document: Document | None = None      # what the last run used; None before the first
        self.outcome: Outcome | None = None
        self.remembered: dict[str, VariableSpec] = {}
        self.last_compute_ms = 0.0
        self._request = 0
        self._applying = False
        self._structure: tuple = ()
        self._was_script = False
        self._worker = Worker()
        self._layout_request = 0
        self._relay = _Relay()
        self._relay.computed.connect(self._on_computed)
        self._relay.checked.connect(self._on_checked)
        self._relay.laidOut.connect(self._on_laid_out)
        self.undo_stack = QUndoStack(self)

        self.scene = GraphScene(self.theme, self)
        self.view = GraphView(self.scene)
        self.view.empty_message = "Type a function on the left, e.g.  f = sin(x*y) + x**2"
        self.player = Player(self.scene, self)
        self._build_actions()
        self._build_ui()
        self._build_menus()
        self._connect()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.recompute)
        self._restore_settings()
        self.apply_theme(self.theme_setting)
        self.sessions = SessionController(self)     # File ▸ New/Open/Save, recent files, autosave, drops

    # -- construction ---------------------------------------------------------------
    def _action(self, key: str, text: str, shortcut=None, tip: str = "", slot=None, checkable=False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        label = QKeySequence(action.shortcut()).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or text} ({label})" if label else (tip or text))
        action.setStatusTip(tip or text)
        action.setCheckable(checkable)
        if slot is not None:
            action.triggered.connect(slot)
        self.actions_by_key[key] = action
        return action

    def _build_actions(self) -> None:
        self.actions_by_key: dict[str, QAction] = {}
        a = self._action
        a("first", "First step", "Home", "First step: the seed at the target", self.player.first)
        a("previous", "Previous step", "Left", "Previous step", self.player.previous)
        a("play", "Play", "Space", "Play / pause the pass", self.player.toggle)
        a("next", "Next step", "Right", "Next step", self._next_step)
        a("last", "Last step", "End", "Last step: every adjoint known", self.player.last)
        for key in ("first", "previous", "play", "next", "last"):
            self.actions_by_key[key].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a("zoom_in", "Zoom in", [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], "Zoom in", lambda: self.view.zoom_by(1.25))
        a("zoom_out", "Zoom out", QKeySequence.StandardKey.ZoomOut, "Zoom out", lambda: self.view.zoom_by(0.8))
        a("zoom_reset", "Actual size", "Ctrl+0", "Zoom to 100%", self.view.reset_zoom)
        a("fit", "Fit graph", "F", "Fit the whole graph in the view", self.view.fit)
        a("legend", "Legend", "L", "Show the legend of colours and shapes", self._toggle_legend, checkable=True)
        a("undo", "Undo", QKeySequence.StandardKey.Undo, "Undo the last edit", self.undo_stack.undo)
        a("redo", "Redo", QKeySequence.StandardKey.Redo, "Redo", self.undo_stack.redo)
        a("export", "Export…", "Ctrl+E", "Export the picture or an animation (PNG, SVG, PDF, GIF, JSON)",
          self.export_dialog)
        a("copy_image", "Copy image", "Ctrl+Shift+C", "Copy the current view to the clipboard as an image",
          self.copy_image)
        a("example", "Starting example", None, "Replace the functions with the starting example", self.load_example)
        a("quit", "Quit", [QKeySequence.StandardKey.Quit, "Ctrl+Q"], "Quit adviz", self.close)
        a("shortcuts", "Keyboard shortcuts", "F1", "List the keyboard shortcuts", self.show_shortcuts)
        a("about", "About adviz", None, "About adviz", self.show_about)
        a("mode", "Forward pass", "Ctrl+Shift+F", "Play the forward pass instead of the backward pass",
          self._toggle_mode, checkable=True)
        self.actions_by_key["legend"].setChecked(True)
        self.actions_by_key["fit"].setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_ui(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        self.step_line = QLabel()
        self.step_line.setWordWrap(True)
        self.step_line.setTextFormat(Qt.TextFormat.RichText)
        self.step_line.setMinimumHeight(52)
        self.step_line.setContentsMargins(10, 4, 10, 4)
        self.step_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_line.setToolTip("The current step, in words and in chain-rule form")
        layout.addWidget(self.step_line)
        self.transport = TransportBar(self.actions_by_key)
        layout.addWidget(self.transport)
        self.setCentralWidget(central)
        self.view.addAction(self.actions_by_key["fit"])

        self.inputs = InputsPanel()
        dock = QDockWidget("Inputs", self)
        dock.setObjectName("inputs")
        dock.setWidget(self.inputs)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.inputs_dock = dock
        self.details = DetailsPanel()
        dock = QDockWidget("Details", self)
        dock.setObjectName("details")
        dock.setWidget(self.details)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.details_dock = dock
        self.lesson = LessonPanel()
        dock = QDockWidget("Lesson", self)
        dock.setObjectName("lesson")
        dock.setWidget(self.lesson)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.details_dock, dock)
        dock.hide()
        self.lesson_dock = dock
        self.statusBar().showMessage("Ready")
        self.resize(1280, 780)

    def _build_menus(self) -> None:
        acts = self.actions_by_key
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(acts["example"])
        file_menu.addSeparator()
        file_menu.addAction(acts["export"])
        file_menu.addAction(acts["copy_image"])
        file_menu.addSeparator()
        file_menu.addAction(acts["quit"])
        edit = bar.addMenu("&Edit")
        edit.addAction(acts["undo"])
        edit.addAction(acts["redo"])
        view = bar.addMenu("&View")
        self.view_menu = view
        for key in ("zoom_in", "zoom_out", "zoom_reset", "fit"):
            view.addAction(acts[key])
        view.addSeparator()
        view.addAction(acts["legend"])
        for key, dock, keys in (("show_inputs", self.inputs_dock, "Ctrl+Shift+I"),
                                ("show_details", self.details_dock, "Ctrl+Shift+D"),
                                ("show_lesson", self.lesson_dock, "Ctrl+Shift+L")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(keys))
            toggle.setStatusTip(f"Show or hide the {dock.windowTitle()} panel")
            toggle.setToolTip(f"Show or hide the {dock.windowTitle()} panel ({keys})")
            view.addAction(toggle)
            acts[key] = toggle
        theme_menu = view.addMenu("Theme")
        self.theme_group = QActionGroup(self)
        for name, title in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            action = QAction(title, self, checkable=True)
            action.setData(name)
            action.setStatusTip(f"{title} theme")
            action.triggered.connect(lambda _=False, n=name: self.apply_theme(n))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
            acts[f"theme_{name}"] = action
        layout_menu = bar.addMenu("&Layout")
        self.layout_group = QActionGroup(self)
        entries = [("layered", "LR", "Layered, left to right", "Ctrl+1"), ("layered", "TB", "Layered, top to bottom", "Ctrl+2")]
        entries += [(m, self.direction, LAYOUT_TITLES[m], f"Ctrl+{i}") for i, m in enumerate(METHODS[1:], start=3)]
        for method, direction, title, key in entries:
            action = QAction(title, self, checkable=True)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{title} ({key})")
            action.setStatusTip(f"Lay the graph out: {title.lower()}")
            action.triggered.connect(lambda _=False, m=method, d=direction: self.set_layout(m, d))
            self.layout_group.addAction(action)
            layout_menu.addAction(action)
            acts[f"layout_{method}_{direction}" if method == "layered" else f"layout_{method}"] = action
        play = bar.addMenu("&Playback")
        for key in ("play", "first", "previous", "next", "last"):
            play.addAction(acts[key])
        play.addSeparator()
        play.addAction(acts["mode"])
        help_menu = bar.addMenu("&Help")
        lessons_menu = help_menu.addMenu("Lessons")
        lessons_menu.setToolTipsVisible(True)
        for number, (title, path) in enumerate(shipped_lessons(), start=1):
            action = QAction(f"{number}. {title}", self)
            action.setStatusTip(f"Open the lesson “{title}”")
            action.triggered.connect(lambda _=False, p=path: self.open_lesson(p))
            lessons_menu.addAction(action)
        lessons_menu.setEnabled(not lessons_menu.isEmpty())
        help_menu.addAction(acts["shortcuts"])
        help_menu.addAction(acts["about"])
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        self.main_toolbar = toolbar
        toolbar.addAction(acts["undo"])
        toolbar.addAction(acts["redo"])
        toolbar.addSeparator()
        toolbar.addAction(acts["fit"])
        toolbar.addAction(acts["zoom_in"])
        toolbar.addAction(acts["zoom_out"])
        toolbar.addAction(acts["legend"])
        self._sync_layout_checks()

    def _connect(self) -> None:
        self.inputs.edited.connect(self._on_edited)
        self.player.stepChanged.connect(self._on_step)
        self.player.playingChanged.connect(self._on_playing)
        self.transport.scrubber.valueChanged.connect(lambda v: self.player.go(v, animate=False))
        self.transport.speed.currentIndexChanged.connect(
            lambda _: self.player.set_speed(self.transport.speed.currentData()))
        self.transport.mode.currentIndexChanged.connect(
            lambda _: self._set_mode(self.transport.mode.currentData()))
        self.scene.selectionChanged.connect(self._on_selection)
        self.details.checkRequested.connect(self.run_check)
        self.lesson.callChosen.connect(self.choose_call)
        self.presentation = Presentation(self)
        self.actions_by_key["present"] = self.presentation.toggle_action
        self.actions_by_key["present_print"] = self.presentation.print_action
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.presentation.toggle_action)
        self.view_menu.addAction(self.presentation.print_action)
        self.main_toolbar.addSeparator()
        self.main_toolbar.addAction(self.presentation.toggle_action)
        prev_cell = QAction("Previous cell", self, shortcut=QKeySequence("Ctrl+Up"), triggered=lambda: self.lesson.go(self.lesson.cell - 1))
        next_cell = QAction("Next cell", self, shortcut=QKeySequence("Ctrl+Down"), triggered=lambda: self.lesson.go(self.lesson.cell + 1))
        for action in (prev_cell, next_cell):
            action.setStatusTip(f"{action.text()} of the lesson")
            self.addAction(action)
        self.actions_by_key["cell_previous"], self.actions_by_key["cell_next"] = prev_cell, next_cell
        self.view.zoomChanged.connect(lambda z: self.statusBar().showMessage(f"Zoom {z * 100:.0f}%", 1500))
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_scheme_changed)

    # -- document -------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Put ``text`` (functions or a script) in the editor; the picture follows."""
        self.inputs.editor.setPlainText(text)

    def open_lesson(self, path) -> bool:
        """Open a tape script as a lesson; False (with a message) when it cannot be read."""
        from ..model.session import SessionError, load_text
        try:
            text = load_text(path)
        except SessionError as exc:
            QMessageBox.warning(self, "Lesson", f"Cannot open {path}: {exc}")
            return False
        self.lesson.cell = 0
        self.inputs.call.setCurrentIndex(-1)
        if self.document is not None:
            self.document.call = 0
        self.set_text(text)
        self.lesson_dock.show()
        self.lesson_dock.raise_()
        # The lesson shows the code itself; the editable copy stays one click away (View menu).
        self.inputs_dock.hide()
        self.statusBar().showMessage("Lesson opened — View ▸ Inputs edits a copy of its script", 6000)
        return True

    def open_first_lesson(self) -> None:
        """A first start: the first shipped lesson, or the starting example when there is none."""
        lessons = shipped_lessons()
        if not lessons or not self.open_lesson(lessons[0][1]):
            self.load_example()

    def choose_call(self, index: int) -> None:
        """Draw gradient call ``index`` of the script."""
        if self.inputs.call.currentIndex() != index and 0 <= index < self.inputs.call.count():
            self.inputs.call.setCurrentIndex(index)

    def load_example(self) -> None:
        from ..model import EXAMPLE
        self.set_text(EXAMPLE)

    def current_document(self) -> Document:
        text = self.inputs.editor.toPlainText()
        variables = sync_variables(text, self.inputs.table.variables(), self.remembered)
        target = self.inputs.target.currentText() or None
        return Document(text=text, variables=variables, persistent=self.inputs.persistent.isChecked(),
                        watch_accessed_variables=self.inputs.watch_accessed.isChecked(),
                        target=target, call=max(0, self.inputs.call.currentIndex()))

    def apply_document(self, doc: Document) -> None:
        """Show ``doc`` in the inputs (undo, redo, opening) and recompute."""
        self._applying = True
        try:
            inputs = self.inputs
            inputs._loading = True
            if inputs.editor.toPlainText() != doc.text:
                inputs.editor.setPlainText(doc.text)
            inputs.table.set_variables(doc.variables)
            inputs.persistent.setChecked(doc.persistent)
            inputs.watch_accessed.setChecked(doc.watch_accessed_variables)
            if doc.target:
                inputs.set_choices(inputs.target, [inputs.target.itemText(i) for i in range(inputs.target.count())], doc.target)
            inputs._loading = False
            self.document = doc.copy()
            # Still "applying": the run this starts must not push onto the undo stack (this may
            # be the undo stack's own undo()).
            self.recompute()
        finally:
            self._applying = False

    def _on_edited(self) -> None:
        self._debounce.start()

    def recompute(self) -> None:
        """Run the current document in the background; the newest request wins."""
        self._debounce.stop()
        doc = self.current_document()
        self.inputs.set_script_mode(is_script(doc.text))
        if not is_script(doc.text):
            self.inputs.table.set_variables(doc.variables)
        if not self._applying and self.document is not None and _differs(doc, self.document):
            self.undo_stack.push(_Snapshot(self, self.document.copy(), doc.copy()))
        self.document = doc.copy()
        self._request += 1
        request, method, direction = self._request, self.method, self.direction
        started = time.perf_counter()

        def work() -> None:
            if request != self._request:
                return      # a newer edit came while this one waited: skip it
            try:
                outcome = compute(doc, method, direction)
            except Exception as exc:  # noqa: BLE001 - shown in the window, never a crash
                outcome = Outcome(error=Notice(f"internal error: {exc}"))
            outcome.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
            self._relay.computed.emit(request, outcome)

        self._worker.submit(work)

    def _on_computed(self, request: int, outcome: Outcome) -> None:
        if request != self._request:
            return      # an older edit; a newer result is on its way
        self.outcome = outcome
        self.last_compute_ms = getattr(outcome, "elapsed", 0.0) * 1000
        inputs = self.inputs
        inputs.set_script_mode(outcome.script)
        if outcome.script:
            inputs.set_choices(inputs.call, outcome.calls, self.document.call)
            if outcome.trace is not None:
                self.lesson.set_trace(self.document.text, outcome.trace)
                if not self._was_script:      # a script just arrived: show it as a lesson, once
                    self.lesson_dock.show()
                    self.lesson_dock.raise_()
        elif outcome.outputs:
            inputs.set_choices(inputs.target, outcome.outputs, self.document.target)
        self._was_script = outcome.script
        error = outcome.error
        bad_value = re.match(r"the value of '(\w+)': ", getattr(error, "message", "") or "") if error else None
        inputs.table.mark_error(bad_value.group(1) if bad_value else None, getattr(error, "message", ""))
        if bad_value:
            # A variable's value is wrong: say so at its cell, not in the functions.
            message = f"{bad_value.group(1)}: {error.message[bad_value.end():]}"
            inputs.show_error(message)
            inputs.editor.clear_error()
            self.errorShown.emit(message)
        elif error is not None:
            message = getattr(error, "message", str(error))
            line, col = getattr(error, "line", 0), getattr(error, "col", 0)
            where = f"line {line}, col {col}: " if line else ""
            inputs.show_error(where + message)
            if line:
                inputs.editor.show_error(line, col, message)
            else:
                inputs.editor.clear_error()
            self.errorShown.emit(where + message)
        else:
            inputs.show_error("")
            inputs.editor.clear_error()
        if outcome.graph is None:
            if self.scene.nodes:
                self.view.stale_message = "Stale picture: the text has an error (see the inputs)"
            self.view.viewport().update()
            self.statusBar().showMessage("Error — the last good picture stays", 4000)
            return
        self.view.stale_message = outcome.graph.error and f"Error in this call: {outcome.graph.error}" or ""
        structure = tuple(sorted(outcome.graph.nodes))
        same = structure == self._structure
        keep = self.sessions.take_positions(self.scene.moved_positions())
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        was_whole = bool(self.scene.nodes) and visible.contains(self.scene.itemsBoundingRect())
        selected = [i.node.id for i in self.scene.selectedItems() if isinstance(i, NodeItem)]
        self.scene.set_graph(outcome.graph, outcome.layout, keep)
        for nid in selected:
            if nid in self.scene.nodes:
                self.scene.nodes[nid].setSelected(True)
        self.player.reload(keep_step=same)
        self._sync_transport()
        # Refit a new graph, or one that was wholly in view and has outgrown it (wider values);
        # a view the user zoomed into stays where it is.
        if not same or (was_whole and not visible.contains(self.scene.itemsBoundingRect())):
            self.view.fit()
        self._structure = structure
        self.statusBar().showMessage(
            f"{len(outcome.graph.nodes)} nodes, {len(outcome.graph.edges)} edges · computed in {self.last_compute_ms:.0f} ms", 4000)
        self._on_selection()
        self.graphShown.emit()

    # -- layout, theme, playback ----------------------------------------------------
    def set_layout(self, method: str, direction: str | None = None) -> None:
        """Lay the graph out again with ``method``; nodes glide to their new places."""
        self.method = method
        if direction:
            self.direction = direction
        self.settings.setValue("layout/method", self.method)
        self.settings.setValue("layout/direction", self.direction)
        self._sync_layout_checks()
        graph = self.outcome.graph if self.outcome else None
        if graph is None:
            return
        direction = self.direction
        self._layout_request += 1
        request = self._layout_request
        self.statusBar().showMessage(f"Laying out ({LAYOUT_TITLES[method]})…")

        def work() -> None:       # on the worker: a large graph's layout takes a while
            try:
                result = lay_out(graph, method, direction)
            except ValueError as exc:
                result = exc
            self._relay.laidOut.emit(request, graph, result)

        self._worker.submit(work)

    def _on_laid_out(self, request: int, graph, result) -> None:
        if request != self._layout_request or self.outcome is None or self.outcome.graph is not graph:
            return
        if isinstance(result, Exception):
            self.statusBar().showMessage(str(result), 5000)
            QMessageBox.information(self, "Layout", str(result))
            return
        self.statusBar().clearMessage()
        self.outcome.layout = result
        self.scene.animate_to(result)
        QTimer.singleShot(480, self.view.fit)

    def _sync_layout_checks(self) -> None:
        key = f"layout_{self.method}_{self.direction}" if self.method == "layered" else f"layout_{self.method}"
        action = self.actions_by_key.get(key)
        if action is not None:
            action.setChecked(True)

    def apply_theme(self, name: str, remember: bool = True) -> None:
        """``system``, ``light`` or ``dark`` (or a presentation palette): canvas and widgets change together."""
        if remember:
            self.theme_setting = name
            self.settings.setValue("theme", name)
        self.theme = theme_named(name)
        palette = widget_palette(self.theme)
        app = QApplication.instance()
        if app is not None:
            app.setPalette(palette)
        self.setPalette(palette)
        self.scene.set_theme(self.theme)
        self.inputs.editor.set_dark(self.theme.dark)
        self.details.good, self.details.bad = self.theme.good, self.theme.bad
        self._paint_icons()
        action = self.actions_by_key.get(f"theme_{name}")
        if action is not None:
            action.setChecked(True)
        self.view.viewport().update()

    def _system_scheme_changed(self, *_args) -> None:
        if self.theme_setting == "system" and not self.presentation.active:
            self.apply_theme("system")

    def _toggle_legend(self) -> None:
        self.view.show_legend = self.actions_by_key["legend"].isChecked()
        self.settings.setValue("legend", self.view.show_legend)
        self.view.viewport().update()

    def _toggle_mode(self) -> None:
        mode = FORWARD if self.actions_by_key["mode"].isChecked() else BACKWARD
        self.transport.mode.setCurrentIndex(0 if mode == BACKWARD else 1)

    def _set_mode(self, mode: str) -> None:
        self.actions_by_key["mode"].setChecked(mode == FORWARD)
        self.player.set_mode(mode)
        self._sync_transport()

    def _next_step(self) -> None:
        self.player.pause()
        self.player.next()

    def _on_playing(self, playing: bool) -> None:
        action = self.actions_by_key["play"]
        action.setText("Pause" if playing else "Play")
        self._paint_icons()

    def _paint_icons(self) -> None:
        colour = self.theme.text
        for key in ("first", "previous", "next", "last"):
            self.actions_by_key[key].setIcon(transport_icon(key, colour))
        self.actions_by_key["play"].setIcon(transport_icon("pause" if self.player.playing else "play", colour))

    def _sync_transport(self) -> None:
        self.transport.set_range(self.player.length(), self.player.index)
        self._describe_step()

    def _on_step(self, index: int) -> None:
        self.transport.set_range(self.player.length(), index)
        self._describe_step()

    def _describe_step(self) -> None:
        graph = self.scene.graph
        if graph is None:
            self.step_line.setText("")
            return
        steps = graph.backward if self.player.mode == BACKWARD else graph.forward
        if not steps:
            self.step_line.setText("<i>No backward steps: the target does not depend on a watched source.</i>")
            return
        step = steps[min(self.player.index, len(steps) - 1)]
        chain = "<br>".join(escape(line) for line in step.chain)
        mono = "font-family: monospace;"
        self.step_line.setText(f"<b>{escape(step.words)}</b>" + (f"<br><span style='{mono}'>{chain}</span>" if chain else ""))

    # -- details --------------------------------------------------------------------
    def _on_selection(self) -> None:
        items = self.scene.selectedItems()
        if not items:
            self.details.clear()
            return
        item = items[0]
        if isinstance(item, NodeItem):
            self.details.show_node(item.node, can_check=not (self.outcome and self.outcome.script))
        elif isinstance(item, EdgeItem):
            self.details.show_edge(item.edge, item.src.node.label, item.dst.node.label)

    def run_check(self, name: str) -> None:
        """Check the gradient by ``name`` with finite differences, in the background."""
        from ..model.check import finite_difference_check
        if self.document is None:
            return
        doc = self.document.copy()
        self.details.check_label.setText("checking…")

        def work() -> None:
            try:
                result = finite_difference_check(doc, name)
            except Exception as exc:  # noqa: BLE001
                from ..model.check import CheckResult
                result = CheckResult(name, None, None, message=f"cannot check: {exc}")
            self._relay.checked.emit(result)

        self._worker.submit(work)

    def _on_checked(self, result) -> None:
        if result.name != self.details._node_name:
            return      # the selection moved on while the check ran
        self.details.show_check(result)
        self.checkShown.emit(result)

    # -- export ---------------------------------------------------------------------
    def export_options(self, region: str = "all", step: str = "current", theme: str = "current", **rest):
        """Export choices resolved against what the window shows now."""
        from .export import ExportOptions
        if step == "current":
            step_value = self.player.index if self.player.mode == BACKWARD else "end"
        else:
            step_value = step
        source = self.view.mapToScene(self.view.viewport().rect()).boundingRect() if region == "view" else None
        name = self.theme.name if theme == "current" else theme
        return ExportOptions(step=step_value, theme=name, source_rect=source, **rest)

    def preview_image(self, options, max_size=(420, 300)):
        """A small rendering of what an export with ``options`` would contain."""
        from .export import preview
        graph = self.outcome.graph if self.outcome else None
        if graph is None or self.outcome.layout is None:
            return None
        return preview(graph, self._current_layout(), options, max_size)

    def _current_layout(self):
        """The layout with the nodes where they are now (dragged ones included)."""
        from ..graph import Layout
        base = self.outcome.layout
        positions = {nid: (item.pos().x(), item.pos().y()) for nid, item in self.scene.nodes.items()}
        routes = {}
        for item in self.scene.edges.values():
            key = (item.edge.source, item.edge.target)
            routes[key] = (positions[key[0]],) + tuple((p.x(), p.y()) for p in item.bends) + (positions[key[1]],)
        return Layout(positions=positions, routes=routes, method=base.method, direction=base.direction)

    def export_to(self, path, fmt: str, options, progress=None):
        """Write the current graph to ``path`` as ``fmt`` (``sequence`` writes one PNG per step)."""
        from pathlib import Path
        from .export import export, make_scene, render_sequence
        graph = self.outcome.graph if self.outcome else None
        if graph is None:
            raise ValueError("there is no graph to export yet")
        path = Path(path)
        inputs = [self.sessions.path]       # never written over: the session file that is open
        if fmt == "sequence":
            return render_sequence(make_scene(graph, self._current_layout(), options), path.with_suffix(".png"),
                                   options, progress, inputs)
        if path.suffix.lower() != "." + fmt:
            path = path.with_suffix("." + fmt)
        return export(graph, self._current_layout(), path, options, progress, inputs)

    def export_dialog(self) -> None:
        """Ask what to export and where, then write it with progress and a way to cancel."""
        from PySide6.QtWidgets import QFileDialog, QProgressDialog
        from .export_dialog import ExportDialog
        if self.outcome is None or self.outcome.graph is None:
            QMessageBox.information(self, "Export", "There is no graph to export yet.")
            return
        dialog = ExportDialog(self, self.settings)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        dialog.remember()
        fmt = dialog.format_key()
        suffix = "png" if fmt == "sequence" else fmt
        folder = str(self.settings.value("export/folder", ""))
        path, _ = QFileDialog.getSaveFileName(self, "Export", f"{folder}/adviz-graph.{suffix}" if folder else f"adviz-graph.{suffix}",
                                              f"{suffix.upper()} files (*.{suffix})")
        if not path:
            return
        from pathlib import Path
        self.settings.setValue("export/folder", str(Path(path).parent))
        progress_dialog = QProgressDialog("Exporting…", "Cancel", 0, 100, self)
        progress_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        progress_dialog.setMinimumDuration(300)

        def progress(done: int, total: int) -> bool:
            progress_dialog.setMaximum(total)
            progress_dialog.setValue(done)
            QApplication.processEvents()
            return not progress_dialog.wasCanceled()

        try:
            written = self.export_to(path, fmt, dialog.options(), progress)
            cancelled = progress_dialog.wasCanceled()
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export", f"Could not export: {exc}")
            return
        finally:
            progress_dialog.close()
        if cancelled or not written:
            kept = f" ({len(written)} pictures were written)" if isinstance(written, list) and written else ""
            self.statusBar().showMessage(f"Export cancelled{kept}", 5000)
            return
        self.statusBar().showMessage(f"Exported {path}", 5000)

    def copy_image(self) -> None:
        """The current view, as the canvas shows it, onto the clipboard."""
        image = self.view.viewport().grab().toImage()
        QApplication.clipboard().setImage(image)
        self.statusBar().showMessage("Copied the view as an image", 3000)

    # -- help -----------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        rows = []
        for action in self.actions_by_key.values():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                rows.append(f"<tr><td><b>{escape(keys)}</b></td><td>{escape(action.statusTip() or action.text())}</td></tr>")
        rows.append("<tr><td><b>Wheel</b></td><td>Zoom around the pointer</td></tr>")
        rows.append("<tr><td><b>Drag</b></td><td>Pan the canvas, or move a node</td></tr>")
        QMessageBox.information(self, "Keyboard shortcuts", "<table>" + "".join(rows) + "</table>")

    def show_about(self) -> None:
        QMessageBox.about(self, "About adviz",
                          "<b>adviz</b> — see reverse-mode automatic differentiation.<br>"
                          "A GradientTape engine, the graph it records, and the backward pass, edge by edge.")

    # -- settings -------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        legend = self.settings.value("legend", True)
        self.view.show_legend = legend not in (False, "false")
        self.actions_by_key["legend"].setChecked(self.view.show_legend)
        speed = self.settings.value("speed")
        try:
            index = self.transport.speed.findData(float(speed)) if speed is not None else -1
        except (TypeError, ValueError):
            index = -1
        if index >= 0:
            self.transport.speed.setCurrentIndex(index)
            self.player.set_speed(self.transport.speed.currentData())

    def restore_last_document(self) -> bool:
        """Reopen what was in the window when it last closed; False when there was nothing."""
        raw = self.settings.value("document")
        if not raw:
            return False
        try:
            data = json.loads(str(raw))
            doc = Document(text=str(data["text"]),
                           variables=[VariableSpec(**v) for v in data.get("variables", [])],
                           persistent=bool(data.get("persistent", False)),
                           watch_accessed_variables=bool(data.get("watch_accessed_variables", True)),
                           target=data.get("target"), call=int(data.get("call", 0)))
        except (ValueError, KeyError, TypeError):
            return False
        self.apply_document(doc)
        return True

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("speed", self.player.speed)
        doc = self.current_document()
        self.settings.setValue("document", json.dumps({
            "text": doc.text, "variables": [v.__dict__ for v in doc.variables], "persistent": doc.persistent,
            "watch_accessed_variables": doc.watch_accessed_variables, "target": doc.target, "call": doc.call}))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        if not self.sessions.confirm_close():
            event.ignore()
            return
        self._debounce.stop()
        self.player.pause()
        self.save_settings()
        self._worker.stop()
        super().closeEvent(event)


def _differs(a: Document, b: Document) -> bool:
    return (a.text, a.variables, a.persistent, a.watch_accessed_variables, a.target, a.call) != (
        b.text, b.variables, b.persistent, b.watch_accessed_variables, b.target, b.call)


__all__ = ["MainWindow", "format_value"]

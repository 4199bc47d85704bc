"""The main window: the Inputs, Details and Lesson docks around the canvas. Signals connect here.

Everything the window shows comes from one :class:`~adviz.ui.model.DocumentModel`; the docks and
the canvas reflect it and send it intents, and none of them reaches into another.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from ..graph import METHODS, format_value, graph_symbols
from ..graph.wording import tape_summary
from ..model import EXAMPLE, Document
from ..model.fixes import script_change
from ..model.problems import describe
from ..model.session import load_text, SessionError
from .canvas import Canvas
from .details import DetailsPanel
from .explore import Explore
from .exporting import Exporting
from .icons import transport_icon
from .inputs import InputsPanel
from .items import EdgeItem, NodeItem
from .lesson import LessonPanel, lesson_title, shipped_lessons
from .menus import add_cell_actions, build_actions, build_menus, layout_key, make_action
from .model import BACKWARD, FORWARD, DocumentModel
from .presentation import Presentation
from .sessions import SessionController
from .settings import restore_settings, save_settings
from .theme import theme_named, widget_palette
from .trace_table import TraceLink, TraceTable
from .transport import TransportBar


WINDOW_FRAME = 40      # pixels a desktop's title bar and border take around the window
SYMBOL_NODES = 40      # Details lists the symbols of pictures up to this size (a lesson's, not a benchmark's)


class MainWindow(QMainWindow, Exporting):
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
        method = str(self.settings.value("layout/method", "layered"))
        direction = str(self.settings.value("layout/direction", "LR"))
        self.model = DocumentModel(method if method in METHODS else "layered",
                                   direction if direction in ("LR", "TB") else "LR", self)
        self.canvas = Canvas(self.model, self.theme, self)
        self.scene, self.view, self.player = self.canvas.scene, self.canvas.view, self.canvas.player
        self.step_line = self.canvas.step_line
        self.actions_by_key = {}
        build_actions(self)
        self._build_docks()
        build_menus(self)
        self._connect()
        restore_settings(self)
        self.apply_theme(self.theme_setting)
        self.sessions = SessionController(self)     # File ▸ New/Open/Save, recent files, autosave, drops

    # -- what other code and tests read ---------------------------------------------
    @property
    def document(self) -> Document:
        return self.model.document

    @property
    def outcome(self):
        return self.model.outcome

    @property
    def undo_stack(self):
        return self.model.undo_stack

    @property
    def method(self) -> str:
        return self.model.method

    @property
    def direction(self) -> str:
        return self.model.direction

    @property
    def last_compute_ms(self) -> float:
        return self.model.last_compute_ms

    # -- construction ---------------------------------------------------------------
    def _action(self, key: str, text: str, shortcut=None, tip: str = "", slot=None, checkable=False):
        return make_action(self, key, text, shortcut, tip, slot, checkable)

    def _build_docks(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.step_line)
        self.transport = TransportBar(self.actions_by_key)
        layout.addWidget(self.transport)
        self.setCentralWidget(central)
        self.view.addAction(self.actions_by_key["fit"])
        self.inputs, self.inputs_dock = self._dock(InputsPanel(), "Inputs", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.details, self.details_dock = self._dock(DetailsPanel(), "Details", Qt.DockWidgetArea.RightDockWidgetArea)
        self.lesson, self.lesson_dock = self._dock(LessonPanel(), "Lesson", Qt.DockWidgetArea.RightDockWidgetArea)
        self.trace, self.trace_dock = self._dock(TraceTable(), "Trace", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.trace_dock.hide()          # View ▸ Trace (Ctrl+Shift+T)
        self.tabifyDockWidget(self.details_dock, self.lesson_dock)
        self.lesson_dock.hide()
        self.statusBar().showMessage("Ready")
        # Fits a 1280×720 projector with its title bar, transport and caption on screen.
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width = min(1280, available.width()) if available else 1280
        height = min(720, available.height()) - WINDOW_FRAME if available else 720 - WINDOW_FRAME
        self.resize(width, height)

    def _dock(self, widget, title: str, area):
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return widget, dock

    def _connect(self) -> None:
        model = self.model
        self.inputs.bind(model)
        model.outcomeChanged.connect(self._on_outcome)
        model.methodChanged.connect(self._on_method)
        model.modeChanged.connect(self._on_mode)
        model.stepChanged.connect(lambda *_: self._sync_transport())
        model.layoutFailed.connect(self._on_layout_failed)
        model.layoutChanged.connect(lambda _layout: self.statusBar().clearMessage())
        model.checked.connect(self._on_checked)
        self.canvas.shown.connect(self.graphShown)
        self.canvas.describe_change = self.script_change
        link = TraceLink(self.trace, model, self.canvas)
        self.trace_dock.visibilityChanged.connect(link.refresh)
        self.player.playingChanged.connect(self._on_playing)
        self.transport.scrubber.valueChanged.connect(lambda v: model.set_step(v))
        self.transport.speed.currentIndexChanged.connect(
            lambda _: self.player.set_speed(self.transport.speed.currentData()))
        self.transport.mode.currentIndexChanged.connect(lambda _: model.set_mode(self.transport.mode.currentData()))
        self.scene.selectionChanged.connect(self._on_selection)
        self.details.checkRequested.connect(self.run_check)
        self.details.fixRequested.connect(self.apply_fix)
        self.lesson.callChosen.connect(model.choose_call)
        self.presentation = Presentation(self)
        self.actions_by_key["present"] = self.presentation.toggle_action
        self.actions_by_key["present_print"] = self.presentation.print_action
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.presentation.toggle_action)
        self.view_menu.addAction(self.presentation.print_action)
        self.view_menu.addAction(self.presentation.follow_action)
        self.actions_by_key["present_follow"] = self.presentation.follow_action
        self.main_toolbar.addSeparator()
        self.main_toolbar.addAction(self.presentation.toggle_action)
        add_cell_actions(self)
        self.explore = Explore(self)        # the Plot dock, and its View entry
        self.view.zoomChanged.connect(lambda z: self.statusBar().showMessage(f"Zoom {z * 100:.0f}%", 1500))
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_scheme_changed)
        self._on_method(model.method, model.direction)

    # -- document -------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Put ``text`` (functions or a script) in the editor; the picture follows."""
        self.inputs.editor.setPlainText(text)

    def recompute(self) -> None:
        """Run the document now instead of after the typing pause."""
        self.model.recompute()

    def open_lesson(self, path) -> bool:
        """Open a tape script as a lesson (after asking about unsaved changes); False when it cannot."""
        if not self.sessions.maybe_save():
            return False
        try:
            text = load_text(path)
        except SessionError as exc:
            QMessageBox.warning(self, "Lesson", f"Cannot open {Path(path).name}: {exc}")
            return False
        self.lesson.cell = 0
        self.model.load(Document(text=text), display=lesson_title(text, Path(path).stem))
        self.sessions.lesson_opened(Path(path))
        self.lesson_dock.show()
        self.lesson_dock.raise_()
        # The lesson shows the code itself; the editable copy stays one click away (View menu).
        self.inputs_dock.hide()
        self.statusBar().showMessage("Lesson opened — View ▸ Inputs edits a copy of its script", 6000)
        return True

    def open_first_lesson(self) -> None:
        """The first shipped lesson, or the starting example when there is none."""
        lessons = shipped_lessons()
        if not lessons or not self.open_lesson(lessons[0][1]):
            self.load_example()

    def first_start(self) -> None:
        """A first start: the example drawn, the editor at hand, and three ways to begin."""
        from .welcome import Welcome
        self.load_example()
        self.inputs_dock.show()
        self.welcome = Welcome(self.view.viewport())
        self.welcome.typeChosen.connect(self.show_editor)
        self.welcome.lessonChosen.connect(self.open_first_lesson)
        self.welcome.scriptChosen.connect(self.sessions.open)
        self.welcome.place()
        self.welcome.show()
        # The card goes at the first edit of the example.
        self.model.documentChanged.connect(self._close_welcome)

    def _close_welcome(self, doc) -> None:
        welcome = getattr(self, "welcome", None)
        if welcome is not None and doc.text.strip() != EXAMPLE.strip():
            welcome.hide()
            self.model.documentChanged.disconnect(self._close_welcome)

    def choose_call(self, index: int) -> None:
        """Draw gradient call ``index`` of the script."""
        self.model.choose_call(index)

    def load_example(self) -> None:
        self.set_text(EXAMPLE)

    def _on_outcome(self, outcome) -> None:
        if outcome.script and outcome.trace is not None:
            was_shown = self.lesson.trace is not None
            self.lesson.set_trace(self.model.document.text, outcome.trace)
            self.lesson.show_call(self.model.document.call)
            if not was_shown and not self.presentation.active:   # a script just arrived: show it as a lesson
                self.lesson_dock.show()
                self.lesson_dock.raise_()
        elif not outcome.script:
            self.lesson.clear()
        problem = describe(outcome.error)
        if problem is not None:
            self.errorShown.emit(problem.text)
        self._sync_transport()
        if outcome.graph is None:
            self.statusBar().showMessage("Error — the last good picture stays", 4000)
            return
        graph = outcome.graph
        self.statusBar().showMessage(f"{len(graph.nodes)} nodes, {len(graph.edges)} edges · computed in "
                                     f"{self.model.last_compute_ms:.0f} ms", 4000)
        self._on_selection()

    # -- layout, theme, playback ----------------------------------------------------
    def set_layout(self, method: str, direction: str | None = None) -> None:
        """Lay the graph out again with ``method``; nodes glide to their new places."""
        self.model.set_layout(method, direction)
        if self.model.outcome is not None and self.model.outcome.graph is not None:
            self.statusBar().showMessage(f"Laying out ({method})…")

    def _on_method(self, method: str, direction: str) -> None:
        self.settings.setValue("layout/method", method)
        self.settings.setValue("layout/direction", direction)
        action = self.actions_by_key.get(layout_key(method, direction))
        if action is not None:
            action.setChecked(True)

    def _on_layout_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)
        QMessageBox.information(self, "Layout", message)

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
        self.explore.set_theme(self.theme)
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

    def toggle_legend(self) -> None:
        self.view.show_legend = self.actions_by_key["legend"].isChecked()
        self.settings.setValue("legend", self.view.show_legend)
        self.view.viewport().update()

    def toggle_answers(self) -> None:
        """Final gradients from step 0, or each when the pass reaches it."""
        on = self.actions_by_key["answers"].isChecked()
        self.settings.setValue("answers", on)
        self.scene.set_show_answers(on)

    def compare_calls(self) -> None:
        """Two calls of the script side by side (a script with at least two calls)."""
        from .compare import CompareDialog
        outcome = self.model.outcome
        if outcome is None or len(outcome.calls) < 2:
            QMessageBox.information(self, "Compare", "Comparing needs a script with two gradient calls or more.")
            return
        self.compare_dialog = CompareDialog(self.model, self.theme.name, self)
        self.compare_dialog.show()

    def show_editor(self) -> None:
        """The Inputs panel in front (a new, empty document), the Lesson panel out of the way."""
        self.inputs_dock.show()
        self.lesson_dock.hide()
        self.inputs.editor.setFocus()

    def toggle_mode(self) -> None:
        self.model.set_mode(FORWARD if self.actions_by_key["mode"].isChecked() else BACKWARD)

    def _on_mode(self, mode: str) -> None:
        self.actions_by_key["mode"].setChecked(mode == FORWARD)
        index = self.transport.mode.findData(mode)
        if index >= 0 and index != self.transport.mode.currentIndex():
            self.transport.mode.setCurrentIndex(index)
        self._sync_transport()

    def next_step(self) -> None:
        """The next step; in predict mode the first press reveals the current step's adjoints."""
        self.player.pause()
        if not self.scene.reveal():
            self.player.next()

    def toggle_predict(self) -> None:
        """Predict mode: each step's new adjoints show as ? until the next key."""
        self.scene.predict = self.actions_by_key["predict"].isChecked()
        self.scene.revealed = -1
        self.scene.show_step(self.scene.mode, self.scene.step, 1.0)

    def _on_playing(self, playing: bool) -> None:
        self.actions_by_key["play"].setText("Pause" if playing else "Play")
        self._paint_icons()

    def _paint_icons(self) -> None:
        colour = self.theme.text
        for key in ("first", "previous", "next", "last"):
            self.actions_by_key[key].setIcon(transport_icon(key, colour))
        self.actions_by_key["play"].setIcon(transport_icon("pause" if self.player.playing else "play", colour))

    def _sync_transport(self) -> None:
        self.transport.set_range(self.model.length(), self.model.step)

    # -- details --------------------------------------------------------------------
    def _on_selection(self) -> None:
        items = self.scene.selectedItems()
        if not items:
            graph = self.scene.graph
            # The symbols of a small picture (a large one's would take long to collect; hover tells).
            symbols = graph_symbols(graph) if graph is not None and len(graph.nodes) <= SYMBOL_NODES else {}
            self.details.clear(tape_summary(graph.tape_state) if graph is not None and graph.tape_state else "",
                               symbols)
            return
        item = items[0]
        if isinstance(item, NodeItem):
            functions = not (self.outcome and self.outcome.script)
            cause = item.node.cause
            change = self.script_change(cause.fix_action) if cause is not None and not functions else ""
            self.details.show_node(item.node, can_check=True, can_fix=functions, change=change)
        elif isinstance(item, EdgeItem):
            self.details.show_edge(item.edge, item.src.node.label, item.dst.node.label)

    def script_change(self, action: str) -> str:
        """A fix as the one-line change to make in the script of the call drawn ("" when there is none)."""
        outcome = self.model.outcome
        graph = outcome.graph if outcome is not None else None
        if outcome is None or graph is None or outcome.trace is None or not outcome.trace.calls:
            return ""
        call = outcome.trace.calls[min(self.model.document.call, len(outcome.trace.calls) - 1)]
        return script_change(self.model.document.text, action, str((graph.tape or {}).get("name") or ""), call.line)

    def apply_fix(self, action: str) -> None:
        """The Details panel's fix, applied to the inputs (one undoable edit)."""
        if self.model.apply_fix(action):
            self.statusBar().showMessage("Fix applied — Ctrl+Z undoes it", 5000)

    def run_check(self, name: str) -> None:
        """Check the gradient by ``name`` with finite differences, in the background."""
        self.details.check_label.setText("checking…")
        self.model.run_check(name)

    def _on_checked(self, result) -> None:
        if result.name != self.details.node_name:
            return      # the selection moved on while the check ran
        self.details.show_check(result)
        self.checkShown.emit(result)

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
    def restore_last_document(self) -> bool:
        """Reopen what was in the window when it last closed; False when there was nothing."""
        from .settings import last_document
        doc = last_document(self.settings)
        if doc is None:
            return False
        self.model.load(doc)
        return True

    def save_settings(self) -> None:
        save_settings(self)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        if not self.sessions.confirm_close():
            event.ignore()
            return
        self.player.pause()
        self.save_settings()
        self.model.stop()
        super().closeEvent(event)


__all__ = ["MainWindow", "format_value"]

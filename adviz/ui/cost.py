"""View ▸ Why reverse mode wins: the Jacobian of the current functions built by n forward passes
(columns filling in) and by m reverse passes (rows filling in), side by side, with their costs.

The numbers and the stages come from :mod:`adviz.model.cost`; this dialog only shows them.
"""
from __future__ import annotations

import queue
import threading

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QTableWidget, QTableWidgetItem, QWidget)

from ..graph import format_value
from ..model.cost import CostError, CostView
from ..model.isolation import shared
from .model import DocumentModel

INTERVAL_MS = 1100      # one pass of each mode per tick while playing


class CostDialog(QDialog):
    """Forward mode's n passes against reverse mode's m, for the document's functions.

    The Jacobians are built in the worker process that runs user code, from a thread of their own:
    the window answers while they are built, and only the newest request is shown."""

    built = Signal(int, object)        # request number, CostView or the sentence saying why there is none
    ready = Signal()                   # the newest request is shown

    def __init__(self, model: DocumentModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Why reverse mode wins: the cost of a Jacobian")
        self.model = model
        self.view: CostView | None = None
        self.stage = 0
        self.requests = 0
        self.pending = False
        grid = QGridLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        self.titles = [QLabel(), QLabel()]
        self.tables = [QTableWidget(), QTableWidget()]
        for column, (title, table) in enumerate(zip(self.titles, self.tables)):
            title.setWordWrap(True)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            table.setMinimumSize(300, 160)
            grid.addWidget(title, 1, column)
            grid.addWidget(table, 2, column)
        self.tables[0].setToolTip("Forward mode: each pass seeds one input's tangent with 1 and gives one column")
        self.tables[1].setToolTip("Reverse mode: each pass seeds one output's adjoint with 1 and gives one row")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setMinimumHeight(48)
        grid.addWidget(self.caption, 3, 0, 1, 2)
        bar = QHBoxLayout()
        self.buttons = {}
        for key, text, tip in (("first", "Start", "Start again (Home)"), ("previous", "◀ Back", "One pass back (←)"),
                               ("play", "Play", "Play the passes (Space)"),
                               ("next", "Next ▶", "One more pass of each mode (→)"),
                               ("last", "End", "Every pass done (End)")):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            bar.addWidget(button)
            self.buttons[key] = button
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("How many passes of each mode have run")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(self.slider, 1)
        grid.addLayout(bar, 4, 0, 1, 2)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.buttons["first"].clicked.connect(lambda: self.go(0))
        self.buttons["previous"].clicked.connect(lambda: self.go(self.stage - 1))
        self.buttons["next"].clicked.connect(lambda: self.go(self.stage + 1))
        self.buttons["last"].clicked.connect(lambda: self.go(self.length() - 1))
        self.buttons["play"].clicked.connect(self.toggle)
        self.slider.valueChanged.connect(self.go)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)    # the dialog itself takes ← → Space Home End
        self.built.connect(self._built)
        self._answers: queue.SimpleQueue = queue.SimpleQueue()
        self._collecting = QTimer(self)
        self._collecting.setInterval(20)
        self._collecting.timeout.connect(self._collect)
        model.outcomeChanged.connect(lambda _outcome: self.refresh())
        self.resize(760, 460)
        self.show_view(None, "Building both Jacobians…")
        self.refresh()

    def length(self) -> int:
        return self.view.length if self.view is not None else 1

    def refresh(self) -> None:
        """Build both Jacobians for the document as it is now; they show when built.

        The thread that waits for the worker process touches no Qt object (not even this
        dialog's signals): it leaves its answer in a queue, which a timer here empties, so a
        dialog closed meanwhile is never reached, or released, from another thread."""
        self.requests += 1
        request, doc, answers = self.requests, self.model.document.copy(), self._answers
        self.pending = True

        def work() -> None:
            try:
                result: object = shared().cost(doc)
            except CostError as exc:
                result = str(exc)
            answers.put((request, result))

        threading.Thread(target=work, name="adviz-cost", daemon=True).start()
        self._collecting.start()

    def _collect(self) -> None:
        """Show what the worker answered (on the GUI thread); stop looking once nothing is pending."""
        while True:
            try:
                request, result = self._answers.get_nowait()
            except queue.Empty:
                break
            self.built.emit(request, result)
        if not self.pending:
            self._collecting.stop()

    def _built(self, request: int, result: object) -> None:
        if request != self.requests:        # an older document's answer
            return
        self.pending = False
        self.show_view(result if isinstance(result, CostView) else None, result if isinstance(result, str) else "")
        self.ready.emit()

    def show_view(self, view: CostView | None, message: str = "") -> None:
        """Show ``view`` (or ``message`` saying why there is none) from pass 0."""
        self.timer.stop()
        self.view = view
        if view is None:
            self.summary.setText(message)
        self.stage = 0
        view = self.view
        for table in self.tables:
            table.clear()
            table.setRowCount(view.m if view else 0)
            table.setColumnCount(view.n if view else 0)
            if view is not None:
                table.setHorizontalHeaderLabels([f"∂/∂{x}" for x in view.inputs])
                table.setVerticalHeaderLabels(list(view.outputs))
        if view is not None:
            self.summary.setText(view.summary)
        self.slider.blockSignals(True)
        self.slider.setRange(0, self.length() - 1)
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        for button in self.buttons.values():
            button.setEnabled(view is not None)
        self.go(0, force=True)

    def go(self, k: int, force: bool = False) -> None:
        """Show the Jacobians after ``k`` passes of each mode."""
        k = max(0, min(int(k), self.length() - 1))
        if k == self.stage and not force:
            return
        self.stage = k
        if self.slider.value() != k:
            self.slider.setValue(k)
        view = self.view
        if view is None:
            self.titles[0].setText("Forward mode")
            self.titles[1].setText("Reverse mode")
            self.caption.setText("")
            return
        stage = view.stage(k)
        r = view.result
        self.titles[0].setText(f"<b>Forward mode</b>: {view.n} pass{'es' * (view.n != 1)}, one column each "
                               f"— {stage.columns} of {view.n} columns, {stage.forward_ops} of {r.forward_steps} op steps")
        self.titles[1].setText(f"<b>Reverse mode</b>: {view.m} pass{'es' * (view.m != 1)}, one row each "
                               f"— {stage.rows} of {view.m} rows, {stage.reverse_ops} of {r.reverse_steps} op steps")
        self._fill(self.tables[0], r.forward, lambda i, j: j < stage.columns, lambda i, j: j == stage.columns - 1
                   and k <= view.n)
        self._fill(self.tables[1], r.reverse, lambda i, j: i < stage.rows, lambda i, j: i == stage.rows - 1
                   and k <= view.m)
        self.caption.setText(stage.caption)
        if k == self.length() - 1:
            self.timer.stop()
        self.buttons["play"].setText("Pause" if self.timer.isActive() else "Play")

    def _fill(self, table: QTableWidget, values, known, newest) -> None:
        highlight = QColor(self.palette().highlight().color())
        highlight.setAlphaF(0.25)
        for i in range(table.rowCount()):
            for j in range(table.columnCount()):
                item = QTableWidgetItem(format_value(values[i, j]) if known(i, j) else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if known(i, j) and newest(i, j):
                    item.setBackground(highlight)
                table.setItem(i, j, item)

    def toggle(self) -> None:
        """Play or pause; playing from the end starts again."""
        if self.timer.isActive():
            self.timer.stop()
        elif self.view is not None:
            if self.stage >= self.length() - 1:
                self.go(0)
            self.timer.start()
        self.buttons["play"].setText("Pause" if self.timer.isActive() else "Play")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        keys = {Qt.Key.Key_Home: lambda: self.go(0), Qt.Key.Key_Left: lambda: self.go(self.stage - 1),
                Qt.Key.Key_Right: lambda: self.go(self.stage + 1), Qt.Key.Key_End: lambda: self.go(self.length() - 1),
                Qt.Key.Key_Space: self.toggle}
        action = keys.get(Qt.Key(event.key()))
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def _tick(self) -> None:
        self.go(self.stage + 1)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        self.timer.stop()
        super().closeEvent(event)


def open_cost_view(window) -> CostDialog:
    """Show the window's cost view (one per window), built for its current document."""
    dialog = getattr(window, "cost_dialog", None)
    if dialog is None:
        dialog = window.cost_dialog = CostDialog(window.model, window)
    else:
        dialog.refresh()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog

"""The Inputs dock: functions or a script, the variables table, tape options, what to differentiate.

The panel reflects the :class:`~adviz.ui.model.DocumentModel` and sends it intents; it never
reads or changes another view.
"""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGroupBox,
                               QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..model import KIND_TITLES, KINDS, VariableSpec, is_script
from ..graph.wording import tape_line, tape_summary
from ..model.problems import describe
from .editor import CodeEditor
from .scrub import ScrubPanel

MAX_ROWS = 200
VALUE_TIP = "A number, a vector [1, 2] or a matrix [[1, 2], [3, 4]]"


class VariablesTable(QTableWidget):
    """Name, value, kind and ∂ (differentiate by it) of every input the functions use."""

    edited = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(["Name", "Value", "Kind", "∂"])
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(2, 150)
        self.setColumnWidth(3, 30)
        self.setMinimumWidth(330)
        self.horizontalHeaderItem(1).setToolTip("A number, a vector [1, 2] or a matrix [[1, 2], [3, 4]]")
        self.horizontalHeaderItem(2).setToolTip("How the tape sees this input")
        self.horizontalHeaderItem(3).setToolTip("Differentiate with respect to this input (a source of gradient())")
        self.verticalHeader().setVisible(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.itemChanged.connect(self._item_changed)

    def set_variables(self, variables: list[VariableSpec]) -> None:
        """Show ``variables``, keeping the cell being edited when nothing changed.

        At most :data:`MAX_ROWS` rows: inputs beyond them keep their default value and kind.
        """
        variables = variables[:MAX_ROWS]
        shown = self.variables()
        if variables == shown:
            return
        blocker = QSignalBlocker(self)
        if [(v.name, v.kind, v.source) for v in variables] == [(v.name, v.kind, v.source) for v in shown]:
            for row, v in enumerate(variables):     # only values changed (a value dragged): the rows stay
                if self.item(row, 1).text() != v.value:
                    self.item(row, 1).setText(v.value)
            blocker.unblock()
            return
        self.setRowCount(len(variables))
        for row, v in enumerate(variables):
            name = QTableWidgetItem(v.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.setItem(row, 0, name)
            value = QTableWidgetItem(v.value)
            value.setToolTip(VALUE_TIP)
            self.setItem(row, 1, value)
            combo = QComboBox()
            for kind in KINDS:
                combo.addItem(KIND_TITLES[kind], kind)
            combo.setCurrentIndex(KINDS.index(v.kind) if v.kind in KINDS else 0)
            combo.setToolTip("Variable: watched by itself when read · not trainable: never watched by itself · "
                             "watched constant: tape.watch() · constant: not watched")
            combo.currentIndexChanged.connect(self._combo_changed)
            self.setCellWidget(row, 2, combo)
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            check.setCheckState(Qt.CheckState.Checked if v.source else Qt.CheckState.Unchecked)
            check.setToolTip("Differentiate with respect to this input")
            self.setItem(row, 3, check)
        blocker.unblock()

    def variables(self) -> list[VariableSpec]:
        out = []
        for row in range(self.rowCount()):
            name, value, check = self.item(row, 0), self.item(row, 1), self.item(row, 3)
            combo = self.cellWidget(row, 2)
            if name is None or value is None or check is None or combo is None:
                continue
            out.append(VariableSpec(name.text(), value.text(), combo.currentData(),
                                    check.checkState() == Qt.CheckState.Checked))
        return out

    def mark_error(self, name: str | None, message: str = "") -> None:
        """Colour the value of ``name`` red with ``message`` as its tooltip; None clears every mark."""
        blocker = QSignalBlocker(self)
        for row in range(self.rowCount()):
            item = self.item(row, 1)
            if item is None:
                continue
            if self.item(row, 0).text() == name:
                item.setForeground(QColor("#dc2626"))
                item.setToolTip(message)
            elif item.toolTip() != VALUE_TIP:
                item.setData(Qt.ItemDataRole.ForegroundRole, None)
                item.setToolTip(VALUE_TIP)
        blocker.unblock()

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        self.edited.emit()

    def _combo_changed(self, _index: int) -> None:
        self.edited.emit()


class InputsPanel(QWidget):
    """Functions (or a script), variables, tape options, and what to differentiate."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel("<b>Functions</b>")
        title.setToolTip("One definition per line: name = expression. Later lines may use earlier names.")
        layout.addWidget(title)
        self.editor = CodeEditor()
        self.editor.setToolTip("Functions such as  f = sin(x*y) + x**2  — or paste a GradientTape script")
        layout.addWidget(self.editor, 3)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #dc2626;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.variables_box = QGroupBox("Variables")
        vbox = QVBoxLayout(self.variables_box)
        self.table = VariablesTable()
        vbox.addWidget(self.table)
        self.sliders = ScrubPanel()
        vbox.addWidget(self.sliders)
        layout.addWidget(self.variables_box, 2)

        tape_box = QGroupBox("GradientTape")
        form = QFormLayout(tape_box)
        self.persistent = QCheckBox("persistent")
        self.persistent.setToolTip("A persistent tape can compute gradients more than once")
        self.watch_accessed = QCheckBox("watch_accessed_variables")
        self.watch_accessed.setChecked(True)
        self.watch_accessed.setToolTip("Watch trainable Variables automatically when they are read")
        form.addRow(self.persistent)
        form.addRow(self.watch_accessed)
        self.target = QComboBox()
        self.target.setToolTip("The output to differentiate")
        form.addRow("Differentiate", self.target)
        self.call = QComboBox()
        self.call.setToolTip("Which gradient() call of the script to draw")
        self.call_label = QLabel("Gradient call")
        form.addRow(self.call_label, self.call)
        self.tape_state = QLabel()
        self.tape_state.setWordWrap(True)
        self.tape_state.setMinimumHeight(2 * self.tape_state.fontMetrics().lineSpacing() + 6)   # never clipped
        self.tape_state.setStyleSheet("color: gray;")
        self.tape_state.setToolTip("The tape as this gradient call found it: its state, how often it was asked, "
                                   "what it watches and how each got watched")
        form.addRow(self.tape_state)
        layout.addWidget(tape_box)
        self.set_script_mode(False)
        self.editor.pasteRefused.connect(self.show_error)

    def bind(self, model) -> None:
        """Reflect ``model`` (a :class:`~adviz.ui.model.DocumentModel`) and send it every edit."""
        self.editor.textChanged.connect(lambda: model.set_text(self.editor.toPlainText()))
        self.table.edited.connect(lambda: model.set_variables(self.table.variables()))
        self.persistent.toggled.connect(lambda on: model.set_options(persistent=on))
        self.watch_accessed.toggled.connect(lambda on: model.set_options(watch_accessed_variables=on))
        self.target.currentIndexChanged.connect(lambda _i: model.set_target(self.target.currentText() or None))
        self.call.currentIndexChanged.connect(model.choose_call)
        model.documentChanged.connect(self.show_document)
        self.sliders.bind(model, self.table)
        model.outcomeChanged.connect(lambda outcome: self.show_outcome(outcome, model.document))
        self.show_document(model.document)

    def show_document(self, doc) -> None:
        """Put ``doc`` in the widgets (an undo, an opened file); what already shows it stays."""
        if self.editor.toPlainText() != doc.text:
            self.editor.setPlainText(doc.text)
        script = is_script(doc.text)
        self.set_script_mode(script)
        if not script:
            self.table.set_variables(doc.variables)
            self._set_options(doc.persistent, doc.watch_accessed_variables)
        if doc.target and doc.target != self.target.currentText():
            self.set_choices(self.target, [self.target.itemText(i) for i in range(self.target.count())], doc.target)
        if script and doc.call != self.call.currentIndex():
            self.set_choices(self.call, [self.call.itemText(i) for i in range(self.call.count())], doc.call)

    def show_outcome(self, outcome, doc) -> None:
        """A run finished: its outputs or calls, the tape options a script chose, its error."""
        self.set_script_mode(outcome.script)
        if outcome.script:
            self.set_choices(self.call, outcome.calls, doc.call)
            tape = _tape_of_call(outcome.trace, doc.call)
            if tape is not None:       # a script sets its own tape's options: show them
                self._set_options(tape.persistent, tape.watch_accessed_variables)
        elif outcome.outputs:
            self.set_choices(self.target, outcome.outputs, doc.target)
        graph = outcome.graph
        state = graph.tape_state if graph is not None else None
        self.tape_state.setText(tape_line(state) if state else "")
        self.tape_state.setToolTip(tape_summary(state) if state else "")
        problem = describe(outcome.error)
        self.table.mark_error(problem.variable if problem else None, problem.message if problem else "")
        self.show_error(problem.text if problem else "")
        if problem is not None and problem.line and problem.variable is None:
            self.editor.show_error(problem.line, problem.col, problem.message)
        else:
            self.editor.clear_error()

    def _set_options(self, persistent: bool, watch: bool) -> None:
        for box, on in ((self.persistent, persistent), (self.watch_accessed, watch)):
            if box.isChecked() != on:
                blocker = QSignalBlocker(box)
                box.setChecked(on)
                blocker.unblock()

    def set_script_mode(self, script: bool) -> None:
        """A script declares its own tapes and values: hide what only functions use."""
        self.variables_box.setVisible(not script)
        self.persistent.setEnabled(not script)
        self.watch_accessed.setEnabled(not script)
        self.target.setEnabled(not script)
        self.call.setVisible(script)
        self.call_label.setVisible(script)

    def set_choices(self, combo: QComboBox, items: list[str], current: int | str | None) -> None:
        """Fill a combo without sending edits; ``current`` is an index or an item's text."""
        blocker = QSignalBlocker(combo)
        if [combo.itemText(i) for i in range(combo.count())] != items:
            combo.clear()
            combo.addItems(items)
        if isinstance(current, int):
            combo.setCurrentIndex(min(current, combo.count() - 1))
        elif current in items:
            combo.setCurrentIndex(items.index(current))
        elif items:
            combo.setCurrentIndex(len(items) - 1)
        blocker.unblock()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))


def _tape_of_call(trace, call: int):
    """The tape (its options) that gradient call ``call`` of a script used, or None."""
    if trace is None or not trace.calls:
        return None
    chosen = trace.calls[max(0, min(call, len(trace.calls) - 1))]
    return next((t for t in trace.tapes if t.index == chosen.tape_index), None)

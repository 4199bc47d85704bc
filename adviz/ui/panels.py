"""The docks around the canvas: inputs, details, and the transport bar."""
from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QSlider, QTableWidget,
                               QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from ..graph import KIND_LABELS, format_value
from ..model import KIND_TITLES, KINDS, VariableSpec
from .editor import CodeEditor

SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 4.0)
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
        self._loading = False
        self.itemChanged.connect(self._item_changed)

    def set_variables(self, variables: list[VariableSpec]) -> None:
        """Show ``variables``, keeping the cell being edited when nothing changed.

        At most :data:`MAX_ROWS` rows: inputs beyond them keep their default value and kind.
        """
        variables = variables[:MAX_ROWS]
        if variables == self.variables():
            return
        self._loading = True
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
        self._loading = False

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
        self._loading = True
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
        self._loading = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._loading:
            self.edited.emit()

    def _combo_changed(self, _index: int) -> None:
        if not self._loading:
            self.edited.emit()


class InputsPanel(QWidget):
    """Functions (or a script), variables, tape options, and what to differentiate."""

    edited = Signal()

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
        layout.addWidget(tape_box)
        self._loading = False
        self.set_script_mode(False)

        self.editor.textChanged.connect(self._changed)
        self.editor.pasteRefused.connect(self.show_error)
        self.table.edited.connect(self._changed)
        self.persistent.toggled.connect(self._changed)
        self.watch_accessed.toggled.connect(self._changed)
        self.target.currentIndexChanged.connect(self._changed)
        self.call.currentIndexChanged.connect(self._changed)

    def _changed(self, *args) -> None:
        if not self._loading:
            self.edited.emit()

    def set_script_mode(self, script: bool) -> None:
        """A script declares its own tapes and values: hide what only functions use."""
        self.variables_box.setVisible(not script)
        self.persistent.setEnabled(not script)
        self.watch_accessed.setEnabled(not script)
        self.target.setEnabled(not script)
        self.call.setVisible(script)
        self.call_label.setVisible(script)

    def set_choices(self, combo: QComboBox, items: list[str], current: int | str | None) -> None:
        """Fill a combo without emitting edits; ``current`` is an index or an item's text."""
        self._loading = True
        if [combo.itemText(i) for i in range(combo.count())] != items:
            combo.clear()
            combo.addItems(items)
        if isinstance(current, int):
            combo.setCurrentIndex(min(current, combo.count() - 1))
        elif current in items:
            combo.setCurrentIndex(items.index(current))
        elif items:
            combo.setCurrentIndex(len(items) - 1)
        self._loading = False

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))


class DetailsPanel(QWidget):
    """The selected node or edge: formula, full value, adjoint, partial, and a gradient check."""

    checkRequested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.title = QLabel("<i>Select a node or an edge</i>")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.title)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.hide()
        layout.addWidget(self.table, 1)
        self.check_button = QPushButton("Check with finite differences")
        self.check_button.setToolTip("Compare the tape's gradient with central finite differences in float64")
        self.check_button.clicked.connect(lambda: self.checkRequested.emit(self._node_name))
        self.check_button.hide()
        layout.addWidget(self.check_button)
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.check_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.check_label)
        layout.addStretch(0)
        self._node_name = ""
        self.good, self.bad = "#15803d", "#dc2626"

    def clear(self) -> None:
        self.title.setText("<i>Select a node or an edge</i>")
        self.text.setText("")
        self.table.hide()
        self.check_button.hide()
        self.check_label.setText("")

    def show_node(self, node, can_check: bool) -> None:
        self.title.setText(f"<b>{escape(node.label)}</b> &nbsp;<span style='color:gray'>{escape(KIND_LABELS.get(node.kind, node.kind))}</span>")
        rows = []
        if node.formula and node.formula != node.label:
            rows.append(("formula", f"{escape(node.name or node.label)} = {escape(node.formula)}"))
        rows.append(("value", escape(node.value_text) + f" &nbsp;<span style='color:gray'>{escape(_shape_text(node.value))}</span>"))
        if node.adjoint is not None:
            rows.append(("adjoint", escape(format_value(node.adjoint, digits=6))))
        if node.is_source:
            rows.append(("gradient()", escape(node.gradient_text)))
        if not node.recorded and node.reason:
            rows.append(("not recorded", f"<i>{escape(node.reason)}</i>"))
        if node.gradient_op:
            rows.append(("note", "made by an inner tape's gradient() and recorded on this tape"))
        self.text.setText(_rows(rows))
        self._show_array(node.value)
        self._node_name = node.name or ""
        self.check_label.setText("")
        self.check_button.setVisible(can_check and node.is_source and bool(node.name))

    def show_edge(self, edge, source_label: str, target_label: str) -> None:
        self.title.setText(f"<b>{escape(source_label)} → {escape(target_label)}</b>")
        rows = [("local partial", escape(edge.partial_formula))]
        if edge.partial_value is not None:
            rows.append(("partial value", escape(format_value(edge.partial_value, digits=6))))
        if edge.contribution is not None:
            rows.append(("contribution", escape(format_value(edge.contribution, digits=6))
                         + " <span style='color:gray'>(upstream × local partial, summed to the input's shape)</span>"))
        if not edge.recorded:
            rows.append(("not recorded", "<i>the tape did not record this op</i>"))
        self.text.setText(_rows(rows))
        self._show_array(edge.contribution if edge.contribution is not None else None)
        self.check_button.hide()
        self.check_label.setText("")

    def show_check(self, result) -> None:
        if result is None:
            self.check_label.setText("")
            return
        if getattr(result, "message", ""):
            self.check_label.setText(escape(result.message))
            return
        colour = self.good if result.ok else self.bad
        verdict = "agrees" if result.ok else "disagrees"
        analytic = "None" if result.analytic is None else format_value(result.analytic, digits=7)
        self.check_label.setText(
            f"tape: {escape(analytic)}<br>finite differences: {escape(format_value(result.numeric, digits=7))}<br>"
            f"<span style='color:{colour}'><b>relative error {result.rel_error:.2e} — {verdict}</b></span>")

    def _show_array(self, value) -> None:
        array = None if value is None else np.asarray(value)
        if array is None or array.ndim == 0 or array.size > 400:
            self.table.hide()
            return
        grid = array.reshape(1, -1) if array.ndim == 1 else array.reshape(array.shape[0], -1)
        self.table.setRowCount(grid.shape[0])
        self.table.setColumnCount(grid.shape[1])
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                self.table.setItem(i, j, QTableWidgetItem(format_value(grid[i, j], digits=6)))
        self.table.resizeColumnsToContents()
        self.table.show()


def _shape_text(value) -> str:
    shape = np.shape(value)
    return "scalar" if not shape else "shape " + "×".join(str(n) for n in shape)


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td style='color:gray; padding-right:8px'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


class TransportBar(QWidget):
    """First, previous, play/pause, next, last, speed and a scrubber."""

    def __init__(self, actions: dict, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        self.mode = QComboBox()
        self.mode.addItem("Backward pass", "backward")
        self.mode.addItem("Forward pass", "forward")
        self.mode.setToolTip("Which pass to play: adjoints flowing back, or values computed in order")
        layout.addWidget(self.mode)
        for key in ("first", "previous", "play", "next", "last"):
            button = QToolButton()
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setDefaultAction(actions[key])
            button.setAutoRaise(True)
            layout.addWidget(button)
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setToolTip("Scrub through the steps")
        self.scrubber.setMinimum(0)
        layout.addWidget(self.scrubber, 1)
        self.position = QLabel("0 / 0")
        self.position.setMinimumWidth(60)
        layout.addWidget(self.position)
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Playback speed")
        layout.addWidget(self.speed)

    def set_range(self, length: int, index: int) -> None:
        self.scrubber.blockSignals(True)
        self.scrubber.setMaximum(max(0, length - 1))
        self.scrubber.setValue(index)
        self.scrubber.blockSignals(False)
        # Step 0 is the seed at the target; the ops' steps count from 1.
        self.position.setText(f"{index} / {max(0, length - 1)}")
        self.position.setToolTip("Current step / last step (step 0 starts at the target)")

"""The Details dock: the selected node or edge in full, and a finite-difference check."""
from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from ..graph import KIND_LABELS, format_value


class DetailsPanel(QWidget):
    """The selected node or edge: formula, full value, adjoint, partial, and a gradient check."""

    checkRequested = Signal(str)
    fixRequested = Signal(str)         # a diagnosis's fix_action, to apply to the functions' inputs

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.setMinimumWidth(240)
        self.title = QLabel("<i>Select a node or an edge</i>")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.title)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(1)          # wraps to the panel, never widens it
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        self.tables = QTabWidget()            # value, adjoint and gradient (or partial, contribution) in full
        self.tables.setToolTip("Every element, to six significant digits")
        self.tables.hide()
        layout.addWidget(self.tables, 1)
        self.check_button = QPushButton("Check with finite differences")
        self.check_button.setToolTip("Compare the tape's gradient with central finite differences in float64")
        self.check_button.clicked.connect(lambda: self.checkRequested.emit(self.node_name))
        self.check_button.hide()
        layout.addWidget(self.check_button)
        self.fix_button = QPushButton("Apply the fix")
        self.fix_button.setToolTip("Change the inputs as the fix says (undo with Ctrl+Z)")
        self.fix_button.clicked.connect(lambda: self.fixRequested.emit(self._fix_action))
        self.fix_button.hide()
        layout.addWidget(self.fix_button)
        self._fix_action = ""
        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.check_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.check_label)
        layout.addStretch(0)
        self.node_name = ""
        self.good, self.bad = "#15803d", "#dc2626"

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt virtual
        return QSize(300, 420)        # long texts wrap; they never push the canvas aside

    def clear(self, tape: str = "", symbols: dict[str, str] | None = None) -> None:
        """Nothing selected: the tape of the call drawn, and what each symbol on the picture means."""
        self.title.setText("<i>Select a node or an edge</i>")
        rows = [("the tape", escape(tape))] if tape else []
        rows += [(escape(sym), escape(text)) for sym, text in (symbols or {}).items()]
        self.text.setText(_rows(rows) if rows else "")
        self.tables.hide()
        self.fix_button.hide()
        self.check_button.hide()
        self.check_label.setText("")

    def show_node(self, node, can_check: bool, can_fix: bool = False, change: str = "") -> None:
        self.title.setText(f"<b>{escape(node.label)}</b> &nbsp;<span style='color:gray'>{escape(KIND_LABELS.get(node.kind, node.kind))}</span>")
        rows = []
        if node.formula and node.formula != node.label:
            rows.append(("formula", f"{escape(node.name or node.label)} = {escape(node.formula)}"))
        rows.append(("value", escape(node.value_text) + f" &nbsp;<span style='color:gray'>{escape(_shape_text(node.value))}</span>"))
        if node.adjoint is not None:
            rows.append(("adjoint", escape(_full(node.adjoint))))
        if node.is_source:
            gradient = node.gradient_text if node.gradient is None else _full(node.gradient)
            rows.append(("gradient()", escape(gradient)))
        if node.cause is not None:
            rows.append((f"why {escape(node.gradient_text)}", escape(node.cause.text)))
            rows.append(("fix", _code(node.cause.fix)))
            if not can_fix and change:
                rows.append(("in the script", _code(change) + "<br><span style='color:gray'>"
                             "(make this change yourself: a script is never edited for you)</span>"))
        elif not node.recorded and node.reason:
            rows.append(("not recorded", f"<i>{escape(node.reason)}</i>"))
        if node.gradient_op:
            rows.append(("note", "made by an inner tape's gradient() and recorded on this tape"))
        self.text.setText(_rows(rows))
        self._show_arrays([("value", node.value), ("adjoint", node.adjoint),
                           ("gradient", node.gradient if node.is_source else None)])
        self.node_name = node.name or ""
        self.check_label.setText("")
        self.check_button.setVisible(can_check and node.is_source and bool(node.name))
        self._fix_action = node.cause.fix_action if node.cause is not None else ""
        self.fix_button.setVisible(can_fix and bool(self._fix_action))

    def show_edge(self, edge, source_label: str, target_label: str) -> None:
        self.title.setText(f"<b>{escape(source_label)} → {escape(target_label)}</b>")
        rows = [("local partial", escape(edge.partial_formula))]
        if edge.partial_value is not None:
            rows.append(("partial value", escape(_full(edge.partial_value))))
        if edge.contribution is not None:
            rows.append(("contribution", escape(_full(edge.contribution))
                         + " <span style='color:gray'>(upstream × local partial, summed to the input's shape)</span>"))
        if not edge.recorded:
            rows.append(("not recorded", "<i>the tape did not record this op</i>"))
        self.text.setText(_rows(rows))
        self._show_arrays([("partial", edge.partial_value), ("contribution", edge.contribution)])
        self.check_button.hide()
        self.fix_button.hide()
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

    def _show_arrays(self, named: list) -> None:
        """A tab with a table of every element for each array that has more than one."""
        self.tables.clear()
        for name, value in named:
            array = None if value is None else np.asarray(value)
            if array is None or array.ndim == 0 or array.size > MAX_TABLE:
                continue
            self.tables.addTab(_table(array), f"{name} ({'×'.join(str(n) for n in array.shape)})")
        self.tables.setVisible(self.tables.count() > 0)


MAX_TABLE = 400       # elements shown cell by cell; larger arrays by their summary
FULL_TEXT = 16        # elements written out in full in the text above the tables


def _full(value) -> str:
    """Every element of a small array (six significant digits), a summary of a large one."""
    array = np.asarray(value)
    if array.ndim == 0 or array.size > FULL_TEXT:
        return format_value(array, digits=6)
    return format_value(array, digits=6, max_items=array.size)


def _code(text: str) -> str:
    """A sentence with `code` in backticks, the code set in a monospace font."""
    parts = escape(text).split("`")
    return "".join(f"<code>{p}</code>" if k % 2 else p for k, p in enumerate(parts))


def _table(array: np.ndarray) -> QTableWidget:
    grid = array.reshape(1, -1) if array.ndim == 1 else array.reshape(array.shape[0], -1)
    table = QTableWidget(grid.shape[0], grid.shape[1])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            table.setItem(i, j, QTableWidgetItem(format_value(grid[i, j], digits=6)))
    table.resizeColumnsToContents()
    return table


def _shape_text(value) -> str:
    shape = np.shape(value)
    return "scalar" if not shape else "shape " + "×".join(str(n) for n in shape)


def _rows(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td style='color:gray; padding-right:8px'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"

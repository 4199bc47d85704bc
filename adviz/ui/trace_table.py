"""The evaluation trace as a table: one row a value, in the order it was computed.

Each row names the value, its operation, its primal, its tangent (forward mode) and its adjoint
(reverse mode). The table and the canvas are linked both ways: the current step's row is
highlighted while the pass plays, hovering a row lights its node, choosing a row selects it.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..graph import Graph, format_value
from ..graph.model import LITERAL

COLUMNS = ("value", "operation", "primal", "tangent", "adjoint")


class TraceTable(QTableWidget):
    """Rows of the current graph; ``nodeHovered`` and ``nodeChosen`` carry a node id (or "")."""

    nodeHovered = Signal(str)
    nodeChosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(["Value", "Operation", "Primal", "Tangent ẋ", "Adjoint ∂"])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMouseTracking(True)
        self.setToolTip("The evaluation trace: each value in the order it was computed, with its tangent "
                        "(forward mode) and its adjoint (reverse mode)")
        self.ids: list[str] = []
        self._current = ""
        self.cellEntered.connect(lambda row, _col: self.nodeHovered.emit(self.ids[row] if row < len(self.ids) else ""))
        self.itemSelectionChanged.connect(self._chosen)

    def show_graph(self, graph: Graph | None) -> None:
        """One row per value of ``graph`` (literals left out), in computation order."""
        blocker = QSignalBlocker(self)
        self.clearContents()
        nodes = [] if graph is None else sorted((n for n in graph.nodes.values() if n.kind != LITERAL),
                                                 key=lambda n: n.order)
        self.setRowCount(len(nodes))
        self.ids = [n.id for n in nodes]
        for row, node in enumerate(nodes):
            cells = (node.label, node.formula if node.op else "input", node.value_text,
                     "" if node.tangent is None else format_value(node.tangent),
                     "" if node.adjoint is None else format_value(node.adjoint))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(row, column, item)
        self._current = ""
        blocker.unblock()

    def highlight(self, node_id: str, colour: str) -> None:
        """The row of the step being played, in the pass's colour."""
        if node_id == self._current:
            return
        for nid, brush in ((self._current, QBrush()), (node_id, QBrush(_faint(colour)))):
            if nid in self.ids:
                row = self.ids.index(nid)
                for column in range(self.columnCount()):
                    cell = self.item(row, column)
                    if cell is not None:
                        cell.setBackground(brush)
        self._current = node_id
        if node_id in self.ids:
            self.scrollToItem(self.item(self.ids.index(node_id), 0))

    def select_node(self, node_id: str) -> None:
        """The canvas selected ``node_id``: select its row (without echoing back)."""
        blocker = QSignalBlocker(self)
        self.clearSelection()
        if node_id in self.ids:
            self.selectRow(self.ids.index(node_id))
        blocker.unblock()

    def _chosen(self) -> None:
        rows = self.selectionModel().selectedRows()
        if rows:
            self.nodeChosen.emit(self.ids[rows[0].row()])

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        self.nodeHovered.emit("")
        super().leaveEvent(event)


def _faint(colour: str) -> QColor:
    c = QColor(colour)
    c.setAlphaF(0.3)
    return c


class TraceLink(QObject):
    """Links a :class:`TraceTable` with a model's canvas: rows follow the picture and the step, and back.

    A child of the table, with bound-method slots: when the window goes, Qt drops every connection.
    """

    def __init__(self, table: TraceTable, model, canvas) -> None:
        super().__init__(table)
        self.table, self.model, self.canvas = table, model, canvas
        canvas.shown.connect(self.shown)
        model.stepChanged.connect(self.current)
        model.modeChanged.connect(self.current)
        table.nodeHovered.connect(self.hovered)
        table.nodeChosen.connect(self.chosen)
        canvas.scene.selectionChanged.connect(self.selected)
        self.stale = True

    def _alive(self) -> bool:
        return shiboken6.isValid(self.canvas.scene) and shiboken6.isValid(self.canvas.view)

    def current(self, *_args) -> None:
        scene = self.canvas.scene
        if not self._alive() or scene.graph is None:
            return
        steps = scene.graph.schedule(self.model.mode)
        if steps:
            step = steps[min(self.model.step, len(steps) - 1)]
            self.table.highlight(step.node, scene.theme.flow if self.model.mode == "backward" else scene.theme.forward)

    def shown(self) -> None:
        if self._alive() and self.table.isVisible():      # a hidden table is filled when it shows
            self.table.show_graph(self.canvas.scene.graph)
            self.current()
        self.stale = not self.table.isVisible()

    def refresh(self, visible: bool) -> None:
        """The table was shown: fill it with the picture it missed while hidden."""
        if visible and self.stale:
            self.stale = False
            self.shown()

    def hovered(self, node_id: str) -> None:
        if self._alive():
            self.canvas.view.light(self.canvas.scene.nodes.get(node_id))

    def chosen(self, node_id: str) -> None:
        scene = self.canvas.scene
        item = scene.nodes.get(node_id) if self._alive() else None
        if item is not None:
            scene.clearSelection()
            item.setSelected(True)
            self.canvas.view.ensureVisible(item)

    def selected(self) -> None:
        if self._alive():
            items = [i for i in self.canvas.scene.selectedItems() if hasattr(i, "node")]
            self.table.select_node(items[0].node.id if items else "")

"""View ▸ Sum over paths: pick an input and an output; every path between them with the product of
its partials, their sum beside the tape's gradient, and how forward and reverse mode factor the sum.

The numbers come from :func:`adviz.graph.paths.path_sum`; this dialog only shows them.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ..graph import Graph, format_value
from ..graph.paths import PathError, PathSum, path_sum
from .items import NodeItem
from .model import DocumentModel

FACTORED = ("Forward mode factors the sum from the input: each node's tangent is the sum over the paths "
            "from the input into it, so one pass gives the whole sum at the output. Reverse mode factors it "
            "from the output: each node's adjoint is the sum over the paths from it to the output. Neither "
            "lists the paths, which can be exponentially many.")


def _cell(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if tip:
        item.setToolTip(tip)
    return item


class PathsDialog(QDialog):
    """Every path from an input to an output of the current graph, and their sum."""

    def __init__(self, model: DocumentModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sum over paths: the chain rule, path by path")
        self.model = model
        self.graph: Graph | None = None
        self.result: PathSum | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.source = QComboBox()
        self.source.setToolTip("The input: paths start here")
        self.target = QComboBox()
        self.target.setToolTip("The output: paths end here (the call's target by default)")
        form.addRow("From", self.source)
        form.addRow("To", self.target)
        layout.addLayout(form)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.answer)
        self.paths = QTableWidget(0, 2)
        self.paths.setHorizontalHeaderLabels(["path: partials along it", "product"])
        self.paths.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.paths.horizontalHeader().setStretchLastSection(False)
        self.paths.horizontalHeader().setSectionResizeMode(0, self.paths.horizontalHeader().ResizeMode.Stretch)
        self.paths.setToolTip("Each path from the input to the output, with the product of the local partials on it")
        layout.addWidget(self.paths, 2)
        factored = QLabel(FACTORED)
        factored.setWordWrap(True)
        layout.addWidget(factored)
        self.factors = QTableWidget(0, 5)
        self.factors.setHorizontalHeaderLabels(["node", "paths in", "tangent (Σ paths in)", "paths out",
                                                "adjoint (Σ paths out)"])
        self.factors.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.factors.setToolTip("Each node between the two: forward mode's tangent and reverse mode's adjoint")
        layout.addWidget(self.factors, 1)
        self.source.currentIndexChanged.connect(lambda _i: self.update_paths())
        self.target.currentIndexChanged.connect(lambda _i: self.update_paths())
        model.outcomeChanged.connect(lambda _outcome: self.refresh())
        self.resize(820, 560)
        self.refresh()

    def refresh(self) -> None:
        """Fill the choices from the current graph, keeping the chosen labels where they still exist."""
        outcome = self.model.outcome
        self.graph = outcome.graph if outcome is not None else None
        keep = (self.source.currentText(), self.target.currentText())
        for combo in (self.source, self.target):
            combo.blockSignals(True)
            combo.clear()
        graph = self.graph
        if graph is not None:
            ordered = sorted(graph.nodes.values(), key=lambda n: (not n.is_source, n.order))
            for n in ordered:
                self.source.addItem(n.label, n.id)
            for n in sorted(graph.nodes.values(), key=lambda n: (not n.is_target, -n.order)):
                self.target.addItem(n.label, n.id)
            for combo, label in zip((self.source, self.target), keep):
                index = combo.findText(label)
                if index >= 0:
                    combo.setCurrentIndex(index)
        for combo in (self.source, self.target):
            combo.blockSignals(False)
        self.update_paths()

    def choose(self, source: str, target: str | None = None) -> None:
        """Show the paths from node ``source`` (to ``target``, or the chosen output)."""
        for combo, node_id in ((self.source, source), (self.target, target)):
            index = combo.findData(node_id) if node_id is not None else -1
            if index >= 0:
                combo.setCurrentIndex(index)
        self.update_paths()

    def update_paths(self) -> None:
        graph, source, target = self.graph, self.source.currentData(), self.target.currentData()
        self.result = None
        self.paths.setRowCount(0)
        self.factors.setRowCount(0)
        if graph is None or source is None or target is None:
            self.answer.setText("There is no graph yet.")
            return
        try:
            result = path_sum(graph, source, target)
        except PathError as exc:
            self.answer.setText(str(exc))
            return
        self.result = result
        self.answer.setText(f"<b>∂{graph.nodes[target].label}/∂{graph.nodes[source].label} = "
                            f"{format_value(result.total)}</b> — {result.words(graph)}")
        self.paths.setRowCount(len(result.paths) + 1)
        for k, p in enumerate(result.paths):
            self.paths.setItem(k, 0, _cell(p.text, p.text))
            self.paths.setItem(k, 1, _cell(format_value(p.product)))
        last = len(result.paths)
        total = "sum of every path" + (f" ({result.count:,}, factored)" if result.truncated else "")
        self.paths.setItem(last, 0, _cell(total))
        self.paths.setItem(last, 1, _cell(format_value(result.total)))
        order = [n for n in sorted(graph.nodes, key=lambda n: graph.nodes[n].order) if n in result.tangents]
        self.factors.setRowCount(len(order))
        for k, n in enumerate(order):
            label = graph.nodes[n].label
            cells = (label, f"{result.paths_in[n]:,}", format_value(result.tangents[n]),
                     f"{result.paths_out[n]:,}", format_value(result.adjoints[n]))
            for column, text in enumerate(cells):
                self.factors.setItem(k, column, _cell(text))
        self.factors.resizeColumnsToContents()


def open_paths_view(window) -> PathsDialog:
    """Show the window's sum-over-paths dialog (one per window) for its current graph, from the
    node selected on the canvas if there is one."""
    dialog = getattr(window, "paths_dialog", None)
    if dialog is None:
        dialog = window.paths_dialog = PathsDialog(window.model, window)
    else:
        dialog.refresh()
    selected = [item for item in window.scene.selectedItems() if isinstance(item, NodeItem)]
    if selected:
        dialog.choose(selected[0].node.id)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog

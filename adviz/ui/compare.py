"""Two gradient calls side by side, with what differs listed and highlighted on both pictures."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QGridLayout, QLabel, QSizePolicy, QWidget

from ..model import Outcome
from ..model.compare import Comparison, compare
from .export import ExportOptions, make_scene
from .model import DocumentModel
from .scene import GraphScene
from .theme import theme_named
from .view import GraphView


class CompareDialog(QDialog):
    """Pick call A and call B of the script; both pictures at their last step, differences marked."""

    def __init__(self, model: DocumentModel, theme_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare two gradient calls")
        self.model, self.theme_name = model, theme_name
        self.outcomes: dict[int, Outcome] = {}
        self.comparison: Comparison | None = None
        layout = QGridLayout(self)
        self.choices: list[QComboBox] = []
        self.views: list[GraphView] = []
        calls = model.outcome.calls if model.outcome else []
        for column, (title, start) in enumerate((("A", model.document.call), ("B", model.document.call + 1))):
            combo = QComboBox()
            combo.addItems(calls)
            combo.setCurrentIndex(min(start, len(calls) - 1))
            combo.setToolTip(f"The gradient call shown as {title}")
            combo.currentIndexChanged.connect(self._request)
            view = GraphView(GraphScene(theme_named(theme_name), self))
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            view.setMinimumSize(420, 320)
            view.show_legend = False
            layout.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
            layout.addWidget(combo, 1, column)
            layout.addWidget(view, 2, column)
            self.choices.append(combo)
            self.views.append(view)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary, 3, 0, 1, 2)
        model.callComputed.connect(self._computed)
        self.resize(1100, 640)
        self._request()

    def _request(self) -> None:
        self.summary.setText("<i>computing…</i>")
        for combo in self.choices:
            index = combo.currentIndex()
            if index >= 0 and index not in self.outcomes:
                self.model.compute_call(index)
        self._show()

    def _computed(self, index: int, outcome: Outcome) -> None:
        self.outcomes[index] = outcome
        self._show()

    def _show(self) -> None:
        picked = [combo.currentIndex() for combo in self.choices]
        if any(i not in self.outcomes for i in picked):
            return
        graphs = [self.outcomes[i].graph for i in picked]
        if any(g is None for g in graphs):
            self.summary.setText("<i>one of the calls has no picture</i>")
            return
        self.comparison = compare(graphs[0], graphs[1])
        marked = self.comparison.labels
        for view, index, graph in zip(self.views, picked, graphs):
            layout = self.outcomes[index].layout
            scene = make_scene(graph, layout, ExportOptions(step="end", theme=self.theme_name))
            for item in scene.nodes.values():
                item.setSelected(item.node.label in marked)     # differences drawn as selected
            view.setScene(scene)
            view.fit()
        rows = "".join(f"<li>{escape(row.text)}</li>" for row in self.comparison.rows)
        self.summary.setText(f"<b>What differs from A to B</b><ul>{rows}</ul>")

    def highlighted(self, side: int) -> set[str]:
        """The labels of the nodes marked on side 0 (A) or 1 (B)."""
        scene = self.views[side].scene()
        return {item.node.label for item in getattr(scene, "nodes", {}).values() if item.isSelected()}

"""The canvas: the scene, its view, the player and the step caption, all drawn from the model.

:class:`Canvas` reflects a :class:`~adviz.ui.model.DocumentModel`: a new outcome becomes a new
picture (or a stale banner over the last good one), a new layout makes the nodes glide, a step
shows on the scene and in words. A node the user drags goes back to the model as an intent.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from ..graph import Layout
from ..model import Outcome
from .animator import Player
from .model import DocumentModel
from .scene import GraphScene
from .theme import Theme
from .view import GraphView

EMPTY = "Type a function on the left, e.g.  f = sin(x*y) + x**2"
STALE = "Stale picture: the text has an error (see the inputs)"
MAX_CAPTION_LINES = 6


class Canvas(QObject):
    """The picture of one model. ``shown`` fires each time a new graph is on the canvas."""

    shown = Signal()
    valuesShown = Signal()           # new numbers on the picture shown, nodes where they were

    def __init__(self, model: DocumentModel, theme: Theme, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.scene = GraphScene(theme, self)
        self.view = GraphView(self.scene)
        self.view.empty_message = EMPTY
        self.player = Player(self.scene, model, self)
        self.step_line = QLabel()
        self.step_line.setWordWrap(True)
        self.step_line.setTextFormat(Qt.TextFormat.RichText)
        self.step_line.setMinimumHeight(52)
        self.step_line.setContentsMargins(10, 4, 10, 4)
        self.step_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_line.setToolTip("The current step, in words and in chain-rule form")
        self._shown_structure: tuple = ()
        self._shown_layout = None        # the layout drawn: an outcome with the same one keeps the picture
        self.describe_change = None      # a fix as a change to the script (set by the window)
        model.loaded.connect(self.clear)
        model.outcomeChanged.connect(self.show_outcome)
        model.layoutChanged.connect(self.glide_to)
        model.stepChanged.connect(lambda *_: self.describe_step())
        model.modeChanged.connect(lambda *_: self.describe_step())
        self.scene.nodeMoved.connect(model.move_node)

    def show_outcome(self, outcome: Outcome) -> None:
        """Draw the outcome's graph, or keep the last good picture under a stale banner."""
        graph, layout = outcome.graph, self.model.live_layout()
        if graph is None and outcome.error is None:
            self.clear()                 # nothing written yet: a blank page
            return
        if graph is None or layout is None:
            self.view.stale_message = STALE if self.scene.nodes else ""
            self.view.failure = None
            if not self.scene.nodes:
                self.clear()
            self.view.viewport().update()
            return
        failure = graph.failure
        self.view.stale_message = "" if failure is not None or not graph.error else f"Error in this call: {graph.error}"
        if failure is not None:
            change = self.describe_change(failure.fix_action) if self.describe_change is not None else ""
            self.view.failure = (f"This call failed: {failure.text}",
                                 f"Fix: {failure.fix}" + (f"\nIn the script, {change}" if change else ""))
        else:
            self.view.failure = None
        structure = tuple(sorted(graph.nodes))
        if outcome.layout is self._shown_layout and structure == self._shown_structure \
                and self.scene.update_values(graph):
            self.describe_step()          # a value dragged: the same picture with new numbers
            self.view.viewport().update()
            self.valuesShown.emit()
            self.shown.emit()
            return
        self._shown_layout = outcome.layout
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        was_whole = bool(self.scene.nodes) and visible.contains(self.scene.itemsBoundingRect())
        selected = [nid for nid, item in self.scene.nodes.items() if item.isSelected()]
        self.scene.set_graph(graph, layout, self.model.mode, self.model.step, self.model.moved)
        for nid in selected:
            if nid in self.scene.nodes:
                self.scene.nodes[nid].setSelected(True)
        # Refit a new graph, or one that was wholly in view and has outgrown it (wider values);
        # a view the user zoomed into stays where it is.
        if structure != self._shown_structure or (was_whole and not visible.contains(self.scene.itemsBoundingRect())):
            self.view.fit()
        self._shown_structure = structure
        self.fit_caption()
        self.describe_step()
        self.view.viewport().update()
        self.shown.emit()

    def clear(self) -> None:
        """An empty canvas (a new, empty document)."""
        self.scene.clear_graph()
        self._shown_structure, self._shown_layout = (), None
        self.view.stale_message = ""
        self.view.failure = None
        self.describe_step()
        self.view.viewport().update()

    def glide_to(self, layout: Layout) -> None:
        """The same graph laid out anew: every node glides to its place, then the view fits."""
        self.scene.animate_to(layout)
        self._shown_layout = layout
        QTimer.singleShot(480, self.view.fit)

    def fit_caption(self) -> None:
        """One height for the caption over the whole pass, so the graph never jumps between steps."""
        graph = self.scene.graph
        if graph is None:
            return
        lines = 1 + max((len(step.chain) for step in (*graph.backward, *graph.forward)), default=0)
        metrics = self.step_line.fontMetrics()
        margins = self.step_line.contentsMargins()
        height = min(lines, MAX_CAPTION_LINES) * metrics.lineSpacing() + margins.top() + margins.bottom() + 4
        self.step_line.setFixedHeight(max(52, height))

    def describe_step(self) -> None:
        """The caption: the current step in words and in chain-rule form."""
        graph = self.scene.graph
        if graph is None:
            self.step_line.setText("")
            return
        steps = graph.schedule(self.model.mode)
        if not steps:
            self.step_line.setText("<i>No backward steps: the target does not depend on a watched source.</i>")
            return
        step = steps[min(self.model.step, len(steps) - 1)]
        chain = "<br>".join(escape(line) for line in step.chain)
        mono = "font-family: monospace;"
        self.step_line.setText(f"<b>{escape(step.words)}</b>" + (f"<br><span style='{mono}'>{chain}</span>" if chain else ""))

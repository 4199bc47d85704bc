"""Gradient magnitude at a glance: edges coloured by |partial|, nodes by |adjoint|, on one
logarithmic scale shown as a colour bar on the canvas; and the partials' product along a path,
the chosen path drawn wide.

The colours sit on halo items under the graph's own items (an arrow keeps its look, a node its
kind), so switching the view off leaves the picture exactly as it was. The numbers come from
:mod:`adviz.model.magnitude`.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPainterPathStroker, QPen
from PySide6.QtWidgets import (QDialog, QGraphicsPathItem, QGraphicsRectItem, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ..graph.values import format_number
from ..graph.paths import PathError, path_sum
from ..model.magnitude import LogScale, colour_at, magnitudes, scale_for
from ..model.themes import MAGNITUDE_SCALE

HALO_Z = 0.5             # under the arrows (1) and the nodes (2)


class ScaleBar(QWidget):
    """The legend of the scale: a colour bar from faint (small) to strong (large), powers of ten under it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.scale: LogScale | None = None
        self.stops: tuple[str, ...] = MAGNITUDE_SCALE[False]
        self.text, self.back = QColor("#1f2330"), QColor("#fbfbfd")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFixedSize(260, 62)
        self.setToolTip("Edges: |local partial|; nodes: |adjoint|; a logarithmic scale (grey: exactly 0)")

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        if self.scale is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        back = QColor(self.back)
        back.setAlpha(235)
        painter.setPen(QPen(QColor(self.text.red(), self.text.green(), self.text.blue(), 60)))
        painter.setBrush(back)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.setPen(self.text)
        painter.drawText(QRectF(10, 4, self.width() - 20, 16), Qt.AlignmentFlag.AlignLeft,
                         "|∂| on edges, |adjoint| on nodes (log)")
        bar = QRectF(26, 24, self.width() - 52, 12)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for k, stop in enumerate(self.stops):
            gradient.setColorAt(k / (len(self.stops) - 1), QColor(stop))
        painter.fillRect(bar, QBrush(gradient))
        for value in self.scale.ticks():
            t = self.scale.position(value)
            if t is None:
                continue
            x = bar.left() + t * bar.width()
            painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3))
            label = format_number(value, 2)
            left = min(max(x - 30, 2.0), self.width() - 62.0)      # the end labels stay inside the box
            painter.drawText(QRectF(left, bar.bottom() + 3, 60, 16), Qt.AlignmentFlag.AlignHCenter, label)
        painter.end()


class MagnitudeOverlay(QObject):
    """Halos in the scale's colours under the scene's items, and the scale bar over the view."""

    def __init__(self, canvas, theme) -> None:
        super().__init__(canvas)
        self.canvas, self.scene, self.view = canvas, canvas.scene, canvas.view
        self.theme = theme
        self.enabled = False
        self.scale: LogScale | None = None
        self.colours: dict[str, str] = {}       # item id -> colour shown (node and edge ids)
        self.halos: list = []
        self.path: list[str] = []                # edges of a highlighted path
        self.bar = ScaleBar(self.view.viewport())
        self.bar.hide()
        self.view.viewport().installEventFilter(self)
        canvas.shown.connect(self.refresh)
        self.scene.layoutAnimationFinished.connect(self.refresh)
        self.scene.nodeMoved.connect(lambda *_: self.refresh())

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.refresh()

    def set_theme(self, theme) -> None:
        self.theme = theme
        self.refresh()

    def highlight(self, path: list[str]) -> None:
        """Draw the edges of ``path`` wide in the theme's accent (an empty list: none)."""
        self.path = list(path)
        self.refresh()

    def _clear(self) -> None:
        for item in self.halos:
            try:
                if item.scene() is not None:
                    self.scene.removeItem(item)
            except RuntimeError:        # a new graph cleared the scene, and the halo with it
                pass
        self.halos = []
        self.colours = {}

    def refresh(self) -> None:
        """Colour the graph shown (or remove the colours), and place the scale bar."""
        self._clear()
        graph = self.scene.graph
        self.scale = scale_for(graph) if graph is not None and self.enabled else None
        stops = MAGNITUDE_SCALE[bool(self.theme.dark)]
        zero = QColor(self.theme.edge_dim)
        if self.scale is not None:
            edge_m, node_m = magnitudes(graph)
            for eid, item in self.scene.edges.items():
                if not item.isVisible():
                    continue                    # inside a folded group
                m = edge_m.get(eid)
                t = self.scale.position(m)
                if m is None:
                    continue
                colour = QColor(colour_at(t, stops)) if t is not None else zero
                self.colours[eid] = colour.name()
                self._edge_halo(item, colour, 7 * self.theme.line_scale)
            for nid, item in self.scene.nodes.items():
                if not item.isVisible():
                    continue
                m = node_m.get(nid)
                t = self.scale.position(m)
                if m is None:
                    continue
                colour = QColor(colour_at(t, stops)) if t is not None else zero
                self.colours[nid] = colour.name()
                halo = QGraphicsRectItem(item.shape_rect().adjusted(-5, -5, 5, 5))
                halo.setPos(item.pos())
                halo.setPen(QPen(colour, 5 * self.theme.line_scale))
                halo.setBrush(Qt.BrushStyle.NoBrush)
                self._add(halo)
        accent = QColor(self.theme.active)
        for eid in self.path:
            if eid in self.scene.edges:
                self._edge_halo(self.scene.edges[eid], accent, 11 * self.theme.line_scale, alpha=150)
        self.bar.scale = self.scale
        self.bar.stops = stops
        self.bar.text, self.bar.back = QColor(self.theme.text), QColor(self.theme.background)
        self.bar.setVisible(self.scale is not None)
        self._place_bar()
        self.bar.update()

    def _edge_halo(self, item, colour: QColor, width: float, alpha: int = 255) -> None:
        stroker = QPainterPathStroker()
        stroker.setWidth(width)
        stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
        halo = QGraphicsPathItem(stroker.createStroke(item.path()))
        colour = QColor(colour)
        colour.setAlpha(alpha)
        halo.setBrush(colour)
        halo.setPen(Qt.PenStyle.NoPen)
        self._add(halo)

    def _add(self, item) -> None:
        item.setZValue(HALO_Z)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        item.setAcceptHoverEvents(False)
        self.scene.addItem(item)
        self.halos.append(item)

    def _place_bar(self) -> None:
        viewport = self.view.viewport()
        self.bar.move(viewport.width() - self.bar.width() - 10, 10)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt virtual
        if event.type() == QEvent.Type.Resize:
            self._place_bar()
        return False


class PathDialog(QDialog):
    """Every path from a node to the target with its partials' product (from
    :func:`adviz.graph.paths.path_sum`); the chosen path is drawn wide on the canvas."""

    def __init__(self, graph, source: str, overlay: MagnitudeOverlay, parent=None) -> None:
        super().__init__(parent)
        self.graph, self.overlay = graph, overlay
        node = graph.nodes[source]
        target = graph.targets[0] if graph.targets else ""
        tname = graph.nodes[target].label if target in graph.nodes else "the target"
        self.setWindowTitle(f"Path products: ∂{tname}/∂{node.label}")
        layout = QVBoxLayout(self)
        try:
            self.result = path_sum(graph, source, target) if target else None
            message = self.result.words(graph) if self.result is not None else "This call has no target."
        except PathError as exc:
            self.result, message = None, str(exc)
        terms = self.result.paths if self.result is not None else ()
        self.routes = [list(p.edges) for p in terms]
        self.products = [p.product for p in terms]
        self.table = QTableWidget(len(terms), 2)
        self.table.setHorizontalHeaderLabels(["Path: the partials along it", "Product"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, p in enumerate(terms):
            self.table.setItem(row, 0, QTableWidgetItem(p.text))
            self.table.setItem(row, 1, QTableWidgetItem(format_number(p.product, 6)))
        layout.addWidget(self.table)
        self.summary = QLabel(message)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.finished.connect(lambda _r: overlay.highlight([]))
        self.resize(680, 300)
        if self.routes:
            self.table.selectRow(0)

    def _chosen(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        self.overlay.highlight(self.routes[rows[0]] if rows else [])

"""The canvas: zoom with the wheel and Ctrl +/-, pan by dragging, a legend, a stale marker."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsView

from ..graph.model import KIND_LABELS
from .scene import GraphScene

MIN_ZOOM, MAX_ZOOM = 0.05, 6.0

LEGEND = ("variable", "variable_untrainable", "watched", "constant", "op", "target")


class GraphView(QGraphicsView):
    """A zoomable, pannable view of a :class:`GraphScene` with a legend in its corner."""

    zoomChanged = Signal(float)

    def __init__(self, scene: GraphScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Panning is by dragging; scroll bars would only take room from the picture.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.show_legend = True
        self.fitted = False               # the whole graph fitted, and not zoomed or panned since
        self._legend_sizes: dict = {}      # measured once per theme
        self._legend_key: tuple = ()
        self._legend_box: QRectF | None = None
        self.stale_message = ""
        self.empty_message = ""
        self.failure: tuple[str, str] | None = None     # a failed call: what went wrong, and the fix
        self._lit = None                  # a node lit from outside the canvas (a row of the trace table)
        self.background_paints = 0
        self.foreground_paints = 0
        self.setToolTip("")

    @property
    def graph_scene(self) -> GraphScene:
        return self.scene()  # type: ignore[return-value]

    # -- zoom -------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        """Zoom around the mouse (or the centre), within sensible limits."""
        self.fitted = False
        current = self.zoom()
        target = max(MIN_ZOOM, min(MAX_ZOOM, current * factor))
        if target != current:
            self.scale(target / current, target / current)
            self.zoomChanged.emit(self.zoom())

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt virtual
        if event.type() == event.Type.ToolTip:
            # The tooltip is about to show: items write their extra hover text now, if not yet.
            for item in self.items(event.pos()):
                resolve = getattr(item, "resolve_tip", None)
                if resolve is not None:
                    resolve()
                    break
        return super().viewportEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        """A panel opened or closed, the window resized: a fitted graph is fitted again."""
        super().resizeEvent(event)
        if self.fitted and self.graph_scene.nodes:
            self.fit()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        if event.button() == Qt.MouseButton.LeftButton and self.itemAt(event.position().toPoint()) is None:
            self.fitted = False          # a pan: the user chose where to look
        super().mousePressEvent(event)

    def reset_zoom(self) -> None:
        self.fitted = False
        self.resetTransform()
        self.zoomChanged.emit(1.0)

    def fit(self) -> None:
        """Fit the whole graph beside the legend, never enlarging past 1.4x."""
        rect = self.graph_scene.itemsBoundingRect()
        if rect.isEmpty():
            return
        rect = rect.adjusted(-30, -30, 30, 30)
        legend = self.legend_size() if self.show_legend else None
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if legend is not None and self._under_legend(legend):
            # Leave the legend's width free on the left, so it never covers a node.
            for _ in range(2):
                margin = (legend.width() + 16) / max(self.zoom(), 1e-6)
                self.fitInView(rect.adjusted(-margin, 0, 0, 0), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.4:
            self.resetTransform()
            self.scale(1.4, 1.4)
            self.centerOn(rect.center())
        self.fitted = True
        self.zoomChanged.emit(self.zoom())

    def _under_legend(self, legend) -> bool:
        """Whether any item would be drawn where the legend sits (bottom-left corner)."""
        from PySide6.QtCore import QRect
        box = QRect(12, self.viewport().height() - 12 - int(legend.height()), int(legend.width()), int(legend.height()))
        return bool(self.items(box))

    def legend_size(self):
        """The legend's size in pixels."""
        from PySide6.QtGui import QImage
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        size = paint_legend(painter, self.graph_scene.theme, QPointF(-10000, -10000)).size()
        painter.end()
        return size

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt virtual
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(1.0015 ** delta)
            event.accept()
        else:
            super().wheelEvent(event)

    # -- drawing ----------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt virtual
        self.background_paints += 1
        theme = self.graph_scene.theme
        painter.fillRect(rect, QColor(theme.background))
        if self.zoom() < 0.3 or theme.grid == theme.background:
            return
        step = 40.0
        painter.setPen(QPen(QColor(theme.grid), 1.6 / max(self.zoom(), 0.1)))
        left = int(rect.left() // step) * step
        top = int(rect.top() // step) * step
        points = []
        y = top
        while y < rect.bottom():
            x = left
            while x < rect.right():
                points.append(QPointF(x, y))
                x += step
            y += step
        if len(points) < 20000:
            painter.drawPoints(points)

    def light(self, item) -> None:
        """Ring ``item`` (a node item, or None for none) until another is lit."""
        self._lit = item
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt virtual
        self.foreground_paints += 1
        lit = self._lit
        if lit is not None and lit.scene() is self.scene():
            painter.setPen(QPen(QColor(self.graph_scene.theme.forward), 3.0, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(lit.mapRectToScene(lit.shape_rect()).adjusted(-8, -8, 8, 8), 10, 10)
        painter.save()
        painter.resetTransform()
        if self.show_legend and self.graph_scene.nodes:
            self._paint_legend(painter)
        if self.failure is not None:
            self._paint_failure(painter, *self.failure)
        if self.stale_message:
            self._paint_banner(painter, self.stale_message)
        if self.empty_message and not self.graph_scene.nodes:
            self._paint_center(painter, self.empty_message)
        painter.restore()

    def _paint_banner(self, painter: QPainter, text: str) -> None:
        theme = self.graph_scene.theme
        font = QFont()
        font.setPointSizeF(9.5 * theme.font_scale)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        text = fm.elidedText(text, Qt.TextElideMode.ElideRight, self.viewport().width() - 60)
        w, h = fm.horizontalAdvance(text) + 24, fm.height() + 10
        box = QRectF((self.viewport().width() - w) / 2, 10, w, h)
        colour = QColor(theme.bad)
        painter.setPen(QPen(colour, 1.2))
        bg = QColor(theme.background)
        bg.setAlpha(235)
        painter.setBrush(bg)
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_failure(self, painter: QPainter, reason: str, fix: str) -> None:
        """A failed call's error and its fix, wrapped to the view's width (never cut), at the top."""
        theme = self.graph_scene.theme
        font = QFont()
        font.setPointSizeF(10.5 * theme.font_scale)
        painter.setFont(font)
        width = min(self.viewport().width() - 40, 900)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
        fm = QFontMetricsF(font)
        reason_box = fm.boundingRect(QRectF(0, 0, width - 28, 10000), int(flags), reason)
        fix_box = fm.boundingRect(QRectF(0, 0, width - 28, 10000), int(flags), fix)
        box = QRectF((self.viewport().width() - width) / 2, 10, width, reason_box.height() + fix_box.height() + 26)
        bg = QColor(theme.background)
        bg.setAlpha(245)
        painter.setPen(QPen(QColor(theme.bad), 2.0))
        painter.setBrush(bg)
        painter.drawRoundedRect(box, 8, 8)
        painter.setPen(QColor(theme.bad))
        painter.drawText(QRectF(box.left() + 14, box.top() + 9, width - 28, reason_box.height()), int(flags), reason)
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(box.left() + 14, box.top() + 14 + reason_box.height(), width - 28, fix_box.height()),
                         int(flags), fix)

    def _paint_center(self, painter: QPainter, text: str) -> None:
        theme = self.graph_scene.theme
        font = QFont()
        font.setPointSizeF(12 * theme.font_scale)
        painter.setFont(font)
        painter.setPen(QColor(theme.muted))
        painter.drawText(QRectF(self.viewport().rect()), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def legend_box(self) -> QRectF | None:
        """Where the legend goes: the first corner where it covers no node, edge label or badge
        (bottom-left, top-left, top-right, bottom-right); None when every corner is taken."""
        # Every frame of the animation repaints the foreground: look for a free corner only when the
        # view, the nodes' places or the banners changed.
        key = (self.transform(), self.horizontalScrollBar().value(), self.verticalScrollBar().value(),
               self.viewport().size(), self.graph_scene.placement, id(self.graph_scene.graph),
               self.graph_scene.theme.name, self.failure is not None, bool(self.stale_message))
        if key == self._legend_key:
            return self._legend_box
        self._legend_key, self._legend_box = key, self._find_legend_box()
        return self._legend_box

    def _find_legend_box(self) -> QRectF | None:
        from PySide6.QtCore import QRect
        theme = self.graph_scene.theme.name
        size = self._legend_sizes.get(theme) or self._legend_sizes.setdefault(theme, self.legend_size())
        port = self.viewport().rect()
        w, h = int(size.width()), int(size.height())
        corners = [(12, port.height() - 12 - h), (12, 12), (port.width() - 12 - w, 12),
                   (port.width() - 12 - w, port.height() - 12 - h)]
        if self.failure is not None or self.stale_message:
            corners = [corners[0], corners[3]]      # the top holds the failed call's card or the banner
        for x, y in corners:
            box = QRect(x, y, w, h)
            if not any(item.isVisible() for item in self.items(box)):
                return QRectF(box)
        return None

    def _paint_legend(self, painter: QPainter) -> None:
        box = self.legend_box()
        theme = self.graph_scene.theme
        if box is not None:
            paint_legend(painter, theme, box.topLeft(), tangent=self.graph_scene.mode == "tangent")
            return
        # Every corner is taken: the legend folds to a chip that says how to open it.
        font = QFont()
        font.setPointSizeF(8.5 * theme.font_scale)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        text = "Legend: press L, or hover a node"
        chip = QRectF(12, self.viewport().height() - 12 - fm.height() - 8, fm.horizontalAdvance(text) + 16, fm.height() + 8)
        bg = QColor(theme.background)
        bg.setAlpha(225)
        painter.setPen(QPen(QColor(theme.muted), 1))
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, 6, 6)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)


def paint_legend(painter: QPainter, theme, corner: QPointF, anchor_bottom: bool = False, columns: int = 1,
                 tangent: bool = False) -> QRectF:
    """Draw the legend box with its top-left (or bottom-left) at ``corner``; returns its rect.

    ``columns`` > 1 lays the entries out in rows, for pictures wider than tall; ``tangent``: the
    picture shows forward mode, so what flows is a tangent, forward.
    """
    font = QFont()
    font.setPointSizeF(8.5 * theme.font_scale)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    rows = [(k, KIND_LABELS[k]) for k in LEGEND] + [("unrecorded", "not recorded by the tape"),
                                                     ("flow", "tangent flowing forward" if tangent
                                                      else "adjoint flowing back"),
                                                     ("cut", "the chain to a source breaks here"),
                                                     ("gradient_op", "∇ op of an inner gradient()")]
    columns = max(1, min(columns, len(rows)))
    per_column = -(-len(rows) // columns)
    row_h = fm.height() + 6
    col_w = max(fm.horizontalAdvance(label) for _, label in rows) + 52
    w = col_w * columns + 4
    h = row_h * per_column + 10
    top = corner.y() - h if anchor_bottom else corner.y()
    box = QRectF(corner.x(), top, w, h)
    bg = QColor(theme.background)
    bg.setAlpha(225)
    painter.setPen(QPen(QColor(theme.grid).darker(115) if not theme.dark else QColor(theme.edge_dim), 1))
    painter.setBrush(bg)
    painter.drawRoundedRect(box, 6, 6)
    for k, (kind, label) in enumerate(rows):
        x = box.left() + col_w * (k // per_column)
        y = box.top() + 6 + row_h * (k % per_column)
        swatch = QRectF(x + 10, y + 3, 28, row_h - 8)
        if kind == "unrecorded":
            painter.setPen(QPen(QColor(theme.edge_dim), 1.6, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(swatch.left(), swatch.center().y()), QPointF(swatch.right(), swatch.center().y()))
        elif kind == "flow":
            painter.setPen(QPen(QColor(theme.forward if tangent else theme.flow), 3))
            painter.drawLine(QPointF(swatch.left(), swatch.center().y()), QPointF(swatch.right(), swatch.center().y()))
        elif kind == "cut":
            painter.setPen(QPen(QColor(theme.edge_dim), 1.4, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(swatch.left(), swatch.center().y()), QPointF(swatch.right(), swatch.center().y()))
            painter.setPen(QPen(QColor(theme.bad), 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            for dx in (-3.0, 3.0):
                x = swatch.center().x() + dx
                painter.drawLine(QPointF(x - 2, swatch.bottom() + 1), QPointF(x + 2, swatch.top() - 1))
        elif kind == "gradient_op":
            painter.setPen(QPen(QColor(theme.borders["op"]), 1.6))
            painter.setBrush(QColor(theme.fills["op"]))
            painter.drawRoundedRect(swatch, swatch.height() / 2, swatch.height() / 2)
            painter.setPen(QColor(theme.borders["target"]))
            painter.drawText(swatch, Qt.AlignmentFlag.AlignCenter, "∇")
        else:
            pen = QPen(QColor(theme.borders[kind]), 1.6)
            if kind == "constant":
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(QColor(theme.fills[kind]))
            radius = swatch.height() / 2 if kind in ("op", "target") else 3
            painter.drawRoundedRect(swatch, radius, radius)
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(swatch.right() + 8, y, col_w - 50, row_h), Qt.AlignmentFlag.AlignVCenter, label)
    return box

"""An edge of the graph on the canvas: its arrow, its label and the dot that carries the adjoint."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from html import escape

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from ..graph.model import LITERAL, Edge
from .fonts import TEXT_LOD, LazyTip, line_height, shared_fonts, text_width
from .node_item import NodeItem
from .theme import Theme


@dataclass
class EdgeState:
    """What one edge shows at the current step."""

    active: bool = False
    progress: float = 0.0        # 0..1, the adjoint's position on its way back
    product: str = ""            # "upstream × local = contribution"
    done: bool = False           # its step has been played
    forward: float = 0.0         # forward pass: 0..1, the value travelling to the op


LABEL_CHARS = 26


PRODUCT_CHARS = 30      # a longer product (tensors) breaks before its "=", so labels stay narrow


def label_lines(partial: str, product: str = "") -> list[str]:
    """An edge label's lines: the partial, then the product, broken before ``=`` when it is long."""
    lines = [partial]
    if product and len(product) > PRODUCT_CHARS:
        head, sep, tail = product.rpartition(" = ")
        if not sep:
            return lines + [product]
        factors, summed, reduction = head.partition(", Σ")
        lines += [factors] + (["Σ" + reduction] if summed else []) + ["= " + tail]
    elif product:
        lines.append(product)
    return lines


def short_formula(text: str, limit: int = LABEL_CHARS, compact: bool = False) -> str:
    """An edge's partial short enough to sit beside it; the full text is in its tooltip.

    ``∂u/∂x = y`` stays as it is; a long one (or any, when ``compact``) keeps its right-hand side
    (the arrow already says which derivative it is), cut with an ellipsis if still too long.
    """
    if len(text) <= limit and not (compact and " = " in text):
        return text
    rhs = text.split(" = ", 1)[-1]
    rhs = "∂ = " + rhs
    return rhs if len(rhs) <= limit else rhs[: limit - 1] + "…"


class EdgeItem(LazyTip, QGraphicsItem):
    """An input flowing into an op: an arrow with its local partial, and the product while it plays.

    The text sits on a separate :class:`EdgeLabel` stacked above every arrow, so no line crosses
    a label; ``label_t`` says where along the arrow (0 at the input, 1 at the op) it sits.
    """

    def __init__(self, edge: Edge, src: NodeItem, dst: NodeItem, theme: Theme,
                 bends: list[QPointF] | None = None, offset: float = 0.0) -> None:
        super().__init__()
        self.edge = edge
        self.src, self.dst = src, dst
        self.theme = theme
        self.state = EdgeState()
        self.bends = list(bends or [])
        self.offset = offset
        self.paint_count = 0
        self.label_t = 0.5
        self.label_offset = QPointF()       # from the arrow, when the label sits beside it
        self.compact_label = False          # only the right-hand side of the partial: for tight spots
        self._path = QPainterPath()
        self._segments: list[QLineF] = []     # the same polyline as line segments (fast to stroke)
        self.broken = False                   # the chain to a source breaks on this edge (drawn as a cut)
        self.more_tip = None                  # more hover text, written when first hovered
        self._bounds = QRectF()
        self._label_pos = QPointF()
        self._label_rect = QRectF()
        self._label_bounds = QRectF()
        self._arrow = QPolygonF()
        self.dot: FlowDot | None = None     # made when a step first plays along this edge
        self.setZValue(1)
        self.setAcceptHoverEvents(True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(escape(edge.partial_formula))
        _, self._font, _ = shared_fonts(theme)
        self.label = EdgeLabel(self)
        src.edges.append(self)
        dst.edges.append(self)
        self.update_path()

    def set_edge(self, edge: Edge, ends_changed: bool = True) -> None:
        """The same edge with new numbers; the arrow is drawn again when an end changed its size."""
        if edge.partial_formula != self.edge.partial_formula:
            self.setToolTip(escape(edge.partial_formula))
        self.edge = edge
        if ends_changed:
            self.update_path()          # (otherwise nothing it paints changed: its numbers show through its state)

    def translate_by(self, dx: float, dy: float) -> None:
        """Both ends moved by (dx, dy): the arrow moves whole instead of being drawn again."""
        self.prepareGeometryChange()
        d = QPointF(dx, dy)
        self.bends = [b + d for b in self.bends]
        self._path.translate(dx, dy)
        self._segments = [line.translated(d) for line in self._segments]
        self._arrow.translate(dx, dy)
        self._label_pos += d
        self._bounds.translate(dx, dy)
        self.update()
        self._relabel()
        if self.dot is not None:
            self._place_dot()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        _, self._font, _ = shared_fonts(theme)
        self.update_path()

    def set_state(self, state: EdgeState) -> None:
        if state == self.state:
            return
        old = self.state
        moving = old.active or (old.forward > 0 and state.forward > 0)      # same colour, dot moved
        if moving and replace(old, progress=state.progress, forward=state.forward) == state:
            # Only the travelling dot moved: it is an item of its own, so the arrow (whose bounds
            # may cover much of the graph) is not repainted at all.
            self.state = state
            self._place_dot()
            return
        self.state = state
        self.update()
        self._place_dot()
        if state.product != old.product:
            self._relabel()
        else:
            self.label.update()

    def _place_dot(self) -> None:
        """Show the travelling dot where the state puts it, or hide it."""
        dot = self._dot(self.state)
        if dot is None:
            if self.dot is not None and self.dot.isVisible():
                self.dot.hide()
            return
        if self.dot is None:
            self.dot = FlowDot(self)
            if self.scene() is not None:
                self.scene().addItem(self.dot)
        self.dot.setPos(dot)
        self.dot.show()
        self.dot.update()

    def _dot(self, state: EdgeState) -> QPointF | None:
        """Where the travelling dot is drawn in ``state``, if anywhere."""
        if state.active and 0 < state.progress < 1:
            return self._path.pointAtPercent(1 - state.progress)
        if 0 < state.forward < 1:
            return self._path.pointAtPercent(state.forward)
        return None

    def has_label(self) -> bool:
        """A literal's edge carries no gradient: its partial only clutters (shown when selected)."""
        return self.src.node.kind != LITERAL or self.isSelected()

    def label_lines(self) -> list[str]:
        """The text beside the edge: its partial, and the chain-rule product once it has played."""
        return label_lines(short_formula(self.edge.partial_formula, compact=self.compact_label), self.state.product)

    def label_size(self, lines: list[str]) -> QSizeF:
        height = line_height(self._font)
        return QSizeF(max(text_width(self._font, s) for s in lines) + 10, height * len(lines) + 4)

    def path(self) -> QPainterPath:
        return QPainterPath(self._path)

    def set_label_t(self, t: float, compact: bool | None = None, offset: QPointF | None = None) -> None:
        """Put the label at ``t`` of the way along the arrow (shifted by ``offset``, compact if asked)."""
        if compact is not None:
            self.compact_label = compact
        if offset is not None:
            self.label_offset = QPointF(offset)
        self.label_t = min(1.0, max(0.0, t))
        self._label_pos = self._path.pointAtPercent(self.label_t) + self.label_offset
        self._relabel()

    def _relabel(self) -> None:
        self.label.prepareGeometryChange()
        size = self.label_size(self.label_lines())
        self._label_rect = QRectF(self._label_pos.x() - size.width() / 2, self._label_pos.y() - size.height() / 2,
                                  size.width(), size.height())
        # A hidden label (a literal's, unselected) takes no room in pictures.
        self._label_bounds = self._label_rect.adjusted(-1, -1, 1, 1) if self.has_label() else QRectF()
        self.label.update()

    def update_path(self) -> None:
        """Recompute the arrow between the two nodes' current positions."""
        self.prepareGeometryChange()
        if self.src.moved_by_user or self.dst.moved_by_user:
            self.bends = []
        a, b = self.src.pos(), self.dst.pos()
        first = self.bends[0] if self.bends else b
        last = self.bends[-1] if self.bends else a
        start = self.src.boundary_point(first)
        end = self.dst.boundary_point(last)
        path = QPainterPath(start)
        if self.offset and not self.bends:
            mid = (start + end) / 2
            line = QLineF(start, end)
            normal = line.normalVector().unitVector()
            ctrl = mid + QPointF(normal.dx(), normal.dy()) * self.offset
            path.quadTo(ctrl, end)
            approach = ctrl
            self._segments = []
        else:
            points = [start, *self.bends, end]
            for p in points[1:]:
                path.lineTo(p)
            self._segments = [QLineF(points[k], points[k + 1]) for k in range(len(points) - 1)]
            approach = self.bends[-1] if self.bends else start
        self._path = path
        angle = math.atan2(end.y() - approach.y(), end.x() - approach.x())
        size = 9 * self.theme.line_scale ** 0.5
        self._arrow = QPolygonF([end,
                                 end - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size),
                                 end - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size)])
        self._label_pos = path.pointAtPercent(self.label_t) + self.label_offset
        self._bounds = path.boundingRect().adjusted(-12, -12, 12, 12)
        self.update()
        self._relabel()
        if self.dot is not None:
            self._place_dot()

    def label_rect(self) -> QRectF:
        """Where the label is drawn, in scene coordinates."""
        return QRectF(self._label_rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt virtual
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self._path)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):  # noqa: N802 - Qt virtual
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._relabel()                        # a literal's label shows while selected
        return super().itemChange(change, value)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        self.paint_count += 1
        t, st = self.theme, self.state
        colour = QColor(t.edge if self.edge.recorded else t.edge_dim)
        width = 1.4 * t.line_scale
        if st.active:
            colour, width = QColor(t.flow), 3.0 * t.line_scale
        elif st.forward > 0:
            colour, width = QColor(t.forward), 2.6 * t.line_scale
        elif option.state & QStyle.StateFlag.State_Selected:
            width += 1.5
        pen = QPen(colour, width, Qt.PenStyle.SolidLine if self.edge.recorded else Qt.PenStyle.DashLine)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.edge.recorded and self._segments:
            # Solid polylines as separate segments with square caps: the caps cover each bend as a
            # round join would, and Qt strokes plain lines many times faster than a long path.
            pen.setCapStyle(Qt.PenCapStyle.SquareCap)
            painter.setPen(pen)
            painter.drawLines(self._segments)
        else:
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._arrow)
        if self.broken:
            self._paint_cut(painter)

    def _paint_cut(self, painter: QPainter) -> None:
        """Where the chain breaks: two short red strokes across the arrow, a third of the way along."""
        path = self._path
        if path.length() <= 0:
            return
        t = path.percentAtLength(path.length() / 3)
        at, angle = path.pointAtPercent(t), math.radians(-path.angleAtPercent(t))
        along = QPointF(math.cos(angle), math.sin(angle))
        across = QPointF(-along.y(), along.x())
        size = 9.0 * self.theme.line_scale
        painter.setPen(QPen(QColor(self.theme.bad), 2.4 * self.theme.line_scale, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        for shift in (-3.5, 3.5):
            centre = at + along * shift * self.theme.line_scale
            painter.drawLine(centre - across * size + along * 3, centre + across * size - along * 3)



    def paint_label(self, painter: QPainter) -> None:
        t, st = self.theme, self.state
        lines = self.label_lines()
        rect = self.label_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(t.label_bg))
        painter.drawRoundedRect(rect, 4, 4)
        painter.setFont(self._font)
        fm = QFontMetricsF(self._font)
        y = rect.top() + 2
        for k, line in enumerate(lines):
            if k == 0:
                painter.setPen(QColor(t.muted if self.edge.recorded else t.edge_dim))
            else:
                painter.setPen(QColor(t.flow if st.active else t.text))
            painter.drawText(QRectF(rect.left(), y, rect.width(), fm.height()), Qt.AlignmentFlag.AlignCenter, line)
            y += fm.height()


class EdgeLabel(QGraphicsItem):
    """An edge's text: its partial, and ``upstream × local = contribution`` once its step has played.

    Stacked above all arrows and below all nodes. Clicking it selects its edge.
    """

    def __init__(self, edge: EdgeItem) -> None:
        super().__init__()
        self.edge = edge
        self.setZValue(1.5)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setToolTip(escape(edge.edge.partial_formula))

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt virtual
        return self.edge._label_bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.edge.has_label():
            path.addRect(self.edge.label_rect())
        return path

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        scene = self.scene()
        if scene is not None:
            scene.clearSelection()
        self.edge.setSelected(True)
        event.accept()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.edge.has_label() and option.levelOfDetailFromTransform(painter.worldTransform()) >= TEXT_LOD * 1.4:
            self.edge.paint_label(painter)


class FlowDot(QGraphicsItem):
    """The value travelling along an edge while its step plays: the adjoint backward (from the op
    to its input), or the value forward. Above labels, so it never hides under one."""

    def __init__(self, edge: EdgeItem) -> None:
        super().__init__()
        self.edge = edge
        self.setZValue(1.7)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt virtual
        return QRectF(-12, -12, 24, 24)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        t, st = self.edge.theme, self.edge.state
        painter.setPen(Qt.PenStyle.NoPen)
        if st.active:
            painter.setBrush(QColor(t.flow))
            radius = 6 * t.line_scale ** 0.5
        else:
            painter.setBrush(QColor(t.forward))
            radius = 5.0
        painter.drawEllipse(QPointF(0, 0), radius, radius)

"""Scene items: a node and an edge of the graph, painted from the graph layer's fields.

Items compute nothing about derivatives; the scene tells them what step is showing through
small state objects, and they draw it.
"""
from __future__ import annotations

import math
from html import escape
from dataclasses import dataclass, field, replace
from typing import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath,
                           QPainterPathStroker, QPen, QPolygonF)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from ..graph.model import CONSTANT, KIND_LABELS, LITERAL, OP, SOURCE_KINDS, TARGET, Edge, Node
from .theme import Theme

# Below this zoom, text is not drawn (far zoomed-out graphs stay fast and legible as shapes).
TEXT_LOD = 0.38


@dataclass
class NodeState:
    """What one node shows at the current step."""

    adjoint: str = ""            # the adjoint known so far
    sum_text: str = ""           # at fan-out: "4 + 3 = 7" while the step plays
    active: bool = False         # its adjoint is the one flowing back now
    receiving: float = 0.0       # 0..1, a contribution is arriving
    value_hidden: bool = False   # forward pass: not computed yet
    computing: float = 0.0       # forward pass: 0..1 while its value appears
    badge: bool = True           # show the gradient() badge of a source


@dataclass
class EdgeState:
    """What one edge shows at the current step."""

    active: bool = False
    progress: float = 0.0        # 0..1, the adjoint's position on its way back
    product: str = ""            # "upstream × local = contribution"
    done: bool = False           # its step has been played
    forward: float = 0.0         # forward pass: 0..1, the value travelling to the op


_FONTS: dict[float, tuple[QFont, QFont, QFont]] = {}
_METRICS: dict[int, QFontMetricsF] = {}
_WIDTHS: dict[tuple[int, str], float] = {}


def _fonts(theme: Theme) -> tuple[QFont, QFont, QFont]:
    """The title, small and badge fonts at the theme's scale (shared by all items; never changed)."""
    fonts = _FONTS.get(theme.font_scale)
    if fonts is None:
        title = QFont()
        title.setPointSizeF(10.5 * theme.font_scale)
        title.setBold(True)
        small = QFont()
        small.setPointSizeF(8.5 * theme.font_scale)
        tiny = QFont()
        tiny.setPointSizeF(8.0 * theme.font_scale)
        tiny.setBold(True)
        fonts = _FONTS[theme.font_scale] = (title, small, tiny)
        for font in fonts:
            _METRICS[id(font)] = QFontMetricsF(font)
    return fonts


def text_width(font: QFont, text: str) -> float:
    """How wide ``text`` is in one of the shared fonts (remembered: the same texts recur)."""
    key = (id(font), text)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) > 50_000:
            _WIDTHS.clear()
        width = _WIDTHS[key] = _METRICS[id(font)].horizontalAdvance(text)
    return width


class NodeItem(QGraphicsItem):
    """A value of the graph: its shape says its kind, its text the label, value and adjoint."""

    def __init__(self, node: Node, theme: Theme) -> None:
        super().__init__()
        self.node = node
        self.theme = theme
        self.state = NodeState()
        self.edges: list[EdgeItem] = []
        self.moved_by_user = False
        self.on_moved: Callable[["NodeItem"], None] | None = None     # told when the user drops it elsewhere
        self._press: QPointF | None = None
        self.paint_count = 0
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(2)
        self.setToolTip(self._tooltip())
        self._measure()

    # -- geometry ---------------------------------------------------------------------
    def _measure(self) -> None:
        title, small, _ = _fonts(self.theme)
        self._title_font, self._small_font, self._badge_font = _fonts(self.theme)
        fm_t, fm_s = QFontMetricsF(title), QFontMetricsF(small)
        label = self.node.label if len(self.node.label) <= 20 else self.node.label[:19] + "…"
        self._title = label
        self._value = "= " + self.node.value_text if self.node.kind != LITERAL else ""
        w = max(fm_t.horizontalAdvance(label), fm_s.horizontalAdvance(self._value)) + 22
        if self.node.kind == LITERAL:
            w, h = max(34.0, fm_t.horizontalAdvance(label) + 18), fm_t.height() + 10
        else:
            h = fm_t.height() + fm_s.height() + 14
            w = max(w, 56.0)
            if self.node.kind in (OP, TARGET):
                w += 10
        self._shape_rect = QRectF(-w / 2, -h / 2, w, h)
        self._line_h = fm_s.height()
        self._update_bounds()

    def shape_rect(self) -> QRectF:
        """The node's body, without badges, in item coordinates."""
        return QRectF(self._shape_rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt virtual
        return self._bounds

    def _update_bounds(self) -> None:
        """The body and the texts below and above it as they are now (a long adjoint sum is wide)."""
        r = self._shape_rect
        extra_w = max(0.0, 150 - r.width()) / 2
        glow = 6 + 3 * self.theme.line_scale          # the "receiving" halo around the body
        bounds = r.adjusted(-extra_w - glow, -22, extra_w + 40, 2 * self._line_h + 14)
        text = self.state.sum_text or self.state.adjoint
        if text:
            w = text_width(self._small_font, "∂ " + text) + 16
            bounds = bounds.united(QRectF(-w / 2, r.bottom(), w, 2 * self._line_h + 14))
        if self.node.is_source and self.state.badge and self.node.gradient_text:
            w = text_width(self._badge_font, "gradient: " + self.node.gradient_text) + 16
            bounds = bounds.united(QRectF(r.right() - w / 2, r.top() - 22, w, 22))
        self._bounds = bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._shape_rect, 8, 8)
        return path

    def occupied_rect(self) -> QRectF:
        """The body with the adjoint below it (and a source's badge above), in scene coordinates."""
        r = self._shape_rect
        area = r.adjusted(-6, -4, 6, self._line_h + 12)
        if self.node.is_source:
            area = area.united(QRectF(r.right() - 46, r.top() - 22, 92, 22))
        return area.translated(self.pos())

    def boundary_point(self, toward: QPointF) -> QPointF:
        """Where a line from the centre toward ``toward`` (scene coordinates) leaves the body."""
        c = self.pos()
        dx, dy = toward.x() - c.x(), toward.y() - c.y()
        if dx == 0 and dy == 0:
            return QPointF(c)
        r = self._shape_rect
        hw, hh = r.width() / 2 + 3, r.height() / 2 + 3
        scale = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
        return QPointF(c.x() + dx * scale, c.y() + dy * scale)

    # -- text -------------------------------------------------------------------------
    def _tooltip(self) -> str:
        n = self.node
        lines = [f"<b>{escape(n.label)}</b> — {KIND_LABELS.get(n.kind, n.kind)}"]
        if n.formula and n.formula != n.label:
            lines.append(f"{escape(n.name or '')}{' = ' if n.name else ''}{escape(n.formula)}")
        lines.append(f"value: {escape(n.value_text)}")
        if n.is_source:
            lines.append(f"gradient: {escape(n.gradient_text)}")
        if n.gradient_op:
            lines.append("computed by an inner tape's gradient(), recorded on this tape")
        if not n.recorded and n.reason:
            lines.append(f"<i>not recorded: {escape(n.reason)}</i>")
        return "<br>".join(lines)

    def set_theme(self, theme: Theme) -> None:
        self.prepareGeometryChange()
        self.theme = theme
        self._measure()
        self.update()

    def set_state(self, state: NodeState) -> None:
        if state != self.state:
            if (state.sum_text, state.adjoint, state.badge) != (self.state.sum_text, self.state.adjoint, self.state.badge):
                self.prepareGeometryChange()
                self.state = state
                self._update_bounds()
            else:
                self.state = state
            self.update()

    # -- painting ---------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        self.paint_count += 1
        n, t, st = self.node, self.theme, self.state
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        fill = QColor(t.fills.get(n.kind, t.fills["op"]))
        border = QColor(t.borders.get(n.kind, t.borders["op"]))
        dim = not n.recorded and n.kind != LITERAL
        painter.setOpacity(0.55 if dim else 1.0)
        width = (2.4 if n.kind == TARGET else 1.6) * t.line_scale
        if st.active:
            border = QColor(t.active)
            width = 3.2 * t.line_scale
        elif st.computing > 0:
            border = QColor(t.forward)
            width = 2.8 * t.line_scale
        if option.state & QStyle.StateFlag.State_Selected:
            width += 1.2
            border = border.darker(130) if not t.dark else border.lighter(130)
        pen = QPen(border, width)
        if dim or (n.kind == CONSTANT and not n.recorded):
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        r = self._shape_rect
        if n.kind in (OP, TARGET):
            painter.drawRoundedRect(r, r.height() / 2, r.height() / 2)
            if n.kind == TARGET:
                inner = QPen(border, 1.0 * t.line_scale)
                painter.setPen(inner)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(r.adjusted(4, 4, -4, -4), r.height() / 2 - 4, r.height() / 2 - 4)
        elif n.kind == LITERAL:
            painter.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        else:
            painter.drawRoundedRect(r, 6, 6)
        if st.receiving > 0:
            glow = QColor(t.flow)
            glow.setAlphaF(0.35 * st.receiving)
            painter.setPen(QPen(glow, 6 * t.line_scale))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(r.adjusted(-3, -3, 3, 3), 9, 9)
        if lod < TEXT_LOD:
            return
        painter.setPen(QColor(t.text))
        painter.setFont(self._title_font)
        if n.kind == LITERAL:
            painter.drawText(r, Qt.AlignmentFlag.AlignCenter, self._title)
        else:
            top = QRectF(r.left(), r.top() + 4, r.width(), r.height() / 2 - 2)
            painter.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, self._title)
            painter.setFont(self._small_font)
            value = "= ?" if st.value_hidden else self._value
            colour = QColor(t.bad) if ("nan" in value or "inf" in value) else QColor(t.muted)
            if st.computing > 0:
                colour = QColor(t.forward)
            painter.setPen(colour)
            bottom = QRectF(r.left(), r.center().y(), r.width(), r.height() / 2 - 4)
            painter.drawText(bottom, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, value)
        if n.gradient_op:
            # Made by an inner tape's gradient() and recorded here: the picture of a second derivative.
            painter.setFont(self._badge_font)
            painter.setPen(QColor(t.borders["target"]))
            painter.drawText(QRectF(r.left() + 6, r.top() + 1, 20, r.height() / 2), Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, "∇")
        painter.setOpacity(1.0)
        self._paint_adjoint(painter)
        if n.is_source and st.badge:
            self._paint_badge(painter)

    def _paint_adjoint(self, painter: QPainter) -> None:
        st, t = self.state, self.theme
        text = st.sum_text or st.adjoint
        if not text:
            if self.node.is_source and not self.node.recorded:
                # Say why on the picture itself: slides have no tooltips.
                painter.setFont(self._small_font)
                painter.setPen(QColor(t.muted))
                r = self._shape_rect
                painter.drawText(QRectF(r.left() - 40, r.bottom() + 3, r.width() + 80, 18),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "not watched")
            return
        text = "∂ " + text
        painter.setFont(self._small_font)
        fm = QFontMetricsF(self._small_font)
        w = fm.horizontalAdvance(text) + 12
        h = fm.height() + 4
        r = self._shape_rect
        box = QRectF(-w / 2, r.bottom() + 5, w, h)
        colour = QColor(t.flow)
        painter.setPen(QPen(colour, 1.2 * t.line_scale))
        bg = QColor(t.background)
        if st.sum_text or st.receiving > 0:
            bg = QColor(t.flow)
            bg.setAlphaF(0.18 + 0.25 * st.receiving)
        painter.setBrush(bg)
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setPen(QColor(t.text))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_badge(self, painter: QPainter) -> None:
        n, t = self.node, self.theme
        if n.gradient_text == "None":
            text, colour = "gradient: None", QColor(t.badge_none)
        elif n.gradient_text == "0":
            text, colour = "gradient: 0", QColor(t.badge_zero)
        elif n.gradient_text:
            text, colour = "∇ " + n.gradient_text, QColor(t.badge_grad)
        else:
            return
        painter.setFont(self._badge_font)
        fm = QFontMetricsF(self._badge_font)
        w, h = fm.horizontalAdvance(text) + 12, fm.height() + 4
        r = self._shape_rect
        box = QRectF(r.right() - w * 0.5, r.top() - h - 2, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setPen(QColor("#ffffff") if not t.dark else QColor("#0b0c0f"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # -- interaction ------------------------------------------------------------------
    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):  # noqa: N802 - Qt virtual
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
        return super().itemChange(change, value)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        self._press = self.pos()
        super().mousePressEvent(event)

    def _dragging(self, event) -> bool:
        """A drag is a move of the pointer on screen, not a shift of the view under a still pointer
        (opening the Details panel on a click re-centres the view between press and release)."""
        moved = event.screenPos() - event.buttonDownScreenPos(Qt.MouseButton.LeftButton)
        return moved.manhattanLength() >= QApplication.startDragDistance()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        if self._dragging(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        press = getattr(self, "_press", None)
        if press is not None and not self._dragging(event):
            if self.pos() != press:
                self.setPos(press)      # a click: the node stays where it was
        elif press is not None and self.pos() != press:
            self.moved_by_user = True
            if self.on_moved is not None:
                self.on_moved(self)
        self._press = None
        super().mouseReleaseEvent(event)


LABEL_CHARS = 26


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


class EdgeItem(QGraphicsItem):
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
        _, self._font, _ = _fonts(theme)
        self.label = EdgeLabel(self)
        src.edges.append(self)
        dst.edges.append(self)
        self.update_path()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        _, self._font, _ = _fonts(theme)
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
        lines = [short_formula(self.edge.partial_formula, compact=self.compact_label)]
        if self.state.product:
            lines.append(self.state.product)
        return lines

    def label_size(self, lines: list[str]) -> QSizeF:
        height = _METRICS[id(self._font)].height()
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


__all__ = ["NodeItem", "EdgeItem", "EdgeLabel", "FlowDot", "NodeState", "EdgeState", "SOURCE_KINDS"]

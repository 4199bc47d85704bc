"""A node of the graph on the canvas, painted from the graph layer's fields and a step's state."""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Callable

import numpy as np

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from ..graph.model import CONSTANT, KIND_LABELS, LITERAL, OP, TARGET, Node
from ..graph.values import format_number
from ..graph.wording import BADGE_WORDS
from .fonts import TEXT_LOD, LazyTip, shared_fonts, text_width

FAR_TITLE_PX = 11.0      # on-screen size of a node's name when the view is zoomed too far out for text
MATRIX_MAX = 4           # a value up to 4×4 is drawn in full, one row a line
HEAT_SIZE = 48.0         # side of the thumbnail of a larger tensor, in scene units
HEAT_CELLS = 12          # at most this many cells a side in the thumbnail


def matrix_lines(value) -> list[str]:
    """The rows of a small vector or matrix (up to 4×4), columns aligned; [] for anything else."""
    array = np.asarray(value)
    if array.ndim == 1 and 1 < array.size <= MATRIX_MAX:
        array = array.reshape(1, -1)
    elif not (array.ndim == 2 and array.shape[0] <= MATRIX_MAX and array.shape[1] <= MATRIX_MAX and array.size > 1):
        return []
    cells = [[format_number(v, 4) for v in row] for row in array]
    widths = [max(len(row[j]) for row in cells) for j in range(array.shape[1])]
    # Figure spaces are as wide as a digit: the columns line up.
    return ["[" + "  ".join(c.rjust(w, "\u2007") for c, w in zip(row, widths)) + "]" for row in cells]


def heat_grid(value):
    """A larger tensor sampled to at most 12×12 cells: (grid, low, high, shape text), or None."""
    array = np.asarray(value)
    if array.ndim == 0 or array.size <= MATRIX_MAX or array.dtype.kind not in "biuf":
        return None
    full = array.reshape(array.shape[0], -1) if array.ndim > 1 else array.reshape(1, -1)
    finite = full[np.isfinite(full)]
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(finite.max())       # of every element, not only the cells shown
    grid = full[:: max(1, -(-full.shape[0] // HEAT_CELLS)), :: max(1, -(-full.shape[1] // HEAT_CELLS))].astype(float)
    return np.nan_to_num(grid, nan=low, posinf=high, neginf=low), low, high, "×".join(str(n) for n in array.shape)
from .theme import Theme


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
    tangent: str = ""            # forward mode: the dual number a + b·ε, or a fan-in sum of tangents


class NodeItem(LazyTip, QGraphicsItem):
    """A value of the graph: its shape says its kind, its text the label, value and adjoint."""

    def __init__(self, node: Node, theme: Theme) -> None:
        super().__init__()
        self.node = node
        self.theme = theme
        self.state = NodeState()
        self.edges: list = []           # the EdgeItems that end here, redrawn when the node moves
        self.moved_by_user = False
        self.broken = False             # the chain from the target to a source breaks here (drawn as a cut)
        self.more_tip: Callable | None = None   # more hover text, written when first hovered
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
        title, small, _ = shared_fonts(self.theme)
        self._title_font, self._small_font, self._badge_font = shared_fonts(self.theme)
        fm_t, fm_s = QFontMetricsF(title), QFontMetricsF(small)
        label = self.node.label if len(self.node.label) <= 20 else self.node.label[:19] + "…"
        self._title = label
        self._value = "= " + self.node.value_text if self.node.kind != LITERAL else ""
        self._matrix = matrix_lines(self.node.value) if self.node.kind != LITERAL else []
        self._heat = heat_grid(self.node.value) if self.node.kind != LITERAL and not self._matrix else None
        texts = self._matrix or [self._value]
        w = max(fm_t.horizontalAdvance(label), *(fm_s.horizontalAdvance(t) for t in texts)) + 22
        if self._heat is not None:
            w = max(w, HEAT_SIZE + 24)
        if self.node.kind == LITERAL:
            w, h = max(34.0, fm_t.horizontalAdvance(label) + 18), fm_t.height() + 10
        else:
            lines = len(self._matrix) if self._matrix else 1
            h = fm_t.height() + fm_s.height() * lines + 14 + (HEAT_SIZE + 4 if self._heat is not None else 0)
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
        text = self.state.tangent or self.state.sum_text or self.state.adjoint
        if text:
            w = text_width(self._small_font, "∂ " + text) + 16
            bounds = bounds.united(QRectF(-w / 2, r.bottom(), w, 2 * self._line_h + 14))
        if self.node.is_source and self.state.badge and self.node.gradient_text:
            w = text_width(self._badge_font, self.badge_text()) + 16
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
            w = max(92.0, text_width(self._badge_font, self.badge_text()) + 16) if self.node.gradient_text else 92.0
            area = area.united(QRectF(r.right() - w / 2, r.top() - 22, w, 22))
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
        if n.cause is not None:
            lines.append(f"<b>Why {escape(n.gradient_text)}:</b> {escape(n.cause.text)}")
            lines.append(f"<b>Fix:</b> {escape(n.cause.fix)}")
        elif not n.recorded and n.reason:
            lines.append(f"<i>not recorded: {escape(n.reason)}</i>")
        return "<br>".join(lines)

    def set_theme(self, theme: Theme) -> None:
        self.prepareGeometryChange()
        self.theme = theme
        self._measure()
        self.update()

    def set_node(self, node: Node) -> None:
        """The same node with new numbers (a value dragged): measured again where it stands, or
        not at all when what it shows did not change (a node the dragged value does not reach)."""
        old, self.node = self.node, node
        if (node.value_text, node.gradient_text) == (old.value_text, old.gradient_text) \
                and np.array_equal(node.value, old.value):
            self._tip_stale = True
            return
        self.prepareGeometryChange()
        self._measure()
        self._tip_stale = True          # written when it is next hovered (500 texts cost 15 ms)
        self.update()

    def resolve_tip(self) -> None:
        if getattr(self, "_tip_stale", False):
            self._tip_stale = False
            self.setToolTip(self._tooltip())
        super().resolve_tip()

    def set_state(self, state: NodeState) -> None:
        if state != self.state:
            if (state.sum_text, state.adjoint, state.badge, state.tangent) != (
                    self.state.sum_text, self.state.adjoint, self.state.badge, self.state.tangent):
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
            self._paint_far_title(painter, lod)
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
            title_h = QFontMetricsF(self._title_font).height()
            below = QRectF(r.left(), r.top() + 6 + title_h, r.width(), r.bottom() - r.top() - 10 - title_h)
            if self._matrix and not st.value_hidden:
                # A small matrix, every element, one row a line.
                painter.drawText(below, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "\n".join(self._matrix))
            elif self._heat is not None and not st.value_hidden:
                self._paint_heat(painter, below)
            else:
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
        if self.broken:
            self._paint_cut(painter)

    def _paint_adjoint(self, painter: QPainter) -> None:
        st, t = self.state, self.theme
        if st.tangent:
            self._paint_chip(painter, st.tangent, QColor(t.forward), st.active)
            return
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

    def _chip_box(self, text: str) -> QRectF:
        fm = QFontMetricsF(self._small_font)
        w, h = fm.horizontalAdvance(text) + 12, fm.height() + 4
        return QRectF(-w / 2, self._shape_rect.bottom() + 5, w, h)

    def chip_rect(self, text: str) -> QRectF:
        """Where a chip with ``text`` (forward mode's dual number) sits under the body, in scene coordinates."""
        return self._chip_box(text).translated(self.pos())

    def _paint_chip(self, painter: QPainter, text: str, colour: QColor, strong: bool) -> None:
        """A rounded chip under the body (forward mode's dual number)."""
        t = self.theme
        painter.setFont(self._small_font)
        box = self._chip_box(text)
        h = box.height()
        painter.setPen(QPen(colour, 1.2 * t.line_scale))
        bg = QColor(colour) if strong else QColor(t.background)
        if strong:
            bg.setAlphaF(0.2)
        painter.setBrush(bg)
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setPen(QColor(t.text))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_heat(self, painter: QPainter, area: QRectF) -> None:
        """A large tensor as a thumbnail: each cell coloured by its value, the shape written beside it."""
        grid, low, high, shape = self._heat
        rows, cols = grid.shape
        cell = HEAT_SIZE / max(rows, cols)
        left = area.center().x() - cell * cols / 2
        top = area.top() + 2
        span = (high - low) or 1.0
        theme = self.theme
        painter.setPen(Qt.PenStyle.NoPen)
        for i in range(rows):
            for j in range(cols):
                colour = QColor(theme.flow)
                colour.setAlphaF(0.15 + 0.85 * float((grid[i, j] - low) / span))
                painter.setBrush(colour)
                painter.drawRect(QRectF(left + j * cell, top + i * cell, cell, cell))
        painter.setPen(QColor(theme.muted))
        painter.drawText(QRectF(area.left(), top + rows * cell + 2, area.width(), self._line_h),
                         Qt.AlignmentFlag.AlignHCenter, f"{shape}, {format_number(low, 3)} … {format_number(high, 3)}")

    def _paint_far_title(self, painter: QPainter, lod: float) -> None:
        """Zoomed far out: the name alone, large enough to read, so no node is an empty shape."""
        r = self._shape_rect
        font = QFont(self._title_font)
        font.setPixelSize(max(1, round(FAR_TITLE_PX / max(lod, 1e-3))))
        metrics = QFontMetricsF(font)
        if metrics.height() > r.height() * 1.6:
            return          # not even the name fits: the shape and its colour say what it is
        painter.setPen(QColor(self.theme.text))
        painter.setFont(font)
        painter.drawText(r.adjusted(-r.width() * 0.25, -r.height(), r.width() * 0.25, r.height()),
                         Qt.AlignmentFlag.AlignCenter,
                         metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, r.width() * 1.5))

    def _paint_cut(self, painter: QPainter) -> None:
        """Where the chain breaks: a red dashed ring around the node."""
        pen = QPen(QColor(self.theme.bad), 2.0 * self.theme.line_scale, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = self._shape_rect.adjusted(-5, -5, 5, 5)
        painter.drawRoundedRect(r, 9, 9)

    def badge_text(self) -> str:
        """What the badge over a source says: its gradient, and for None or 0 the cause in a few words."""
        n = self.node
        if n.gradient_text in ("None", "0"):
            words = BADGE_WORDS.get(n.cause.code, "") if n.cause is not None else ""
            return f"gradient: {n.gradient_text}" + (f" · {words}" if words else "")
        return "∇ " + n.gradient_text if n.gradient_text else ""

    def _paint_badge(self, painter: QPainter) -> None:
        n, t = self.node, self.theme
        text = self.badge_text()
        if not text:
            return
        colour = QColor(t.badge_none if n.gradient_text == "None" else t.badge_zero if n.gradient_text == "0"
                        else t.badge_grad)
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

"""Groups that fold: nodes made in the same scope (a function, a module, a layer: ``Node.group``)
are drawn inside a labelled rounded box, nested scopes nested. A box's button (or the canvas's
context menu, or Ctrl+G on a selected node) folds the group into one box node with the group's
name; arrows into and out of the group end at that box. Unfolding brings the nodes back.

Folding is a way of looking: the graph, its values and its gradients never change. A layered
layout closes the layers a fold emptied (each later layer moves back by the gap), which costs one
pass over the nodes, so folding stays quick on large graphs.
"""
from __future__ import annotations

import math
from bisect import bisect_right

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

BOX_Z, PROXY_Z, FOLDED_Z = 0.2, 1.0, 2.0
PAD, TITLE_H, BUTTON = 12.0, 20.0, 16.0
FAR_PX = 11              # a title's height on screen when zoomed out


def prefixes(groups) -> list[tuple[str, ...]]:
    """Every scope of the given ``group`` tuples, inner ones first (deepest, then by name)."""
    found = {g[:k] for g in groups for k in range(1, len(g) + 1)}
    return sorted(found, key=lambda p: (-len(p), p))


def _font(theme, bold=True) -> QFont:
    font = QFont()
    font.setPointSizeF(8.5 * theme.font_scale)
    font.setBold(bold)
    return font


def _readable(painter: QPainter, option, theme) -> QFont:
    """The title's font, grown when the view is zoomed far out so that it stays about 11 px tall."""
    font = _font(theme)
    lod = option.levelOfDetailFromTransform(painter.worldTransform())
    if lod < 1.0:
        font.setPixelSize(max(1, round(FAR_PX / max(lod, 1e-3))))
    return font


class GroupBox(QGraphicsItem):
    """A scope's rounded box with its name and a fold button (−) in its title."""

    def __init__(self, prefix: tuple[str, ...], owner: "Groups") -> None:
        super().__init__()
        self.prefix, self.owner = prefix, owner
        self.rect = QRectF()
        self.setZValue(BOX_Z + 0.01 * len(prefix))      # an inner box over its outer one
        self.setToolTip(f"{' ▸ '.join(prefix)} — click − to fold it into one box")

    def title_left(self, metrics: QFontMetricsF, height: float) -> float:
        """Where the title starts: after the enclosing box's title when a title grown by zooming
        out would reach up into that one (``sequential`` then ``dense``, side by side)."""
        left = self.rect.left() + 10
        outer = self.owner.boxes.get(self.prefix[:-1]) if len(self.prefix) > 1 else None
        if outer is not None and height > self.rect.top() - outer.rect.top():
            outer_end = outer.title_left(metrics, height) + metrics.horizontalAdvance(outer.prefix[-1])
            left = max(left, outer_end + metrics.averageCharWidth() * 2)
        return left

    def button_rect(self) -> QRectF:
        return QRectF(self.rect.right() - BUTTON - 4, self.rect.top() + 2, BUTTON, BUTTON)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt virtual
        return self.rect.adjusted(-2, -120, 2, 2)        # room above for a title grown when zoomed out

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.rect)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        theme = self.owner.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(theme.grid)
        fill.setAlpha(110)
        painter.setPen(QPen(QColor(theme.muted), 1.2 * theme.line_scale, Qt.PenStyle.DashLine))
        painter.setBrush(fill)
        painter.drawRoundedRect(self.rect, 10, 10)
        font = _readable(painter, option, theme)
        painter.setFont(font)
        painter.setPen(QColor(theme.text))
        # Zoomed out, the grown title sits on the box's top edge, reaching up out of it.
        metrics = QFontMetricsF(font)
        height = max(TITLE_H - 4, metrics.height())
        left = self.title_left(metrics, height)
        title = QRectF(left, self.rect.top() + TITLE_H - 2 - height, max(0.0, self.rect.right() - BUTTON - 10 - left), height)
        painter.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, self.prefix[-1])
        _paint_button(painter, self.button_rect(), "−", theme)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        if self.button_rect().contains(event.pos()):
            self.owner.fold(self.prefix)
            event.accept()
        else:
            event.ignore()


class FoldedNode(QGraphicsItem):
    """A folded scope, drawn as one node with its name and how many ops it holds; + unfolds it."""

    def __init__(self, prefix: tuple[str, ...], count: int, owner: "Groups") -> None:
        super().__init__()
        self.prefix, self.count, self.owner = prefix, count, owner
        metrics = QFontMetricsF(_font(owner.theme))
        self.text = f"{prefix[-1]}  ({count} nodes)"
        w, h = max(96.0, metrics.horizontalAdvance(self.text) + BUTTON + 34), metrics.height() + 22
        self.rect = QRectF(-w / 2, -h / 2, w, h)
        self.setZValue(FOLDED_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(f"{' ▸ '.join(prefix)}: {count} nodes folded — click + or double-click to unfold")

    def button_rect(self) -> QRectF:
        return QRectF(self.rect.right() - BUTTON - 6, -BUTTON / 2, BUTTON, BUTTON)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt virtual
        return self.rect.adjusted(-64, -120, 64, 4)       # room above for the name when zoomed out

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.rect, 8, 8)
        return path

    def boundary_point(self, toward: QPointF) -> QPointF:
        c = self.pos()
        dx, dy = toward.x() - c.x(), toward.y() - c.y()
        if dx == 0 and dy == 0:
            return QPointF(c)
        scale = min(self.rect.width() / 2 / abs(dx) if dx else math.inf, self.rect.height() / 2 / abs(dy) if dy else math.inf)
        return QPointF(c.x() + dx * scale, c.y() + dy * scale)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        theme = self.owner.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = QColor(theme.borders.get("op", theme.edge))
        painter.setPen(QPen(border, (2.5 if self.isSelected() else 1.6) * theme.line_scale))
        painter.setBrush(QColor(theme.fills.get("op", theme.background)))
        painter.drawRoundedRect(self.rect, 8, 8)
        painter.drawRoundedRect(self.rect.adjusted(3, 3, -3, -3), 6, 6)      # a double border: it holds more
        font = _readable(painter, option, theme)
        painter.setFont(font)
        painter.setPen(QColor(theme.text))
        metrics = QFontMetricsF(font)
        if metrics.height() <= self.rect.height():
            area = self.rect.adjusted(10, 0, -BUTTON - 10, 0)
            painter.drawText(area, Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, area.width()))
        else:                       # far out: the name above the box, large enough to read
            painter.drawText(QRectF(self.rect.left() - 60, self.rect.top() - metrics.height() - 2,
                                    self.rect.width() + 120, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.prefix[-1])
        _paint_button(painter, self.button_rect(), "+", theme)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        if self.button_rect().contains(event.pos()):
            self.owner.unfold(self.prefix)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        self.owner.unfold(self.prefix)


def _paint_button(painter: QPainter, rect: QRectF, sign: str, theme) -> None:
    painter.setPen(QPen(QColor(theme.muted), 1))
    painter.setBrush(QColor(theme.background))
    painter.drawRoundedRect(rect, 3, 3)
    painter.setPen(QColor(theme.text))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, sign)


class Groups(QObject):
    """The boxes of a scene's groups and the folds the user made (kept across new numbers).
    ``changed`` fires after nodes were hidden, shown or moved."""

    changed = Signal()

    def __init__(self, canvas, theme) -> None:
        super().__init__(canvas)
        self.canvas, self.scene = canvas, canvas.scene
        self.theme = theme
        self.folded: set[tuple[str, ...]] = set()
        self.boxes: dict[tuple[str, ...], GroupBox] = {}
        self.folds: dict[tuple[str, ...], FoldedNode] = {}
        self.proxies: list[QGraphicsPathItem] = []
        self.base: dict[str, QPointF] = {}           # node positions as laid out, unfolded
        self.base_bends: dict[str, list[QPointF]] = {}
        self._same_items = False         # the picture shown has the items it had (new numbers only)
        self._was_folded = False
        canvas.valuesShown.connect(self._new_numbers)
        canvas.shown.connect(self.refresh)
        self.scene.nodeMoved.connect(self._dragged)
        self.scene.layoutAnimationFinished.connect(lambda: self.refresh(relaid=True))

    def _dragged(self, node_id: str, x: float, y: float) -> None:
        """The user put a node somewhere: that is its place from now on, folded or not."""
        self.base[node_id] = QPointF(x, y)
        self.apply()

    def _new_numbers(self) -> None:
        self._same_items = True          # the items stayed where they were: so do the folds

    def set_theme(self, theme) -> None:
        self.theme = theme
        self.apply()

    def members(self, prefix: tuple[str, ...]) -> list[str]:
        graph = self.scene.graph
        n = len(prefix)
        return [nid for nid, node in graph.nodes.items() if node.group[:n] == prefix] if graph is not None else []

    def fold(self, prefix: tuple[str, ...]) -> None:
        """Fold the scope ``prefix`` into one box node."""
        if prefix not in self.folded and self.members(prefix):
            self.folded.add(tuple(prefix))
            self.apply()

    def unfold(self, prefix: tuple[str, ...]) -> None:
        if tuple(prefix) in self.folded:
            self.folded.discard(tuple(prefix))
            self.apply()

    def toggle_selected(self) -> bool:
        """Ctrl+G: unfold a selected folded box, or fold the innermost group of a selected node."""
        for item in self.scene.selectedItems():
            if isinstance(item, FoldedNode):
                self.unfold(item.prefix)
                return True
            node = getattr(item, "node", None)
            if node is not None and getattr(node, "group", ()):
                self.fold(node.group)
                return True
        return False

    # -- drawing --------------------------------------------------------------------
    def refresh(self, relaid: bool = False) -> None:
        """A picture was drawn: remember where its nodes were laid out (for a new graph), then
        draw the boxes and the folds that still apply."""
        graph = self.scene.graph
        scopes = set(prefixes({n.group for n in graph.nodes.values() if n.group})) if graph is not None else set()
        self.folded &= scopes
        if not scopes and not self.boxes and not self._was_folded:
            self._same_items = False     # no groups (most pictures): nothing to draw or remember
            self.base = {}
            return
        new_items, self._same_items = not self._same_items, False
        if new_items or relaid or not self.base:
            self.base = {nid: QPointF(item.pos()) for nid, item in self.scene.nodes.items()}
            self.base_bends = {eid: list(item.bends) for eid, item in self.scene.edges.items()}
        self.apply()

    def _remove(self) -> None:
        for item in [*self.boxes.values(), *self.folds.values(), *self.proxies]:
            try:
                if item.scene() is not None:
                    self.scene.removeItem(item)
            except RuntimeError:         # the scene was cleared for a new graph, these with it
                pass
        self.boxes, self.folds, self.proxies = {}, {}, []

    def apply(self) -> None:
        """Hide folded members, place the folded boxes, close emptied layers, draw boxes and arrows."""
        self._remove()
        graph = self.scene.graph
        if graph is None or not self.base:
            return
        moved = bool(self.folded) or self._was_folded      # nothing folded, now or before: nothing moves
        self._was_folded = bool(self.folded)
        # Each node's outermost folded scope, if any.
        folded = sorted(self.folded, key=len)
        owner: dict[str, tuple[str, ...]] = {}
        for nid, node in graph.nodes.items():
            owner_of = next((p for p in folded if node.group[:len(p)] == p), None)
            if owner_of is not None:
                owner[nid] = owner_of
        shown_folds = set(owner.values())
        centre: dict[tuple[str, ...], QPointF] = {}
        for prefix in shown_folds:
            ids = [nid for nid, p in owner.items() if p == prefix]
            centre[prefix] = QPointF(*self._fold_place([self.base[i] for i in ids if i in self.base]))
            fold = FoldedNode(prefix, len(ids), self)
            self.folds[prefix] = fold
        shift = self._shift([p for nid, p in self.base.items() if nid not in owner] + list(centre.values()),
                            [self.base[nid] for nid in owner if nid in self.base])
        moves = QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        shifted: dict[str, QPointF | None] = {}         # moved nodes: by how much (None: shown or hidden)
        for nid, item in self.scene.nodes.items():
            hidden = nid in owner
            if item.isVisible() == hidden:
                item.setVisible(not hidden)
                shifted[nid] = None
            if not hidden and nid in self.base and moved:
                place = shift(self.base[nid])
                if place != item.pos():
                    if nid not in shifted:
                        shifted[nid] = place - item.pos()
                    item.setFlag(moves, False)
                    item.setPos(place)
                    item.setFlag(moves, True)
        for prefix, fold in self.folds.items():
            fold.setPos(shift(centre[prefix]))
            self.scene.addItem(fold)
        for eid, item in self.scene.edges.items():
            visible = item.edge.source not in owner and item.edge.target not in owner
            if item.isVisible() != visible:
                item.setVisible(visible)
                item.label.setVisible(visible)
                if item.dot is not None and not visible:
                    item.dot.setVisible(False)
            if visible and (item.edge.source in shifted or item.edge.target in shifted):
                a, b = shifted.get(item.edge.source, QPointF()), shifted.get(item.edge.target, QPointF())
                if a is not None and a == b:
                    item.translate_by(a.x(), a.y())          # both ends moved alike: so did every bend
                else:
                    item.bends = [shift(p) for p in self.base_bends.get(eid, item.bends)]
                    item.update_path()
        self._proxy_edges(owner)
        self._boxes(owner)
        if moved:           # (a fold only closes gaps: the picture stays within its scene rectangle)
            self.changed.emit()

    def _fold_place(self, points: list[QPointF]) -> tuple[float, float]:
        """Where a folded scope sits: at its members' middle, on the layer of their median."""
        xs, ys = sorted(p.x() for p in points), sorted(p.y() for p in points)
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        if self.canvas.model.method == "layered":
            if self.canvas.model.direction == "TB":
                my = ys[len(ys) // 2]
            else:
                mx = xs[len(xs) // 2]
        return mx, my

    def _shift(self, kept: list[QPointF], gone: list[QPointF]):
        """A layered layout's emptied layers closed: a function moving a point back by the gaps of
        the layers before it that only folded nodes occupied (no move for other layouts)."""
        model = self.canvas.model
        if model.method != "layered" or not gone:
            return QPointF
        tb = model.direction == "TB"
        along = (lambda p: p.y()) if tb else (lambda p: p.x())
        kept_layers = {round(along(p), 1) for p in kept}
        layers = sorted(kept_layers | {round(along(p), 1) for p in gone})
        starts, gaps, total = [], [], 0.0
        for before, layer in zip(layers, layers[1:]):
            if layer not in kept_layers:
                total += layer - before
                starts.append(layer - 0.05)
                gaps.append(total)
        if not starts:
            return QPointF

        def move(p: QPointF) -> QPointF:
            k = bisect_right(starts, along(p))
            back = gaps[k - 1] if k else 0.0
            return QPointF(p.x(), p.y() - back) if tb else QPointF(p.x() - back, p.y())
        return move

    def _rep(self, nid: str, owner):
        return self.folds[owner[nid]] if nid in owner else self.scene.nodes.get(nid)

    def _proxy_edges(self, owner) -> None:
        graph, seen = self.scene.graph, set()
        colour = QColor(self.theme.edge)
        for edge in graph.edges.values():
            if edge.source not in owner and edge.target not in owner:
                continue
            a, b = self._rep(edge.source, owner), self._rep(edge.target, owner)
            if a is None or b is None or a is b or (id(a), id(b)) in seen:
                continue
            seen.add((id(a), id(b)))
            start, end = a.boundary_point(b.pos()), b.boundary_point(a.pos())
            path = QPainterPath(start)
            path.lineTo(end)
            angle = math.atan2(end.y() - start.y(), end.x() - start.x())
            size = 9 * self.theme.line_scale ** 0.5
            head = QPolygonF([end, end - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size),
                              end - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size)])
            path.addPolygon(head)
            item = QGraphicsPathItem(path)
            item.setPen(QPen(colour, 1.6 * self.theme.line_scale))
            item.setBrush(colour)               # a solid head (the line itself encloses nothing)
            item.setZValue(PROXY_Z)
            item.setToolTip("arrows into or out of a folded group, drawn as one")
            self.scene.addItem(item)
            self.proxies.append(item)

    def _boxes(self, owner) -> None:
        graph = self.scene.graph
        held: dict[tuple[str, ...], QRectF] = {}          # each scope's shown members' rectangle
        for nid, node in graph.nodes.items():
            if node.group and nid not in owner:
                r = self.scene.nodes[nid].occupied_rect()
                for k in range(1, len(node.group) + 1):
                    held[node.group[:k]] = held.get(node.group[:k], QRectF()).united(r)
        rects: dict[tuple[str, ...], QRectF] = {}
        inner_rects = [(p, f.mapRectToScene(f.rect)) for p, f in self.folds.items()]
        for prefix in prefixes({n.group for n in graph.nodes.values() if n.group}):
            if any(prefix[:len(f)] == f for f in self.folded):
                continue                        # folded, or inside a folded scope
            n = len(prefix)
            rect = held.get(prefix, QRectF())
            for inner, r in inner_rects:
                if len(inner) > n and inner[:n] == prefix:
                    rect = rect.united(r)
            if rect.isNull():
                continue
            rect = rect.adjusted(-PAD, -PAD - TITLE_H, PAD, PAD)
            rects[prefix] = rect
            inner_rects.append((prefix, rect))
            box = GroupBox(prefix, self)
            box.rect = rect
            self.scene.addItem(box)
            self.boxes[prefix] = box

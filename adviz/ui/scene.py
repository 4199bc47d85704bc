"""The canvas's scene: builds items for a graph, places them, and shows a step of a schedule."""
from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import Iterable

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, QVariantAnimation, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from ..graph import Graph, Layout, explain_edge, explain_node, format_value, symbols_in
from ..graph.model import LITERAL
from ..graph.tangent import fan_in_sum
from ..graph.texts import adjoints_before, fan_out_sum, product_text
from .items import EdgeItem, EdgeState, NodeItem, NodeState, short_formula
from .edge_item import label_lines
from .theme import Theme

BACKWARD, FORWARD, TANGENT = "backward", "forward", "tangent"
SPREAD_STEP, SPREAD_TRIES = 1.25, 5     # layers at most 1.25⁵ ≈ 3 times further apart
SPREAD_NODES = 300                       # larger graphs are not spread (placing labels again costs too much)


class GraphScene(QGraphicsScene):
    """Items for one :class:`~adviz.graph.Graph`; ``show_step`` puts a schedule step on them."""

    nodeMoved = Signal(str, float, float)
    layoutAnimationFinished = Signal()

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.graph: Graph | None = None
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[str, EdgeItem] = {}
        self.mode = BACKWARD
        self.step = 0
        self.progress = 1.0
        self._cumulative_for = -1
        self._cumulative: dict[str, str] = {}
        self._base_for: tuple = ()
        self._base_nodes: dict[str, NodeState] = {}
        self._base_edges: dict[str, EdgeState] = {}
        self._animation: QVariantAnimation | None = None
        self._final_products: dict[str, str] = {}
        self._final_step: dict[str, int] = {}     # the backward step after which a node's adjoint is complete
        self.spread = 1.0                          # how much further apart than the layout the layers are
        self.spread_across = 1.0                   # and the nodes within a layer
        self.placement = 0                         # grows whenever nodes or labels move (views cache by it)
        self._direction = "LR"
        self._labels_mode = BACKWARD               # TANGENT: labels and chips sized for forward mode too
        self.show_answers = False
        self.predict = False               # each step's new adjoints stay "?" until revealed
        self.revealed = -1
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    # -- building -------------------------------------------------------------------
    def set_graph(self, graph: Graph, layout: Layout, mode: str = BACKWARD, step: int = 0,
                  pinned: Iterable[str] = ()) -> None:
        """Replace the items with ``graph`` at ``layout``'s positions, showing ``step`` of ``mode``'s pass.

        ``pinned`` nodes were placed by the user: their edges stay straight when they move again.
        """
        self._stop_animation()
        self.clear()
        self.graph = graph
        self.nodes, self.edges = {}, {}
        pinned = set(pinned)
        for node in sorted(graph.nodes.values(), key=lambda n: n.order):
            item = NodeItem(node, self.theme)
            x, y = layout.positions.get(node.id, (0.0, 0.0))
            item.setPos(QPointF(x, y))
            item.moved_by_user = node.id in pinned
            item.on_moved = self.node_moved
            self.addItem(item)
            self.nodes[node.id] = item
        pairs: dict[tuple[str, str], int] = {}
        for edge in graph.edges.values():
            pairs[(edge.source, edge.target)] = pairs.get((edge.source, edge.target), 0) + 1
        seen: dict[tuple[str, str], int] = {}
        for edge in graph.edges.values():
            key = (edge.source, edge.target)
            count = pairs[key]
            k = seen.get(key, 0)
            seen[key] = k + 1
            offset = (k - (count - 1) / 2) * 46.0 if count > 1 else 0.0
            route = layout.routes.get(key, ())
            bends = [QPointF(x, y) for x, y in route[1:-1]] if count == 1 else []
            item = EdgeItem(edge, self.nodes[edge.source], self.nodes[edge.target], self.theme, bends, offset)
            self.addItem(item)
            self.addItem(item.label)
            self.edges[edge.id] = item
        self._cumulative_for = -1
        self._base_for = ()
        self.step, self.progress = 0, 1.0
        self._explain(graph)
        for node in graph.nodes.values():
            for broken in (node.cause.breaks if node.cause is not None else ()):
                if broken in self.nodes:
                    self.nodes[broken].broken = True
                elif broken in self.edges:
                    self.edges[broken].broken = True
        self._final_products = self._all_products()
        self._final_step = {nid: k for k, st in enumerate(graph.backward) for nid in st.adjoints}
        self._labels_mode = mode if mode == TANGENT else BACKWARD
        self.spread = self.spread_across = 1.0
        self._direction = layout.direction
        # Where a label finds no free place, the layers move apart a little (at most twice as far).
        self._place_spreading()
        self.show_step(mode, step, 1.0)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -80, 80, 80))

    def update_values(self, graph: Graph) -> bool:
        """``graph`` has the nodes and edges shown, with other numbers (a value dragged): the items
        take the new numbers where they stand, with no new layout. False when the structure differs."""
        if self.graph is None or graph.nodes.keys() != self.nodes.keys() or graph.edges.keys() != self.edges.keys():
            return False
        self._stop_animation()
        self.graph = graph
        resized = set()
        for nid, item in self.nodes.items():
            before = item.shape_rect()
            item.set_node(graph.nodes[nid])
            if item.shape_rect() != before:
                resized.add(item)
        for eid, item in self.edges.items():
            item.set_edge(graph.edges[eid], item.src in resized or item.dst in resized)
        self._cumulative_for, self._base_for = -1, ()
        self._explain(graph)
        # The labels keep the places found for the first numbers (placing them again costs too much).
        self._final_step = {nid: k for k, st in enumerate(graph.backward) for nid in st.adjoints}
        self.show_step(self.mode, self.step, self.progress)
        return True

    def _explain(self, graph: Graph) -> None:
        """Hover texts from the graph layer, written when first hovered: why a value is inf or nan,
        what each symbol of a partial means (a large graph does not pay for them up front)."""
        def node_tip(item: NodeItem) -> str:
            why = explain_node(graph, item.node.id)
            return f"<br><b>Why {escape(item.node.value_text)}:</b> {escape(why)}" if why else ""

        def edge_tip(item: EdgeItem) -> str:
            lines = [""]
            why = explain_edge(graph, item.edge.id)
            if why:
                lines.append(f"<b>Not finite:</b> {escape(why)}")
            lines += [f"<b>{escape(sym)}</b> {escape(text)}" for sym, text in symbols_in(item.edge.partial_formula).items()]
            return "<br>".join(lines) if len(lines) > 1 else ""

        for item in self.nodes.values():
            item.more_tip = node_tip
        for item in self.edges.values():
            item.more_tip = edge_tip

    def clear_graph(self) -> None:
        """No graph: an empty canvas."""
        self._stop_animation()
        self.clear()
        self.graph, self.nodes, self.edges = None, {}, {}

    # -- edge labels ------------------------------------------------------------------
    def _all_products(self) -> dict[str, str]:
        """Each edge's ``upstream × local = contribution`` as its step shows it."""
        products: dict[str, str] = {}
        for step in (self.graph.backward if self.graph is not None else ()):
            for eid in step.edges:
                if eid in self.edges:
                    products[eid] = self._product(step, eid)
        return products

    @property
    def _chips(self) -> dict[str, str]:
        """In forward mode, each node's widest chip: its dual number, or the fan-in sum a step shows."""
        if self._labels_mode != TANGENT or self.graph is None:
            return {}
        chips = {nid: node.dual_text for nid, node in self.graph.nodes.items() if node.dual_text and nid in self.nodes}
        for step in self.graph.tangent:
            if len(step.edges) > 1 and step.node in chips:
                chips[step.node] = max(chips[step.node], fan_in_sum(step), key=len)
        return chips

    def place_labels(self) -> int:
        """Put each edge's label where it covers no node and no other label, if there is such a place;
        returns how many labels found no such place.

        Candidates lie along the arrow, the middle first; a long edge routed through a bundle
        tries the end of its last stretch first, where it is alone. Labels are sized for their
        last step (partial and product), so playing never makes them collide.
        """
        self.placement += 1
        crowded = 0
        grid = _RectGrid(160.0)
        for node in self.nodes.values():
            r = node.occupied_rect()
            grid.add((r.left(), r.top(), r.right(), r.bottom()))
        for nid, text in self._chips.items():      # forward mode: the dual numbers under the nodes
            r = self.nodes[nid].chip_rect(text)
            grid.add((r.left(), r.top(), r.right(), r.bottom()))
        order = sorted(self.edges.values(), key=lambda e: (bool(e.bends), e.path().length()))
        for item in order:
            if item.src.node.kind == LITERAL:
                continue
            product = self._final_products.get(item.edge.id)
            if self._labels_mode == TANGENT:     # sized for the longer of the two products the label shows
                product = max((product or "", item.edge.tangent_product_text), key=len)
            path = item.path()
            candidates = _label_candidates(path, bool(item.bends))
            best = (float("inf"), 0.5, None, False, (0.0, 0.0))
            # The full partial on the arrow first; where it cannot fit, only its right-hand side
            # ("∂ = cos(u)"); then beside the arrow, just clear of it.
            for compact, beside in ((False, False), (True, False), (False, True), (True, True)):
                first = short_formula(item.edge.partial_formula, compact=compact)
                if compact and first == short_formula(item.edge.partial_formula):
                    continue
                size = item.label_size(label_lines(first, product or ""))
                half_w, half_h = size.width() / 2, size.height() / 2
                floor = 1.0 if beside else 0.0          # beside the arrow: a little worse than on it
                for t in candidates[:9] if beside else candidates:
                    p = path.pointAtPercent(t)
                    for dx, dy in _beside(path, t, half_w, half_h) if beside else ((0.0, 0.0),):
                        x, y = p.x() + dx, p.y() + dy
                        box = (x - half_w, y - half_h, x + half_w, y + half_h)
                        cost = grid.overlap(box) + floor
                        if cost < best[0]:
                            best = (cost, t, box, compact, (dx, dy))
                            if cost == floor:
                                break
                    if best[0] == floor:
                        break
                if best[0] <= 1.0:
                    break
            cost, t, box, compact, (dx, dy) = best
            if box is not None:
                grid.add(box)
            if cost > 1.0:
                crowded += 1
            offset = QPointF(dx, dy)
            if abs(t - item.label_t) > 1e-9 or compact != item.compact_label or offset != item.label_offset:
                item.set_label_t(t, compact, offset)
        return crowded

    def _place_spreading(self) -> None:
        """Nodes apart within their layer, then the labels placed; where one finds no free place,
        the layers move apart and the labels are placed again."""
        if len(self.nodes) > SPREAD_NODES:
            # A large graph is read zoomed in, a step at a time: its labels are placed once, as laid out.
            self.place_labels()
            return
        for _ in range(SPREAD_TRIES):
            if not self._nodes_overlap():
                break
            self._spread_by(SPREAD_STEP, across=True)
        for attempt in range(SPREAD_TRIES + 1):
            if not self.place_labels() or attempt == SPREAD_TRIES:
                return
            self._spread_by(SPREAD_STEP)

    def _nodes_overlap(self) -> bool:
        """Whether two nodes (with their adjoints and badges) cover each other: tall matrices can."""
        grid = _RectGrid(160.0)
        for item in self.nodes.values():
            r = item.occupied_rect()
            box = (r.left(), r.top(), r.right(), r.bottom())
            if grid.overlap(box) > 0:
                return True
            grid.add(box)
        return False

    def _spread_by(self, factor: float, across: bool = False) -> None:
        """Layers ``factor`` times further apart (along x left to right, along y top to bottom);
        ``across``: the nodes of each layer further apart instead."""
        along_x = (self._direction != "TB") != across
        fx, fy = (factor, 1.0) if along_x else (1.0, factor)
        if across:
            self.spread_across *= factor
        else:
            self.spread *= factor
        for item in self.edges.values():
            item.bends = [QPointF(p.x() * fx, p.y() * fy) for p in item.bends]
        # Every node moves at once: each arrow is redrawn once afterwards, not once per end.
        moves = QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        for item in self.nodes.values():
            if not item.moved_by_user:          # a node the user placed stays where it was put
                item.setFlag(moves, False)
                item.setPos(QPointF(item.pos().x() * fx, item.pos().y() * fy))
                item.setFlag(moves, True)
        for item in self.edges.values():
            item.update_path()

    def node_moved(self, item: NodeItem) -> None:
        """The user dropped ``item`` somewhere else: labels make room, and the move is announced."""
        item.moved_by_user = True
        self.place_labels()
        self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -80, 80, 80))
        self.nodeMoved.emit(item.node.id, item.pos().x(), item.pos().y())

    def animate_to(self, layout: Layout, duration: int = 450) -> None:
        """Move every node to ``layout``'s place, smoothly; moved nodes lose their pins."""
        self._stop_animation()
        starts = {nid: item.pos() for nid, item in self.nodes.items()}
        ends = {nid: QPointF(*layout.positions.get(nid, (starts[nid].x(), starts[nid].y()))) for nid in self.nodes}
        for item in self.nodes.values():
            item.moved_by_user = False
        for item in self.edges.values():
            key = (item.edge.source, item.edge.target)
            route = layout.routes.get(key, ())
            item.bends = [QPointF(x, y) for x, y in route[1:-1]] if not item.offset else []
        self.spread = self.spread_across = 1.0
        self._direction = layout.direction
        anim = QVariantAnimation(self)
        anim.setStartValue(0.0)
        anim.setEndValue(1.0)
        anim.setDuration(max(1, duration))
        anim.setEasingCurve(QEasingCurve.Type.InOutCubic)

        def step(value: float) -> None:
            t = float(value)
            self.placement += 1
            for nid, item in self.nodes.items():
                a, b = starts[nid], ends[nid]
                item.setPos(a + (b - a) * t)

        def done() -> None:
            step(1.0)
            self._place_spreading()
            self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -80, 80, 80))
            self.layoutAnimationFinished.emit()

        anim.valueChanged.connect(step)
        anim.finished.connect(done)
        self._animation = anim
        anim.start()

    def _stop_animation(self) -> None:
        if self._animation is not None:
            self._animation.stop()
            self._animation = None

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        for item in self.nodes.values():
            item.set_theme(theme)
        for item in self.edges.values():
            item.set_theme(theme)
        # Another font scale: other label sizes, so the layers may need another spread.
        if self.spread != 1.0:
            self._spread_by(1.0 / self.spread)
        if self.spread_across != 1.0:
            self._spread_by(1.0 / self.spread_across, across=True)
        self._place_spreading()
        self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -80, 80, 80))
        self.update()

    # -- steps ----------------------------------------------------------------------
    def schedule_length(self, mode: str | None = None) -> int:
        if self.graph is None:
            return 0
        return len(self.graph.schedule(mode or self.mode))

    def show_step(self, mode: str, index: int, progress: float = 1.0) -> None:
        """Show step ``index`` of the backward or forward schedule, ``progress`` (0..1) of the way in."""
        if self.graph is None:
            return
        self.mode = mode
        n = self.schedule_length(mode)
        index = max(0, min(index, n - 1)) if n else 0
        self.step, self.progress = index, progress
        if (mode == TANGENT) != (self._labels_mode == TANGENT):
            self._labels_mode = TANGENT if mode == TANGENT else BACKWARD   # the labels make room for tangents
            self.place_labels()
        if mode == TANGENT:
            self._show_tangent(index, progress)
        elif mode == FORWARD:
            self._show_forward(index, progress)
        else:
            self._show_backward(index, progress)

    def _adjoints_before(self, index: int) -> dict[str, str]:
        """Adjoint texts after steps 0..index-1 (cached for the current index)."""
        if self._cumulative_for != index:
            assert self.graph is not None
            self._cumulative, self._cumulative_for = adjoints_before(self.graph, index), index
        return self._cumulative

    def _show_backward(self, index: int, p: float) -> None:
        graph = self.graph
        assert graph is not None
        steps = graph.backward
        cur = steps[index] if steps else None
        if self._base_for != (BACKWARD, index):
            # Everything before this step, once per step; frames within the step touch only its items.
            before = self._adjoints_before(index)
            self._base_nodes = {nid: NodeState(adjoint=before.get(nid, ""), badge=self._badge_shown(nid, index))
                                for nid in self.nodes}
            self._base_edges = {eid: EdgeState() for eid in self.edges}
            for s in steps[:index]:
                for eid in s.edges:
                    self._base_edges[eid] = EdgeState(done=True, product=self._product(s, eid))
            for nid, st in self._base_nodes.items():
                self.nodes[nid].set_state(st)
            for eid, st in self._base_edges.items():
                self.edges[eid].set_state(st)
            self._base_for = (BACKWARD, index)
        if cur is None:
            return
        arrived = p >= 0.55
        involved = {cur.node, *cur.adjoints}
        node_states = {nid: replace(self._base_nodes[nid]) for nid in involved if nid in self._base_nodes}
        if cur.node in node_states and (cur.kind != "seed" or cur.adjoints):
            node_states[cur.node].active = True
            if cur.kind == "seed" and cur.node in cur.adjoints:
                node_states[cur.node].adjoint = format_value(cur.adjoints[cur.node])
        for nid, value in cur.adjoints.items():
            st = node_states.get(nid)
            if st is None or (cur.kind == "seed" and nid == cur.node):
                continue
            st.receiving = max(0.0, 1 - abs(p - 0.6) * 2.5) if p < 1 else 0.0
            hidden = self.predicting(index)
            if nid in cur.accumulated and p > 0.3:
                # Fan-out: the new contribution visibly adds to what the node already had.
                st.sum_text = fan_out_sum(graph, cur, nid, arrived and not hidden)
            elif arrived:
                st.adjoint = "?" if hidden else format_value(value)
            if arrived and self._final_step.get(nid) == index and not hidden:
                st.badge = True          # its gradient is complete now: the answer may show
        for nid, st in node_states.items():
            self.nodes[nid].set_state(st)
        for eid in cur.edges:
            product = "" if self.predicting(index) else self._product(cur, eid)
            self.edges[eid].set_state(EdgeState(active=True, progress=p, product=product))

    def predicting(self, index: int) -> bool:
        """Whether step ``index``'s new adjoints are still hidden, for the class to predict them first."""
        return self.predict and self.revealed != index and self.mode == BACKWARD

    def reveal(self) -> bool:
        """Show the current step's hidden adjoints; False when nothing was hidden."""
        if not self.predicting(self.step):
            return False
        self.revealed = self.step
        self.show_step(self.mode, self.step, 1.0)
        return True

    def _badge_shown(self, nid: str, index: int) -> bool:
        """A source's final gradient shows once the pass has reached it (or from the start, when asked);
        a None or 0 badge explains the tape and always shows."""
        node = self.nodes[nid].node
        if node.is_source and self.graph is not None and self.graph.failure is not None:
            return False        # the call failed: its error is the reason, not a None on a source
        if self.show_answers or not node.is_source or node.gradient_text in ("None", "0", ""):
            return True
        return self._final_step.get(nid, -1) < index

    def set_show_answers(self, on: bool) -> None:
        """Show every final gradient from step 0 (a class that should predict them keeps this off)."""
        self.show_answers = on
        self._base_for = ()
        if self.graph is not None:
            self.show_step(self.mode, self.step, self.progress)

    def _product(self, step, eid: str) -> str:
        assert self.graph is not None
        return product_text(self.graph, step, eid)

    def _show_forward(self, index: int, p: float) -> None:
        self._base_for = ()
        graph = self.graph
        assert graph is not None
        cur = graph.forward[index] if graph.forward else None
        order = graph.nodes[cur.node].order if cur else 10**9
        for nid, item in self.nodes.items():
            o = item.node.order
            item.set_state(NodeState(value_hidden=o > order or (o == order and p < 0.5),
                                     computing=p if o == order and p < 1 else 0.0,
                                     badge=False))
        for eid, item in self.edges.items():
            into_current = cur is not None and item.edge.target == cur.node
            item.set_state(EdgeState(forward=p if into_current and p < 1 else 0.0))

    def _show_tangent(self, index: int, p: float) -> None:
        """Forward mode: tangents flow from the seeded inputs to the outputs; each node shows its
        dual number ``a + b·ε`` once its tangent is known, each edge ``∂ · tangent``."""
        self._base_for = ()
        graph = self.graph
        assert graph is not None
        steps = graph.tangent
        known: dict[str, str] = {}
        done: set[str] = set()
        for k, step in enumerate(steps[: index + 1]):
            arrived = k < index or p >= 0.55
            for nid in step.tangents:
                if arrived and nid in graph.nodes:
                    known[nid] = graph.nodes[nid].dual_text
            if k < index:
                done.update(step.edges)
        cur = steps[index] if steps else None
        for nid, item in self.nodes.items():
            sums = ""
            if cur is not None and nid == cur.node and len(cur.edges) > 1 and p > 0.3:
                parts = [format_value(cur.contributions[e]) for e in cur.edges if e in cur.contributions]
                total = format_value(cur.tangents[nid]) if p >= 0.55 and nid in cur.tangents else "…"
                sums = f"{' + '.join(parts)} = {total}"
            item.set_state(NodeState(tangent=sums or known.get(nid, ""), active=cur is not None and nid == cur.node,
                                     badge=False))
        for eid, item in self.edges.items():
            edge = graph.edges[eid]
            if cur is not None and eid in cur.edges:
                item.set_state(EdgeState(forward=p if p < 1 else 0.0, product=edge.tangent_product_text,
                                         done=p >= 1))
            else:
                item.set_state(EdgeState(done=eid in done, product=edge.tangent_product_text if eid in done else ""))

    def bounding_rect(self) -> QRectF:
        return self.itemsBoundingRect()


def _beside(path, t: float, half_w: float, half_h: float) -> tuple[tuple[float, float], ...]:
    """Offsets that put a label just clear of the arrow at ``t``: above and below a flat stretch,
    left and right of a steep one."""
    angle = path.angleAtPercent(t) % 180.0
    if angle < 45 or angle > 135:
        return (0.0, -(half_h + 6)), (0.0, half_h + 6)
    return (-(half_w + 6), 0.0), (half_w + 6, 0.0)


def _label_candidates(path, routed: bool) -> list[float]:
    """Places along an arrow (fractions of its length) to try for its label, best first."""
    fractions = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85]
    length = path.length()
    if length <= 0:
        return fractions
    # Then every 24 units along a long arrow (at most 60 places): a crowded stretch has gaps.
    count = min(60, int(length / 24))
    fractions += sorted((k / count for k in range(1, count)), key=lambda t: abs(t - 0.5)) if count > 2 else []
    if not routed or path.elementCount() < 3:
        return fractions
    points = [path.elementAt(k) for k in range(path.elementCount())]
    last = ((points[-1].x - points[-2].x) ** 2 + (points[-1].y - points[-2].y) ** 2) ** 0.5
    first = ((points[1].x - points[0].x) ** 2 + (points[1].y - points[0].y) ** 2) ** 0.5
    ends = [1 - last * 0.5 / length, 1 - last * 0.3 / length, first * 0.5 / length]
    return ends + fractions


class _RectGrid:
    """Rectangles (left, top, right, bottom) bucketed by a coarse grid: how much of a new one is covered."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, box: tuple[float, float, float, float]):
        c = self.cell
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                yield i, j

    def add(self, box: tuple[float, float, float, float]) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def overlap(self, box: tuple[float, float, float, float]) -> float:
        left, top, right, bottom = box
        c = self.cell
        i0, i1, j0, j1 = int(left // c), int(right // c), int(top // c), int(bottom // c)
        cells = self.cells
        total = 0.0
        seen = None
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                for other in cells.get((i, j), ()):
                    w = (right if right < other[2] else other[2]) - (left if left > other[0] else other[0])
                    if w <= 0:
                        continue
                    h = (bottom if bottom < other[3] else other[3]) - (top if top > other[1] else other[1])
                    if h <= 0:
                        continue
                    if i1 > i0 or j1 > j0:          # a rectangle in several cells counts once
                        if seen is None:
                            seen = set()
                        if id(other) in seen:
                            continue
                        seen.add(id(other))
                    total += w * h
        return total

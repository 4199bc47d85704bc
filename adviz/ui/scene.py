"""The canvas's scene: builds items for a graph, places them, and shows a step of a schedule."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, QVariantAnimation, Signal
from PySide6.QtWidgets import QGraphicsScene

from ..graph import Graph, Layout, format_value
from .items import EdgeItem, EdgeState, NodeItem, NodeState
from .theme import Theme

BACKWARD, FORWARD = "backward", "forward"


class GraphScene(QGraphicsScene):
    """Items for one :class:`~adviz.graph.Graph`; ``show_step`` puts a schedule step on them."""

    nodeMoved = Signal(str)
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
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    # -- building -------------------------------------------------------------------
    def set_graph(self, graph: Graph, layout: Layout, keep: dict[str, QPointF] | None = None) -> None:
        """Replace the items with ``graph`` at ``layout``'s positions (``keep`` wins for moved nodes)."""
        self._stop_animation()
        self.clear()
        self.graph = graph
        self.nodes, self.edges = {}, {}
        keep = keep or {}
        for node in sorted(graph.nodes.values(), key=lambda n: n.order):
            item = NodeItem(node, self.theme)
            if node.id in keep:
                item.setPos(keep[node.id])
                item.moved_by_user = True
            else:
                x, y = layout.positions.get(node.id, (0.0, 0.0))
                item.setPos(QPointF(x, y))
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
            self.edges[edge.id] = item
        self._cumulative_for = -1
        self._base_for = ()
        self.step, self.progress = 0, 1.0
        self.show_step(self.mode, 0, 1.0)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -80, 80, 80))

    def moved_positions(self) -> dict[str, QPointF]:
        """Positions of the nodes the user dragged, to keep across rebuilds."""
        return {nid: item.pos() for nid, item in self.nodes.items() if item.moved_by_user}

    def node_moved(self, item: NodeItem) -> None:
        self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -80, 80, 80))
        self.nodeMoved.emit(item.node.id)

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
        anim = QVariantAnimation(self)
        anim.setStartValue(0.0)
        anim.setEndValue(1.0)
        anim.setDuration(max(1, duration))
        anim.setEasingCurve(QEasingCurve.Type.InOutCubic)

        def step(value: float) -> None:
            t = float(value)
            for nid, item in self.nodes.items():
                a, b = starts[nid], ends[nid]
                item.setPos(a + (b - a) * t)

        def done() -> None:
            step(1.0)
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
        self.update()

    # -- steps ----------------------------------------------------------------------
    def schedule_length(self, mode: str | None = None) -> int:
        if self.graph is None:
            return 0
        return len(self.graph.backward if (mode or self.mode) == BACKWARD else self.graph.forward)

    def show_step(self, mode: str, index: int, progress: float = 1.0) -> None:
        """Show step ``index`` of the backward or forward schedule, ``progress`` (0..1) of the way in."""
        if self.graph is None:
            return
        self.mode = mode
        n = self.schedule_length(mode)
        index = max(0, min(index, n - 1)) if n else 0
        self.step, self.progress = index, progress
        if mode == FORWARD:
            self._show_forward(index, progress)
        else:
            self._show_backward(index, progress)

    def _adjoints_before(self, index: int) -> dict[str, str]:
        """Adjoint texts after steps 0..index-1 (cached for the current index)."""
        if self._cumulative_for != index:
            texts: dict[str, str] = {}
            assert self.graph is not None
            for s in self.graph.backward[:index]:
                for nid, value in s.adjoints.items():
                    texts[nid] = format_value(value)
            self._cumulative, self._cumulative_for = texts, index
        return self._cumulative

    def _show_backward(self, index: int, p: float) -> None:
        graph = self.graph
        assert graph is not None
        steps = graph.backward
        cur = steps[index] if steps else None
        if self._base_for != (BACKWARD, index):
            # Everything before this step, once per step; frames within the step touch only its items.
            before = self._adjoints_before(index)
            self._base_nodes = {nid: NodeState(adjoint=before.get(nid, "")) for nid in self.nodes}
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
            if nid in cur.accumulated and p > 0.3:
                # Fan-out: the new contribution visibly adds to what the node already had.
                parts = [format_value(cur.contributions[e]) for e in cur.edges if self.edges[e].edge.source == nid]
                total = format_value(value) if arrived else "…"
                st.sum_text = f"{format_value(cur.accumulated[nid])} + {' + '.join(parts)} = {total}"
            elif arrived:
                st.adjoint = format_value(value)
        for nid, st in node_states.items():
            self.nodes[nid].set_state(st)
        for eid in cur.edges:
            self.edges[eid].set_state(EdgeState(active=True, progress=p, product=self._product(cur, eid)))

    def _product(self, step, eid: str) -> str:
        """``upstream × local = contribution``, short enough to sit on an edge."""
        edge = self.edges[eid].edge
        up = format_value(step.upstream, max_items=2, shape=False)
        c = format_value(step.contributions.get(eid), max_items=2, shape=False)
        if edge.partial_value is not None:
            return f"{up} × {format_value(edge.partial_value, max_items=2, shape=False)} = {c}"
        return f"{up} → {c}"

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

    def bounding_rect(self) -> QRectF:
        return self.itemsBoundingRect()

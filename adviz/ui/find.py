"""Find a node (Ctrl+F): a small bar over the canvas; what is typed matches a node's name, label
or op; Enter goes to the next match (Shift+Enter the previous), Esc closes. The match found is
centred in the view and selected (so Details shows it)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton


def matches(graph, text: str) -> list[str]:
    """Ids of the nodes whose name, label or op contains ``text`` (any case): exact matches first,
    then those that start with it, then the rest, each in computation order."""
    needle = text.strip().lower()
    if graph is None or not needle:
        return []
    ranked = []
    for n in graph.nodes.values():
        fields = [(f or "").lower() for f in (n.name, n.label, n.op, n.symbol)]
        if any(needle in f for f in fields):
            rank = 0 if needle in fields else 1 if any(f.startswith(needle) for f in fields) else 2
            ranked.append((rank, n.order, n.id))
    return [nid for _, _, nid in sorted(ranked)]


class FindBar(QFrame):
    """The bar; ``open()`` shows it with the text selected, ``next()`` goes to the next match."""

    def __init__(self, view) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.setObjectName("findBar")
        self.setStyleSheet("#findBar { border: 1px solid palette(mid); border-radius: 6px; background: palette(window); }")
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 4, 4)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find a node: name, label or op")
        self.field.setToolTip("Enter: next match · Shift+Enter: previous · Esc: close")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(220)
        self.count = QLabel()
        self.count.setMinimumWidth(64)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        close.clicked.connect(self.close_bar)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.found: list[str] = []
        self.index = -1
        self.field.textChanged.connect(self._search)
        self.field.installEventFilter(self)
        view.viewport().installEventFilter(self)
        self.hide()

    def open(self) -> None:
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def _place(self) -> None:
        self.move(max(0, (self.view.viewport().width() - self.width()) // 2), 8)

    def _search(self, text: str) -> None:
        self.found = matches(self.view.graph_scene.graph, text)
        self.index = -1
        self.next() if self.found else self._show_count()

    def _show_count(self) -> None:
        text = self.field.text().strip()
        self.count.setText("" if not text else (f"{self.index + 1} of {len(self.found)}" if self.found else "no match"))

    def next(self, step: int = 1) -> str | None:
        """Go to the next match (``step`` -1: the previous); its id, or None when nothing matches."""
        scene = self.view.graph_scene
        if not self.found or any(nid not in scene.nodes for nid in self.found):
            self.found = matches(scene.graph, self.field.text())      # a new picture since: search it
            self.index = -1
        if not self.found:
            self._show_count()
            return None
        self.index = (self.index + step) % len(self.found)
        node_id = self.found[self.index]
        item = scene.nodes.get(node_id)
        if item is not None:
            scene.clearSelection()
            item.setSelected(True)
            self.view.centerOn(item.pos())          # the body, not its badges
        self._show_count()
        return node_id

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt virtual
        if obj is self.view.viewport():
            if event.type() == QEvent.Type.Resize and self.isVisible():
                self._place()
            return False
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Escape:
            event.accept()          # Esc closes the bar before any window shortcut sees it
            return True
        if event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.next(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
        return False


FIND_KEYS = QKeySequence.StandardKey.Find

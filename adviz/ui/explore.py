"""Live exploration in the window, wired in one place: the Plot dock, the gradient-magnitude
view, and the canvas's context menu (path products), with their View menu entries.

The Plot panel (and pyqtgraph with it) is built the first time the dock shows, so the window
starts as quickly as before. A slider or a scrubbed value cell chooses the input the plot follows.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMenu

from .find import FIND_KEYS, FindBar
from .groups import FoldedNode, Groups
from .items import NodeItem
from .magnitude import MagnitudeOverlay, PathDialog
from .menus import make_action

PLOT_KEYS = "Ctrl+Shift+O"
MAGNITUDE_KEYS = "Ctrl+Shift+M"
FOLD_KEYS = "Ctrl+G"


class Explore:
    """The window's exploration tools; ``window.explore`` holds it."""

    def __init__(self, window) -> None:
        self.window = window
        self.plot = None
        dock = QDockWidget("Plot", window)
        dock.setObjectName("plot")
        dock.setWidget(QLabel("The plot appears here."))
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.tabifyDockWidget(window.details_dock, dock)      # the whole height of the column
        dock.hide()
        dock.visibilityChanged.connect(self._plot_visible)
        self.plot_dock = dock
        toggle = dock.toggleViewAction()
        toggle.setText("Plot")
        toggle.setShortcut(QKeySequence(PLOT_KEYS))
        tip = "The target along the chosen input with its tangent and secant, or a contour map over two inputs"
        toggle.setStatusTip(tip)
        toggle.setToolTip(f"{tip} ({PLOT_KEYS})")
        toggle.triggered.connect(lambda on: dock.raise_() if on else None)
        window.actions_by_key["plot"] = toggle
        window.view_menu.addSeparator()
        window.view_menu.addAction(toggle)
        self.magnitude = MagnitudeOverlay(window.canvas, window.theme)
        action = make_action(window, "magnitude", "Gradient magnitude", MAGNITUDE_KEYS,
                             "Colour edges by |local partial| and nodes by |adjoint| on a logarithmic scale",
                             lambda on: self.magnitude.set_enabled(on), checkable=True)
        window.view_menu.addAction(action)
        self.groups = Groups(window.canvas, window.theme)
        self.groups.changed.connect(self.magnitude.refresh)
        fold = make_action(window, "fold", "Fold or unfold group", FOLD_KEYS,
                           "Fold the selected node's group into one box, or unfold a selected folded box",
                           self.groups.toggle_selected)
        fold.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.view_menu.addAction(fold)
        self.find_bar = FindBar(window.view)
        window.find_bar = self.find_bar
        find = make_action(window, "find", "Find node…", FIND_KEYS, "Find a node by name, label or op",
                           self.find_bar.open)
        window.view_menu.addAction(find)
        viewport = window.view.viewport()
        viewport.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        viewport.customContextMenuRequested.connect(self.context_menu)

    def _plot_visible(self, visible: bool) -> None:
        if visible and self.plot is None:
            self.build_plot()

    def build_plot(self):
        """The Plot panel, made now if it was not yet (it imports pyqtgraph); None when pyqtgraph is
        missing (the dock says how to install it)."""
        if self.plot is None:
            window = self.window
            try:
                from .plot import PlotPanel
                self.plot = PlotPanel()
            except ImportError as exc:      # pyqtgraph missing from this installation
                self.plot_dock.widget().setText(f"The plot needs pyqtgraph ({exc}).\n"
                                                "Install it with:  python -m pip install pyqtgraph")
                return None
            self.plot.set_theme(window.theme)
            self.plot.bind(window.model)
            window.inputs.sliders.chosen.connect(self._follow)
            old = self.plot_dock.widget()
            self.plot_dock.setWidget(self.plot)
            old.deleteLater()
            window.plot = self.plot
        return self.plot

    def _follow(self, name: str, index: int) -> None:
        """A value was dragged: a curve follows that input (a contour map keeps its two)."""
        plot = self.plot
        if plot is not None and plot.second.currentData() is None and plot.first.currentData() != (name, index):
            plot.choose(name, index)

    def context_menu(self, pos) -> None:
        """The canvas's menu: path products from the node under the pointer, and the views."""
        window = self.window
        item = window.view.itemAt(pos)
        menu = QMenu(window.view)
        if isinstance(item, NodeItem) and window.scene.graph is not None:
            nid = item.node.id
            menu.addAction(f"Path product from {item.node.label} to the target…", lambda: self.path_products(nid))
            group = tuple(getattr(item.node, "group", ()))
            for k in range(len(group), 0, -1):
                menu.addAction(f"Fold group {group[k - 1]}", lambda p=group[:k]: self.groups.fold(p))
            menu.addSeparator()
        elif isinstance(item, FoldedNode):
            menu.addAction(f"Unfold group {item.prefix[-1]}", lambda p=item.prefix: self.groups.unfold(p))
            menu.addSeparator()
        menu.addAction(window.actions_by_key["find"])
        menu.addAction(window.actions_by_key["magnitude"])
        menu.addAction(window.actions_by_key["plot"])
        self.menu = menu
        menu.popup(window.view.viewport().mapToGlobal(pos))

    def path_products(self, node_id: str) -> PathDialog | None:
        """Every path from ``node_id`` to the target with the product of its partials, one highlighted."""
        graph = self.window.scene.graph
        if graph is None or node_id not in graph.nodes:
            return None
        self.path_dialog = PathDialog(graph, node_id, self.magnitude, self.window)
        self.path_dialog.show()
        return self.path_dialog

    def set_theme(self, theme) -> None:
        self.magnitude.set_theme(theme)
        self.groups.set_theme(theme)
        if self.plot is not None:
            self.plot.set_theme(theme)

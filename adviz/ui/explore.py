"""Live exploration in the window: the Plot dock and its View menu entry, wired in one place.

The Plot panel (and pyqtgraph with it) is built the first time the dock shows, so the window
starts as quickly as before. A slider or a scrubbed value cell chooses the input the plot follows.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel

PLOT_KEYS = "Ctrl+Shift+O"


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

    def _plot_visible(self, visible: bool) -> None:
        if visible and self.plot is None:
            self.build_plot()

    def build_plot(self):
        """The Plot panel, made now if it was not yet (it imports pyqtgraph)."""
        if self.plot is None:
            from .plot import PlotPanel
            window = self.window
            self.plot = PlotPanel()
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

    def set_theme(self, theme) -> None:
        if self.plot is not None:
            self.plot.set_theme(theme)

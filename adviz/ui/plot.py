"""The plot beside the graph: the target along one input, or over two.

One input: the curve of the target around the input's value, the tangent at the current point
(its slope is the gradient the tape computed) and the central finite-difference secant (its slope
is the numerical estimate). Two inputs: a contour map with the gradient's arrow at the current
point. Both follow a dragged value. The samples come from the worker process
(:mod:`adviz.model.explore`); a sample that fails is a gap in the curve.

pyqtgraph is imported when the panel is built, never by ``import adviz``.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..model import is_script
from ..model.explore import Contour, Curve, element_label, slider_range, value_array
from ..model.themes import PLOT_COLOURS

CURVE_SAMPLES = 121
GRID_SAMPLES = 25
MAX_ELEMENTS = 16        # elements of a tensor input offered in the choosers
NONE = "—"


class PlotPanel(QWidget):
    """Choose one input (a curve) or two (a contour map). ``drawn`` fires after each new picture."""

    drawn = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg          # only here: the window starts without it until the plot exists
        self.pg = pg
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        self.first = QComboBox()
        self.first.setToolTip("The input along the horizontal axis")
        self.second = QComboBox()
        self.second.setToolTip("A second input for a contour map over both (— for a curve)")
        row.addWidget(QLabel("Along"))
        row.addWidget(self.first, 1)
        row.addWidget(QLabel("and"))
        row.addWidget(self.second, 1)
        layout.addLayout(row)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumSize(240, 200)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.plot.setMenuEnabled(False)
        layout.addWidget(self.plot, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addSpacing(4)
        layout.addWidget(self.status)
        self.model = None
        self.result: Curve | Contour | None = None
        self.items: dict[str, object] = {}       # the drawn parts by role (tests read their data)
        self.spans: dict[tuple[str, int], tuple[float, float]] = {}
        self.dark = False
        self.waiting = True          # samples asked for are welcome (False: the value cannot be plotted)
        self.first.currentIndexChanged.connect(lambda _i: self.request())
        self.second.currentIndexChanged.connect(lambda _i: self.request())

    def bind(self, model) -> None:
        """Follow ``model``'s document (values, inputs) and draw the samples it computes."""
        self.model = model
        model.documentChanged.connect(self.show_document)
        model.sampled.connect(self.show_result)
        self.show_document(model.document)

    def set_theme(self, theme) -> None:
        self.dark = bool(theme.dark)
        self.plot.setBackground(theme.background)
        colours = PLOT_COLOURS[self.dark]
        for axis in ("left", "bottom"):
            item = self.plot.getAxis(axis)
            item.setPen(colours["axis"])
            item.setTextPen(colours["axis"])
        if self.result is not None:
            self.show_result(self.result)

    # -- choosing -------------------------------------------------------------------
    def _choices(self, doc) -> list[tuple[str, str, int]]:
        if is_script(doc.text):
            return []
        out = []
        for v in doc.variables:
            array = value_array(v.value)
            if array is None or not array.size:
                continue
            out += [(v.name + element_label(array.shape, k), v.name, k) for k in range(min(array.size, MAX_ELEMENTS))]
        return out

    def show_document(self, doc) -> None:
        """The inputs to choose from; a new plot for the new values (when the panel shows)."""
        choices = self._choices(doc)
        titles = [c[0] for c in choices]
        for combo, extra in ((self.first, []), (self.second, [NONE])):
            items = extra + titles
            if [combo.itemText(i) for i in range(combo.count())] != items:
                current = combo.currentText()
                blocker = QSignalBlocker(combo)
                combo.clear()
                for title in items:
                    match = next((c for c in choices if c[0] == title), None)
                    combo.addItem(title, (match[1], match[2]) if match else None)
                combo.setCurrentIndex(max(0, combo.findText(current)))
                blocker.unblock()
        if not choices:
            self.status.setText("Plots show typed functions with numeric inputs." if is_script(doc.text)
                                else "Give an input a value to plot the target along it.")
        self.request()

    def chosen(self) -> tuple[tuple[str, int] | None, tuple[str, int] | None]:
        return self.first.currentData(), self.second.currentData()

    def choose(self, name: str, index: int = 0, second: tuple[str, int] | None = None) -> None:
        """Plot along ``name``'s element ``index`` (and over ``second`` as well, when given)."""
        for combo, want in ((self.first, (name, index)), (self.second, second)):
            at = next((i for i in range(combo.count()) if combo.itemData(i) == want), 0)
            combo.setCurrentIndex(at)

    def _span(self, key: tuple[str, int], value: float) -> tuple[float, float]:
        """The interval plotted along one input: kept while the value stays well inside it."""
        low, high = self.spans.get(key, (math.inf, -math.inf))
        margin = (high - low) * 0.02
        if not low + margin <= value <= high - margin:
            low, high = slider_range(value)
            self.spans[key] = (low, high)
        return low, high

    def request(self) -> None:
        """Ask the model for the samples of the chosen input(s), when the panel is visible."""
        if self.model is None or not self.isVisible():
            return
        first, second = self.chosen()
        if first is None:
            self._clear()
            return
        doc = self.model.document.copy()
        values = {v.name: value_array(v.value) for v in doc.variables}

        def at(key):
            array = values.get(key[0])
            return float(array.reshape(-1)[key[1]]) if array is not None and array.size > key[1] else 0.0

        bad = [k for k in (first, second) if k is not None and not math.isfinite(at(k))]
        self.waiting = not bad
        if bad:
            self._clear()
            self.result = None
            self.status.setText(f"{bad[0][0]} is not a finite number here: nothing to plot around it.")
            return
        if second is None or second == first:
            self.model.sample("curve", doc, first[0], first[1], None, CURVE_SAMPLES, self._span(first, at(first)))
        else:
            spans = (self._span(first, at(first)), self._span(second, at(second)))
            self.model.sample("contour", doc, first, second, GRID_SAMPLES, spans)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        super().showEvent(event)
        self.request()

    # -- drawing --------------------------------------------------------------------
    def _clear(self) -> None:
        self.plot.clear()
        legend = self.plot.plotItem.legend
        if legend is not None:
            legend.clear()
        self.items = {}

    def show_result(self, result) -> None:
        """Draw a Curve or a Contour (or say why there is none)."""
        if not self.waiting:
            return          # asked for before the value stopped being a number
        first, second = self.first.currentText(), self.second.currentText()
        if isinstance(result, Curve) and (second != NONE or first != result.label) and not result.message:
            return          # an older choice's samples
        if isinstance(result, Contour) and (first, second) != result.labels and not result.message:
            return
        self.result = result if isinstance(result, (Curve, Contour)) else None
        self._clear()
        if isinstance(result, str):
            self.status.setText(result)
        elif result.message:
            self.status.setText(f"Cannot plot: {result.message}")
        elif isinstance(result, Curve):
            self._draw_curve(result)
        else:
            self._draw_contour(result)
        self.drawn.emit()

    def _draw_curve(self, c: Curve) -> None:
        pg, colours, plot = self.pg, PLOT_COLOURS[self.dark], self.plot
        plot.setAspectLocked(False)
        legend = plot.addLegend(offset=(8, 8), labelTextColor=colours["curve"])
        legend.setBrush(pg.mkBrush(QColor(colours["legend"])))      # #AARRGGBB, as QColor reads it
        plot.setLabel("bottom", c.label)
        plot.setLabel("left", f"{c.target} (summed)" if c.target else "")
        name = f"{c.target}({c.label})"
        self.items["curve"] = plot.plot(c.xs, c.ys, pen=pg.mkPen(colours["curve"], width=2), connect="finite",
                                        name=name)
        width = (c.xs[-1] - c.xs[0]) * 0.22 if len(c.xs) else 1.0
        if math.isfinite(c.slope) and math.isfinite(c.y0):
            tx = np.array([c.x0 - width, c.x0 + width])
            self.items["tangent"] = plot.plot(tx, c.y0 + c.slope * (tx - c.x0),
                                              pen=pg.mkPen(colours["tangent"], width=2),
                                              name=f"tangent, slope {c.slope:.4g}")
        if math.isfinite(c.secant):
            down, up = c.ends
            sx = np.array([c.x0 - width, c.x0 + width])
            mid = (down + up) / 2
            self.items["secant"] = plot.plot(sx, mid + c.secant * (sx - c.x0),
                                             pen=pg.mkPen(colours["secant"], width=2, style=Qt.PenStyle.DashLine),
                                             name=f"secant ±{c.h:.3g}, slope {c.secant:.4g}")
            self.items["secant_ends"] = plot.plot([c.x0 - c.h, c.x0 + c.h], [down, up], pen=None, symbol="o",
                                                  symbolSize=6, symbolBrush=colours["secant"], symbolPen=None)
        if math.isfinite(c.y0):
            self.items["point"] = plot.plot([c.x0], [c.y0], pen=None, symbol="o", symbolSize=10,
                                            symbolBrush=colours["point"], symbolPen=None)
        gaps = int(np.count_nonzero(~np.isfinite(c.ys)))
        gap_text = f" · {gaps} of {len(c.ys)} samples undefined (gaps)" if gaps else ""
        if c.clipped:
            gap_text += " · a large function: sampling stopped early, the curve is coarser"
        self.status.setText(f"{c.label} = {c.x0:.6g}: {c.target} = {c.y0:.6g}; tangent slope (the gradient) "
                            f"{c.slope:.6g}; central difference {c.secant:.6g} (h = {c.h:.3g}){gap_text}")

    def _draw_contour(self, c: Contour) -> None:
        pg, colours, plot = self.pg, PLOT_COLOURS[self.dark], self.plot
        plot.setAspectLocked(True)
        plot.setLabel("bottom", c.labels[0])
        plot.setLabel("left", c.labels[1])
        finite = c.zs[np.isfinite(c.zs)]
        if not finite.size:
            self.status.setText("Every sample of this map is undefined.")
            return
        low, high = float(finite.min()), float(finite.max())
        image = pg.ImageItem(np.where(np.isfinite(c.zs), c.zs, low).T)
        image.setRect(QRectF(c.xs[0], c.ys[0], c.xs[-1] - c.xs[0], c.ys[-1] - c.ys[0]))
        stops = colours["contour"]
        cmap = pg.ColorMap(np.linspace(0, 1, len(stops)), [pg.mkColor(s) for s in stops])
        image.setLookupTable(cmap.getLookupTable(nPts=256))
        image.setLevels([low, high if high > low else low + 1])
        plot.addItem(image)
        self.items["map"] = image
        for k, level in enumerate(np.linspace(low, high, 9)[1:-1]):
            line = pg.IsocurveItem(data=np.where(np.isfinite(c.zs), c.zs, np.nan).T, level=level,
                                   pen=pg.mkPen(colours["isoline"], width=1))
            line.setParentItem(image)
            self.items[f"isoline{k}"] = line
        (px, py), (gx, gy) = c.point, c.gradient
        self.items["point"] = plot.plot([px], [py], pen=None, symbol="o", symbolSize=9,
                                        symbolBrush=colours["point"], symbolPen=None)
        norm = math.hypot(gx, gy)
        if math.isfinite(norm) and norm > 0:
            length = 0.25 * min(c.xs[-1] - c.xs[0], c.ys[-1] - c.ys[0])
            tip = (px + gx / norm * length, py + gy / norm * length)
            self.items["arrow_line"] = plot.plot([px, tip[0]], [py, tip[1]], pen=pg.mkPen(colours["arrow"], width=3))
            arrow = pg.ArrowItem(pos=tip, angle=180 - math.degrees(math.atan2(gy, gx)), headLen=14, tailLen=None,
                                 brush=colours["arrow"], pen=None)
            plot.addItem(arrow)
            self.items["arrow"] = arrow
        plot.setRange(xRange=(c.xs[0], c.xs[-1]), yRange=(c.ys[0], c.ys[-1]), padding=0.02)
        self.status.setText(f"∇{c.target} at ({px:.4g}, {py:.4g}) = ({gx:.4g}, {gy:.4g}): the arrow points uphill, "
                            f"across the contour lines; colour from {low:.4g} (faint) to {high:.4g}"
                            + (" · a large function: sampling stopped early, some cells are empty" if c.clipped else ""))

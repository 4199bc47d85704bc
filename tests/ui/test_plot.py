"""The plot beside the graph: tangent slope = the gradient, secant = the central difference."""
import math

import numpy as np
import pytest

from adviz.model import VariableSpec

from .conftest import show
from .test_live import _drag_slider, _value


def _open_plot(window, qtbot):
    with qtbot.waitSignal(window.explore.plot_dock.visibilityChanged, timeout=5000):
        window.actions_by_key["plot"].trigger()
    plot = window.explore.build_plot()
    qtbot.waitUntil(lambda: plot.result is not None, timeout=10000)
    return plot


def _slope(item):
    xs, ys = item.getData()
    return (ys[1] - ys[0]) / (xs[1] - xs[0])


def _plot_at(plot, qtbot, x):
    qtbot.waitUntil(lambda: plot.result is not None and getattr(plot.result, "x0", None) == pytest.approx(x),
                    timeout=10000)


def test_tangent_is_the_gradient_and_secant_the_central_difference(window, qtbot):
    show(window, qtbot, "f = x**3")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "2")])
    plot = _open_plot(window, qtbot)
    assert window.explore.plot_dock.isVisible()
    _plot_at(plot, qtbot, 2.0)
    assert _slope(plot.items["tangent"]) == pytest.approx(12.0, rel=1e-9)           # d/dx x³ = 3x²
    h = plot.result.h
    assert _slope(plot.items["secant"]) == pytest.approx(((2 + h) ** 3 - (2 - h) ** 3) / (2 * h), rel=1e-9)
    xs, ys = plot.items["curve"].getData()
    np.testing.assert_allclose(ys, xs ** 3, rtol=1e-12)
    # The plot follows the slider: the tangent at the new value.
    _drag_slider(window, qtbot, "x", [800])
    x = float(_value(window, "x"))
    _plot_at(plot, qtbot, x)
    assert _slope(plot.items["tangent"]) == pytest.approx(3 * x * x, rel=1e-9)
    point_x, point_y = plot.items["point"].getData()
    assert point_y[0] == pytest.approx(x ** 3, rel=1e-12)


def test_undefined_samples_are_gaps(window, qtbot):
    show(window, qtbot, "f = log(x)")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "0.5")])
    plot = _open_plot(window, qtbot)
    _plot_at(plot, qtbot, 0.5)
    xs, ys = plot.items["curve"].getData()
    assert np.all(np.isnan(ys[xs <= 0])) and np.all(np.isfinite(ys[xs > 0]))
    assert "gaps" in plot.status.text()
    assert _slope(plot.items["tangent"]) == pytest.approx(2.0)


def test_contour_map_with_the_gradient_arrow(window, qtbot):
    show(window, qtbot, "f = x*x + 3*x*y")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "1"), VariableSpec("y", "2")])
    plot = _open_plot(window, qtbot)
    plot.choose("x", 0, ("y", 0))
    qtbot.waitUntil(lambda: "arrow" in plot.items, timeout=10000)
    xs, ys = plot.items["arrow_line"].getData()
    assert (xs[0], ys[0]) == (1.0, 2.0)
    gx, gy = 2 * 1 + 3 * 2, 3 * 1                     # ∇f = (2x + 3y, 3x)
    assert math.atan2(ys[1] - ys[0], xs[1] - xs[0]) == pytest.approx(math.atan2(gy, gx), abs=1e-9)
    assert plot.result.zs.shape == (len(plot.result.ys), len(plot.result.xs))


def test_the_plot_follows_the_theme(window, qtbot):
    show(window, qtbot, "f = x**2")
    plot = _open_plot(window, qtbot)
    window.apply_theme("dark")
    assert plot.dark and plot.plot.backgroundBrush().color().name() == window.theme.background
    window.apply_theme("light")
    assert not plot.dark


def test_a_value_that_is_not_finite_is_not_plotted(window, qtbot):
    show(window, qtbot, "f = x * 2")
    plot = _open_plot(window, qtbot)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "1e309")])
    assert "not a finite number" in plot.status.text() and plot.result is None


def test_without_pyqtgraph_the_dock_says_how_to_install_it(window, qtbot, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_pyqtgraph(name, *args, **kwargs):
        if name == "pyqtgraph" or name.startswith("pyqtgraph."):
            raise ImportError("No module named 'pyqtgraph'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyqtgraph)
    assert window.explore.build_plot() is None
    assert "pip install pyqtgraph" in window.explore.plot_dock.widget().text()

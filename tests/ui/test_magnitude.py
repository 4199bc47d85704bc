"""Gradient magnitude at a glance: colours ordered by magnitude, the scale's legend, path products."""
import math

import pytest
from PySide6.QtGui import QColor

from adviz.model import VariableSpec
from adviz.model.magnitude import LogScale, colour_at, scale_for
from adviz.model.themes import MAGNITUDE_SCALE

from .conftest import node_by_label, show


def _lightness(name):
    """Relative luminance (what the eye orders light to dark), from sRGB."""
    c = QColor(name)
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (c.redF(), c.greenF(), c.blueF())]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("dark", [False, True])
def test_the_scale_is_ordered_by_lightness_against_the_canvas(dark):
    stops = MAGNITUDE_SCALE[dark]
    values = [_lightness(colour_at(t / 20, stops)) for t in range(21)]
    steps = [b - a for a, b in zip(values, values[1:])]
    # Faint to strong: lighter to darker on a light canvas, darker to lighter on a dark one.
    assert all(s > -1e-9 for s in steps) if dark else all(s < 1e-9 for s in steps)


def test_log_scale_positions():
    scale = LogScale(1e-2, 1e2)
    assert scale.position(1.0) == pytest.approx(0.5)
    assert scale.position(0.0) is None and scale.position(None) is None
    assert scale.position(1e9) == 1.0 and scale.position(1e-9) == 0.0
    assert scale.ticks() == [1e-2, 1e-1, 1.0, 10.0, 100.0]


def test_overlay_orders_colours_by_magnitude_and_shows_its_legend(window, qtbot):
    # Partials 1000 (∂(1000·x)/∂x), 1 and 0.001: three decades apart.
    show(window, qtbot, "a = 1000*x\nb = 0.001*y\nf = a + b + z")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "1"), VariableSpec("y", "1"), VariableSpec("z", "1")])
    overlay = window.explore.magnitude
    assert not overlay.bar.isVisible() and not overlay.halos
    window.actions_by_key["magnitude"].trigger()
    assert overlay.enabled and overlay.bar.isVisible()
    graph = window.scene.graph
    def edge_into(label):
        node = node_by_label(graph, label)
        return next(e.id for e in graph.edges.values() if e.target == node.id and graph.nodes[e.source].label in "xyz")
    big, small = overlay.colours[edge_into("a")], overlay.colours[edge_into("b")]
    light = [_lightness(c) for c in (small, big)]
    assert light[0] > light[1]                   # light theme: the larger magnitude is the darker colour
    assert overlay.scale.low == pytest.approx(1e-3) and overlay.scale.high == pytest.approx(1e3)
    # Node x's adjoint is 1000, y's is 0.001: the scale's two ends.
    stops = MAGNITUDE_SCALE[False]
    assert overlay.colours[node_by_label(graph, "x").id] == stops[-1]
    assert overlay.colours[node_by_label(graph, "y").id] == stops[0]
    pixels = window.view.viewport().grab()
    assert not pixels.isNull() and overlay.bar.geometry().right() <= window.view.viewport().width()
    window.actions_by_key["magnitude"].trigger()
    assert not overlay.bar.isVisible() and not overlay.halos


def test_path_products_sum_to_the_gradient(window, qtbot):
    show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "2"), VariableSpec("y", "3")])
    graph = window.scene.graph
    x = node_by_label(graph, "x")
    dialog = window.explore.path_products(x.id)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    products = sorted(dialog.products)
    # x → x² → f: 2x · 1 = 4;  x → x·y → sin → f: y · cos(xy) · 1
    assert products == pytest.approx(sorted([4.0, 3 * math.cos(6.0)]), rel=1e-12)
    assert sum(products) == pytest.approx(2 * 2 + 3 * math.cos(6.0), rel=1e-12)
    assert "add up to 6.881" in dialog.summary.text()           # 4 + 3·cos 6 = 6.8805
    assert window.explore.magnitude.path == dialog.routes[0]          # the chosen path is highlighted
    dialog.table.selectRow(1)
    assert window.explore.magnitude.path == dialog.routes[1]
    dialog.close()
    assert window.explore.magnitude.path == []


def test_a_tensor_path_says_why_it_has_no_single_product(window, qtbot):
    show(window, qtbot, "f = sum(w * w)")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("w", "[1, 2]")])
    dialog = window.explore.path_products(node_by_label(window.scene.graph, "w").id)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and "scalar" in dialog.summary.text()
    assert scale_for(window.scene.graph) is not None

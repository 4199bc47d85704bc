"""Dragging a value: sliders and scrubbed value cells, numbers following on the same layout."""
import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractSlider, QApplication

from adviz.model import VariableSpec
from adviz.model.explore import value_array

from .conftest import node_by_label, show


def _positions(window):
    return {nid: (item.pos().x(), item.pos().y()) for nid, item in window.scene.nodes.items()}


def _settle(window, qtbot):
    """Until the last dragged value has run and its numbers are on the canvas."""
    qtbot.waitUntil(lambda: not window.model.scrubbing() and not window.model.pending(), timeout=5000)
    qtbot.waitUntil(lambda: window.model.outcome is not None and window.scene.graph is window.model.outcome.graph,
                    timeout=5000)


def _value(window, name):
    spec = next(v for v in window.model.document.variables if v.name == name)
    return value_array(spec.value)


def _drag_slider(window, qtbot, name, positions):
    row = window.inputs.sliders.rows[name]
    row.slider.setSliderDown(True)          # sliderPressed
    for p in positions:
        row.slider.setValue(p)
    row.slider.setSliderDown(False)         # sliderReleased
    _settle(window, qtbot)
    qtbot.waitUntil(lambda: window.scene.graph is window.model.outcome.graph, timeout=5000)


def test_slider_drag_updates_gradient_on_the_same_layout(window, qtbot):
    graph = show(window, qtbot, "f = x**2 + 3*x")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "2")])
    before = _positions(window)
    items = dict(window.scene.nodes)
    edits = window.undo_stack.count()
    _drag_slider(window, qtbot, "x", [550, 600, 700, 800])
    x = float(_value(window, "x"))
    assert x == pytest.approx(2 + 2 * (800 / 1000 * 2 - 1), abs=1e-2)     # the range is 2 ± 2
    graph = window.scene.graph
    node = node_by_label(graph, "x")
    assert float(node.gradient) == pytest.approx(2 * x + 3, rel=1e-12)        # d/dx (x² + 3x) = 2x + 3
    assert float(node_by_label(graph, "f").value) == pytest.approx(x * x + 3 * x, rel=1e-12)
    assert _positions(window) == before                                       # no relayout
    assert all(window.scene.nodes[k] is item for k, item in items.items())    # nor new items
    assert window.scene.nodes[node.id].node is node                           # the item shows the new numbers
    assert window.undo_stack.count() == edits + 1                             # the whole drag is one edit
    window.undo_stack.undo()
    _settle(window, qtbot)
    assert float(_value(window, "x")) == 2.0


def test_values_asked_while_a_run_is_busy_are_dropped_but_the_last(window, qtbot):
    show(window, qtbot, "f = sin(x) * x")
    model = window.model
    model.begin_scrub()
    runs = model.live_runs
    for k in range(40):
        model.scrub("x", str(1 + k / 100))
    model.end_scrub()
    _settle(window, qtbot)
    assert model.live_runs - runs == 2                 # the first value, then only the last of the 39 asked meanwhile
    x = 1.39
    node = node_by_label(window.scene.graph, "x")
    assert float(node.gradient) == pytest.approx(math.cos(x) * x + math.sin(x), rel=1e-12)
    assert float(_value(window, "x")) == pytest.approx(x, rel=1e-15)


def test_keyboard_steps_make_one_edit(window, qtbot):
    show(window, qtbot, "f = x**3")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "1")])
    edits = window.undo_stack.count()
    slider = window.inputs.sliders.rows["x"].slider
    for _ in range(3):
        slider.triggerAction(QAbstractSlider.SliderAction.SliderSingleStepAdd)
    qtbot.waitUntil(lambda: window.undo_stack.count() == edits + 1, timeout=5000)
    _settle(window, qtbot)
    x = float(_value(window, "x"))
    assert x == pytest.approx(1 + 3 * 0.02, abs=1e-9)      # a hundredth of the range 1 ± 1, three times
    assert float(node_by_label(window.scene.graph, "x").gradient) == pytest.approx(3 * x * x, rel=1e-12)


def _mouse(widget, kind, x, y, buttons, modifiers=Qt.KeyboardModifier.NoModifier):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(x, y), widget.mapToGlobal(QPointF(x, y)), button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def test_dragging_a_value_cell_sideways_scrubs_it(window, qtbot):
    show(window, qtbot, "f = x * y")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "1"), VariableSpec("y", "5")])
    table = window.inputs.table
    rect = table.visualRect(table.model().index(0, 1))
    viewport = table.viewport()
    x0, y0 = rect.center().x(), rect.center().y()
    held = Qt.MouseButton.LeftButton
    edits = window.undo_stack.count()
    _mouse(viewport, QEvent.Type.MouseButtonPress, x0, y0, held)
    _mouse(viewport, QEvent.Type.MouseMove, x0 + 10, y0, held)
    _mouse(viewport, QEvent.Type.MouseMove, x0 + 30, y0, held)
    _mouse(viewport, QEvent.Type.MouseMove, x0 + 40, y0, held, Qt.KeyboardModifier.ShiftModifier)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, x0 + 40, y0, Qt.MouseButton.NoButton)
    _settle(window, qtbot)
    # 30 px at 0.01 a pixel (the range 1 ± 1 in steps of 0.002, five a pixel), then 10 px at a tenth of that
    assert float(_value(window, "x")) == pytest.approx(1 + 0.30 + 0.01, abs=1e-9)
    x = float(_value(window, "x"))
    assert float(node_by_label(window.scene.graph, "y").gradient) == pytest.approx(x, rel=1e-12)
    assert window.undo_stack.count() == edits + 1
    assert table.item(0, 1).text() == "1.31"


def test_a_tensor_input_scrubs_the_chosen_element(window, qtbot):
    show(window, qtbot, "f = sum(w * w)")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("w", "[1, 2, 3]")])
    row = window.inputs.sliders.rows["w"]
    assert row.element.isVisible() and row.element.count() == 3
    row.element.setCurrentIndex(1)          # w[1] = 2: the slider spans 2 ± 2
    _drag_slider(window, qtbot, "w", [750])
    w = _value(window, "w")
    assert w[0] == 1 and w[2] == 3 and w[1] == pytest.approx(3.0)
    node = node_by_label(window.scene.graph, "w")
    np.testing.assert_allclose(node.gradient, 2 * w, rtol=1e-12)          # d/dw Σ w² = 2w


def test_a_value_that_is_not_finite_disables_its_slider(window, qtbot):
    show(window, qtbot, "f = x * y")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "1e309"), VariableSpec("y", "1e300")])
    rows = window.inputs.sliders.rows
    assert not rows["x"].slider.isEnabled() and "finite" in rows["x"].slider.toolTip()
    assert rows["y"].slider.isEnabled()
    _drag_slider(window, qtbot, "y", [750])
    y = float(_value(window, "y"))
    assert y == pytest.approx(1.5e300, rel=1e-9)
    assert "e+300" in next(v.value for v in window.model.document.variables if v.name == "y")

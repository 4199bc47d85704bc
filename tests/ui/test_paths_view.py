"""View ▸ Sum over paths: the dialog lists every path from the chosen input to the chosen output
with its product of partials; the sum equals the derivative in closed form and the tape's gradient."""
import math

from adviz.graph import format_value
from adviz.model import Document, VariableSpec

from .conftest import show


def open_dialog(window):
    window.actions_by_key["paths"].trigger()
    return window.paths_dialog


def test_menu_entry_and_the_sum_for_a_fan_out_and_fan_in(window, qtbot):
    graph = show(window, qtbot, "f = x*y + x**2")
    x, y = (float(next(n.value for n in graph.nodes.values() if n.label == k)) for k in ("x", "y"))
    action = window.actions_by_key["paths"]
    assert action in window.view_menu.actions() and action.shortcut().toString() == "Ctrl+Shift+U"
    dialog = open_dialog(window)
    assert dialog.source.currentText() == "x" and dialog.target.currentText() == "f"
    assert dialog.paths.rowCount() == 3                      # two paths and their sum
    products = sorted(dialog.paths.item(k, 1).text() for k in range(2))
    assert products == sorted([format_value(y), format_value(2 * x)])       # ∂f/∂x = y + 2x, path by path
    assert dialog.paths.item(2, 1).text() == format_value(y + 2 * x)
    assert "the same" in dialog.answer.text() and format_value(y + 2 * x) in dialog.answer.text()
    labels = [dialog.factors.item(k, 0).text() for k in range(dialog.factors.rowCount())]
    assert labels[0] == "x" and labels[-1] == "f"
    f_row = labels.index("f")
    assert dialog.factors.item(f_row, 1).text() == "2"                       # two paths come into f
    assert dialog.factors.item(f_row, 2).text() == format_value(y + 2 * x)  # its tangent: their sum
    assert dialog.factors.item(0, 4).text() == format_value(y + 2 * x)      # x's adjoint: the same sum


def test_choosing_another_input_and_an_edit_rebuild_it(window, qtbot):
    show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    dialog = open_dialog(window)
    dialog.source.setCurrentIndex(dialog.source.findText("y"))
    graph = window.scene.graph
    x, y = (float(next(n.value for n in graph.nodes.values() if n.label == k)) for k in ("x", "y"))
    assert dialog.paths.rowCount() == 2
    assert dialog.paths.item(1, 1).text() == format_value(math.cos(x * y) * x)   # ∂f/∂y = cos(xy)·x
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.load(Document(text="f = sum(w*w)", variables=[VariableSpec("w", "[1, 2]")]))
    assert "scalar graphs" in dialog.answer.text() and dialog.paths.rowCount() == 0
    assert dialog.source.currentText() == "w"


def test_it_starts_from_the_node_selected_on_the_canvas(window, qtbot):
    graph = show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    u = next(n.id for n in graph.nodes.values() if n.label == "u")
    window.scene.nodes[u].setSelected(True)
    dialog = open_dialog(window)
    assert dialog.source.currentText() == "u" and dialog.target.currentText() == "f"
    x, y = (float(next(n.value for n in graph.nodes.values() if n.label == k)) for k in ("x", "y"))
    assert dialog.paths.rowCount() == 2                                    # one path, and the sum
    assert dialog.paths.item(1, 1).text() == format_value(math.cos(x * y))   # ∂f/∂u = cos(u)
    assert "tape's gradient" not in dialog.answer.text()                   # u is not a source of the call

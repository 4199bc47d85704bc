"""Ctrl+F finds a node by name, label or op, centres and selects it."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from adviz.ui.find import matches

from .conftest import node_by_label, show

TEXT = "\n".join(["a0 = sin(x) * y", "a1 = cos(a0) + x"] + [f"a{k} = tanh(a{k - 1}) + a{k - 2}" for k in range(2, 30)]
                 + ["f = a29 * 2"])


def test_matches_name_label_and_op(window, qtbot):
    graph = show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    ids = lambda text: [graph.nodes[i].label for i in matches(graph, text)]   # noqa: E731
    assert ids("u") == ["u", "sin(u)"]               # the exact match first
    assert "sin(u)" in ids("SIN") and "x" in ids("x")
    assert matches(graph, "  ") == [] and matches(graph, "nothing here") == []
    mul = matches(graph, "mul")                     # by op name
    assert mul and all("mul" in graph.nodes[i].op for i in mul)


def test_ctrl_f_centres_and_selects_the_node(window, qtbot):
    graph = show(window, qtbot, TEXT)
    window.view.reset_zoom()
    window.view.centerOn(window.scene.nodes[node_by_label(graph, "f").id])       # far from a3
    bar = window.find_bar
    assert window.actions_by_key["find"].shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.actions_by_key["find"].trigger()
    assert bar.isVisible()
    qtbot.keyClicks(bar.field, "a3")                 # a3 itself first, then tanh(a3)
    target = node_by_label(graph, "a3")
    item = window.scene.nodes[target.id]
    assert item.isSelected() and window.scene.selectedItems() == [item]
    view = window.view
    centre = view.mapToScene(view.viewport().rect().center())
    # Centred, as far as the scene's edge lets the view scroll.
    bars = (view.horizontalScrollBar(), view.verticalScrollBar())
    for delta, bar_ in zip((centre.x() - item.pos().x(), centre.y() - item.pos().y()), bars):
        assert abs(delta) < 2 or bar_.value() in (bar_.minimum(), bar_.maximum())
    assert view.viewport().rect().contains(view.mapFromScene(item.pos()))
    assert bar.count.text() == f"1 of {len(bar.found)}"
    # Enter walks through several matches; Esc closes the bar.
    bar.field.clear()
    qtbot.keyClicks(bar.field, "tanh")
    first = bar.found[bar.index]
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.found[bar.index] != first and bar.count.text() == f"2 of {len(bar.found)}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.found[bar.index] == first
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_no_match_says_so(window, qtbot):
    show(window, qtbot, "f = x*y")
    window.actions_by_key["find"].trigger()
    qtbot.keyClicks(window.find_bar.field, "zzz")
    assert window.find_bar.count.text() == "no match"
    assert window.scene.selectedItems() == []


def test_enter_after_a_new_picture_searches_it(window, qtbot):
    show(window, qtbot, "u = x*y\nf = sin(u)")
    window.actions_by_key["find"].trigger()
    qtbot.keyClicks(window.find_bar.field, "u")
    show(window, qtbot, "u = x + y\nv = u * u\nf = sin(v)")           # other nodes now
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    selected = window.scene.selectedItems()
    assert len(selected) == 1 and selected[0].node.label == "u"

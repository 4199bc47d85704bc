"""Every None explained on the picture: the cause in words, the cut where the chain breaks, the fix."""
from __future__ import annotations

from .conftest import node_by_label, show

NON_PERSISTENT = """import adviz as tf
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = x * x
    z = y * x
dy = tape.gradient(y, x)
dz = tape.gradient(z, x)
"""


def set_kind(window, qtbot, name: str, kind: int) -> None:
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index(name)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.cellWidget(row, 2).setCurrentIndex(kind)


def test_an_unwatched_constant_says_why_where_and_how_to_fix_it(window, qtbot):
    show(window, qtbot, "f = c * x")
    set_kind(window, qtbot, "c", 3)                       # constant, not watched
    graph = window.scene.graph
    c = window.scene.nodes[node_by_label(graph, "c").id]
    assert c.node.cause.code == "constant-not-watched"
    assert c.badge_text() == "gradient: None · not watched"
    assert c.broken, "the chain breaks at c"
    assert all((window.scene.nodes.get(b) or window.scene.edges.get(b)).broken for b in c.node.cause.breaks)
    assert "Why None" in c.toolTip() and "watch(c)" in c.toolTip()
    c.setSelected(True)
    assert window.details.fix_button.isVisible() or not window.details.isVisible()
    assert "never told to watch" in window.details.text.text()
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.details.fix_button.click()                 # watch it
    assert {v.name: v.kind for v in window.document.variables}["c"] == "watched"
    c = window.scene.nodes[node_by_label(window.scene.graph, "c").id]
    assert c.node.cause is None and c.node.gradient_text != "None"
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.undo_stack.undo()                          # the fix is one edit
    assert {v.name: v.kind for v in window.document.variables}["c"] == "constant"


def test_a_failed_call_is_drawn_as_a_failure_and_the_card_goes_with_it(window, qtbot):
    show(window, qtbot, NON_PERSISTENT)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.choose_call(1)
    reason, fix = window.view.failure
    assert "non-persistent GradientTape" in reason and "persistent=True" in fix
    x = window.scene.nodes[node_by_label(window.scene.graph, "x").id]
    assert not x.state.badge, "never a None badge on a failed call"
    assert window.view.stale_message == ""
    assert not window.inputs.persistent.isChecked() and not window.inputs.persistent.isEnabled()
    assert "released" in window.inputs.tape_state.text() and "asked 2×" in window.inputs.tape_state.text()
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.choose_call(0)
    assert window.view.failure is None
    assert "watched automatically" in window.inputs.tape_state.toolTip() and "watches x" in window.inputs.tape_state.text()


def test_the_failure_card_is_never_cut_at_1280_wide(window, qtbot):
    from PySide6.QtGui import QImage, QPainter
    window.resize(1280, 720)
    show(window, qtbot, NON_PERSISTENT)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.choose_call(1)
    image = QImage(window.view.viewport().size(), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    window.view._paint_failure(painter, *window.view.failure)     # wraps: returns no elided text
    painter.end()
    reason, _fix = window.view.failure
    assert "…" not in reason and len(reason) > 80


def test_hover_explains_infinite_values_and_the_symbols_of_a_partial(window, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QHoverEvent
    show(window, qtbot, "f = log(x) * y")
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("x")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.item(row, 1).setText("0")
    graph = window.scene.graph
    log = next(i for i in window.scene.nodes.values() if i.node.op == "log")
    tip = log.more_tip(log)
    assert "inf" in tip and "0" in tip, tip
    edge = next(e for e in window.scene.edges.values() if e.edge.target == log.node.id)
    assert "∂" in edge.more_tip(edge)
    window.scene.clearSelection()
    window._on_selection()
    assert "∂" in window.details.text.text() and "The tape" in window.details.text.text()


def test_in_a_lesson_the_fix_is_a_line_to_change_never_an_edit(window, qtbot):
    show(window, qtbot, NON_PERSISTENT)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.choose_call(1)
    _reason, fix = window.view.failure
    assert "line 3:" in fix and "GradientTape(persistent=True) as tape" in fix
    assert window.inputs.editor.toPlainText() == NON_PERSISTENT, "nothing edited"


def test_model_script_change_writes_one_line():
    from adviz.model.fixes import script_change
    text = "import adviz as tf\nx = tf.constant(3.0)\nwith tf.GradientTape() as g:\n    y = x * x\nprint(g.gradient(y, x))\n"
    assert script_change(text, "watch:x", "g", 5) == "after line 3 add:  `    g.watch(x)`"
    assert script_change(text, "persistent", "g", 5) == (
        "line 3:  `with tf.GradientTape() as g:`  →  `with tf.GradientTape(persistent=True) as g:`")
    assert script_change(text, "watch:x", "nope", 5) == ""


def test_the_finite_difference_check_works_in_a_lesson(window, qtbot):
    show(window, qtbot, NON_PERSISTENT)
    x = window.scene.nodes[node_by_label(window.scene.graph, "x").id]
    x.setSelected(True)
    assert not window.details.check_button.isHidden()
    with qtbot.waitSignal(window.checkShown, timeout=10000) as checked:
        window.details.check_button.click()
    assert checked.args[0].ok, checked.args[0]


def test_hovering_an_item_writes_its_extra_tip_once(window, qtbot):
    from PySide6.QtWidgets import QGraphicsSceneHoverEvent
    graph = show(window, qtbot, "f = log(x)")
    item = window.scene.nodes[node_by_label(graph, "f").id]
    calls = []
    item.more_tip = lambda it: calls.append(it) or "<br>extra"
    for _ in range(2):
        item.hoverEnterEvent(QGraphicsSceneHoverEvent(QGraphicsSceneHoverEvent.Type.GraphicsSceneHoverEnter))
    assert calls == [item] and item.toolTip().endswith("<br>extra") and item.more_tip is None


def test_the_extra_tip_is_written_before_the_tooltip_shows(window, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication
    graph = show(window, qtbot, "f = log(x)")
    item = window.scene.nodes[node_by_label(graph, "f").id]
    item.more_tip = lambda it: "<br>extra"
    at = window.view.mapFromScene(item.pos())
    QApplication.sendEvent(window.view.viewport(),
                           QHelpEvent(QEvent.Type.ToolTip, at, window.view.viewport().mapToGlobal(at)))
    assert item.toolTip().endswith("<br>extra")

"""The first minute and the class: no spoilers, a steady caption, New that really is new, keys that work."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from .conftest import node_by_label, show

FAN_OUT = "f = x*y + x**2"


def test_final_gradients_appear_when_the_pass_reaches_them(window, qtbot):
    graph = show(window, qtbot, FAN_OUT)
    x = window.scene.nodes[node_by_label(graph, "x").id]
    y = window.scene.nodes[node_by_label(graph, "y").id]
    window.player.go(0, animate=False)
    assert not x.state.badge and not y.state.badge, "no answer at the seed"
    last = window.player.length() - 1
    window.player.go(last, animate=False)
    assert x.state.badge and y.state.badge
    window.actions_by_key["answers"].trigger()      # a teacher wants them all from the start
    window.player.go(0, animate=False)
    assert x.state.badge and y.state.badge
    window.actions_by_key["answers"].trigger()
    assert not x.state.badge


def test_a_none_badge_explains_the_tape_from_the_first_step(window, qtbot):
    graph = show(window, qtbot, "f = c * x")
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("c")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.cellWidget(row, 2).setCurrentIndex(3)         # constant, not watched
    c = window.scene.nodes[node_by_label(window.scene.graph, "c").id]
    window.player.go(0, animate=False)
    assert c.node.gradient_text == "None" and c.state.badge


def test_the_caption_keeps_one_height_over_the_whole_pass(window, qtbot):
    show(window, qtbot, FAN_OUT)
    heights = set()
    for step in range(window.player.length()):
        window.player.go(step, animate=False)
        heights.add(window.step_line.height())
    assert len(heights) == 1


def test_new_clears_the_lesson_and_an_empty_editor_is_not_an_error(window, qtbot, monkeypatch):
    from adviz.ui.lesson import shipped_lessons
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        window.open_lesson(shipped_lessons()[0][1])
    window.sessions.mark_clean()
    with qtbot.waitSignal(window.model.outcomeChanged, timeout=5000):
        assert window.sessions.new()
    assert window.inputs_dock.isVisible() and not window.lesson_dock.isVisible()
    assert window.lesson.trace is None and window.lesson.calls.count() == 0
    assert window.inputs.error_label.isHidden() and window.inputs.editor.error is None
    assert window.scene.graph is None and window.view.stale_message == ""


def test_quit_has_one_unambiguous_shortcut(window):
    keys = [k.toString() for k in window.actions_by_key["quit"].shortcuts()]
    assert keys.count("Ctrl+Q") == 1
    bound: dict[str, str] = {}
    for name, action in window.actions_by_key.items():
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert bound.setdefault(text, name) == name, f"{text} is bound to {bound[text]} and {name}"


def test_the_printed_output_never_runs_past_the_call_drawn(window, qtbot):
    script = ("import adviz as tf\nx = tf.Variable(2.0)\n"
              "'''## First'''\nwith tf.GradientTape() as t:\n    y = x * x\nprint('first', t.gradient(y, x).numpy())\n"
              "'''## Second'''\nwith tf.GradientTape() as u:\n    z = x * x * x\nprint('second', u.gradient(z, x).numpy())\n")
    show(window, qtbot, script)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.choose_call(1)
    lesson = window.lesson
    lesson.go(len(lesson.cells()) - 1, emit=False)
    assert "second" in lesson.console.toPlainText()
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.choose_call(0)
    assert "first" in lesson.console.toPlainText() and "second" not in lesson.console.toPlainText()


def test_predict_mode_hides_each_steps_adjoints_until_the_next_key(window, qtbot):
    graph = show(window, qtbot, "f = x * y")
    x = window.scene.nodes[node_by_label(graph, "x").id]
    window.actions_by_key["predict"].trigger()
    window.player.go(window.player.length() - 1, animate=False)
    assert x.state.adjoint == "?"
    window.actions_by_key["next"].trigger()          # the first press reveals
    assert x.state.adjoint not in ("", "?") and window.player.index == window.player.length() - 1
    window.actions_by_key["predict"].trigger()


def test_a_first_start_draws_the_example_and_offers_three_ways_to_begin(window, qtbot):
    from PySide6.QtWidgets import QPushButton
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        window.first_start()
    assert window.welcome.isVisible() and window.inputs_dock.isVisible()
    buttons = [b.text() for b in window.welcome.findChildren(QPushButton)]
    assert buttons == ["Type a function", "Open a lesson", "Open a script…"]
    assert not window.inputs.error_label.isVisible() and window.scene.graph is not None
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.set_text("f = x * y")
    assert not window.welcome.isVisible(), "the card goes at the first edit"


def test_a_fitted_graph_refits_when_a_panel_closes_but_a_chosen_zoom_stays(window, qtbot):
    show(window, qtbot, FAN_OUT)
    window.view.fit()
    before = window.view.zoom()
    window.inputs_dock.hide()
    qtbot.waitUntil(lambda: window.view.zoom() != before, timeout=3000)
    window.view.zoom_by(1.5)
    chosen = window.view.zoom()
    window.inputs_dock.show()
    QApplication.processEvents()         # the resize reaches the view
    assert window.view.zoom() == chosen


def test_forward_mode_plays_tangents_as_dual_numbers(window, qtbot):
    graph = show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    window.transport.mode.setCurrentIndex(window.transport.mode.findData("tangent"))
    assert window.player.length() == len(graph.tangent) > 1
    window.player.go(window.player.length() - 1, animate=False)
    f = window.scene.nodes[next(n.id for n in graph.nodes.values() if n.is_target)]
    x = window.scene.nodes[node_by_label(graph, "x").id]
    assert x.state.tangent == "2 + 1·ε"
    # ∂f/∂x at (2, 3) = y·cos(xy) + 2x, carried forward as f's tangent
    import math
    expected = 3 * math.cos(6) + 4
    assert f.state.tangent.endswith(f"{expected:.4g}·ε") or f"{expected:.4g}" in f.state.tangent
    assert "tangents" in window.step_line.text()


def test_the_trace_table_follows_the_pass_and_the_canvas_both_ways(window, qtbot):
    graph = show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    window.actions_by_key["show_trace"].trigger()
    table = window.trace
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert labels[:2] == ["x", "y"] or set(labels[:2]) == {"x", "y"}
    assert labels[-1] == "f" and "sin(u)" in labels
    window.player.go(1, animate=False)
    step = graph.backward[1]
    assert table._current == step.node
    u = node_by_label(graph, "u").id
    table.selectRow(table.ids.index(u))
    assert window.scene.nodes[u].isSelected()
    x = node_by_label(graph, "x").id
    window.scene.clearSelection()
    window.scene.nodes[x].setSelected(True)
    assert table.selectionModel().selectedRows()[0].row() == table.ids.index(x)
    table.nodeHovered.emit(u)
    assert window.view._lit is window.scene.nodes[u]
    # forward mode fills the tangent column: ẋ = 1 seeds it, ḟ = ∂f/∂x
    adjoint_x = table.item(table.ids.index(x), 4).text()
    tangent_f = table.item(table.ids.index(graph.targets[0]), 3).text()
    assert adjoint_x == tangent_f, "one reverse pass and one forward pass agree on ∂f/∂x"

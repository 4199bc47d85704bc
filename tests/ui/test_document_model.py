"""The document model and the views that reflect it; one regression test for each bug it fixed."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from adviz.model import Document, VariableSpec
from adviz.ui.canvas import Canvas
from adviz.ui.inputs import InputsPanel
from adviz.ui.lesson import shipped_lessons
from adviz.ui.model import DocumentModel
from adviz.ui.sessions import SessionController
from adviz.ui.theme import theme_named
from adviz.ui.window import MainWindow

from .conftest import node_by_label, show

# A non-persistent tape asked twice: the second call is an error.
USED_UP = """import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = x * x
dy = tape.gradient(y, x)
again = tape.gradient(y, x)
"""
PERSISTENT = """import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
    tape.watch(x)
    y = x * x
    z = y * x
dy = tape.gradient(y, x)
dz = tape.gradient(z, x)
"""


def computed(qtbot, model: DocumentModel, action) -> None:
    with qtbot.waitSignal(model.outcomeChanged, timeout=5000):
        action()


# -- views built from a model alone ----------------------------------------------------
def test_inputs_panel_reflects_the_model_and_sends_it_edits(qtbot):
    model = DocumentModel()
    panel = InputsPanel()
    qtbot.addWidget(panel)
    panel.bind(model)
    doc = Document("f = a*b", [VariableSpec("a", "2"), VariableSpec("b", "5", "constant", False)], persistent=True)
    computed(qtbot, model, lambda: model.load(doc))
    assert panel.editor.toPlainText() == "f = a*b" and panel.persistent.isChecked()
    assert [(v.name, v.kind) for v in panel.table.variables()] == [("a", "variable"), ("b", "constant")]
    assert panel.target.currentText() == "f"
    computed(qtbot, model, lambda: panel.watch_accessed.setChecked(False))
    assert model.document.watch_accessed_variables is False
    assert model.undo_stack.count() == 1 and model.modified
    computed(qtbot, model, model.undo_stack.undo)
    assert panel.watch_accessed.isChecked() and not model.modified
    model.stop()


def test_canvas_draws_the_models_outcome_and_reports_drags(qtbot):
    model = DocumentModel()
    canvas = Canvas(model, theme_named("light"))
    qtbot.addWidget(canvas.view)
    canvas.view.resize(800, 500)
    canvas.view.show()
    with qtbot.waitSignal(canvas.shown, timeout=5000):
        model.load(Document("f = x*y + x", [VariableSpec("x", "2"), VariableSpec("y", "3")]))
    assert canvas.scene.graph is model.outcome.graph and canvas.view.stale_message == ""
    assert model.length() == len(model.outcome.graph.backward) > 1
    model.set_step(model.length() - 1)
    assert canvas.scene.step == model.length() - 1 and canvas.step_line.text()
    item = canvas.scene.nodes[node_by_label(model.outcome.graph, "x").id]
    item.setPos(QPointF(-300.0, 40.0))
    canvas.scene.node_moved(item)
    assert model.moved == {item.node.id: (-300.0, 40.0)} and model.modified
    assert model.live_layout().positions[item.node.id] == (-300.0, 40.0)
    model.stop()


# -- regressions ------------------------------------------------------------------------
def test_an_errors_banner_does_not_stay_over_the_next_document(window, qtbot):
    show(window, qtbot, USED_UP)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.choose_call(1)
    assert "non-persistent" in window.view.failure[0]
    lessons = shipped_lessons()
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        assert window.open_lesson(lessons[0][1])
    assert window.view.stale_message == "" and window.view.failure is None, "lesson 1 has no error: no banner"
    assert not window.outcome.graph.error and window.document.call == 0


def test_a_scripts_tape_options_show_in_the_tape_panel(window, qtbot):
    show(window, qtbot, PERSISTENT)
    assert window.inputs.persistent.isChecked(), "the script says persistent=True"
    assert not window.inputs.watch_accessed.isChecked(), "the script says watch_accessed_variables=False"
    assert not window.inputs.persistent.isEnabled(), "a script sets its own options"
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.set_text(USED_UP)
    assert not window.inputs.persistent.isChecked() and window.inputs.watch_accessed.isChecked()


def test_choosing_a_call_is_not_an_edit_and_files_keep_their_names(window, qtbot, tmp_path, monkeypatch):
    script = tmp_path / "two_calls.py"
    script.write_text(PERSISTENT, encoding="utf-8")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        assert window.sessions.open_path(script)
    assert window.windowTitle().startswith("two_calls.py[*]") and not window.sessions.modified
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.inputs.call.setCurrentIndex(1)
    assert window.document.call == 1
    assert not window.sessions.modified and not window.isWindowModified()
    assert window.undo_stack.count() == 0
    title, path = shipped_lessons()[1]
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        window.open_lesson(path)
    assert window.windowTitle().startswith(f"{title}[*]") and not window.sessions.modified


def press_on_x(window, qtbot):
    """Show ``f = x*y`` and press the mouse on x: the item, where it was, the viewport and the point."""
    graph = show(window, qtbot, "f = x*y")
    x = window.scene.nodes[node_by_label(graph, "x").id]
    viewport = window.view.viewport()
    at = window.view.mapFromScene(x.pos())
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    return x, QPointF(x.pos()), viewport, at


def test_a_click_that_opens_the_details_does_not_pin_the_node(window, qtbot):
    x, before, viewport, at = press_on_x(window, qtbot)
    # The Details panel opening re-centres the view under a still pointer.
    window.view.horizontalScrollBar().setValue(window.view.horizontalScrollBar().value() + 40)
    window.view.verticalScrollBar().setValue(window.view.verticalScrollBar().value() + 25)
    QTest.mouseMove(viewport, at)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    assert x.isSelected()
    assert x.pos() == before and not x.moved_by_user and window.model.moved == {}
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.set_text("f = x**2 * y + exp(x)")
    graph = window.scene.graph
    two = window.scene.nodes[node_by_label(graph, "2").id]
    x = window.scene.nodes[node_by_label(graph, "x").id]
    assert x.pos() != two.pos(), "the literal 2 is not drawn on top of x"
    window.sessions.mark_clean()


def test_a_real_drag_still_moves_and_pins_the_node(window, qtbot):
    x, before, viewport, at = press_on_x(window, qtbot)
    for k in range(1, 6):
        QTest.mouseMove(viewport, at + QPoint(0, 12 * k))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at + QPoint(0, 60))
    assert x.pos().y() > before.y() + 20 and x.moved_by_user
    assert window.model.moved[x.node.id] == (x.pos().x(), x.pos().y()) and window.sessions.modified
    window.sessions.mark_clean()


def test_a_second_instance_never_offers_a_running_ones_work(window, qtbot, settings, monkeypatch):
    show(window, qtbot, "f = x*y")
    show(window, qtbot, "f = x*y + 1")
    assert window.sessions.autosave()
    asked: list = []
    monkeypatch.setattr(SessionController, "_ask_to_recover", lambda self, path: asked.append(path) or True)
    second = MainWindow(settings)          # started while the first one runs
    qtbot.addWidget(second)
    assert second.sessions.autosave_path != window.sessions.autosave_path
    assert second.sessions.offer_recovery() is False and asked == []
    second.close()
    # The first one's process ends without closing: a later start offers its work back.
    window.sessions._slot.release()
    third = MainWindow(settings)
    qtbot.addWidget(third)
    assert third.sessions.autosave_path == window.sessions.autosave_path
    with qtbot.waitSignal(third.graphShown, timeout=5000):
        assert third.sessions.offer_recovery() is True
    assert asked and third.inputs.editor.toPlainText() == "f = x*y + 1"
    for win in (window, third):
        win.sessions.mark_clean()


def test_opening_a_lesson_asks_before_replacing_unsaved_work(window, qtbot, monkeypatch):
    show(window, qtbot, "f = x*y")
    window.sessions.mark_clean()
    show(window, qtbot, "f = x*y + 3")
    assert window.sessions.modified
    asked: list = []
    monkeypatch.setattr(window.sessions, "_ask_to_save", lambda: asked.append(1) or SessionController.CANCEL)
    assert window.open_lesson(shipped_lessons()[0][1]) is False
    assert asked == [1] and window.inputs.editor.toPlainText() == "f = x*y + 3"
    window.sessions.mark_clean()


def test_a_new_picture_shows_its_step_once(window, qtbot, monkeypatch):
    show(window, qtbot, "f = x*y")
    calls: list = []
    original = type(window.scene).show_step
    monkeypatch.setattr(type(window.scene), "show_step",
                        lambda self, *args, **kw: (calls.append(args), original(self, *args, **kw))[1])
    show(window, qtbot, "f = x*y + sin(x)")
    assert len(calls) == 1, calls


def test_a_run_the_worker_had_to_stop_is_located_and_keeps_its_output(window, qtbot, monkeypatch):
    from adviz.model.isolation import shared
    monkeypatch.setattr(shared(), "timeout", 0.3)
    script = ("import adviz as tf\nx = tf.constant(1.0)\nprint('before')\n"
              "for i in range(90000):\n    y = x * 2.0\nprint('after')\n")
    with qtbot.waitSignal(window.errorShown, timeout=10000) as shown:
        window.set_text(script)
    assert shown.args[0].startswith("line 5, col 5: the run took longer than 0.3 s")
    assert window.inputs.editor.error is not None
    assert "before" in window.lesson.console.toPlainText()
    monkeypatch.undo()
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        window.set_text("f = x*y")


def test_the_lesson_says_how_many_calls_were_computed_without_a_picture(qtbot):
    from adviz.lang.trace import Trace
    from adviz.ui.lesson import LessonPanel
    panel = LessonPanel()
    qtbot.addWidget(panel)
    panel.set_trace("print(1)\n", Trace(unpictured=12_345))
    last = panel.calls.item(panel.calls.count() - 1)
    assert "12,345 more gradient calls" in last.text() and not last.flags() & Qt.ItemFlag.ItemIsSelectable


TUTORIAL_PAIR = """import adviz as tf
x = tf.constant(3.0)
with tf.GradientTape() as g:
    f = x ** 2
print(g.gradient(f, x))
v = tf.Variable(3.0)
with tf.GradientTape() as h:
    f2 = v ** 2
print(h.gradient(f2, v))
"""


def test_two_calls_side_by_side_mark_what_differs(window, qtbot):
    from adviz.ui.compare import CompareDialog
    show(window, qtbot, TUTORIAL_PAIR)
    dialog = CompareDialog(window.model, "light", window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.comparison is not None, timeout=10000)
    texts = [row.text for row in dialog.comparison.rows]
    assert any(t.startswith("gradient of") for t in texts) or any("only in" in t for t in texts), texts
    assert any("recorded ops: 0 → 1" in t for t in texts), texts
    assert dialog.highlighted(0) and dialog.highlighted(1)
    assert dialog.views[0].scene().graph is not dialog.views[1].scene().graph


def test_details_show_value_adjoint_and_gradient_in_full(qtbot):
    from adviz.model import compute
    from adviz.ui.details import DetailsPanel
    outcome = compute(Document("f = reduce_sum(w * w)", [VariableSpec("w", "[[1, 2], [3, 4]]")]))
    w = next(n for n in outcome.graph.nodes.values() if n.label == "w")
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.show_node(w, can_check=True)
    tabs = [panel.tables.tabText(k) for k in range(panel.tables.count())]
    assert tabs == ["value (2×2)", "adjoint (2×2)", "gradient (2×2)"]
    gradient = panel.tables.widget(2)
    # ∂/∂w Σ w² = 2w, every element
    assert [[gradient.item(i, j).text() for j in range(2)] for i in range(2)] == [["2", "4"], ["6", "8"]]
    assert "[2, 4, 6, 8]" in panel.text.text()


def test_small_tensors_are_drawn_as_matrices_and_large_ones_as_thumbnails():
    from adviz.ui.node_item import heat_grid, matrix_lines
    assert matrix_lines([[1, 2], [3, 40]]) == ["[1  \u20072]", "[3  40]"]     # columns aligned by figure spaces
    assert len(matrix_lines(np.ones((4, 4)))) == 4 and matrix_lines(np.ones((5, 5))) == []
    grid, low, high, shape = heat_grid(np.arange(30 * 20).reshape(30, 20))
    assert grid.shape[0] <= 12 and grid.shape[1] <= 12 and (low, high, shape) == (0.0, 599.0, "30×20")

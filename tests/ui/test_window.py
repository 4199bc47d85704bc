"""The app as a person uses it: type, read the picture, step the backward pass."""
import math
import os

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from adviz.ui.items import EdgeItem, NodeItem

from .conftest import node_by_label, show


def test_typing_a_function_builds_nodes_and_values(window, qtbot):
    graph = show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    labels = {n.label for n in graph.nodes.values()}
    assert {"x", "y", "u", "f", "sin(u)", "x²"} <= labels
    x, y = 2.0, 3.0   # the starting values of the example's inputs
    assert float(node_by_label(graph, "u").value) == pytest.approx(x * y)
    assert float(node_by_label(graph, "f").value) == pytest.approx(math.sin(x * y) + x * x)
    assert set(window.scene.nodes) == set(graph.nodes)
    assert len(window.scene.edges) == len(graph.edges)


def test_an_edit_updates_the_picture_and_keeps_ids(window, qtbot):
    graph = show(window, qtbot, "f = x*y + x**2")
    ids = set(graph.nodes)
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("x")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.item(row, 1).setText("5.0")
    graph = window.scene.graph
    assert set(graph.nodes) == ids
    assert float(node_by_label(graph, "f").value) == pytest.approx(5 * 3 + 25)


def test_syntax_error_shows_column_and_keeps_last_picture(window, qtbot):
    show(window, qtbot, "f = x*y")
    before = dict(window.scene.nodes)
    with qtbot.waitSignal(window.errorShown, timeout=5000) as blocker:
        window.set_text("f = x*y +* 2")
    message = blocker.args[0]
    assert message.startswith("line 1, col")
    line, col, _ = window.inputs.editor.error
    assert line == 1 and 8 <= col <= 10
    assert window.inputs.error_label.isVisible()
    assert window.scene.nodes == before
    assert "Stale" in window.view.stale_message


def test_backward_steps_put_chain_rule_numbers_on_edges_with_fan_out_sum(window, qtbot):
    graph = show(window, qtbot, "f = x*y + x**2")
    x, y = 2.0, 3.0
    window.player.last()
    node = node_by_label(graph, "x")
    assert float(node.adjoint) == pytest.approx(y + 2 * x)      # d/dx (xy + x²) = y + 2x
    assert float(node_by_label(graph, "y").adjoint) == pytest.approx(x)
    fan_out = [s for s in graph.backward if node.id in s.accumulated]
    assert len(fan_out) == 1, "x is used twice: its second contribution adds to the first"
    step = fan_out[0]
    window.player.go(step.index, animate=False)
    window.scene.show_step("backward", step.index, 0.6)
    state = window.scene.nodes[node.id].state
    first, total = float(step.accumulated[node.id]), float(step.adjoints[node.id])
    assert state.sum_text.startswith(f"{first:g}") and state.sum_text.endswith(f"= {total:g}")
    assert total == pytest.approx(y + 2 * x)
    active = [window.scene.edges[e] for e in step.edges]
    assert all(e.state.active for e in active)
    assert any(f"= {float(step.contributions[e.edge.id]):g}" in e.state.product for e in active)
    assert "∂f/∂x" in window.step_line.text()


def test_none_badge_on_an_unwatched_constant(window, qtbot):
    show(window, qtbot, "f = c * x")
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("c")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.cellWidget(row, 2).setCurrentIndex(3)    # constant, not watched
    c = node_by_label(window.scene.graph, "c")
    assert c.kind == "constant" and c.gradient_text == "None"
    assert "never watched" in c.reason
    item = window.scene.nodes[c.id]
    assert "Why None" in item.toolTip() and "never told to watch" in item.toolTip()


def test_layout_switching_moves_nodes(window, qtbot):
    show(window, qtbot, "u = x*y\nf = sin(u) + x**2")
    before = {nid: item.pos() for nid, item in window.scene.nodes.items()}
    with qtbot.waitSignal(window.scene.layoutAnimationFinished, timeout=5000):
        window.set_layout("circular")
    after = {nid: item.pos() for nid, item in window.scene.nodes.items()}
    assert any(before[n] != after[n] for n in before)
    assert window.actions_by_key["layout_circular"].isChecked()
    with qtbot.waitSignal(window.scene.layoutAnimationFinished, timeout=5000):
        window.set_layout("layered", "TB")
    ys = {nid: item.pos().y() for nid, item in window.scene.nodes.items()}
    graph = window.scene.graph
    assert all(ys[e.source] < ys[e.target] for e in graph.edges.values())


def test_details_finite_difference_check(window, qtbot):
    graph = show(window, qtbot, "f = sin(x) * y")
    node = node_by_label(graph, "x")
    window.scene.nodes[node.id].setSelected(True)
    assert window.details.check_button.isVisible()
    with qtbot.waitSignal(window.checkShown, timeout=10000) as blocker:
        window.details.check_button.click()
    result = blocker.args[0]
    assert result.ok and result.rel_error < 1e-6
    assert float(result.analytic) == pytest.approx(math.cos(2.0) * 3.0, rel=1e-9)
    assert "agrees" in window.details.check_label.text()


def test_theme_switching_changes_canvas_and_widgets(window, qtbot):
    show(window, qtbot, "f = x*x")
    window.apply_theme("dark")
    assert window.scene.theme.dark
    assert all(item.theme.dark for item in window.scene.nodes.values())
    assert window.palette().color(window.backgroundRole()).lightness() < 100
    image = window.view.grab().toImage()
    assert image.pixelColor(5, 5).lightness() < 80
    window.apply_theme("light")
    assert window.view.grab().toImage().pixelColor(5, 5).lightness() > 200


def test_keyboard_drives_the_transport(window, qtbot):
    show(window, qtbot, "f = x*y + x**2")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_End)
    assert window.player.index == window.player.length() - 1
    qtbot.keyClick(window.view, Qt.Key.Key_Home)
    assert window.player.index == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.player.index == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Left)
    assert window.player.index == 0


def test_playing_animates_through_frames(window, qtbot):
    show(window, qtbot, "f = x*y + x**2")
    window.player.set_speed(8.0)
    frames = window.player.frames
    with qtbot.waitSignal(window.player.playingChanged, timeout=10000, check_params_cb=lambda p: p is False):
        window.player.play()
    assert window.player.index == window.player.length() - 1
    assert window.player.frames - frames > window.player.length()     # in-between frames, not jumps


def test_qt_overrides_are_called(window, qtbot):
    show(window, qtbot, "f = x*y")
    window.view.viewport().repaint()
    qtbot.waitUntil(lambda: window.view.background_paints > 0 and window.view.foreground_paints > 0)
    assert all(i.paint_count > 0 for i in window.scene.nodes.values())
    assert all(i.paint_count > 0 for i in window.scene.edges.values())
    zoom = window.view.zoom()
    event = QWheelEvent(QPointF(50, 50), window.view.mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(window.view.viewport(), event)     # Qt's dispatch reaches our wheelEvent
    assert window.view.zoom() > zoom
    node = next(iter(window.scene.nodes.values()))
    edge = node.edges[0]
    before = edge.boundingRect()
    node.setPos(node.pos() + QPointF(0, 120))     # itemChange moves the attached edges
    assert edge.boundingRect() != before
    assert window.inputs.editor.highlighter.document() is window.inputs.editor.document()


def test_dragging_a_node_keeps_its_place_across_edits(window, qtbot):
    show(window, qtbot, "f = x*y")
    node_id = next(n.id for n in window.scene.graph.nodes.values() if n.label == "x")
    item = window.scene.nodes[node_id]
    window.view.fit()
    qtbot.wait(10)
    start = window.view.mapFromScene(item.pos())
    qtbot.mousePress(window.view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(window.view.viewport(), start + type(start)(40, 60))
    qtbot.mouseRelease(window.view.viewport(), Qt.MouseButton.LeftButton, pos=start + type(start)(40, 60))
    moved = window.scene.nodes[node_id].pos()
    assert window.scene.nodes[node_id].moved_by_user
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("y")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.item(row, 1).setText("7")
    assert window.scene.nodes[node_id].pos() == moved


def test_undo_restores_the_previous_text(window, qtbot):
    show(window, qtbot, "f = x*y")
    show(window, qtbot, "f = x*y*y")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.undo_stack.undo()
    assert window.inputs.editor.toPlainText() == "f = x*y"


def test_numeric_trouble_shows_nan_not_a_crash(window, qtbot):
    graph = show(window, qtbot, "f = log(x - 5)")
    assert node_by_label(graph, "f").value_text == "nan"


def test_selecting_an_edge_shows_its_partial(window, qtbot):
    graph = show(window, qtbot, "f = x*y")
    window.player.last()
    edge = next(e for e in window.scene.edges.values() if e.src.node.label == "x")
    edge.setSelected(True)
    assert "∂f/∂x = y" in window.details.text.text()
    assert np.isclose(float(edge.edge.contribution), 3.0)


def test_presentation_mode_keys(window, qtbot):
    show(window, qtbot, "f = x*y + x**2")
    window.player.first()
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    presentation = window.presentation
    assert presentation.active and window.isFullScreen()
    assert window.scene.theme.name == "projector"
    assert not window.inputs_dock.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert window.player.index == 1
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp)
    assert window.player.index == 0
    qtbot.keyClick(window.view, Qt.Key.Key_B)
    assert presentation.blank.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_B)
    assert not presentation.blank.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not presentation.active and not window.isFullScreen()
    assert window.scene.theme.name == "light"
    assert window.inputs_dock.isVisible()


def test_a_ten_megabyte_paste_is_refused_promptly_and_keeps_the_picture(window, qtbot):
    import time
    show(window, qtbot, "f = x*y")
    before = dict(window.scene.nodes)
    text = ("f = x*y + " + "x + " * 40 + "1\n") * 60_000      # about 10 MB
    start = time.perf_counter()
    with qtbot.waitSignal(window.errorShown, timeout=20000) as blocker:
        window.set_text(text)
    assert time.perf_counter() - start < 10
    assert "too" in blocker.args[0].lower() or "limit" in blocker.args[0].lower()
    assert window.scene.nodes == before
    assert window.inputs.editor.highlighter.document() is None


def test_pasting_a_huge_text_is_refused_with_a_message_and_nothing_lost(window, qtbot):
    import time
    from PySide6.QtCore import QMimeData
    show(window, qtbot, "f = x*y")
    data = QMimeData()
    data.setText("f = x + 1\n" * 600_000)      # about 6 MB
    start = time.perf_counter()
    window.inputs.editor.insertFromMimeData(data)    # what Ctrl+V calls
    assert time.perf_counter() - start < 3
    assert "Not pasted" in window.inputs.error_label.text() and window.inputs.error_label.isVisible()
    assert window.inputs.editor.toPlainText() == "f = x*y"
    small = QMimeData()
    small.setText(" + x")
    window.inputs.editor.moveCursor(window.inputs.editor.textCursor().MoveOperation.End)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.inputs.editor.insertFromMimeData(small)
    assert window.inputs.editor.toPlainText() == "f = x*y + x"


def test_a_bad_variable_value_is_marked_at_its_cell(window, qtbot):
    show(window, qtbot, "f = x*y")
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("x")
    before = dict(window.scene.nodes)
    with qtbot.waitSignal(window.errorShown, timeout=5000) as blocker:
        table.item(row, 1).setText("[1, 2")
    assert blocker.args[0].startswith("x: ")
    assert table.item(row, 1).foreground().color().name() == "#dc2626"
    assert "never closed" in table.item(row, 1).toolTip()
    assert window.inputs.editor.error is None
    assert window.scene.nodes == before and "Stale" in window.view.stale_message
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.item(row, 1).setText("[1, 2]")
    assert table.item(row, 1).toolTip().startswith("A number")


def test_undo_undo_redo_walks_the_history_without_crashing(window, qtbot):
    show(window, qtbot, "f = x*y")
    show(window, qtbot, "f = x*y + x")
    show(window, qtbot, "f = x*y + x + y")
    stack = window.undo_stack
    assert stack.count() == 2
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        stack.undo()
    assert window.inputs.editor.toPlainText() == "f = x*y + x" and stack.count() == 2
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        stack.undo()
    assert window.inputs.editor.toPlainText() == "f = x*y" and stack.count() == 2
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        stack.redo()
    assert window.inputs.editor.toPlainText() == "f = x*y + x" and stack.count() == 2


def test_the_first_document_is_not_an_undoable_edit(window, qtbot):
    show(window, qtbot, "f = x*y")
    assert window.undo_stack.count() == 0


def test_screenshot_takes_a_size_presentation_mode_and_declared_inputs(tmp_path):
    import subprocess
    import sys
    from PIL import Image
    out = tmp_path / "shot.png"
    run = subprocess.run([sys.executable, "-m", "adviz", "--screenshot", str(out), "f = c * x", "--var", "x=3",
                          "--const", "c=2", "--size", "1280x720", "--present", "--step", "end"],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert run.returncode == 0, run.stderr
    with Image.open(out) as image:
        assert image.size == (1280, 720)
        assert image.getpixel((640, 300))[:3] != (255, 255, 255), "the projector palette is dark"
    bad = subprocess.run([sys.executable, "-m", "adviz", "--screenshot", str(tmp_path / "b.png"), "f = x",
                          "--size", "huge"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert bad.returncode == 2 and "--size must be" in bad.stderr and not (tmp_path / "b.png").exists()


def test_the_default_window_fits_a_1280x720_projector(qtbot, settings):
    from adviz.ui.window import MainWindow
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.width() <= 1280 and window.height() <= 720
    window.show()
    bottom = window.transport.mapTo(window, window.transport.rect().bottomLeft()).y()
    assert bottom <= window.height()
    window.sessions.mark_clean()

"""View ▸ Why reverse mode wins: the dialog fills the forward Jacobian column by column and the
reverse one row by row, both equal to the closed form at the end; keys and play work."""
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from adviz.graph import format_value
from adviz.model import Document, VariableSpec

from .conftest import show

X, Y, Z = 0.5, -1.5, 2.0
TEXT = "f1 = x*y*z\nf2 = sin(x) + z**2"
JACOBIAN = [[Y * Z, X * Z, X * Y], [math.cos(X), 0.0, 2 * Z]]    # rows f1, f2; columns x, y, z


def load(window, qtbot):
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.load(Document(text=TEXT, variables=[VariableSpec("x", str(X)), VariableSpec("y", str(Y)),
                                                          VariableSpec("z", str(Z))]))


def open_dialog(window, qtbot):
    """View ▸ Why reverse mode wins, and wait until the dialog is the active window (it takes the keys)."""
    window.actions_by_key["cost"].trigger()
    dialog = window.cost_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    qtbot.waitUntil(lambda: not dialog.pending, timeout=10000)     # built in the worker process
    return dialog


def cells(table):
    return [[table.item(i, j).text() for j in range(table.columnCount())] for i in range(table.rowCount())]


def test_the_menu_entry_opens_it_with_shortcut_and_tooltip(window, qtbot):
    load(window, qtbot)
    action = window.actions_by_key["cost"]
    assert action in window.view_menu.actions()
    assert action.shortcut().toString() == "Ctrl+Shift+J" and "n forward passes" in action.toolTip()
    dialog = open_dialog(window, qtbot)
    assert dialog.isVisible()
    assert dialog.tables[0].columnCount() == 3 and dialog.tables[0].rowCount() == 2
    assert "forward mode needs 3 passes" in dialog.summary.text()


def test_passes_fill_columns_and_rows_until_both_equal_the_closed_form(window, qtbot):
    load(window, qtbot)
    dialog = open_dialog(window, qtbot)
    forward, reverse = dialog.tables
    assert all(t == "" for row in cells(forward) + cells(reverse) for t in row)
    qtbot.keyClick(dialog, Qt.Key.Key_Right)            # one pass of each mode
    assert [row[0] for row in cells(forward)] == [format_value(JACOBIAN[0][0]), format_value(JACOBIAN[1][0])]
    assert all(row[1] == "" for row in cells(forward))
    assert cells(reverse)[0] == [format_value(v) for v in JACOBIAN[0]] and set(cells(reverse)[1]) == {""}
    assert "2 of 3 columns" not in dialog.titles[0].text() and "1 of 3 columns" in dialog.titles[0].text()
    qtbot.keyClick(dialog, Qt.Key.Key_End)
    want = [[format_value(v) for v in row] for row in JACOBIAN]
    assert cells(forward) == want and cells(reverse) == want
    assert "complete and equal" in dialog.caption.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Home)
    assert dialog.stage == 0 and cells(forward)[0][0] == ""


def test_play_runs_to_the_end_and_stops(window, qtbot):
    load(window, qtbot)
    dialog = open_dialog(window, qtbot)
    dialog.timer.setInterval(10)
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    assert dialog.timer.isActive()
    qtbot.waitUntil(lambda: dialog.stage == dialog.length() - 1, timeout=3000)
    qtbot.waitUntil(lambda: not dialog.timer.isActive(), timeout=1000)


def test_only_the_newest_answer_is_shown(window, qtbot):
    load(window, qtbot)
    dialog = open_dialog(window, qtbot)
    dialog.refresh()
    stale = dialog.requests - 1
    dialog.built.emit(stale, "an older document's answer")
    assert "older" not in dialog.summary.text() and dialog.tables[0].columnCount() == 3
    qtbot.waitUntil(lambda: not dialog.pending, timeout=10000)
    assert dialog.tables[0].columnCount() == 3


def test_a_script_or_an_error_is_said_in_words_and_an_edit_rebuilds_it(window, qtbot):
    show(window, qtbot, "f = x**2")
    dialog = open_dialog(window, qtbot)
    assert dialog.tables[0].columnCount() == 1
    with qtbot.waitSignal(dialog.ready, timeout=10000):
        window.set_text("import tensorflow as tf\nx = tf.Variable(2.0)\nwith tf.GradientTape() as t:\n"
                        "    y = x * x\ng = t.gradient(y, x)\n")
    assert "typed functions" in dialog.summary.text()
    assert dialog.tables[0].columnCount() == 0 and not dialog.buttons["play"].isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Right)           # nothing to step: nothing breaks
    assert dialog.stage == 0

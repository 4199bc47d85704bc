"""Sessions in the window: save and open everything, refuse bad files, ask before losing work, autosave."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from adviz.cli import main
from adviz.model import KINDS, Document, VariableSpec
from adviz.model.session import Session, load_session, save_session
from adviz.ui.sessions import SessionController

from .conftest import node_by_label, open_window, show

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = "u = x*y\nf = sin(u) + x**2 + c*y"
SCRIPT = """import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape(persistent=True) as tape:
    y = x * x
    z = y * x
dy = tape.gradient(y, x)
dz = tape.gradient(z, x)
"""


@pytest.fixture
def fresh(qtbot, tmp_path):
    """A second window with settings of its own, as after a restart on another machine."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    win = open_window(qtbot, QSettings(str(folder / "adviz.ini"), QSettings.Format.IniFormat))
    yield win
    win.player.pause()
    win.sessions.mark_clean()


@pytest.fixture(autouse=True)
def never_block(monkeypatch):
    """No test may wait on a dialog; each test that expects one replaces it on purpose."""
    def unexpected(self, *args):
        raise AssertionError("a dialog was shown that the test did not expect")
    monkeypatch.setattr(SessionController, "_ask_open_path", unexpected)
    monkeypatch.setattr(SessionController, "_ask_save_path", unexpected)
    monkeypatch.setattr(SessionController, "_ask_to_recover", unexpected)


def set_kind(window, qtbot, name, kind):
    table = window.inputs.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index(name)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        table.cellWidget(row, 2).setCurrentIndex(KINDS.index(kind))


def open_in(window, qtbot, path, monkeypatch):
    monkeypatch.setattr(window.sessions, "_ask_open_path", lambda: str(path))
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.sessions.open_action.trigger()


def save_as(window, path, monkeypatch):
    monkeypatch.setattr(window.sessions, "_ask_save_path", lambda suggested: str(path))
    window.sessions.save_as_action.trigger()


def test_save_then_open_in_a_fresh_window_restores_everything(window, fresh, qtbot, tmp_path, monkeypatch):
    graph = show(window, qtbot, FUNCTIONS)
    set_kind(window, qtbot, "c", "watched")
    with qtbot.waitSignal(window.scene.layoutAnimationFinished, timeout=5000):
        window.set_layout("layered", "TB")
    moved_id = node_by_label(graph, "u").id
    item = window.scene.nodes[moved_id]
    item.setPos(QPointF(333.0, -77.5))
    window.scene.node_moved(item)          # what dropping a dragged node reports
    window.transport.mode.setCurrentIndex(window.transport.mode.findData("forward"))
    window.player.go(3, animate=False)
    window.apply_theme("dark")
    assert window.sessions.modified and window.isWindowModified()
    path = tmp_path / "work.adviz"
    save_as(window, path, monkeypatch)
    assert path.is_file()
    assert not window.sessions.modified and not window.isWindowModified()
    assert window.windowTitle().startswith("work.adviz[*]")
    positions = {nid: (i.pos().x(), i.pos().y()) for nid, i in window.scene.nodes.items()}

    assert fresh.theme_setting == "light" and fresh.method == "layered" and fresh.direction == "LR"
    open_in(fresh, qtbot, path, monkeypatch)
    assert fresh.inputs.editor.toPlainText() == FUNCTIONS
    kinds = {v.name: v.kind for v in fresh.inputs.table.variables()}
    assert kinds == {"x": "variable", "y": "variable", "c": "watched"}
    assert fresh.inputs.target.currentText() == "f"
    assert (fresh.method, fresh.direction) == ("layered", "TB")
    assert fresh.actions_by_key["layout_layered_TB"].isChecked()
    restored = fresh.scene.nodes[moved_id]
    assert restored.pos() == QPointF(333.0, -77.5) and restored.moved_by_user
    assert {nid: (i.pos().x(), i.pos().y()) for nid, i in fresh.scene.nodes.items()} == positions
    assert fresh.player.mode == "forward" and fresh.transport.mode.currentData() == "forward"
    assert fresh.player.index == 3 and fresh.scene.step == 3
    assert fresh.theme_setting == "dark" and fresh.scene.theme.dark
    assert not fresh.sessions.modified and fresh.windowTitle().startswith("work.adviz[*]")
    assert fresh.sessions.path == path
    assert load_session(path) == fresh.sessions.current_session()


def test_a_script_keeps_its_chosen_gradient_call(window, fresh, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, SCRIPT)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.inputs.call.setCurrentIndex(1)
    window.player.go(2, animate=False)
    path = tmp_path / "script.adviz"
    assert window.sessions.save_to(path)
    open_in(fresh, qtbot, path, monkeypatch)
    assert fresh.inputs.call.currentIndex() == 1 and fresh.inputs.call.count() == 2
    assert fresh.document.call == 1
    assert "z" in {n.label for n in fresh.scene.graph.nodes.values()}
    assert fresh.player.index == 2


def test_save_writes_to_the_same_file_without_asking(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*y")
    path = tmp_path / "a.adviz"
    save_as(window, path, monkeypatch)
    show(window, qtbot, "f = x*y*y")
    assert window.sessions.modified
    monkeypatch.setattr(window.sessions, "_ask_save_path", None)      # Save must not ask again
    window.sessions.save_action.trigger()
    assert load_session(path).document.text == "f = x*y*y"
    assert not window.sessions.modified


def test_save_as_adds_the_suffix(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*x")
    save_as(window, tmp_path / "plain", monkeypatch)
    assert (tmp_path / "plain.adviz").is_file()


@pytest.mark.parametrize("content, words", [
    (b'{"format": "adviz-session", "version": 1, "document": {"text": ', "truncated"),
    (b"{not json}", "malformed at line 1 col 2"),
    (b'{"hello": 1}', "not an adviz session"),
    (b'{"format": "adviz-session", "version": 9, "document": {"text": ""}}', "newer adviz (version 9)"),
    (b'{"format": "adviz-session", "version": 1, "document": {"text": 3}}', "document.text"),
    (b"\xff\xfe\xfa", "not UTF-8"),
])
def test_opening_a_bad_file_changes_nothing_and_says_why(window, qtbot, tmp_path, monkeypatch, content, words):
    graph = show(window, qtbot, "f = x*y")
    save_as(window, tmp_path / "good.adviz", monkeypatch)
    nodes = dict(window.scene.nodes)
    positions = {nid: i.pos() for nid, i in nodes.items()}
    title = window.windowTitle()
    bad = tmp_path / "bad.adviz"
    bad.write_bytes(content)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(window.sessions, "_show_error", lambda t, m: errors.append((t, m)))
    request = window.model.requests
    assert window.sessions.open_path(bad) is False
    assert len(errors) == 1
    heading, message = errors[0]
    assert "bad.adviz" in heading and words in message and "\n" not in message
    assert window.inputs.editor.toPlainText() == "f = x*y"
    assert window.scene.graph is graph and window.scene.nodes == nodes
    assert {nid: i.pos() for nid, i in window.scene.nodes.items()} == positions
    assert window.model.requests == request, "nothing was recomputed"
    assert window.windowTitle() == title and window.sessions.path == tmp_path / "good.adviz"
    assert str(bad.resolve()) not in window.sessions.recent_files()


def test_opening_a_missing_file_or_a_folder_is_refused(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*y")
    errors: list[str] = []
    monkeypatch.setattr(window.sessions, "_show_error", lambda t, m: errors.append(m))
    (tmp_path / "folder.adviz").mkdir()
    assert not window.sessions.open_path(tmp_path / "missing.adviz")
    assert not window.sessions.open_path(tmp_path / "folder.adviz")
    assert "no such file" in errors[0] and "folder" in errors[1]
    assert window.inputs.editor.toPlainText() == "f = x*y"


def test_opening_a_script_puts_it_in_the_editor(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*y")
    window.sessions.mark_clean()
    script = tmp_path / "tape.py"
    script.write_text(SCRIPT, encoding="utf-8")
    open_in(window, qtbot, script, monkeypatch)
    assert window.inputs.editor.toPlainText() == SCRIPT
    assert window.outcome.script and window.document.call == 0
    assert window.windowTitle().startswith("tape.py[*]") and not window.sessions.modified
    assert window.sessions.path is None, "Save must not write JSON into the script"
    asked: list = []
    monkeypatch.setattr(window.sessions, "_ask_save_path", lambda suggested: asked.append(suggested))
    window.sessions.save_action.trigger()
    assert asked == [tmp_path / "tape.adviz"]
    assert script.read_text(encoding="utf-8") == SCRIPT


def test_closing_with_unsaved_changes_asks(window, qtbot, monkeypatch):
    show(window, qtbot, "f = x*y")
    assert window.sessions.modified
    answers: list = []
    monkeypatch.setattr(window.sessions, "_ask_to_save", lambda: answers.append(1) or SessionController.CANCEL)
    assert window.close() is False
    assert window.isVisible() and answers == [1]
    monkeypatch.setattr(window.sessions, "_ask_to_save", lambda: SessionController.DISCARD)
    assert window.close() is True
    assert not window.isVisible()


def test_close_with_save_writes_the_file_first(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*y")
    path = tmp_path / "close.adviz"
    window.sessions.save_to(path)
    show(window, qtbot, "f = x + y")
    monkeypatch.setattr(window.sessions, "_ask_to_save", lambda: SessionController.SAVE)
    assert window.close() is True
    assert load_session(path).document.text == "f = x + y"


def test_a_clean_window_closes_without_asking(window, qtbot, monkeypatch):
    show(window, qtbot, "f = x*y")
    window.sessions.mark_clean()
    monkeypatch.setattr(window.sessions, "_ask_to_save", None)
    assert window.close() is True


def test_open_and_new_ask_before_discarding(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*y")
    monkeypatch.setattr(window.sessions, "_ask_to_save", lambda: SessionController.CANCEL)
    monkeypatch.setattr(window.sessions, "_ask_open_path", lambda: pytest.fail("asked for a file after Cancel"))
    assert window.sessions.open() is False
    assert window.sessions.new() is False
    other = tmp_path / "other.adviz"
    save_session(other, Session(Document("g = x - y")))
    assert window.sessions.open_path(other) is False
    assert window.inputs.editor.toPlainText() == "f = x*y"
    monkeypatch.setattr(window.sessions, "_ask_to_save", lambda: SessionController.DISCARD)
    assert window.sessions.new() is True
    assert window.inputs.editor.toPlainText() == "" and not window.scene.nodes
    assert window.windowTitle().startswith("Untitled[*]") and not window.sessions.modified


def test_edits_layouts_and_dragged_nodes_set_the_modified_flag(window, qtbot, tmp_path):
    show(window, qtbot, "f = x*y")
    window.sessions.save_to(tmp_path / "m.adviz")
    seen: list[bool] = []
    window.sessions.modifiedChanged.connect(seen.append)
    window.player.go(1, animate=False)
    assert not window.sessions.modified, "stepping is not an edit"
    with qtbot.waitSignal(window.scene.layoutAnimationFinished, timeout=5000):
        window.set_layout("circular")
    assert window.sessions.modified and window.windowTitle().startswith("m.adviz[*]") and window.isWindowModified()
    window.sessions.mark_clean()
    window.apply_theme("dark")
    assert not window.sessions.modified, "a theme is not an edit (though the editor re-highlights)"
    window.scene.node_moved(next(iter(window.scene.nodes.values())))
    assert window.sessions.modified
    assert seen == [True, False, True]


def test_autosave_and_recover_after_a_crash(window, qtbot, settings, tmp_path, monkeypatch):
    from adviz.ui.window import MainWindow
    controller = window.sessions
    assert controller.timer.isActive() and 20_000 <= controller.timer.interval() <= 60_000
    assert controller.autosave_path.parent == tmp_path
    assert controller.autosave() is False, "nothing unsaved yet"
    show(window, qtbot, FUNCTIONS)
    set_kind(window, qtbot, "c", "constant")
    window.player.go(2, animate=False)
    assert controller.autosave() is True
    assert controller.autosave_path.is_file()
    assert controller.autosave() is False, "unchanged since the last autosave"
    # The first window never closes cleanly: its process ends, and a new one starts with the same settings.
    controller._slot.release()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.graphShown, timeout=5000):
        assert again.sessions.recover() is True
    assert again.inputs.editor.toPlainText() == FUNCTIONS
    assert {v.name: v.kind for v in again.inputs.table.variables()}["c"] == "constant"
    assert again.player.index == 2
    assert again.sessions.modified and again.windowTitle().startswith("Untitled[*]")
    monkeypatch.setattr(again.sessions, "_ask_to_save", lambda: SessionController.DISCARD)
    assert again.close()
    assert not controller.autosave_path.exists(), "a clean close removes the autosave"
    assert again.sessions.recover() is False
    window.sessions.mark_clean()


def test_recovery_keeps_the_file_name_and_can_be_declined(window, qtbot, settings, tmp_path, monkeypatch):
    from adviz.ui.window import MainWindow
    show(window, qtbot, "f = x*y")
    path = tmp_path / "named.adviz"
    window.sessions.save_to(path)
    show(window, qtbot, "f = x*y + 1")
    assert window.sessions.autosave()
    window.sessions._slot.release()          # its process ended without closing the window
    again = MainWindow(settings)
    qtbot.addWidget(again)
    monkeypatch.setattr(again.sessions, "_ask_to_recover", lambda p: True)
    with qtbot.waitSignal(again.graphShown, timeout=5000):
        assert again.sessions.offer_recovery() is True
    assert again.sessions.path == path and again.sessions.modified
    assert again.inputs.editor.toPlainText() == "f = x*y + 1"
    assert load_session(path).document.text == "f = x*y", "recovery does not overwrite the saved file"
    again.sessions._slot.release()
    third = MainWindow(settings)
    qtbot.addWidget(third)
    monkeypatch.setattr(third.sessions, "_ask_to_recover", lambda p: None)     # nobody to ask
    assert third.sessions.offer_recovery() is False
    assert third.sessions.autosave_path.exists(), "kept for a start where someone can answer"
    monkeypatch.setattr(third.sessions, "_ask_to_recover", lambda p: False)
    assert third.sessions.offer_recovery() is False
    assert not third.sessions.autosave_path.exists()
    for win in (window, again, third):
        win.sessions.mark_clean()


def test_recent_files_newest_first_pruned_and_at_most_eight(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*y")
    paths = [tmp_path / f"s{k}.adviz" for k in range(10)]
    for path in paths:
        assert window.sessions.save_to(path)
    recent = window.sessions.recent_files()
    assert recent == [str(p.resolve()) for p in reversed(paths)][:8]
    paths[9].unlink()
    assert window.sessions.recent_files()[0] == str(paths[8].resolve())
    menu = window.sessions.recent_menu
    menu.aboutToShow.emit()
    files = [a.data() for a in menu.actions() if a.data()]
    assert files == window.sessions.recent_files() and len(files) == 7
    # Settings outlive the window: a new window with the same settings lists the same files.
    from adviz.ui.window import MainWindow
    again = MainWindow(window.settings)
    qtbot.addWidget(again)
    assert again.sessions.recent_files() == files
    save_session(paths[3], Session(Document("g = x - y")))
    action = next(a for a in menu.actions() if a.data() == str(paths[3].resolve()))
    window.sessions.mark_clean()
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        action.trigger()
    assert window.inputs.editor.toPlainText() == "g = x - y"
    assert window.sessions.recent_files()[0] == str(paths[3].resolve())


def test_file_menu_has_the_session_actions_with_shortcuts(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and "File" in a.menu().title())
    texts = [a.text() for a in menu.actions()]
    assert texts[:5] == ["New", "Open…", "Recent files", "Save", "Save As…"]
    keys = {k: window.actions_by_key[k].shortcut().toString() for k in ("open", "save", "save_as", "new")}
    assert keys == {"open": "Ctrl+O", "save": "Ctrl+S", "save_as": "Ctrl+Shift+S", "new": "Ctrl+N"}


def test_dropping_a_session_on_the_window_opens_it(window, qtbot, tmp_path):
    show(window, qtbot, "f = x*y")
    window.sessions.mark_clean()
    path = tmp_path / "dropped.adviz"
    save_session(path, Session(Document("h = x * x * y", [VariableSpec("x", "4")])))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    point = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert window.inputs.editor.toPlainText() == "h = x * x * y"
    assert window.sessions.path == path


def test_dropping_other_files_is_not_taken(window, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "picture.png"))])
    enter = QDragEnterEvent(QPointF(10, 10).toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    window.sessions.eventFilter(window, enter)
    assert not enter.isAccepted()


# -- command line -------------------------------------------------------------------
def _session_file(tmp_path) -> Path:
    path = tmp_path / "cli.adviz"
    save_session(path, Session(Document("f = x*y", [VariableSpec("x", "2"), VariableSpec("y", "5")]),
                               layout="circular", direction="TB", step=1, theme="dark"))
    return path


def test_render_accepts_a_session_and_its_layout(tmp_path):
    out = tmp_path / "g.json"
    assert main(["render", str(_session_file(tmp_path)), "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["layout"]["method"] == "circular" and data["layout"]["direction"] == "TB"
    x = next(n for n in data["nodes"] if n["label"] == "x")
    assert x["gradient"] == pytest.approx(5.0)
    assert main(["render", str(_session_file(tmp_path)), "-o", str(out), "--layout", "layered",
                 "--var", "y=7"]) == 0
    data = json.loads(out.read_text())
    assert data["layout"]["method"] == "layered"
    assert next(n for n in data["nodes"] if n["label"] == "x")["gradient"] == pytest.approx(7.0)


def test_render_and_screenshot_refuse_a_bad_session(tmp_path, capsys):
    bad = tmp_path / "bad.adviz"
    bad.write_text('{"format": "adviz-session", "version": 5}', encoding="utf-8")
    assert main(["render", str(bad), "-o", str(tmp_path / "g.png")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"adviz render: {bad}: made by a newer adviz (version 5); this adviz reads version 1"
    assert main(["--screenshot", str(tmp_path / "s.png"), str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("adviz: ") and "newer adviz" in err and "\n" not in err
    assert not (tmp_path / "g.png").exists() and not (tmp_path / "s.png").exists()
    assert main(["render", str(tmp_path / "gone.adviz"), "-o", str(tmp_path / "g.json")]) == 2
    assert "gone.adviz: no such file" in capsys.readouterr().err


def test_screenshot_of_a_session(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    run = subprocess.run([sys.executable, "-m", "adviz", "--screenshot", str(out), str(_session_file(tmp_path))],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(out))
    assert not image.isNull() and image.width() > 400
    samples = [image.pixelColor(x, y).lightness() for x in range(0, image.width(), 37) for y in range(0, image.height(), 41)]
    assert sum(samples) / len(samples) < 110, "the window wears the session's dark theme"

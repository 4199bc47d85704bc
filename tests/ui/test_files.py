"""Writing from the app, screenshots and notebooks: refused before anything is opened when the output
is an input or cannot be written, and nothing at all written when a screenshot fails."""
from __future__ import annotations

import os
import stat

import pytest

import adviz as tf
from adviz.cli import main
from adviz.model import Document
from adviz.model.files import OutputRefused
from adviz.model.session import Session, save_session

from .conftest import show

OLD = b"the old bytes\n"


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def session_file(folder):
    path = folder / "work.adviz"
    save_session(path, Session(Document("f = x*y")))
    return path


# -- --screenshot ----------------------------------------------------------------------------
def test_screenshot_of_a_session_named_as_the_output_leaves_it_whole(tmp_path, capsys):
    session = session_file(tmp_path)
    session.chmod(0o600)
    before = session.read_bytes()
    assert main(["--screenshot", str(session)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "adviz --screenshot OUT.png" in err
    assert session.read_bytes() == before and names(tmp_path) == ["work.adviz"]
    assert stat.S_IMODE(session.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["notes.xyz", "notes", "data.csv"])
def test_screenshot_refuses_a_suffix_qt_cannot_write(tmp_path, capsys, name):
    out = tmp_path / name
    out.write_bytes(OLD)
    assert main(["--screenshot", str(out), "f = x*y"]) == 2
    assert "not a format adviz writes" in capsys.readouterr().err
    assert out.read_bytes() == OLD and names(tmp_path) == [name]


def test_screenshot_refuses_to_write_over_its_input(tmp_path, capsys):
    session = session_file(tmp_path)
    before = session.read_bytes()
    (tmp_path / "shot.png").symlink_to(session.name)
    assert main(["--screenshot", str(tmp_path / "shot.png"), str(session)]) == 2
    assert "it is the input" in capsys.readouterr().err
    assert session.read_bytes() == before


def test_a_failed_screenshot_writes_nothing(tmp_path, capsys, qapp):
    out = tmp_path / "shot.png"
    out.write_bytes(OLD)
    assert main(["--screenshot", str(out), "f = x +* 2"]) == 1
    err = capsys.readouterr().err
    assert "invalid syntax" in err and "was not written" in err
    assert out.read_bytes() == OLD and names(tmp_path) == ["shot.png"]
    assert main(["--screenshot", str(tmp_path / "new.png"), "f = x*y", "--step", "last"]) == 2
    assert "--step" in capsys.readouterr().err
    assert names(tmp_path) == ["shot.png"]


# -- the export dialog's path ------------------------------------------------------------------
def test_export_never_writes_over_the_open_session(window, qtbot, tmp_path):
    tmp_path = tmp_path / "out"                 # beside the window's settings file
    tmp_path.mkdir()
    session = tmp_path / "work.adviz"
    assert window.sessions.save_to(session)
    show(window, qtbot, "f = x*y")
    before = session.read_bytes()
    (tmp_path / "picture.svg").symlink_to(session.name)
    os.link(session, tmp_path / "hard.json")
    (tmp_path / "seq-001.png").symlink_to(session.name)
    for path, fmt in ((tmp_path / "picture.svg", "svg"), (tmp_path / "hard.json", "json"),
                      (tmp_path / "seq.png", "sequence")):
        with pytest.raises(OutputRefused, match="it is the input"):
            window.export_to(path, fmt, window.export_options(scale=1.0))
    assert session.read_bytes() == before
    assert names(tmp_path) == ["hard.json", "picture.svg", "seq-001.png", "work.adviz"]   # not even seq-000.png


def test_export_keeps_the_old_file_when_painting_fails(window, qtbot, tmp_path, monkeypatch):
    show(window, qtbot, "f = x*y")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "g.svg"
    out.write_bytes(OLD)
    from adviz.ui import export

    def broken(self, *args, **kwargs):
        raise RuntimeError("painting failed half way")

    monkeypatch.setattr(export._Frame, "paint", broken)
    for fmt in ("svg", "pdf", "png", "gif"):
        target = out.with_suffix("." + fmt)
        target.write_bytes(OLD)
        with pytest.raises(RuntimeError):
            window.export_to(target, fmt, window.export_options(scale=1.0))
        assert target.read_bytes() == OLD
    assert names(tmp_path) == ["g.gif", "g.pdf", "g.png", "g.svg"]


# -- notebooks -----------------------------------------------------------------------------------
def test_notebook_save_refuses_what_it_cannot_write(tmp_path):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    drawing = tf.draw(tape)
    session = session_file(tmp_path)
    before = session.read_bytes()
    with pytest.raises(ValueError, match="'.adviz' is not a format"):
        drawing.save(session)
    assert session.read_bytes() == before
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(ValueError, match="folder"):
        drawing.save(tmp_path / "folder.png")
    drawing.save(tmp_path / "g.svg")
    assert names(tmp_path) == ["folder.png", "g.svg", "work.adviz"]

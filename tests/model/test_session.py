"""Session files without Qt: round trip, atomic saves, and a clean refusal of every kind of bad file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adviz.model import Document, VariableSpec
from adviz.model.session import (FORMAT, MAX_BYTES, Session, SessionError, dumps, load_session, load_text, loads,
                           save_session, session_from_dict, session_to_dict)

ROOT = Path(__file__).resolve().parents[1]


def sample() -> Session:
    doc = Document(text="u = x*y\nf = sin(u) + x**2\ng = u * c",
                   variables=[VariableSpec("x", "2.5", "variable", True),
                              VariableSpec("y", "[1, 2]", "watched", False),
                              VariableSpec("c", "3", "constant", True)],
                   persistent=True, watch_accessed_variables=False, target="g", call=0)
    return Session(document=doc, layout="spring", direction="TB",
                   positions={"n1": (12.5, -40.0), "op:mul#2": (0.0, 1e6)},
                   step=3, mode="forward", theme="dark")


def valid() -> dict:
    return session_to_dict(sample())


def write(tmp_path: Path, data, name: str = "s.adviz") -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data), encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(SessionError) as info:
        load_session(path)
    message = str(info.value)
    assert "\n" not in message and message
    return message


# -- round trip ---------------------------------------------------------------------
def test_round_trip_keeps_every_field(tmp_path):
    path = tmp_path / "work.adviz"
    save_session(path, sample())
    loaded = load_session(path)
    assert loaded == sample()
    assert loaded.document.variables[1].kind == "watched" and loaded.document.variables[1].source is False
    assert loaded.positions["op:mul#2"] == (0.0, 1e6)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == 1
    assert set(data) == {"format", "version", "document", "view"}
    assert set(data["view"]) == {"layout", "direction", "positions", "step", "mode", "theme"}


def test_round_trip_of_a_script_and_defaults(tmp_path):
    script = "import tensorflow as tf\nx = tf.Variable(3.0)\nwith tf.GradientTape() as t:\n    y = x * x\n"
    session = Session(Document(text=script, call=1))
    path = tmp_path / "script.adviz"
    save_session(path, session)
    assert load_session(path) == session


def test_unicode_text_survives(tmp_path):
    session = Session(Document(text="# ∂f/∂x — Größe\nf = x*x"))
    save_session(tmp_path / "u.adviz", session)
    assert load_session(tmp_path / "u.adviz").document.text == session.document.text


def test_missing_optional_fields_take_defaults():
    data = valid()
    del data["view"]
    for key in ("variables", "persistent", "watch_accessed_variables", "target", "call"):
        del data["document"][key]
    session = loads(json.dumps(data))
    assert session == Session(Document(text=sample().document.text))


# -- atomic save --------------------------------------------------------------------
def test_failed_replace_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "work.adviz"
    save_session(path, Session(Document("f = x")))
    before = path.read_bytes()

    def boom(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SessionError, match="No space left"):
        save_session(path, sample())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.adviz"]


def test_failure_while_writing_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "work.adviz"
    save_session(path, Session(Document("f = x")))
    before = path.read_bytes()

    def broken_fsync(_fd):
        raise RuntimeError("power cut")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(RuntimeError):
        save_session(path, sample())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.adviz"]


def test_a_session_that_could_not_be_read_back_is_never_written(tmp_path):
    path = tmp_path / "work.adviz"
    bad = Session(Document("f = x"), layout="zigzag")
    with pytest.raises(SessionError, match="view.layout"):
        save_session(path, bad)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_save_into_a_missing_folder_is_a_session_error(tmp_path):
    with pytest.raises(SessionError, match="cannot save"):
        save_session(tmp_path / "no" / "such" / "folder.adviz", sample())


# -- refusals -----------------------------------------------------------------------
def test_malformed_json_names_line_and_column(tmp_path):
    message = refused(write(tmp_path, '{\n  "format": "adviz-session",\n  "version": 1,,\n}'))
    assert "malformed at line 3 col" in message and "not a valid adviz session" in message


@pytest.mark.parametrize("fraction", [0.5, 0.25, 0.9])
def test_truncated_file(tmp_path, fraction):
    raw = dumps(sample()).encode("utf-8")
    message = refused(write(tmp_path, raw[: int(len(raw) * fraction)]))
    assert "truncated" in message


def test_every_cut_of_a_valid_file_is_refused_as_truncated():
    raw = dumps(sample())
    for k in range(1, len(raw) - 2, 7):
        with pytest.raises(SessionError, match="truncated"):
            loads(raw[:k])


@pytest.mark.parametrize("data, words", [
    ({"hello": 1}, 'no "format"'),
    ([1, 2, 3], "JSON list"),
    ('"just a string"', "JSON string"),
    ({"format": "something-else", "version": 1}, "its format is \"something-else\""),
    ({"format": FORMAT}, "no version"),
])
def test_foreign_json(tmp_path, data, words):
    message = refused(write(tmp_path, data))
    assert "not an adviz session" in message or "not a valid adviz session" in message
    assert words in message


def test_newer_version(tmp_path):
    data = valid()
    data["version"] = 2
    assert refused(write(tmp_path, data)) == "made by a newer adviz (version 2); this adviz reads version 1"


@pytest.mark.parametrize("edit, where", [
    (lambda d: d.__setitem__("version", "1"), "version"),
    (lambda d: d.__setitem__("version", True), "version"),
    (lambda d: d.__setitem__("document", []), "document"),
    (lambda d: d["document"].pop("text"), '"text"'),
    (lambda d: d["document"].__setitem__("text", 42), "document.text"),
    (lambda d: d["document"].__setitem__("text", "x" * 1_000_001), "document.text"),
    (lambda d: d["document"].__setitem__("variables", {"x": 1}), "document.variables"),
    (lambda d: d["document"]["variables"].append("x"), "document.variables[3]"),
    (lambda d: d["document"]["variables"][0].__setitem__("name", 7), "document.variables[0].name"),
    (lambda d: d["document"]["variables"][0].__setitem__("name", "not a name"), "document.variables[0].name"),
    (lambda d: d["document"]["variables"][0].__setitem__("value", 2.5), "document.variables[0].value"),
    (lambda d: d["document"]["variables"][0].__setitem__("kind", "magic"), "document.variables[0].kind"),
    (lambda d: d["document"]["variables"][0].__setitem__("source", "yes"), "document.variables[0].source"),
    (lambda d: d["document"]["variables"].append(dict(d["document"]["variables"][0])), "declared twice"),
    (lambda d: d["document"].__setitem__("persistent", 1), "document.persistent"),
    (lambda d: d["document"].__setitem__("watch_accessed_variables", None), "document.watch_accessed_variables"),
    (lambda d: d["document"].__setitem__("target", ["f"]), "document.target"),
    (lambda d: d["document"].__setitem__("call", -1), "document.call"),
    (lambda d: d["document"].__setitem__("call", 1.5), "document.call"),
    (lambda d: d.__setitem__("view", "wide"), "view"),
    (lambda d: d["view"].__setitem__("layout", "zigzag"), "view.layout"),
    (lambda d: d["view"].__setitem__("direction", "RL"), "view.direction"),
    (lambda d: d["view"].__setitem__("positions", [[1, 2]]), "view.positions"),
    (lambda d: d["view"]["positions"].__setitem__("n1", [1, "2"]), 'view.positions["n1"]'),
    (lambda d: d["view"]["positions"].__setitem__("n1", [1, 2, 3]), 'view.positions["n1"]'),
    (lambda d: d["view"]["positions"].__setitem__("n1", [1e12, 0]), 'view.positions["n1"]'),
    (lambda d: d["view"]["positions"].__setitem__("n1", [True, 0]), 'view.positions["n1"]'),
    (lambda d: d["view"].__setitem__("step", "3"), "view.step"),
    (lambda d: d["view"].__setitem__("mode", "sideways"), "view.mode"),
    (lambda d: d["view"].__setitem__("theme", 3), "view.theme"),
])
def test_wrong_field_types_name_the_field(tmp_path, edit, where):
    data = valid()
    edit(data)
    message = refused(write(tmp_path, data))
    assert where in message, message


def test_nan_and_infinity_are_refused(tmp_path):
    text = json.dumps(valid()).replace('"n1": [12.5, -40.0]', '"n1": [NaN, Infinity]')
    assert "NaN" in refused(write(tmp_path, text))


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.adviz"
    with path.open("wb") as handle:          # a sparse file: large on paper, cheap on disk
        handle.truncate(MAX_BYTES + 1)
    reads: list[int] = []
    real_open = Path.open

    class Spy:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def read(self, n=-1):
            reads.append(n)
            return self.handle.read(n)

    monkeypatch.setattr(Path, "open", lambda self, *a, **k: Spy(real_open(self, *a, **k)))
    assert "too large" in refused(path)
    assert reads == []


def test_infinite_position_is_refused():
    data = valid()
    data["view"]["positions"]["n1"] = [float("inf"), 0.0]
    with pytest.raises(SessionError, match=r'view.positions\["n1"\] must be two finite numbers'):
        session_from_dict(data)


def test_non_utf8_bytes(tmp_path):
    raw = dumps(sample()).encode("utf-8").replace(b"sin", b"s\xffn")
    assert "not UTF-8" in refused(write(tmp_path, raw))


def test_empty_file(tmp_path):
    assert "empty" in refused(write(tmp_path, b""))


def test_a_directory(tmp_path):
    folder = tmp_path / "folder.adviz"
    folder.mkdir()
    assert "folder" in refused(folder)


def test_missing_file(tmp_path):
    assert refused(tmp_path / "nowhere.adviz") == "no such file"


def test_deep_nesting_is_refused_not_a_crash(tmp_path):
    assert "not a valid adviz session" in refused(write(tmp_path, "[" * 100_000 + "]" * 100_000))


def test_a_session_never_runs_its_text(tmp_path):
    # The text is data: loading builds a Document and evaluates nothing, whatever the text says.
    marker = tmp_path / "ran"
    data = valid()
    data["document"]["text"] = f"open({str(marker)!r}, 'w').write('x')\n__import__('os').system('touch {marker}')"
    session = load_session(write(tmp_path, data))
    assert "__import__" in session.document.text
    assert not marker.exists()


# -- plain text files ---------------------------------------------------------------
def test_load_text_reads_scripts_and_refuses_bad_files(tmp_path):
    script = tmp_path / "tape.py"
    script.write_text("f = x*x\r\n", encoding="utf-8")
    assert load_text(script) == "f = x*x\n"
    (tmp_path / "bin.py").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SessionError, match="UTF-8"):
        load_text(tmp_path / "bin.py")
    with pytest.raises(SessionError, match="no such file"):
        load_text(tmp_path / "missing.py")


def test_session_module_imports_no_qt():
    probe = "import sys, adviz.model.session, adviz.model.inputs; print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


# -- what can be saved can be opened ------------------------------------------------------
def test_a_session_too_large_to_open_is_never_saved(tmp_path):
    path = tmp_path / "big.adviz"
    path.write_bytes(b"the old session")
    value = "1" * 100_000                        # each value is within its limit; together 30 MB
    big = Session(Document("f = x", [VariableSpec(f"v{k}", value) for k in range(300)]))
    with pytest.raises(SessionError, match=r"cannot save this session: the file is too large .* at most 20 MB"):
        save_session(path, big)
    assert path.read_bytes() == b"the old session"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.adviz"]


def test_text_that_is_not_unicode_is_never_saved(tmp_path):
    with pytest.raises(SessionError, match="cannot save this session"):
        save_session(tmp_path / "s.adviz", Session(Document("f = x  # \ud800")))
    assert list(tmp_path.iterdir()) == []


def test_saving_keeps_a_private_file_private(tmp_path):
    path = tmp_path / "work.adviz"
    save_session(path, sample())
    path.chmod(0o600)
    save_session(path, Session(Document("f = x")))
    assert (path.stat().st_mode & 0o777) == 0o600
    assert load_session(path) == Session(Document("f = x"))


def test_a_fifo_named_like_a_session_is_refused_without_waiting(tmp_path):
    import threading
    fifo = tmp_path / "work.adviz"
    os.mkfifo(fifo)
    errors: list[str] = []

    def load():
        for reader in (load_session, load_text):
            try:
                reader(fifo)
            except SessionError as exc:
                errors.append(str(exc))

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():                  # a regression: free the blocked open before failing
        for _ in range(2):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO blocked")
    assert errors == ["this is a named pipe (FIFO), not a session file", "this is a named pipe (FIFO), not a file"]

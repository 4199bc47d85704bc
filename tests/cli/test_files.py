"""The command line and files: outputs that would destroy an input are refused, special files are
never read, a full disk is an error, titles stay well-formed, many --var flags are quick, and a
closed stdout ends quietly."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from adviz.cli import main
from adviz.run import BROKEN_PIPE
from adviz.model import Document
from adviz.model.session import Session, save_session

ROOT = Path(__file__).resolve().parents[2]
FUNCTION = "u = x*y; f = sin(u) + x**2"
VARS = ["--var", "x=2", "--var", "y=3"]


def env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen",
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def session_file(folder: Path) -> Path:
    path = folder / "work.adviz"
    save_session(path, Session(Document("f = x*y")))
    return path


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- an output that is the input --------------------------------------------------------
@pytest.mark.parametrize("suffix", ["svg", "pdf", "gif", "json", "png"])
@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_render_refuses_to_write_over_its_input(tmp_path, capsys, suffix, how):
    source = tmp_path / f"functions.{suffix}"          # function text, whatever its name
    source.write_text("f = x*y\n")
    out = source
    if how == "symlink":
        out = tmp_path / f"link.{suffix}"
        out.symlink_to(source.name)
    elif how == "hardlink":
        out = tmp_path / f"hard.{suffix}"
        os.link(source, out)
    assert main(["render", str(source), "-o", str(out), "--var", "x=1", "--var", "y=2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "it is the input" in err
    assert source.read_text() == "f = x*y\n"


def test_render_refuses_every_name_of_call_all_before_writing_any(tmp_path, capsys, seeds_dir):
    script = tmp_path / "s.py"
    script.write_text((seeds_dir / "automatic_differentiation.py").read_text())
    (tmp_path / "call-3.json").symlink_to(script.name)
    assert main(["render", str(script), "--call", "all", "-o", str(tmp_path / "call.json")]) == 2
    assert "it is the input" in capsys.readouterr().err
    assert names(tmp_path) == ["call-3.json", "s.py"]


def test_render_refuses_a_session_as_output(tmp_path, capsys):
    session = session_file(tmp_path)
    before = session.read_bytes()
    assert main(["render", "f = x*y", *VARS, "-o", str(session)]) == 2
    assert "unknown output format '.adviz'" in capsys.readouterr().err
    assert session.read_bytes() == before and names(tmp_path) == ["work.adviz"]


# -- inputs that are not regular files ------------------------------------------------------
@pytest.mark.parametrize("command", [["render", "{}", "-o", "g.json"], ["run", "{}"], ["{}", "--screenshot", "s.png"]])
@pytest.mark.parametrize("name", ["work.adviz", "script.py"])
def test_a_fifo_input_is_refused_at_once(tmp_path, command, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    argv = [sys.executable, "-m", "adviz"] + [a.replace("{}", str(fifo)) for a in command]
    try:
        run = subprocess.run(argv, capture_output=True, text=True, env=env(), cwd=tmp_path, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} blocked on a FIFO")
    assert run.returncode in (1, 2)
    assert "named pipe" in run.stderr and "Traceback" not in run.stderr
    assert names(tmp_path) == [name]


def test_a_folder_input_is_refused(tmp_path, capsys):
    folder = tmp_path / "lessons.adviz"
    folder.mkdir()
    assert main(["render", str(folder), "-o", str(tmp_path / "g.json")]) == 2
    assert "folder" in capsys.readouterr().err
    assert main(["render", str(tmp_path) + os.sep, "-o", str(tmp_path / "g.json")]) == 2
    assert "folder" in capsys.readouterr().err
    assert main(["run", str(tmp_path)]) == 1
    assert "directory" in capsys.readouterr().err
    assert names(tmp_path) == ["lessons.adviz"]


# -- failed writes ------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", ["svg", "pdf", "gif", "json", "png"])
def test_a_full_disk_is_an_error_and_keeps_the_old_file(tmp_path, capsys, monkeypatch, suffix):
    out = tmp_path / f"g.{suffix}"
    out.write_bytes(b"the old picture")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert main(["render", FUNCTION, *VARS, "-o", str(out), "--inbetween", "0"]) == 1
    err = capsys.readouterr().err
    assert err == f"adviz render: cannot write {out}: No space left on device\n"
    assert out.read_bytes() == b"the old picture"
    assert names(tmp_path) == [out.name]


# -- titles, flags, pipes ---------------------------------------------------------------------
def test_control_characters_in_a_title_make_well_formed_svg_and_png(tmp_path):
    title = "f\x00 at\x01 x=2\x1b[31m\nline\ttwo\x7f\ud800"
    assert main(["render", FUNCTION, *VARS, "-o", str(tmp_path / "g.svg"), "--title", title]) == 0
    root = ET.parse(tmp_path / "g.svg").getroot()
    texts = [t.text or "" for t in root.iter() if t.tag.endswith("title") or t.tag.endswith("text")]
    assert "f at x=2[31m line two" in texts
    assert main(["render", FUNCTION, *VARS, "-o", str(tmp_path / "g.png"), "--title", title]) == 0
    assert Image.open(tmp_path / "g.png").info["Title"] == "f at x=2[31m line two"


def test_ten_thousand_var_flags_are_quick(tmp_path, capsys):
    argv = ["render", "f = v1 * v2", "-o", str(tmp_path / "g.json")]
    argv += [flag for k in range(10_000) for flag in ("--var", f"v{k}={k}")]
    start = time.perf_counter()
    assert main(argv) == 0
    assert time.perf_counter() - start < 2.0
    assert main(argv + ["--var=v5=1"]) == 2
    assert "v5 is declared more than once" in capsys.readouterr().err


def test_declarations_in_every_spelling(tmp_path):
    out = tmp_path / "g.json"
    assert main(["render", "f = a*b + c", "-o", str(out), "--var=a=1", "--const", "b=2", "--watch=c=3"]) == 0
    import json
    kinds = {n["label"]: n["kind"] for n in json.loads(out.read_text())["nodes"]}
    assert kinds["a"] == "variable" and kinds["b"] == "constant" and kinds["c"] == "watched"


def closed_pipe_run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run ``argv`` with stdout a pipe whose reader is already gone (``| head -c 0``, deterministically)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(argv, stdout=writer, stderr=subprocess.PIPE, text=True, env=env(), cwd=cwd,
                              timeout=120)
    finally:
        os.close(writer)


def test_adviz_run_into_a_closed_pipe_ends_quietly(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("for i in range(2000):\n    print('a line of output', i)\n")
    run = closed_pipe_run([sys.executable, "-m", "adviz", "run", str(script)], tmp_path)
    assert run.returncode == BROKEN_PIPE and run.stderr == ""


def test_adviz_render_into_a_closed_pipe_still_writes_and_ends_quietly(tmp_path):
    run = closed_pipe_run([sys.executable, "-m", "adviz", "render", FUNCTION, *VARS, "-o", "g.json"], tmp_path)
    assert run.returncode == BROKEN_PIPE and run.stderr == ""
    assert (tmp_path / "g.json").stat().st_size > 100


def test_adviz_run_long_lets_an_honest_loop_past_the_default_limits(tmp_path):
    script = tmp_path / "loop.py"
    script.write_text("import adviz as tf\nw = tf.Variable(0.0)\nfor step in range(150000):\n"
                      "    w.assign_add(1.0)\nprint(int(w.numpy()))\n", encoding="utf-8")
    command = [sys.executable, "-m", "adviz", "run"]
    short = subprocess.run(command + [str(script)], capture_output=True, text=True, timeout=120)
    assert short.returncode == 1 and "loop iterations" in short.stderr
    long = subprocess.run(command + ["--long", str(script)], capture_output=True, text=True, timeout=120)
    assert long.returncode == 0 and long.stdout == "150000\n", long.stderr

"""A writer killed with SIGKILL at any point of a write leaves the old file byte-identical and no
temporary file. Each export runs in a child that the write hook (``ADVIZ_TEST_PAUSE_WRITE``) stops at
a named point: it reports through a pipe, the test looks at the folder and kills it. No sleeps."""
from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from adviz.model.files import TEMP_SUFFIX, TEST_PAUSE, write_bytes

ROOT = Path(__file__).resolve().parents[2]
OLD = b"the old file, which must survive\n"
RENDER = [sys.executable, "-m", "adviz", "render", "u = x*y; f = sin(u) + x**2", "--var", "x=2", "--var", "y=3"]
SAVE = ("import sys\nfrom adviz.model import files\nfrom adviz.model.session import Session, save_session\n"
        "from adviz.model import Document\nif sys.argv[2] == 'named':\n    files._anonymous_ok = False\n"
        "save_session(sys.argv[1], Session(Document('f = x*y')))\n")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not hasattr(os, "mkfifo"), reason="POSIX only")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def kill_at(argv: list[str], point: str, folder: Path, nth: int = 1) -> tuple[int, list[str]]:
    """Run ``argv`` until its ``nth`` write reaches ``point``; returns (its pid, the folder then), killed."""
    ready, report = os.pipe()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{TEST_PAUSE: f"{point}:{report}:{nth}"},
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    errors = folder.parent / f"{folder.name}.stderr"
    with open(errors, "wb") as stderr:
        child = subprocess.Popen(argv, env=env, cwd=folder, pass_fds=(report,), stdout=subprocess.DEVNULL,
                                 stderr=stderr)
    os.close(report)
    try:
        readable, _, _ = select.select([ready], [], [], 120)
        line = os.read(ready, 200).decode() if readable else ""
        seen = names(folder)
    finally:
        os.close(ready)
        child.send_signal(signal.SIGKILL)
        child.wait(60)
    assert line.startswith(point), f"the writer never reached {point!r}: {errors.read_text()}"
    assert child.returncode == -signal.SIGKILL
    return child.pid, seen


def assert_only_a_dead_temp_then_clean(folder: Path, pid: int, expected: list[str]) -> None:
    """After a kill between naming the temporary file and renaming it: the one hidden file carries the
    dead writer's pid, and the next write into the folder removes it."""
    extra = [n for n in names(folder) if n not in expected]
    assert len(extra) == 1 and re.fullmatch(rf"\..+\.{pid}\.[0-9a-f]{{8}}{re.escape(TEMP_SUFFIX)}", extra[0]), extra
    write_bytes(folder / "next.json", b"{}")
    assert names(folder) == sorted(expected + ["next.json"])


@pytest.mark.parametrize("suffix, point", [("png", "open"), ("png", "write"), ("png", "sync"), ("png", "link"),
                                           ("svg", "write"), ("pdf", "write"), ("gif", "write"),
                                           ("json", "write"), ("json", "link")])
def test_a_killed_export_keeps_the_old_file(tmp_path, suffix, point):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"graph.{suffix}"
    out.write_bytes(OLD)
    extra = ["--inbetween", "1", "--scale", "1"] if suffix == "gif" else []
    pid, during = kill_at(RENDER + ["-o", out.name] + extra, point, folder)
    assert out.read_bytes() == OLD
    if point == "link":
        assert_only_a_dead_temp_then_clean(folder, pid, [out.name])
    else:                       # an anonymous file: nothing had a name, nothing is left
        assert during == [out.name]
        assert names(folder) == [out.name]


def test_a_killed_png_sequence_keeps_the_pictures_it_had_not_replaced(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    for k in range(3):
        (folder / f"step-{k:03d}.png").write_bytes(OLD)
    kill_at(RENDER + ["-o", "step.png", "--sequence", "--scale", "1"], "write", folder, nth=2)
    assert Image.open(folder / "step-000.png").size[0] > 100          # written whole before the kill
    assert (folder / "step-001.png").read_bytes() == OLD              # the one being written
    assert (folder / "step-002.png").read_bytes() == OLD
    assert names(folder) == ["step-000.png", "step-001.png", "step-002.png"]


@pytest.mark.parametrize("point", ["open", "write", "sync", "link"])
def test_a_killed_session_save_keeps_the_old_session(tmp_path, point):
    folder = tmp_path / "out"
    folder.mkdir()
    session = folder / "work.adviz"
    session.write_bytes(OLD)
    session.chmod(0o600)
    pid, during = kill_at([sys.executable, "-c", SAVE, session.name, "anonymous"], point, folder)
    assert session.read_bytes() == OLD
    if point == "link":
        assert_only_a_dead_temp_then_clean(folder, pid, [session.name])
    else:
        assert during == names(folder) == [session.name]


def test_a_killed_save_without_anonymous_files_is_cleaned_up_by_the_next_write(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    session = folder / "work.adviz"
    session.write_bytes(OLD)
    pid, during = kill_at([sys.executable, "-c", SAVE, session.name, "named"], "write", folder)
    assert session.read_bytes() == OLD
    assert len(during) == 2          # the fallback's hidden name, carrying the pid
    assert_only_a_dead_temp_then_clean(folder, pid, [session.name])

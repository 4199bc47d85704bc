"""Atomic writes and bounded reads (adviz.model.files): a failure never costs the old file, a
special file is never opened, and nothing temporary is ever left behind."""
from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
import threading

import pytest

from adviz.model import files
from adviz.model.files import (TEMP_SUFFIX, AtomicFile, OutputRefused, ReadError, TooLarge, atomic_write,
                               check_output, read_limited, remove_stale_temps, write_bytes, write_text)


@pytest.fixture(params=["anonymous", "named"])
def mode(request, monkeypatch):
    """Every test runs with Linux's anonymous O_TMPFILE files and with the hidden-name fallback."""
    if request.param == "named":
        monkeypatch.setattr(files, "_anonymous_ok", False)
    elif not getattr(os, "O_TMPFILE", 0):
        pytest.skip("no O_TMPFILE here")
    return request.param


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# -- writing ------------------------------------------------------------------------
def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path, mode):
    path = tmp_path / "g.json"
    assert write_text(path, "one") == path
    write_bytes(path, b"two")
    assert path.read_bytes() == b"two"
    assert names(tmp_path) == ["g.json"]


def test_while_writing_an_anonymous_file_has_no_name(tmp_path, mode):
    path = tmp_path / "g.json"
    path.write_bytes(b"old")
    with atomic_write(path) as out:
        out.write(b"new, not yet complete")
        out.flush()
        visible = names(tmp_path)
    if mode == "anonymous":            # a kill now would leave nothing at all
        assert visible == ["g.json"]
    else:                              # the fallback's temporary name is hidden and carries the pid
        temp = next(n for n in visible if n != "g.json")
        assert temp.startswith(".g.json.") and f".{os.getpid()}." in temp and temp.endswith(TEMP_SUFFIX)
    assert path.read_bytes() == b"new, not yet complete"
    assert names(tmp_path) == ["g.json"]


def test_an_exception_mid_write_keeps_the_old_file(tmp_path, mode):
    path = tmp_path / "g.svg"
    path.write_bytes(b"the old picture")
    with pytest.raises(RuntimeError, match="painter crashed"):
        with atomic_write(path) as out:
            out.write(b"<svg>half a pic")
            raise RuntimeError("painter crashed")
    assert path.read_bytes() == b"the old picture"
    assert names(tmp_path) == ["g.svg"]


def test_a_cancel_keeps_the_old_file(tmp_path, mode):
    path = tmp_path / "a.gif"
    path.write_bytes(b"old")
    with atomic_write(path) as out:
        out.write(b"GIF89a...")
        out.discard()
    assert path.read_bytes() == b"old"
    assert names(tmp_path) == ["a.gif"]


@pytest.mark.parametrize("where", ["write", "flush", "fsync", "replace"])
def test_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch, mode, where):
    path = tmp_path / "g.pdf"
    path.write_bytes(b"%PDF the old one")
    full = OSError(errno.ENOSPC, "No space left on device")

    class FullDisk:
        """A file whose writes (or flushes) fail as on a full disk."""

        def __init__(self, real):
            self.real = real

        def write(self, data):
            if where == "write":
                raise full
            return self.real.write(data)

        def flush(self):
            self.real.flush()
            if where == "flush":
                raise full

        def __getattr__(self, name):
            return getattr(self.real, name)

    real_fdopen = os.fdopen
    monkeypatch.setattr(files.os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k)))
    if where == "fsync":
        monkeypatch.setattr(files.os, "fsync", lambda fd: (_ for _ in ()).throw(full))
    if where == "replace":
        monkeypatch.setattr(files.os, "replace", lambda *a: (_ for _ in ()).throw(full))
    with pytest.raises(OSError) as caught:
        write_bytes(path, b"%PDF the new one, longer")
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == b"%PDF the old one"
    assert names(tmp_path) == ["g.pdf"]


def test_permission_bits_are_kept_and_a_new_file_follows_the_umask(tmp_path, mode):
    private = tmp_path / "work.adviz"
    private.write_bytes(b"old")
    private.chmod(0o600)
    write_bytes(private, b"new")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    old_umask = os.umask(0o027)
    try:
        write_bytes(tmp_path / "fresh.png", b"x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "fresh.png").stat().st_mode) == 0o640


def test_a_symlink_destination_is_written_through(tmp_path, mode):
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_folder_is_not_a_destination(tmp_path, mode):
    (tmp_path / "out.png").mkdir()
    with pytest.raises(OSError, match="folder"):
        write_bytes(tmp_path / "out.png", b"x")
    assert names(tmp_path) == ["out.png"]


def test_a_missing_folder_is_an_os_error(tmp_path, mode):
    with pytest.raises(FileNotFoundError):
        write_bytes(tmp_path / "no" / "such" / "g.json", b"x")


def test_stale_temporary_files_of_dead_writers_are_removed_by_the_next_write(tmp_path, mode):
    dead = tmp_path / f".g.png.{dead_pid()}.0123abcd{TEMP_SUFFIX}"
    dead.write_bytes(b"a killed writer's half file")
    alive = tmp_path / f".g.png.{os.getppid()}.0123abcd{TEMP_SUFFIX}"     # a running process's
    alive.write_bytes(b"still being written")
    mine = tmp_path / f".h.png.{os.getpid()}.89abcdef{TEMP_SUFFIX}"
    mine.write_bytes(b"ours")
    lookalike = tmp_path / ".g.png.partial"
    lookalike.write_bytes(b"not ours")
    write_bytes(tmp_path / "other.json", b"{}")
    assert names(tmp_path) == sorted([alive.name, mine.name, lookalike.name, "other.json"])
    assert remove_stale_temps(tmp_path) == []


def test_write_refuses_use_after_commit(tmp_path, mode):
    handle = AtomicFile(tmp_path / "g.json")
    handle.write(b"{}")
    handle.commit()
    with pytest.raises(ValueError, match="already"):
        handle.commit()


# -- reading ------------------------------------------------------------------------
def test_read_limited_reads_a_regular_file_up_to_its_limit(tmp_path):
    path = tmp_path / "s.py"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100
    with pytest.raises(TooLarge) as caught:
        read_limited(path, 99)
    assert caught.value.size == 100 and "too large" in str(caught.value)


def test_read_limited_refuses_missing_files_and_folders(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_limited(tmp_path / "gone.adviz", 10)
    with pytest.raises(ReadError, match="this is a folder, not a session file"):
        read_limited(tmp_path, 10, "session file")


def test_read_limited_refuses_a_fifo_without_opening_it(tmp_path):
    fifo = tmp_path / "work.adviz"
    os.mkfifo(fifo)
    result: list = []

    def read():
        try:
            result.append(read_limited(fifo, 10))
        except ReadError as exc:
            result.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():                       # a regression: let the blocked open return, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO blocked")
    assert isinstance(result[0], ReadError) and "named pipe" in str(result[0])


def test_read_limited_refuses_devices_and_sockets(tmp_path):
    with pytest.raises(ReadError, match="a device"):
        read_limited(os.devnull, 10)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.sock"))
        with pytest.raises(ReadError, match="a socket"):
            read_limited(tmp_path / "s.sock", 10)
    finally:
        server.close()


# -- refusing an output -----------------------------------------------------------------
def test_check_output_refuses_the_input_by_name_symlink_and_hard_link(tmp_path):
    source = tmp_path / "work.json"
    source.write_text("f = x*y")
    (tmp_path / "soft.json").symlink_to(source)
    os.link(source, tmp_path / "hard.json")
    for out in (source, tmp_path / "." / "work.json", tmp_path / "soft.json", tmp_path / "hard.json"):
        with pytest.raises(OutputRefused, match="it is the input"):
            check_output(out, [str(source)])
    check_output(tmp_path / "new.json", [str(source), None])       # fine: another file
    assert source.read_text() == "f = x*y"


def test_check_output_refuses_a_suffix_and_a_special_file(tmp_path):
    with pytest.raises(OutputRefused, match="'.adviz' is not a format"):
        check_output(tmp_path / "work.adviz", suffixes=(".png", ".svg"))
    with pytest.raises(OutputRefused, match="no suffix"):
        check_output(tmp_path / "out", suffixes=(".png",))
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(OutputRefused, match="folder"):
        check_output(tmp_path / "dir.png", suffixes=(".png",))
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(OutputRefused, match="named pipe"):
        check_output(tmp_path / "pipe.png", suffixes=(".png",))

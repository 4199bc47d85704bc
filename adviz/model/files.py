"""Files written whole or not at all, and files read within a limit. No Qt, standard library only.

**Writing.** :func:`atomic_write` gives a file object on a temporary file in the destination's
folder; only when the block ends normally is the file flushed, fsynced and renamed over the
destination (and the folder fsynced, so the rename itself survives a power cut). An exception,
a cancel (:meth:`AtomicFile.discard`), a full disk or a failed flush leaves the previous file
byte-identical and no temporary file behind. On Linux the temporary file is anonymous
(``O_TMPFILE``): a process killed while writing leaves nothing at all, because the file gets a
name only for the instant between ``linkat`` and ``rename``. Elsewhere, or on a file system without
``O_TMPFILE``, the temporary file has a hidden name carrying the writer's pid
(``.NAME.PID.RANDOM.adviz-tmp``), and the next write into that folder removes those whose process
is gone. The new file keeps the permission bits of the file it replaces (a private 0600 session
stays private); a new file gets the usual ``0666 & ~umask``.

**Reading.** :func:`read_limited` reads a regular file of at most ``limit`` bytes. Anything else
(a folder, a named pipe, a device, a socket) is refused from ``os.stat`` before it is opened, so a
FIFO named ``work.adviz`` cannot block; the open itself is non-blocking, and the opened file is
checked again in case the name was swapped in between.

**Refusing an output.** :func:`check_output` refuses to write over an input (by name, symlink or
hard link: the same device and inode) and a suffix the writer cannot produce, before anything is
opened.

Example::

    >>> with atomic_write("graph.json") as handle:          # doctest: +SKIP
    ...     handle.write(b"{}")
    >>> read_limited("graph.json", 1_000_000)               # doctest: +SKIP
    b'{}'
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import IO, Iterable

TEMP_SUFFIX = ".adviz-tmp"
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + r"$")
CHUNK = 1 << 20                 # bytes per write() call: a full disk is noticed early
TEST_PAUSE = "ADVIZ_TEST_PAUSE_WRITE"   # see _test_pause


class ReadError(ValueError):
    """A file that cannot be read; ``str()`` is one line saying why, without the path."""


class TooLarge(ReadError):
    """A file over the size limit; ``size`` is what was found (at least ``limit + 1``)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is too large ({size:,} bytes; at most {limit:,})")
        self.size, self.limit = size, limit


class OutputRefused(ValueError):
    """An output path that would destroy an input, or that names a format that cannot be written."""


# -- reading ------------------------------------------------------------------------
def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_a_file(mode: int, what: str = "file") -> str | None:
    """Why a file of ``mode`` (``st_mode``) cannot be read as a ``what``, or None if it is a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = _kind(mode)
    return f"this is {kind}, not a {what}" if kind.startswith("a") else f"this is {kind}"


def read_limited(path: str | os.PathLike[str], limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`ReadError` (one line, no path) for a missing file, anything that is not a regular
    file (never opened), or a failed read, and :class:`TooLarge` past ``limit``; a file that grows
    while it is read is cut off at ``limit + 1`` bytes and refused.
    """
    try:
        before = os.stat(path)
        reason = not_a_file(before.st_mode, what)
        if reason:
            raise ReadError(reason)
        if before.st_size > limit:
            raise TooLarge(before.st_size, limit)
        # O_NONBLOCK: if a FIFO took the file's place since the stat, opening it does not wait for a writer.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        try:
            now = os.fstat(fd)
            reason = not_a_file(now.st_mode, what)
            if reason:
                raise ReadError(reason)
            chunks, size = [], 0
            while size <= limit:
                chunk = os.read(fd, min(CHUNK, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except NotADirectoryError:
        raise ReadError("no such file (a part of its path is not a folder)") from None
    except IsADirectoryError:
        raise ReadError(f"this is a folder, not a {what}") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as exc:
        raise ReadError(f"cannot read it: {exc.strerror or exc}") from None
    if size > limit:
        raise TooLarge(size, limit)
    return b"".join(chunks)


# -- refusing an output ---------------------------------------------------------------
def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` are one file: the same name, a symlink to it, or a hard link (device and inode)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def check_output(path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None] = (),
                 suffixes: Iterable[str] | None = None) -> None:
    """Refuse ``path`` before anything is opened: OutputRefused when it is one of ``inputs`` (by name,
    symlink or hard link), when it is a folder or a special file, or when its suffix is not one of
    ``suffixes`` (lower case, with the dot)."""
    name = os.fspath(path)
    if suffixes is not None:
        allowed = tuple(suffixes)
        suffix = Path(name).suffix.lower()
        if suffix not in allowed:
            raise OutputRefused(f"cannot write {name}: {'its suffix ' + repr(suffix) if suffix else 'it has no suffix'}"
                                f" is not a format adviz writes (use {', '.join(allowed)})")
    for source in inputs:
        if source is not None and same_file(name, source):
            raise OutputRefused(f"cannot write {name}: it is the input {os.fspath(source)}; "
                                "choose another output name")
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        raise OutputRefused(f"cannot write {name}: it is {_kind(mode)}, not a regular file")


# -- writing ------------------------------------------------------------------------
def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:          # EPERM: alive, someone else's
        return True
    return True


def remove_stale_temps(folder: str | os.PathLike[str]) -> list[str]:
    """Remove temporary files of writers that died (a hidden ``...PID.RANDOM.adviz-tmp`` whose pid is gone).

    Returns the names removed. Files of live processes, and every other file, are left alone.
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or _pid_alive(int(match.group(1))):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass
    return removed


def temp_name(path: Path) -> Path:
    """A hidden name beside ``path`` carrying this process's pid, unique within the folder."""
    return path.with_name(f".{path.name[:120]}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make a rename in ``folder`` durable (POSIX); where folders cannot be opened there is nothing to do."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _test_pause(point: str) -> None:
    """A hook for the tests that kill a writer: with ``ADVIZ_TEST_PAUSE_WRITE=POINT:FD[:N]`` in the
    environment, the N-th time (default 1) a write reaches ``POINT`` it writes one line to the
    inherited file descriptor FD and then waits forever, to be killed. Points: ``open`` (the temporary
    file exists and is empty), ``write`` (after the first chunk), ``sync`` (written and fsynced,
    still nameless on Linux), ``link`` (named, not yet renamed over the destination)."""
    spec = os.environ.get(TEST_PAUSE)
    if not spec:
        return
    parts = spec.split(":")
    if parts[0] != point:
        return
    global _pause_count
    _pause_count += 1
    if _pause_count != (int(parts[2]) if len(parts) > 2 else 1):
        return
    os.write(int(parts[1]), f"{point} {os.getpid()}\n".encode())
    while True:
        time.sleep(3600)


_pause_count = 0


def _link(fd: int, name: Path) -> None:
    """Give the anonymous file ``fd`` the name ``name`` (``linkat`` of /proc/self/fd/FD, following the link).

    A dir_fd makes Python call ``linkat`` with ``AT_SYMLINK_FOLLOW``; plain ``link`` would try to link
    the /proc entry itself and fail.
    """
    folder = os.open(name.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


_anonymous_ok: bool | None = None     # whether O_TMPFILE files can be given a name here; None: not tried yet


def _open_anonymous(folder: Path, mode: int) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where that is not possible."""
    global _anonymous_ok
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or _anonymous_ok is False:
        return None
    try:
        fd = os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), mode)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):   # no O_TMPFILE on this file system
            return None
        raise
    if _anonymous_ok is None:
        # Naming an anonymous file goes through /proc: try once, on a throwaway file (a file that was
        # named and unnamed again cannot be named a second time), before any data is at stake.
        probe = folder / f".probe.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            spare = os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), mode)
            try:
                _link(spare, probe)
                os.unlink(probe)
            finally:
                os.close(spare)
            _anonymous_ok = True
        except OSError:
            _anonymous_ok = False
            os.close(fd)
            return None
    return fd


class AtomicFile:
    """A binary file that replaces ``path`` only when :meth:`commit` is reached; see :func:`atomic_write`.

    ``write`` takes bytes (or any buffer); ``file`` is the underlying file object, for writers that
    want one (Pillow). Use as a context manager: leaving the block normally commits, an exception
    discards. :meth:`discard` (a cancel) may be called inside the block.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        path = Path(path)
        if path.is_symlink():           # write through a symlink: the link stays a link
            path = Path(os.path.realpath(path))
        self.path = path
        self.folder = path.parent if str(path.parent) else Path(".")
        self.finished = False
        self._named: Path | None = None      # the temporary file's name, once it has one
        try:
            existing = os.stat(path)
        except OSError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            code = errno.EISDIR if stat.S_ISDIR(existing.st_mode) else errno.EINVAL
            raise OSError(code, f"it is {_kind(existing.st_mode)}, not a regular file", str(path))
        remove_stale_temps(self.folder)
        fd = _open_anonymous(self.folder, 0o666)
        if fd is None:
            fd = self._open_named()
        try:
            if existing is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, stat.S_IMODE(existing.st_mode) & 0o777)
            self.file: IO[bytes] = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            self._unlink_named()
            raise
        self._written = False
        _test_pause("open")

    def _open_named(self) -> int:
        # O_EXCL with the umask's permissions (unlike mkstemp's 0600): a new file is an ordinary document.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
        while True:
            name = temp_name(self.path)
            try:
                fd = os.open(name, flags, 0o666)
            except FileExistsError:
                continue
            self._named = name
            return fd

    def write(self, data) -> int:
        """Append ``data``; returns the number of bytes."""
        view = memoryview(data).cast("B")
        for start in range(0, len(view), CHUNK):
            self.file.write(view[start:start + CHUNK])
            if not self._written:
                self._written = True
                _test_pause("write")
        return len(view)

    def tell(self) -> int:
        return self.file.tell()

    def flush(self) -> None:
        self.file.flush()

    def commit(self) -> Path:
        """Flush, fsync, and put the file in place of ``path``; on failure nothing is left but the old file."""
        if self.finished:
            raise ValueError("this file was already committed or discarded")
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            _test_pause("sync")
            if self._named is None:
                name = temp_name(self.path)
                _link(self.file.fileno(), name)
                self._named = name
            _test_pause("link")
            self.file.close()
            os.replace(self._named, self.path)
            self._named = None
        except BaseException:
            self.discard()
            raise
        self.finished = True
        sync_folder(self.folder)
        return self.path

    def discard(self) -> None:
        """Stop and leave nothing behind; the destination keeps what it had."""
        self.finished = True
        try:
            self.file.close()
        except OSError:
            pass
        self._unlink_named()

    def _unlink_named(self) -> None:
        if self._named is not None:
            try:
                os.unlink(self._named)
            except OSError:
                pass
            self._named = None

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self.finished:
            return
        if kind is None:
            self.commit()
        else:
            self.discard()


def atomic_write(path: str | os.PathLike[str]) -> AtomicFile:
    """Open ``path`` for an all-or-nothing write: ``with atomic_write(p) as f: f.write(data)``."""
    return AtomicFile(path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically (see :class:`AtomicFile`); returns the path written."""
    with AtomicFile(path) as handle:
        handle.write(data)
    return handle.path


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Replace ``path`` with ``text`` in UTF-8, atomically."""
    return write_bytes(path, text.encode("utf-8"))


__all__ = ["ReadError", "TooLarge", "OutputRefused", "read_limited", "not_a_file", "same_file", "check_output",
           "AtomicFile", "atomic_write", "write_bytes", "write_text", "remove_stale_temps", "sync_folder",
           "TEMP_SUFFIX"]

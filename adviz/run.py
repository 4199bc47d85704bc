"""``adviz run FILE``: run a tape script safely and print what it prints."""
from __future__ import annotations

import sys
from typing import TextIO

from .lang.limits import Limits
from .lang.trace import PrintedLine
from .model.isolation import shared
from .model.files import ReadError, TooLarge, read_limited


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def _print(line: PrintedLine) -> None:
    """A printed line to stdout; a warning TensorFlow would log to stderr, after what came before."""
    if line.stream == "stderr":
        sys.stdout.flush()
        _write(sys.stderr, line.text + line.end)
        sys.stderr.flush()
    else:
        _write(sys.stdout, line.text + line.end)


def run_command(path: str, *, limits: Limits = Limits()) -> int:
    """Run the script at ``path``: its printed lines go to stdout; an error goes to stderr as
    ``FILE:LINE:COL: message`` and the result is 1 (0 on success). Never shows a traceback.

    Only a regular file is read (a named pipe or a device is refused without being opened), and
    at most ``limits.max_source_bytes`` of it. When stdout is closed early (``adviz run s.py | head``)
    the run ends quietly with :data:`BROKEN_PIPE`, as other command-line tools do.
    """
    try:
        data = read_limited(path, limits.max_source_bytes, "script")
    except TooLarge as exc:
        _write(sys.stderr, f"{path}: the script is too long ({exc.size:,} bytes; "
                           f"at most {limits.max_source_bytes:,})\n")
        return 1
    except ReadError as exc:
        reason = str(exc).replace("a folder,", "a directory,")
        _write(sys.stderr, f"{path}: {reason}\n")
        return 1
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _write(sys.stderr, f"{path}: not UTF-8 text (byte {exc.start} cannot be read)\n")
        return 1
    worker = shared()
    try:
        # In the worker process, which the system stops at its limits; lines appear as they are printed.
        trace = worker.run_script(text, limits, on_print=_print)
        sys.stdout.flush()
    except BrokenPipeError:
        worker.terminate()
        return quiet_broken_pipe()
    if trace.error is not None:
        _write(sys.stderr, f"{path}:{trace.error.line}:{trace.error.col}: {trace.error.message}\n")
        return 1
    return 0


BROKEN_PIPE = 141      # 128 + SIGPIPE: what the shell shows for a tool that stopped at a closed pipe


def quiet_broken_pipe() -> int:
    """After stdout's reader went away: point stdout at the null device, so that the interpreter's last
    flush cannot fail again with a traceback, and return :data:`BROKEN_PIPE`."""
    import os
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):     # stdout without a file descriptor (a test's capture)
        pass
    return BROKEN_PIPE

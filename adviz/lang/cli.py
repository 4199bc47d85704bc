"""``adviz run FILE``: run a tape script safely and print what it prints."""
from __future__ import annotations

import sys
from typing import TextIO

from .limits import Limits
from .script import run_script


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def run_command(path: str, *, limits: Limits = Limits()) -> int:
    """Run the script at ``path``: its printed lines go to stdout; an error goes to stderr as
    ``FILE:LINE:COL: message`` and the result is 1 (0 on success). Never shows a traceback."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_source_bytes + 1)
    except FileNotFoundError:
        _write(sys.stderr, f"{path}: no such file\n")
        return 1
    except IsADirectoryError:
        _write(sys.stderr, f"{path}: is a directory, not a script\n")
        return 1
    except OSError as exc:
        _write(sys.stderr, f"{path}: cannot read the file ({exc.strerror or exc})\n")
        return 1
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _write(sys.stderr, f"{path}: not UTF-8 text (byte {exc.start} cannot be read)\n")
        return 1
    trace = run_script(text, limits=limits)
    for printed in trace.printed:
        _write(sys.stdout, printed.text + printed.end)
    sys.stdout.flush()
    if trace.error is not None:
        _write(sys.stderr, f"{path}:{trace.error.line}:{trace.error.col}: {trace.error.message}\n")
        return 1
    return 0

"""Reading INPUT arguments: a file, or text typed on the command line (no Qt)."""
from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

from .files import ReadError, TooLarge, read_limited

if TYPE_CHECKING:
    from .document import VariableSpec
    from .session import Session

INPUT_LIMIT = 1_000_000   # characters
SUFFIXES = (".py", ".adviz", ".txt")


def read_text_input(value: str) -> str:
    """A file's text when ``value`` names one, else ``value`` itself (``;`` separates lines).

    Raises ValueError with a one-line message for a missing, unreadable or oversized file, and for
    a name that is not a regular file (a folder, a named pipe, a device), which is never opened.
    """
    looks_like_a_path = value.endswith(SUFFIXES) or os.sep in value or not any(c in value for c in "=()*+ ")
    try:
        mode: int | None = os.stat(value).st_mode
    except (OSError, ValueError):
        mode = None
    if mode is not None and (stat.S_ISREG(mode) or looks_like_a_path):
        try:
            raw = read_limited(value, 4 * INPUT_LIMIT)      # UTF-8 needs at most 4 bytes a character
            text = raw.decode("utf-8-sig")
        except TooLarge:
            raise ValueError(f"{value}: larger than {INPUT_LIMIT:,} characters") from None
        except ReadError as exc:
            raise ValueError(f"{value}: {exc}") from None
        except UnicodeDecodeError:
            raise ValueError(f"{value}: not a UTF-8 text file") from None
        if len(text) > INPUT_LIMIT:
            raise ValueError(f"{value}: larger than {INPUT_LIMIT:,} characters")
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if value.endswith(SUFFIXES) and not any(c in value for c in "=()*+ "):
        raise ValueError(f"{value}: no such file")
    return "\n".join(part.strip() for part in value.split(";"))


def load_session_input(value: str | None) -> Session | None:
    """The session in INPUT when it names a ``.adviz`` file, else None.

    Raises ValueError with a one-line message (``FILE: what is wrong``) for a bad session.
    """
    from .session import SessionError, is_session_path, load_session
    if value is None or not is_session_path(value):
        return None
    try:
        return load_session(value)
    except SessionError as exc:
        raise ValueError(f"{value}: {exc}") from None



KIND_OF_FLAG = {"var": "variable", "const": "constant", "watch": "watched"}


def parse_declarations(declared: dict[str, list[str]]) -> list["VariableSpec"]:
    """``--var x=2``, ``--const c=[1, 2]``, ``--watch w=3`` as inputs of a document.

    ``declared`` maps ``var``/``const``/``watch`` to NAME=VALUE texts. Raises ValueError with a
    one-line message for a malformed or repeated name.
    """
    from .document import VariableSpec
    specs: list[VariableSpec] = []
    names: set[str] = set()
    for flag, kind in KIND_OF_FLAG.items():
        for text in declared.get(flag, ()):
            name, sep, value = text.partition("=")
            name = name.strip()
            if not sep or not name.isidentifier() or not value.strip():
                raise ValueError(f"expected NAME=VALUE, such as x=2 or w=[1, 2], not {text!r}")
            if name in names:
                raise ValueError(f"{name} is declared more than once")
            names.add(name)
            specs.append(VariableSpec(name, value.strip(), kind, True))
    return specs

"""Reading INPUT arguments: a file, or text typed on the command line (no Qt)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .session import Session

INPUT_LIMIT = 1_000_000   # characters


def read_text_input(value: str) -> str:
    """A file's text when ``value`` names one, else ``value`` itself (``;`` separates lines).

    Raises ValueError with a one-line message for a missing, unreadable or oversized file.
    """
    path = Path(value)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):
        is_file = False
    if is_file:
        try:
            with path.open("r", encoding="utf-8") as handle:
                text = handle.read(INPUT_LIMIT + 1)
        except UnicodeDecodeError:
            raise ValueError(f"{value}: not a UTF-8 text file") from None
        except OSError as exc:
            raise ValueError(f"{value}: {exc.strerror or exc}") from None
        if len(text) > INPUT_LIMIT:
            raise ValueError(f"{value}: larger than {INPUT_LIMIT:,} characters")
        return text
    if value.endswith((".py", ".adviz", ".txt")) and not any(c in value for c in "=()*+ "):
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


"""What went wrong in a run, as fields a view can place: no view reads message text to decide.

Example::

    >>> from adviz.lang import LangError
    >>> describe(LangError("unknown name 'z'", 2, 5)).text
    "line 2, col 5: unknown name 'z'"
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One error of a run: its kind, where it is (a line and column, or an input's value), and what."""

    kind: str
    message: str
    line: int = 0
    col: int = 0
    variable: str | None = None     # set when the value given for this input is at fault

    @property
    def text(self) -> str:
        """The one line the inputs show: ``x: …`` for a bad value, ``line L, col C: …`` in the text."""
        if self.variable is not None:
            return f"{self.variable}: {self.message}"
        return (f"line {self.line}, col {self.col}: " if self.line else "") + self.message


def describe(error: BaseException | None) -> Problem | None:
    """The :class:`Problem` of a run's error (a LangError or a Notice), None when there is none."""
    if error is None:
        return None
    variable = getattr(error, "variable", None)
    message = getattr(error, "detail", None) if variable is not None else None
    return Problem(kind=str(getattr(error, "kind", "runtime")),
                   message=message or str(getattr(error, "message", error)),
                   line=int(getattr(error, "line", 0) or 0), col=int(getattr(error, "col", 0) or 0),
                   variable=variable)

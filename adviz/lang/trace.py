"""What a run leaves behind: plain data that the app, the graph builder and the CLI all read."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine import GradientTape, TapeCall, Tensor
from .errors import LangError


@dataclass
class Cell:
    """A notebook-like cell: a narration string and the code lines that follow it.

    ``first_line``..``last_line`` (1-based, inclusive) run from the line after the narration to
    the end of the cell's last statement; a narration with no code after it has
    ``last_line < first_line``. Code before any narration forms a cell with narration ``""``.
    """

    narration: str
    first_line: int
    last_line: int


@dataclass
class PrintedLine:
    """What one ``print`` call wrote: ``text`` followed by ``end``."""

    line: int
    text: str
    end: str = "\n"


@dataclass
class TapeInfo:
    """A GradientTape the run created; ``tape`` is the engine object (its records and calls)."""

    index: int
    name: str | None
    line: int
    persistent: bool
    watch_accessed_variables: bool
    tape: GradientTape


@dataclass
class GradientCall:
    """One ``gradient`` or ``jacobian`` call: the unit a person looks at.

    ``sources`` and ``result`` are flat lists in the order of ``source_names``. ``names`` maps
    engine object ids (``obj._id``) to the script name last bound to them, as of this call.
    ``tape_call`` is the engine's record of the call (with its backward steps), or None if the
    call failed, in which case ``error`` says why.
    """

    index: int
    tape_index: int
    kind: str
    line: int
    col: int
    target_text: str
    sources_text: str
    target: Any
    sources: list[Any]
    source_names: list[str]
    result: list[Tensor | None] | None = None
    tape_call: TapeCall | None = None
    error: LangError | None = None
    names: dict[int, str] = field(default_factory=dict)


@dataclass
class Trace:
    """Everything a run produced, up to its first error (``error``), if any."""

    tapes: list[TapeInfo] = field(default_factory=list)
    calls: list[GradientCall] = field(default_factory=list)
    printed: list[PrintedLine] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    error: LangError | None = None
    names: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def output(self) -> str:
        """The printed text, as it would appear on a terminal."""
        return "".join(p.text + p.end for p in self.printed)

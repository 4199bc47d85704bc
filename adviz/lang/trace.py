"""What a run leaves behind: plain data that the app, the graph builder and the CLI all read."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine import GradientTape, TapeCall, Tensor
from .errors import LangError


class Names(Mapping):
    """Engine object ids (``obj._id``) → the script name last bound to them, with its history.

    A gradient call sees the names as they were when it ran; storing a copy per call would make
    every call cost as much as all the bindings before it (a long training loop would grow with
    the square of its steps). Instead every binding is numbered once, and :meth:`as_of` gives a
    view that answers from the bindings made up to that moment, at no cost of its own.
    """

    __slots__ = ("_bound", "_count")

    def __init__(self, initial: Mapping[int, str] | None = None) -> None:
        # id -> (number, name), or a list of them when the id was bound again to another name.
        self._bound: dict[int, Any] = {}
        self._count = 0
        for key, name in (initial or {}).items():
            self[key] = name

    def __setitem__(self, key: int, name: str) -> None:
        entry = self._bound.get(key)
        if entry is not None and (entry if isinstance(entry, tuple) else entry[-1])[1] == name:
            return  # the same name again: nothing new to remember
        self._count += 1
        if entry is None:
            self._bound[key] = (self._count, name)
        elif isinstance(entry, tuple):
            self._bound[key] = [entry, (self._count, name)]
        else:
            entry.append((self._count, name))

    def _lookup(self, key: int, upto: int) -> str | None:
        entry = self._bound.get(key)
        if entry is None:
            return None
        if isinstance(entry, tuple):
            return entry[1] if entry[0] <= upto else None
        k = bisect_right(entry, (upto, "\U0010ffff"))
        return entry[k - 1][1] if k else None

    def __getitem__(self, key: int) -> str:
        name = self._lookup(key, self._count)
        if name is None:
            raise KeyError(key)
        return name

    def __iter__(self) -> Iterator[int]:
        return iter(self._bound)

    def __len__(self) -> int:
        return len(self._bound)

    def as_of(self) -> "NamesView":
        """The names as they are now, unaffected by later bindings."""
        return NamesView(self, self._count)


class NamesView(Mapping):
    """A read-only :class:`Names` as of one moment of the run."""

    __slots__ = ("_names", "_upto")

    def __init__(self, names: Names, upto: int) -> None:
        self._names, self._upto = names, upto

    def __getitem__(self, key: int) -> str:
        name = self._names._lookup(key, self._upto)
        if name is None:
            raise KeyError(key)
        return name

    def __iter__(self) -> Iterator[int]:
        return (k for k in self._names._bound if self._names._lookup(k, self._upto) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return self._upto > 0

    def __repr__(self) -> str:
        return f"NamesView({dict(self)!r})"


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
    """What one ``print`` call wrote: ``text`` followed by ``end``.

    ``stream`` is ``"stderr"`` for what TensorFlow would log there instead (its warnings, such as
    ``WARNING:tensorflow:The dtype of the watched tensor must be floating ...``).
    """

    line: int
    text: str
    end: str = "\n"
    stream: str = "stdout"


@dataclass
class TapeInfo:
    """A GradientTape the run created; ``tape`` is the engine object (its records and calls)."""

    index: int
    name: str | None
    line: int
    persistent: bool
    watch_accessed_variables: bool
    tape: GradientTape


@dataclass(frozen=True)
class TapeMoment:
    """The tape as one gradient call found it, in plain data (for the graph's diagnosis).

    ``status``: ``"recording"`` (inside its ``with`` block), ``"stopped"`` (inside
    ``stop_recording()``), ``"finished"`` (after the block) or ``"released"`` (a non-persistent
    tape already used). ``asked`` counts this tape's gradient and jacobian calls up to and
    including this one. ``watched`` is ``(engine id, how)`` for each Variable the tape watched, in
    ``watched_variables()`` order, then each tensor given to ``watch()``. ``moment`` is the engine's
    id counter at the call (what was made before it has smaller ids); ``entered`` the counter when
    the tape's block was last entered; ``reset_line``/``reset_order`` the last ``reset()`` before.
    """

    status: str
    asked: int
    watched: tuple[tuple[int, str], ...] = ()
    moment: int = 0
    entered: int = 0
    reset_line: int = 0
    reset_order: int = 0


@dataclass
class GradientCall:
    """One ``gradient`` or ``jacobian`` call: the unit a person looks at.

    ``sources`` and ``result`` are flat lists in the order of ``source_names``. ``names`` maps
    engine object ids (``obj._id``) to the script name last bound to them, as of this call (a
    view of the run's :class:`Names`, not a copy).
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
    names: Mapping[int, str] = field(default_factory=dict)
    tape_moment: TapeMoment | None = None


@dataclass
class Trace:
    """Everything a run produced, up to its first error (``error``), if any."""

    tapes: list[TapeInfo] = field(default_factory=list)
    calls: list[GradientCall] = field(default_factory=list)
    printed: list[PrintedLine] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    error: LangError | None = None
    names: Names = field(default_factory=Names)
    unpictured: int = 0      # gradient calls past Limits.max_pictured_calls: computed, not kept for pictures
    history: Any = None      # an adviz.engine.history.Witness: ops outside tapes and links, for diagnosis

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def output(self) -> str:
        """The printed text (standard output), as it would appear on a terminal."""
        return "".join(p.text + p.end for p in self.printed if p.stream == "stdout")

    @property
    def warnings(self) -> str:
        """What the run wrote to standard error: TensorFlow's warnings, as it logs them."""
        return "".join(p.text + p.end for p in self.printed if p.stream == "stderr")

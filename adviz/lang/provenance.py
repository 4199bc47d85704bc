"""What a script's run remembers for explaining a None gradient, beyond what the tapes record.

The tapes keep the ops inside their blocks; an :class:`~adviz.engine.history.Witness` on the
tape stack keeps every op's ids. This module adds what no op shows:

- values that left TensorFlow (``y.numpy()``, ``float(y)``, ``np.mean(y)``) and the tensors
  later made from them, as ``numpy`` links;
- ``v.assign(...)``, ``assign_add`` and ``assign_sub``, as ``assign`` links on the Variable;
- comparisons of tensors (``x > 0``), as ``compare`` links;
- for each tape: when its block was entered, what ``watch()`` was told on which line, its
  ``reset()`` calls and how many times it was asked, so each gradient call gets a
  :class:`~adviz.lang.trace.TapeMoment`.

Everything is kept as ids and short texts; numpy values are held weakly (numbers, which cannot
be, are kept so that their ids stay theirs), up to a cap.
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from ..engine import GradientTape, Tensor, Variable, flatten
from ..engine.history import ASSIGN, COMPARE, NUMPY, Link, Witness
from ..engine.recording import pop, push
from ..engine.tensor import next_id
from .trace import TapeMoment

AUTOMATIC = "trainable Variable read inside the tape: watched automatically"
CAP = 10_000          # numpy values remembered at most
TEXT = 60             # characters of source text kept per link
ASSIGNS = ("assign", "assign_add", "assign_sub")


def _short(text: str) -> str:
    return text if len(text) <= TEXT else text[: TEXT - 1] + "…"


def _numeric(value: Any) -> bool:
    """A value a tape cannot see that may still carry a tensor's numbers."""
    return isinstance(value, (np.ndarray, float, np.floating, np.integer)) and not isinstance(value, bool)


class Provenance:
    """The run's memory for diagnosis; :meth:`start` puts its witness on the tape stack."""

    def __init__(self, witness: Witness | None = None) -> None:
        self.witness = witness if witness is not None else Witness()
        self._origins: dict[int, tuple[Any, Link]] = {}
        self._tapes: dict[int, dict[str, Any]] = {}
        self.active = False

    # -- the witness on the tape stack ---------------------------------------------------------
    def start(self) -> None:
        """Begin watching every op."""
        push(self.witness)
        self.active = True

    def stop(self) -> None:
        """Stop watching (at the end of the run, or when no more calls are pictured)."""
        if self.active:
            pop(self.witness)
            self.active = False

    def at_line(self, line: int) -> None:
        """The statement now running starts on ``line`` (a full witness leaves the stack here)."""
        self.witness.line = line
        if not self.witness.complete:
            self.stop()

    # -- tapes -------------------------------------------------------------------------------------
    def _tape(self, tape: GradientTape) -> dict[str, Any]:
        entry = self._tapes.get(id(tape))
        if entry is None or entry["tape"] is not tape:
            entry = self._tapes[id(tape)] = {"tape": tape, "watch": {}, "asked": 0, "entered": 0,
                                             "reset": (0, 0)}
        return entry

    def entered(self, tape: GradientTape) -> None:
        """``tape``'s ``with`` block opens now."""
        self._tape(tape)["entered"] = next_id()

    def watching(self, tape: GradientTape, value: Any, text: str, line: int) -> None:
        """``tape.watch(value)`` is about to run: remember where each new leaf was watched."""
        how = self._tape(tape)["watch"]
        for leaf in flatten(value):
            if isinstance(leaf, (Tensor, Variable)) and not tape.is_watched(leaf) and leaf._id not in how:
                how[leaf._id] = (leaf, f"{_short(text)} on line {line}")

    def was_reset(self, tape: GradientTape, line: int) -> None:
        """``tape.reset()`` ran: what it was told to watch is forgotten."""
        entry = self._tape(tape)
        entry["watch"].clear()
        entry["reset"] = (line, next_id())

    def moment(self, tape: GradientTape) -> TapeMoment:
        """The tape as the gradient call about to run finds it (counts the call)."""
        entry = self._tape(tape)
        entry["asked"] += 1
        if tape.used and not tape.persistent:
            status = "released"
        elif tape.recording:
            status = "stopped" if tape.stopped else "recording"
        else:
            status = "finished"
        how = entry["watch"]
        watched = [(v._id, how[v._id][1] if v._id in how else AUTOMATIC) for v in tape.watched_variables()]
        watched += [(oid, text) for oid, (leaf, text) in how.items()
                    if not isinstance(leaf, Variable) and tape.is_watched(leaf)]
        reset_line, reset_order = entry["reset"]
        return TapeMoment(status, entry["asked"], tuple(watched), next_id(), entry["entered"],
                          reset_line, reset_order)

    # -- values that leave the tape's sight --------------------------------------------------------
    def origin(self, value: Any) -> Link | None:
        """The exit a numpy value or number came from, if it came from a tensor."""
        entry = self._origins.get(id(value))
        if entry is None:
            return None
        held, link = entry
        obj = held() if isinstance(held, weakref.ref) else held
        return link if obj is value else None

    def _origin_deep(self, value: Any, depth: int = 0) -> Link | None:
        if isinstance(value, (list, tuple)) and depth < 2:
            for item in value[:64]:
                link = self._origin_deep(item, depth + 1)
                if link is not None:
                    return link
            return None
        return self.origin(value) if _numeric(value) else None

    def _remember(self, value: Any, link: Link) -> None:
        if not self.active or len(self._origins) >= CAP or not _numeric(value):
            return
        key = id(value)
        if isinstance(value, np.ndarray):
            def forget(ref: weakref.ref, key: int = key) -> None:
                if self._origins.get(key, (None,))[0] is ref:
                    del self._origins[key]
            self._origins[key] = (weakref.ref(value, forget), link)
        else:
            self._origins[key] = (value, link)   # kept alive, so that its id stays its own

    def _sources(self, values: Any) -> tuple[int, ...]:
        """The engine ids behind some values: tensors themselves, numbers through their origin."""
        ids: list[int] = []
        for leaf in flatten(values)[:64]:
            if isinstance(leaf, (Tensor, Variable)):
                ids.append(leaf._id)
            else:
                link = self._origin_deep(leaf)
                if link is not None:
                    ids.extend(link.sources)
        return tuple(dict.fromkeys(ids))

    def _link_made(self, result: Any, derived: list[tuple[int, Link]]) -> None:
        """``result`` (a tensor) was made with numpy values at these argument positions."""
        made = self.witness.ops.get(result._id)
        for position, link in derived:
            if made is not None and position < len(made[1]):
                self.witness.link(made[1][position], link)      # the converted input of the op
            elif made is None:
                self.witness.link(result._id, link)             # a tensor made from the value
                return

    def after_call(self, func: Any, args: list[Any], kwargs: dict[str, Any], result: Any, text: str,
                   line: int) -> None:
        """A whitelisted function or method returned ``result``."""
        if not self.active:
            return
        name = func.name
        owner = getattr(func, "owner", None)
        if isinstance(owner, (Tensor, Variable)):
            if name == "numpy":
                self._remember(result, Link(NUMPY, (owner._id,), _short(text), line, next_id()))
                return
            if isinstance(owner, Variable) and name in ASSIGNS:
                value = args[0] if args else next(iter(kwargs.values()), None)
                sources = self._sources(value)
                if sources:
                    self.witness.link(owner._id, Link(ASSIGN, sources, _short(text), line, next_id()))
                return
        if isinstance(result, (Tensor, Variable)):
            derived = [(i, link) for i, a in enumerate(args) if (link := self._origin_deep(a)) is not None]
            derived += [(len(args) + 99, link) for a in kwargs.values() if (link := self._origin_deep(a)) is not None]
            if derived:
                self._link_made(result, derived)
            return
        if _numeric(result):
            values = list(args) + list(kwargs.values())
            inherited = next((link for a in values if (link := self._origin_deep(a)) is not None), None)
            if inherited is not None:
                self._remember(result, Link(NUMPY, self._sources(values), inherited.how, inherited.line, next_id()))
            elif name == "float" or name.startswith("np."):
                sources = self._sources(values)
                if sources:
                    self._remember(result, Link(NUMPY, sources, _short(text), line, next_id()))

    def after_binary(self, a: Any, b: Any, result: Any) -> None:
        """``a op b`` gave ``result``: numbers from tensors stay marked; a tensor made with them is linked."""
        if not self.active or not (_numeric(a) or _numeric(b)):
            return
        if isinstance(result, Tensor):
            derived = [(i, link) for i, v in enumerate((a, b)) if _numeric(v) and (link := self.origin(v)) is not None]
            if derived:
                self._link_made(result, derived)
        elif _numeric(result):
            link = self.origin(a) if _numeric(a) else None
            link = link or (self.origin(b) if _numeric(b) else None)
            if link is not None:
                self._remember(result, link)

    def after_index(self, value: Any, result: Any) -> None:
        """``value[...]`` or ``-value`` gave ``result``: an element of a marked array is marked."""
        if self.active and _numeric(value) and _numeric(result):
            link = self.origin(value)
            if link is not None:
                self._remember(result, link)

    def after_compare(self, left: Any, right: Any, result: Any, text: str, line: int) -> None:
        """A comparison of tensors made ``result``, a tensor with no gradient."""
        if not self.active or not isinstance(result, Tensor):
            return
        sources = self._sources([left, right])
        if sources:
            self.witness.link(result._id, Link(COMPARE, sources, _short(text), line, next_id()))

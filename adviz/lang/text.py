"""The text of values, made within a length.

``str`` and ``repr`` of a script's values are written piece by piece, counting as they go, so
the text of a list of 200,000 tensors is refused after its first million characters instead
of being built whole; error messages quote values through :func:`short_repr`, which stops
after a few hundred characters.
"""
from __future__ import annotations

from typing import Any, Callable

from ..engine.shapes import TensorShape
from .errors import LangError
from .limits import Budget

_PLAIN = frozenset({int, float, bool, complex, type(None)})
_CHUNK = 4096


class _Full(Exception):
    """The text reached its length."""


class _Writer:
    def __init__(self, limit: int, tick: Callable[[], None] | None) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.limit = limit
        self.tick = tick
        self.leaves = 0

    def put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.length > self.limit:
            raise _Full()

    def value(self, value: Any, quote: bool) -> None:
        view = getattr(type(value), "view_name", None)   # d.items(): dict_items([...])
        if isinstance(value, tuple) and view is not None:
            self.put(f"{value.view_name}(")
            self.sequence(list(value))
            self.put(")")
        elif isinstance(value, (list, tuple)) and not isinstance(value, TensorShape):
            self.sequence(value)
        elif isinstance(value, (set, frozenset)):
            self.put("{" if value else "set()")
            for k, item in enumerate(value):
                self.put(", " if k else "")
                self.value(item, True)
            self.put("}" if value else "")
        elif isinstance(value, dict):
            self.put("{")
            for k, (key, item) in enumerate(value.items()):
                if k:
                    self.put(", ")
                self.value(key, True)
                self.put(": ")
                self.value(item, True)
            self.put("}")
        else:
            self.leaves += 1
            if self.tick is not None and self.leaves % 256 == 0:
                self.tick()
            self.put(repr(value) if quote else str(value))

    def sequence(self, value: list[Any] | tuple[Any, ...]) -> None:
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ",)" if len(value) == 1 else ")")
        self.put(open_)
        for start in range(0, len(value), _CHUNK):
            chunk = value[start:start + _CHUNK]
            if start:
                self.put(", ")
            if set(map(type, chunk)) <= _PLAIN:
                # Plain numbers: Python writes them the same way, a chunk at a time.
                self.put(repr(list(chunk))[1:-1])
                if self.tick is not None:
                    self.tick()
                continue
            for k, item in enumerate(chunk):
                if k:
                    self.put(", ")
                self.value(item, True)
        self.put(close)


def text_of(value: Any, limit: int, *, quote: bool = False, budget: Budget | None = None,
            too_long: str | None = None) -> str:
    """``str(value)`` (``repr`` when ``quote``) as Python writes it; a LangError (``too_long``,
    or one naming the limit) if it would be longer than ``limit`` characters. The budget's
    clock is read as the text grows."""
    if isinstance(value, str) and not quote:
        if len(value) > limit:
            raise LangError(too_long or f"the text would have over {limit:,} characters", kind="limit")
        return value
    writer = _Writer(limit, budget.check_clock if budget is not None else None)
    try:
        writer.value(value, quote)
    except _Full:
        raise LangError(too_long or f"the text of {_kind(value)} would have over {limit:,} characters", kind="limit") from None
    return "".join(writer.parts)


def short_repr(value: Any, limit: int = 200) -> str:
    """``repr(value)``, cut to about ``limit`` characters: for quoting values in messages."""
    writer = _Writer(limit, None)
    try:
        writer.value(value, True)
    except _Full:
        return "".join(writer.parts)[:limit] + "…"
    return "".join(writer.parts)


def clip(message: str, limit: int = 2_000) -> str:
    """A message cut to a length a terminal or a status bar can show."""
    return message if len(message) <= limit else message[:limit] + "… (cut)"


def _kind(value: Any) -> str:
    from .limits import describe
    return describe(value)

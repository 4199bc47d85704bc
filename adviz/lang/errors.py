"""The one error type of the input language, and how other failures become it."""
from __future__ import annotations

import ast
from typing import Sequence


class LangError(Exception):
    """A located problem with a function text or a tape script.

    ``line`` and ``col`` are 1-based (``col`` counts characters, not bytes). An error raised
    deep inside a check may not know its place yet (``line == 0``); the interpreter fills it in
    from the node it was evaluating before the error leaves the package.
    """

    def __init__(self, message: str, line: int = 0, col: int = 0, *, kind: str = "runtime",
                 variable: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.kind = kind               # "value" when an input's value text is at fault
        self.variable = variable       # that input's name
        self.detail = detail if detail is not None else message    # the message without the name

    def __str__(self) -> str:
        return f"line {self.line}, col {self.col}: {self.message}"

    def __repr__(self) -> str:
        return f"LangError({self.message!r}, line={self.line}, col={self.col})"

    @property
    def located(self) -> bool:
        return self.line > 0


# What the engine, numpy and Python's arithmetic raise on bad input; each becomes a LangError.
ENGINE_ERRORS: tuple[type[BaseException], ...] = (
    TypeError, ValueError, RuntimeError, ArithmeticError, IndexError, KeyError,
    RecursionError, MemoryError, AttributeError, UnicodeError, StopIteration,
)


def node_position(node: ast.AST | None, lines: Sequence[str] = ()) -> tuple[int, int]:
    """1-based (line, column) of ``node``; ast's ``col_offset`` counts UTF-8 bytes, we count characters."""
    line = getattr(node, "lineno", None) or 1
    offset = getattr(node, "col_offset", None) or 0
    if 0 < line <= len(lines) and offset:
        text = lines[line - 1]
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace"))
    return line, offset + 1


def at(node: ast.AST | None, message: str, lines: Sequence[str] = ()) -> LangError:
    """A LangError placed at ``node``."""
    line, col = node_position(node, lines)
    return LangError(message, line, col)


def plain_message(exc: BaseException) -> str:
    """Say what went wrong without Python's exception vocabulary."""
    text = str(exc).strip()
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, RecursionError):
        return "the value or expression is nested too deeply"
    if isinstance(exc, MemoryError):
        return "out of memory: the value is too large"
    if isinstance(exc, OverflowError):
        return "number too large"
    if isinstance(exc, IndexError):
        return f"index out of range ({text})" if text else "index out of range"
    if isinstance(exc, KeyError):
        return f"no entry {text}"
    if isinstance(exc, StopIteration):
        return "the sequence is empty"
    return text or type(exc).__name__


def wrap(exc: BaseException, node: ast.AST | None, lines: Sequence[str] = ()) -> LangError:
    """``exc`` as a LangError at ``node`` (a LangError that already has a place keeps it)."""
    if isinstance(exc, LangError):
        if exc.located:
            return exc
        line, col = node_position(node, lines)
        exc.line, exc.col = line, col
        return exc
    return at(node, plain_message(exc), lines)

"""The one error type of the input language, and how other failures become it."""
from __future__ import annotations

import ast
from typing import Sequence

from ..engine.errors import OpError


# What kind of problem a LangError is, so that callers need not read its message:
ERROR_KINDS = (
    "syntax",     # the text cannot be read, or uses something the language does not have
    "name",       # a name is unknown, unavailable, or defined in the wrong place
    "value",      # a value is unusable (a declared input's value names the input: ``variable``)
    "type",       # an operation got an argument of the wrong type
    "limit",      # a size, depth or time limit of the run was reached
    "runtime",    # anything else that failed while running (the default)
    "gradient",   # a gradient or jacobian call failed
)


class LangError(Exception):
    """A located problem with a function text or a tape script.

    ``line`` and ``col`` are 1-based (``col`` counts characters, not bytes). An error raised
    deep inside a check may not know its place yet (``line == 0``); the interpreter fills it in
    from the node it was evaluating before the error leaves the package.

    ``kind`` is one of :data:`ERROR_KINDS`. ``variable`` is the declared input whose value is
    wrong (else None), and ``detail`` what is wrong without naming it: the message is
    ``the value of 'x': <detail>`` for such an error, and ``detail`` equals ``message`` otherwise.
    """

    def __init__(self, message: str, line: int = 0, col: int = 0, *, kind: str = "runtime",
                 variable: str | None = None, detail: str | None = None) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown LangError kind {kind!r}")
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.kind = kind
        self.variable = variable
        self.detail = message if detail is None else detail
        # The exception TensorFlow (or Python) raises here, which ``except`` clauses match.
        self.cause: type[BaseException] | None = None
        # What ``str()`` of that exception says in Python (``'a'`` for a KeyError), if not ``detail``.
        self.said: str | None = None

    def __str__(self) -> str:
        return f"line {self.line}, col {self.col}: {self.message}"

    def __repr__(self) -> str:
        return f"LangError({self.message!r}, line={self.line}, col={self.col})"

    @property
    def located(self) -> bool:
        return self.line > 0

    def placed(self, line: int, col: int) -> LangError:
        """The same error at (line, col)."""
        placed = LangError(self.message, line, col, kind=self.kind, variable=self.variable, detail=self.detail)
        placed.cause, placed.said = self.cause, self.said
        return placed

    @classmethod
    def bad_value(cls, variable: str, detail: str) -> LangError:
        """A declared input's value cannot be used: ``the value of 'x': <detail>``."""
        return cls(f"the value of {variable!r}: {detail}", 1, 1, kind="value", variable=variable, detail=detail)


# What the engine, numpy and Python's arithmetic raise on bad input; each becomes a LangError.
ENGINE_ERRORS: tuple[type[BaseException], ...] = (
    TypeError, ValueError, RuntimeError, ArithmeticError, IndexError, KeyError,
    RecursionError, MemoryError, AttributeError, UnicodeError, StopIteration, OpError,
)


def node_position(node: ast.AST | None, lines: Sequence[str] = ()) -> tuple[int, int]:
    """1-based (line, column) of ``node``; ast's ``col_offset`` counts UTF-8 bytes, we count characters."""
    line = getattr(node, "lineno", None) or 1
    offset = getattr(node, "col_offset", None) or 0
    if 0 < line <= len(lines) and offset:
        text = lines[line - 1]
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace"))
    return line, offset + 1


def at(node: ast.AST | None, message: str, lines: Sequence[str] = (), kind: str = "runtime") -> LangError:
    """A LangError of ``kind`` placed at ``node``."""
    line, col = node_position(node, lines)
    return LangError(message, line, col, kind=kind)


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
    if "inhomogeneous" in text:   # numpy's words for nested lists that are not a rectangle
        return "a ragged list: rows of different lengths"
    return text or type(exc).__name__


def error_kind(exc: BaseException) -> str:
    """The kind of LangError an exception from the engine, numpy or Python becomes."""
    if isinstance(exc, (RecursionError, MemoryError)):
        return "limit"
    if isinstance(exc, TypeError):
        return "type"
    return "runtime"


def wrap(exc: BaseException, node: ast.AST | None, lines: Sequence[str] = (), kind: str | None = None) -> LangError:
    """``exc`` as a LangError at ``node`` (a LangError that already has a place keeps it).

    Another exception becomes a LangError of ``kind``, or of :func:`error_kind` when None.
    """
    if isinstance(exc, LangError):
        if exc.located:
            return exc
        line, col = node_position(node, lines)
        exc.line, exc.col = line, col
        return exc
    error = at(node, plain_message(exc), lines, kind or error_kind(exc))
    error.cause = type(exc)
    error.said = str(exc)
    return error

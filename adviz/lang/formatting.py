"""Formatting text as Python does, within the run's limits: format specs (f-strings and
``str.format``) and ``%`` formatting.

A field names an argument and nothing more: ``{0}``, ``{name}`` or ``{}``, never ``{0.attr}``
or ``{0[key]}``, so a format string cannot reach into a value. Every width and precision is
read before anything is made, and every result is counted against the run's budget.
"""
from __future__ import annotations

import re
import string
from typing import Any

import numpy as np

from ..engine import Tensor, Variable
from .errors import LangError
from .limits import Budget, describe
from .text import text_of

_DIGITS = re.compile(r"\d+")
# %[flags][width][.precision][length]type, as Python reads it (a '*' width is not supported).
_PERCENT = re.compile(r"%(?P<key>\([^)]*\))?(?P<flags>[-+ #0]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d*))?"
                      r"[hlL]?(?P<type>.?)", re.S)


def _check_digits(budget: Budget, spec: str) -> None:
    for digits in _DIGITS.findall(spec):
        if len(digits) > 9 or int(digits) > budget.limits.max_string:
            raise LangError(f"the format :{spec} asks for too many characters", kind="limit")


def format_value(budget: Budget, value: Any, spec: str) -> str:
    """``format(value, spec)`` as an f-string field: a tensor formats as numpy formats its value;
    a spec applies to numbers and strings only, and its widths are checked first."""
    limit = budget.limits.max_string
    if isinstance(value, Tensor):     # as TensorFlow: a scalar as the Python number it holds, else its array
        value = np.asarray(value)
        value = value.item() if not value.ndim else value
    if not spec:
        if isinstance(value, np.floating) or (isinstance(value, np.ndarray) and value.ndim == 0
                                              and value.dtype.kind == "f"):
            text = format(value, "")        # numpy: f"{np.float32(0.3)}" is 0.30000001192092896
        else:
            text = value if isinstance(value, str) else text_of(value, limit, budget=budget)
    else:
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating, str)):
            raise LangError(f"a format such as :{spec} applies to numbers, not {describe(value)}", kind="type")
        _check_digits(budget, spec)
        text = format(value, spec)
    budget.check_string(len(text), made=0)
    return text


def convert(budget: Budget, value: Any, conversion: str | None) -> Any:
    """A field's ``!r``, ``!s`` or ``!a``."""
    limit = budget.limits.max_string
    if conversion == "r":
        return text_of(value, limit, quote=True, budget=budget)
    if conversion == "a":
        return text_of(value, limit, quote=True, budget=budget).encode("ascii", "backslashreplace").decode()
    if conversion == "s":
        return text_of(value, limit, budget=budget)
    if conversion:
        raise LangError(f"unknown conversion specifier {conversion}", kind="value")
    return value


def str_format(budget: Budget, template: str, args: tuple, kwargs: dict, *, nested: bool = False) -> str:
    """``template.format(*args, **kwargs)``; fields name arguments only."""
    pieces: list[str] = []
    length = 0
    auto: int | None = 0       # the next automatic field number, or None once a number was written
    manual = False
    for literal, field, spec, conversion in string.Formatter().parse(template):
        pieces.append(literal)
        length += len(literal)
        if field is None:
            continue
        check_field(field)
        if field == "":
            if manual:
                raise LangError("cannot switch from manual field specification to automatic field numbering",
                                kind="value")
            field, auto = str(auto), (auto or 0) + 1
        elif field.isdigit():
            if auto:
                raise LangError("cannot switch from automatic field numbering to manual field specification",
                                kind="value")
            manual = True
        if field.isdigit():
            index = int(field)
            if index >= len(args):
                raise IndexError(f"Replacement index {index} out of range for positional args tuple")
            value = args[index]
        else:
            if field not in kwargs:
                raise KeyError(field)
            value = kwargs[field]
        if spec and "{" in spec:
            if nested:
                raise LangError("Max string recursion exceeded", kind="value")
            spec = str_format(budget, spec, args, kwargs, nested=True)
        text = format_value(budget, convert(budget, value, conversion), spec or "")
        pieces.append(text)
        length += len(text)
        if length > budget.limits.max_string:
            budget.check_string(length)
    budget.check_string(length)
    return "".join(pieces)


def check_field(field: str) -> None:
    """A field names an argument by number or name, and reaches into nothing."""
    if "." in field or "[" in field:
        raise LangError(f"format fields name an argument only: {{{field}}} reaches into a value, "
                        "which scripts may not do", kind="name")
    if field and not field.isdigit() and not field.isidentifier():
        raise LangError(f"the format field {{{field}}} is not an argument's number or name", kind="value")


def static_fields(template: str) -> str | None:
    """What is wrong with the fields of a literal format string, or None (read before running)."""
    try:
        for _, field, spec, _ in string.Formatter().parse(template):
            if field is not None:
                check_field(field)
                for _, inner, _, _ in string.Formatter().parse(spec or ""):
                    if inner is not None:
                        check_field(inner)
    except LangError as exc:
        return exc.message
    except ValueError:
        return None            # a malformed template fails when it runs, with Python's message
    return None


def _number(value: Any, kind: str) -> Any:
    """The plain Python number ``%d`` (``int``) or ``%f`` (``float``) formats."""
    if isinstance(value, str):
        raise LangError(f"%{kind} format: a real number is required, not str", kind="type")
    if isinstance(value, (Tensor, Variable, np.ndarray, np.generic)):
        if int(np.prod(np.shape(value), dtype=np.int64)) != 1:
            raise LangError(f"%{kind} format needs a single number, not {describe(value)} of shape "
                            f"{tuple(np.shape(value))}", kind="type")
        value = np.asarray(value).reshape(-1)[0]
    if not isinstance(value, (bool, int, float, np.integer, np.floating)):
        raise LangError(f"%{kind} format: a real number is required, not {describe(value)}", kind="type")
    if kind in "xXoc" and isinstance(value, (float, np.floating)):
        raise LangError(f"%{kind} format: an integer is required, not float", kind="type")
    return int(value) if kind in "diuxXoc" else float(value)


def percent_format(budget: Budget, template: str, values: Any) -> str:
    """``template % values`` with ``%s %r %a %d %i %u %f %F %e %E %g %G %x %X %o %c %%``."""
    args = list(values) if isinstance(values, tuple) else [values]
    used = 0
    pieces: list[str] = []
    length = 0
    position = 0
    limit = budget.limits.max_string
    for match in _PERCENT.finditer(template):
        pieces.append(template[position:match.start()])
        position = match.end()
        kind = match["type"]
        if match["key"] is not None:
            raise LangError("%(name)s formatting is not supported by adviz; use an f-string", kind="syntax")
        if "*" in (match["width"] or "") or "*" in (match["precision"] or ""):
            raise LangError("a * width or precision in % formatting is not supported by adviz", kind="syntax")
        spec = match.group(0)[1:-1] if kind else match.group(0)[1:]
        _check_digits(budget, spec)
        if kind == "%":
            text = "%"
        elif kind == "":
            raise LangError("incomplete format", kind="value")
        elif kind not in "sradiufFeEgGxXoc":
            raise LangError(f"unsupported format character {kind!r} in % formatting", kind="value")
        else:
            if used >= len(args):
                raise LangError("not enough arguments for format string", kind="type")
            value = args[used]
            used += 1
            if kind in "sra":
                value = text_of(value, limit, quote=kind != "s", budget=budget)
                if kind == "a":
                    value = value.encode("ascii", "backslashreplace").decode()
                text = f"%{spec}s" % value
            elif kind == "c":
                if not (isinstance(value, str) and len(value) == 1):
                    value = chr(_number(value, "c"))
                text = f"%{spec}c" % value
            else:
                text = f"%{spec}{kind}" % _number(value, kind)
        pieces.append(text)
        length += len(pieces[-2]) + len(text)
        if length > limit:
            budget.check_string(length)
    pieces.append(template[position:])
    length += len(pieces[-1])
    if used < len(args):
        raise LangError("not all arguments converted during string formatting", kind="type")
    budget.check_string(length)
    return "".join(pieces)

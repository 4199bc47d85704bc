"""What ``type(x)`` and a caught exception give a script: stand-ins, never Python's own objects.

``type(x)`` is a :class:`TypeValue`: it prints as TensorFlow or Python prints the class
(``<class 'tensorflow.python.framework.ops.EagerTensor'>``), answers ``__name__`` and nothing
else, cannot be called, and works in ``isinstance``, ``==`` and ``is``. ``except ... as e``
binds an :class:`ErrorValue`: ``str(e)`` is the message, ``type(e).__name__`` the class name.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ..engine import ForwardAccumulator, GradientTape, Tensor, Variable
from ..engine.dtypes import DType
from ..engine.errors import OpError
from ..engine.shapes import TensorShape
from .errors import LangError


class TypeValue:
    """A class as a script sees it: its ``__name__``, the text Python prints, and the Python
    class ``isinstance`` checks against (kept private to the interpreter)."""

    __slots__ = ("name", "path", "pytype")

    def __init__(self, name: str, path: str, pytype: Any) -> None:
        self.name, self.path, self.pytype = name, path, pytype

    def __repr__(self) -> str:
        return f"<class '{self.path}'>"

    def __eq__(self, other: Any) -> bool:
        other = as_type(other)
        return isinstance(other, TypeValue) and other.path == self.path

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.path)


class ErrorValue:
    """A caught exception: ``str`` is its message, ``repr`` Python's ``ValueError('...')``."""

    __slots__ = ("cls", "message", "args", "error")

    def __init__(self, cls: type[BaseException], message: str, args: tuple | None = None) -> None:
        self.cls, self.message = cls, message
        self.args = (message,) if args is None else args     # what it was made with (e.args)
        self.error: LangError | None = None      # the error it was caught from, raised again by ``raise e``

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        from .text import short_repr
        inner = ", ".join(short_repr(a) for a in self.args)
        return f"{self.cls.__name__}({inner})"


_TF = "tensorflow.python."
_TF_ERRORS = _TF + "framework.errors_impl."
_NAMED: dict[type, tuple[str, str]] = {
    Tensor: ("EagerTensor", _TF + "framework.ops.EagerTensor"),
    Variable: ("ResourceVariable", _TF + "ops.resource_variable_ops.ResourceVariable"),
    TensorShape: ("TensorShape", _TF + "framework.tensor_shape.TensorShape"),
    DType: ("DType", _TF + "framework.dtypes.DType"),
    GradientTape: ("GradientTape", _TF + "eager.backprop.GradientTape"),
    ForwardAccumulator: ("ForwardAccumulator", _TF + "eager.forwardprop.ForwardAccumulator"),
}
# What ``tf.Tensor`` and ``tf.Variable`` are as classes (a tensor's own class is EagerTensor).
_ABSTRACT: dict[type, tuple[str, str]] = {
    Tensor: ("Tensor", _TF + "framework.tensor.Tensor"),
    Variable: ("Variable", _TF + "ops.variables.Variable"),
}
_PLAIN = (int, float, complex, str, bool, list, tuple, dict, set, frozenset, range, type(None), slice)
_CACHE: dict[Any, TypeValue] = {}


def _cached(key: Any, name: str, path: str, pytype: Any) -> TypeValue:
    value = _CACHE.get(key)
    if value is None:
        value = _CACHE[key] = TypeValue(name, path, pytype)
    return value


def named_type(key: Any, name: str, path: str, pytype: Any) -> TypeValue:
    """The one stand-in for a class of adviz's own (``TensorSpec``, a ``tf.function``)."""
    return _cached(key, name, path, pytype)


def exception_type(cls: type[BaseException]) -> TypeValue:
    if issubclass(cls, OpError):
        return _cached(cls, cls.__name__, _TF_ERRORS + cls.__name__, cls)
    return _cached(cls, cls.__name__, cls.__name__, cls)


def python_type(cls: type) -> TypeValue:
    """The stand-in for a Python class (``int``), a numpy one, or a TensorFlow one the engine has."""
    if cls in _NAMED:
        return _cached(cls, *_NAMED[cls], cls)
    if cls in _PLAIN:
        return _cached(cls, cls.__name__, cls.__name__, cls)
    if isinstance(cls, type) and issubclass(cls, BaseException):
        return exception_type(cls)
    if cls is np.ndarray or (isinstance(cls, type) and issubclass(cls, np.generic)):
        return _cached(cls, cls.__name__, f"numpy.{cls.__name__}", cls)
    if isinstance(cls, type) and issubclass(cls, np.dtype):
        return _cached(cls, cls.__name__, f"numpy.dtypes.{cls.__name__}", cls)
    declared = getattr(cls, "script_type", None)        # adviz's own classes say what they are
    if isinstance(declared, tuple):
        return _cached((cls, declared), *declared, cls)
    raise LangError("type() of this value is not available in scripts", kind="type")


def as_type(value: Any) -> Any:
    """A class-standing function (``int``, ``tf.Tensor``) as its TypeValue; anything else as it is."""
    pytype = getattr(value, "pytype", None)
    if pytype is None or isinstance(value, TypeValue) or not isinstance(pytype, type):
        return value
    if pytype in _ABSTRACT:
        return _cached(("abstract", pytype), *_ABSTRACT[pytype], pytype)
    try:
        return python_type(pytype)
    except LangError:        # a class with no stand-in: it equals nothing but itself
        return value


def type_of(value: Any) -> TypeValue:
    """``type(value)`` for a script. The interpreter's own classes say what they are with a
    ``script_type`` of (name, printed path): a function the script defined is a ``function``."""
    if isinstance(value, ErrorValue):
        return exception_type(value.cls)
    if isinstance(as_type(value), TypeValue):
        return _cached(type, "type", "type", type)
    cls = builtins.type(value)
    declared = getattr(value, "script_type", None)
    if isinstance(declared, tuple):
        return _cached((cls, declared), *declared, cls)
    return python_type(cls)


def python_class(value: Any) -> Any:
    """The Python class ``isinstance`` checks against for a class a script names, or None."""
    if isinstance(value, TypeValue):
        return value.pytype
    if isinstance(value, np.dtype):       # np.float32 reaches a builtin as the dtype it stands for
        return value.type
    pytype = getattr(value, "pytype", None)
    return pytype if isinstance(pytype, type) else None


class ScriptIterator:
    """What ``reversed``, ``map``, ``filter`` and a generator expression give: items gone through
    once (their items were made within the run's limits when it was made)."""

    __slots__ = ("items", "position", "script_type")

    def __init__(self, items: list[Any], name: str) -> None:
        self.items, self.position, self.script_type = items, 0, (name, name)

    script_iterable = True

    def __iter__(self) -> Any:
        while self.position < len(self.items):
            self.position += 1
            yield self.items[self.position - 1]

    def __len__(self) -> int:      # what is left: for the size checks, not for scripts (len() refuses it)
        return len(self.items) - self.position

    def __repr__(self) -> str:
        name = self.script_type[0]
        return "<generator object <genexpr>>" if name == "generator" else f"<{name} object>"

"""``tf.Module``: a named container whose variables are found by walking its attributes.

Attributes live in a dict of their own (``_attrs``), never as Python attributes, so that a
script's objects (see :mod:`adviz.lang.classes`) can hold any name without reaching Python's.
The walk follows TensorFlow's ``Module._flatten``: attributes sorted by name, nested lists,
tuples and dicts (a dict's keys sorted) flattened, each leaf seen once, this module's own
leaves before those of the modules it holds.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from . import session as state
from .tensor import Variable

_CAMEL_TO_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
_IDENTIFIER = re.compile(r"^[a-zA-Z_]([a-zA-Z0-9_])*$")


def camel_to_snake(name: str) -> str:
    """``MyDenseLayer`` → ``my_dense_layer``, as TensorFlow names a Module after its class."""
    return _CAMEL_TO_SNAKE.sub(r"_\1", name).lower()


class Host:
    """An object whose attributes are a dict, and whose methods a script class may override.

    ``_script(name)`` (set by the interpreter for instances of a script's class) returns the
    script's own method of that name as a plain callable, or None; native code calls methods
    through :meth:`_method` so that a script's ``call`` or ``build`` replaces the built-in one.
    """

    __slots__ = ("_attrs", "_class_name", "_script", "_serial", "__weakref__")

    def __init__(self, class_name: str | None = None) -> None:
        self._attrs: dict[str, Any] = {}
        self._class_name = class_name or type(self).__name__
        self._script: Callable[[str], Callable[..., Any] | None] | None = None
        self._serial = state.current().next_serial()

    # Where TensorFlow defines the class, as ``type()`` of an instance names it.
    tf_path = "tensorflow.python.module.module.Module"

    @property
    def script_type(self) -> tuple[str, str]:
        """``type()`` of it for a script: a script's class by its name, else TensorFlow's class."""
        if self._script is not None:
            return self._class_name, f"__main__.{self._class_name}"
        return type(self).__name__, self.tf_path

    def _method(self, name: str) -> Callable[..., Any] | None:
        """The script's override of ``name``, if the object's class is a script's and has one."""
        return self._script(name) if self._script is not None else None

    def get(self, name: str) -> Any:
        return self._attrs[name]

    def set(self, name: str, value: Any) -> None:
        self._attrs[name] = value


class Module(Host):
    """``tf.Module``: ``name``, ``variables``, ``trainable_variables`` and ``submodules``."""

    __slots__ = ("_name",)

    def __init__(self, name: str | None = None, *, class_name: str | None = None) -> None:
        super().__init__(class_name)
        self._name: str | None = None
        self.initialize(name)

    @classmethod
    def blank(cls, class_name: str) -> "Module":
        """An instance whose ``__init__`` has not run yet (a script's class calls it through super())."""
        obj = cls.__new__(cls)
        Host.__init__(obj, class_name)
        obj._name = None
        return obj

    def initialize(self, name: str | None = None) -> None:
        """What ``tf.Module.__init__(name=None)`` does: choose and check the module's name."""
        if name is None:
            name = camel_to_snake(self._class_name)
        if not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid Python 3 identifiers.")
        self._name = name

    @property
    def name(self) -> str:
        return self._name if self._name is not None else camel_to_snake(self._class_name)

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(walk(self, lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self) -> tuple[Variable, ...]:
        return tuple(walk(self, lambda v: isinstance(v, Variable) and v.trainable))

    @property
    def submodules(self) -> tuple["Module", ...]:
        return tuple(walk(self, lambda v: isinstance(v, Module)))

    def __repr__(self) -> str:
        # Python writes the object's address; adviz writes a number fixed for the run instead.
        return f"<__main__.{self._class_name} object at {address(self._serial)}>"


def address(serial: int) -> str:
    """A stand-in for an object's address: the same every time a script runs."""
    return f"0x{0x7f0000000000 + 16 * serial:x}"


def _leaves(value: Any, path: frozenset[int] = frozenset()) -> Iterator[Any]:
    """``tf.nest.flatten``: lists and tuples in order, dicts by sorted key, anything else a leaf.
    A container holding itself is not entered again."""
    if isinstance(value, (list, tuple, dict)):
        if id(value) in path:
            return
        path = path | {id(value)}
        if isinstance(value, dict):
            try:
                keys = sorted(value)
            except TypeError:
                raise TypeError("a dict held by a module needs keys that can be sorted (all numbers or all strings)") from None
            for key in keys:
                yield from _leaves(value[key], path)
        else:
            for item in value:
                yield from _leaves(item, path)
    else:
        yield value


def walk(module: Module, predicate: Callable[[Any], bool], seen: set[int] | None = None,
         stack: list[int] | None = None) -> Iterator[Any]:
    """The leaves of ``module`` and its submodules that match ``predicate``, in TensorFlow's order."""
    seen = {id(module)} if seen is None else seen
    stack = [] if stack is None else stack
    recursive = id(module) not in stack
    submodules = []
    walked = 0
    for key in sorted(module._attrs):
        for leaf in _leaves(module._attrs[key]):
            walked += 1
            if walked % 1024 == 0:
                state.count(1024)
            if id(leaf) in seen:
                continue
            seen.add(id(leaf))
            if predicate(leaf):
                yield leaf
            if recursive and isinstance(leaf, Module):
                submodules.append(leaf)
    state.count(walked % 1024 + 1)
    stack.append(id(module))
    for sub in submodules:
        yield from walk(sub, predicate, seen, stack)
    stack.pop()

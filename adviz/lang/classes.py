"""A script's classes and their instances: values the interpreter owns, never Python's.

A :class:`ScriptClass` holds its methods (the script's functions) and class attributes in
dicts; an instance is a :class:`ScriptObject`, or, for a class based on ``tf.Module``,
``keras.layers.Layer`` or ``keras.Model``, the engine's object of that kind, whose own
attributes are a dict as well. Attribute lookup reads those dicts and then the whitelist; it
never calls ``getattr`` with a script's name, so no ``__dict__``, ``__class__`` or other
internals can be reached. Single inheritance only; no metaclasses, no decorators.
"""
from __future__ import annotations

from typing import Any, Callable

from ..engine.keras import Layer, Model
from ..engine.module import Host, Module, address
from ..engine.session import current
from .errors import LangError

# The engine's classes a script's class may be based on.
SUBCLASSABLE: tuple[type, ...] = (Module, Layer, Model)


class ScriptClass:
    """``class Name(Base):``: its methods and class attributes, its script base (or None) and the
    engine class its instances are made of (None for a plain class)."""

    __slots__ = ("name", "base", "native", "methods", "attrs", "properties")

    def __init__(self, name: str, base: "ScriptClass | None", native: type | None) -> None:
        self.name, self.base, self.native = name, base, native
        self.methods: dict[str, Any] = {}
        self.attrs: dict[str, Any] = {}
        self.properties: set[str] = set()      # methods read as attributes (@property)

    def chain(self, start: "ScriptClass | None" = None) -> list["ScriptClass"]:
        """This class and its script bases, nearest first (from ``start`` when given)."""
        out, cls = [], start if start is not None else self
        while cls is not None:
            out.append(cls)
            cls = cls.base
        return out

    def find(self, name: str, start: "ScriptClass | None" = None) -> tuple[Any, "ScriptClass"] | None:
        """The method of ``name`` and the class defining it, searching from ``start``."""
        for cls in self.chain(start):
            if name in cls.methods:
                return cls.methods[name], cls
        return None

    def is_subclass(self, other: "ScriptClass") -> bool:
        return any(c is other for c in self.chain())

    def __repr__(self) -> str:
        return f"<class '__main__.{self.name}'>"


class ScriptObject:
    """An instance of a plain script class: its class and a dict of attributes."""

    __slots__ = ("_class", "_attrs", "_serial")

    def __init__(self, cls: ScriptClass) -> None:
        self._class, self._attrs, self._serial = cls, {}, current().next_serial()

    @property
    def script_type(self) -> tuple[str, str]:
        """What ``type()`` of it answers: the script's class, as Python names it."""
        return self._class.name, f"__main__.{self._class.name}"

    def __repr__(self) -> str:
        # Python writes the object's address; adviz writes a number fixed for the run instead.
        return f"<__main__.{self._class.name} object at {address(self._serial)}>"


class Bound:
    """A script method bound to its instance (``obj.method``); ``owner`` is the class defining it."""

    __slots__ = ("obj", "func", "owner")

    def __init__(self, obj: Any, func: Any, owner: ScriptClass) -> None:
        self.obj, self.func, self.owner = obj, func, owner

    def __repr__(self) -> str:
        return f"<bound method {self.owner.name}.{self.func.name} of {self.obj!r}>"


class Property(Bound):
    """An ``@property`` read from an instance: the interpreter runs it to get the value."""

    __slots__ = ()


class Super:
    """``super()`` inside a method of ``owner``, for ``obj``: looks past ``owner``."""

    __slots__ = ("obj", "owner")

    def __init__(self, obj: Any, owner: ScriptClass) -> None:
        self.obj, self.owner = obj, owner

    def __repr__(self) -> str:
        return f"<super: <class '{self.owner.name}'>>"


class Dispatch:
    """What an engine object of a script's class asks for a method: the script's own, if any.

    ``call(obj, func, owner, args, kwargs)`` is the interpreter's way to run a method.
    """

    __slots__ = ("cls", "obj", "call")

    def __init__(self, cls: ScriptClass, obj: Any, call: Callable[..., Any]) -> None:
        self.cls, self.obj, self.call = cls, obj, call

    def __call__(self, name: str) -> Callable[..., Any] | None:
        found = self.cls.find(name)
        if found is None:
            return None
        func, owner = found
        return lambda *args, **kwargs: self.call(self.obj, func, owner, list(args), kwargs)


def class_of(obj: Any) -> ScriptClass | None:
    """The script class of an instance, or None for anything else."""
    if isinstance(obj, ScriptObject):
        return obj._class
    if isinstance(obj, Host) and isinstance(obj._script, Dispatch):
        return obj._script.cls
    return None


def attributes_of(obj: Any) -> dict[str, Any]:
    return obj._attrs


def instance_attribute(obj: Any, cls: ScriptClass, name: str) -> Any:
    """``obj.name`` from the instance's dict, then its classes; KeyError when neither has it."""
    attrs = obj._attrs
    if name in attrs:
        return attrs[name]
    for c in cls.chain():
        if name in c.methods:
            return (Property if name in c.properties else Bound)(obj, c.methods[name], c)
        if name in c.attrs:
            return c.attrs[name]
    raise KeyError(name)


def is_property(cls: ScriptClass, name: str) -> bool:
    return any(name in c.properties for c in cls.chain())


def class_attribute(cls: ScriptClass, name: str) -> Any:
    for c in cls.chain():
        if name in c.methods:
            return c.methods[name]
        if name in c.attrs:
            return c.attrs[name]
    raise LangError(f"type object '{cls.name}' has no attribute '{name}'", kind="name")


def no_attribute(obj: Any, name: str) -> LangError:
    cls = class_of(obj)
    error = LangError(f"'{cls.name if cls else type(obj).__name__}' object has no attribute '{name}'", kind="name")
    error.cause = AttributeError
    return error

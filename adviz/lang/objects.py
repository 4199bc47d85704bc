"""How the interpreter runs a script's classes and the engine's objects: ``class`` statements,
making instances, methods with ``self`` (grouped under their module's or layer's name),
``super()``, ``**`` in calls, and calling layers, losses and initializers after their checks.

A mixin of the script interpreter (:class:`adviz.lang.script._Interpreter`), which supplies
``eval``, ``call_user``, ``call_value``, ``bind_name`` and the run's budget.
"""
from __future__ import annotations

import ast
from typing import Any

from ..engine.keras import Layer
from ..engine.module import Host
from ..engine.recording import current_scope
from ..engine.recording import scope as grouped_in
from . import keras_api
from .checker import is_property
from .classes import SUBCLASSABLE, Bound, Dispatch, Property, ScriptClass, ScriptObject, Super, class_of
from .errors import LangError
from .limits import describe
from .members import get_member
from .tfunction import TracedFunction
from .whitelist import SafeFunction


class ObjectCalls:
    """Classes, instances, ``super()`` and engine objects, for the script interpreter."""

    methods: list[tuple[ScriptClass, Any]]    # (class, instance) of each method running, innermost last
    scopes: list[dict[str, Any]]              # the names in reach, innermost first

    def s_class(self, stmt: ast.ClassDef) -> None:
        bases = [self.eval(b) for b in stmt.bases]
        base = bases[0] if bases else None
        if base is None:
            cls = ScriptClass(stmt.name, None, None)
        elif isinstance(base, ScriptClass):
            cls = ScriptClass(stmt.name, base, base.native)
        elif isinstance(base, SafeFunction) and base.pytype in SUBCLASSABLE:
            cls = ScriptClass(stmt.name, None, base.pytype)
        else:
            raise self.fail(stmt.bases[0], "a class is based on another class of the script, tf.Module, "
                                           f"tf.keras.layers.Layer or tf.keras.Model, not {describe(base)}", "type")
        for item in stmt.body:
            if isinstance(item, ast.FunctionDef):
                function: Any = self._function(item.name, item)
                if is_property(item):
                    cls.properties.add(item.name)
                else:                                # @tf.function and the other decorators defs take
                    for node in reversed(item.decorator_list):
                        function = self.decorate(node, function)
                cls.methods[item.name] = function
            elif isinstance(item, ast.Assign):
                saved = self.scopes
                self.scopes = [cls.attrs, *saved]    # the class body reads its own names, as in Python
                try:
                    value = self.eval(item.value)
                finally:
                    self.scopes = saved
                for t in item.targets:
                    cls.attrs[t.id] = value          # type: ignore[attr-defined]
        self.bind_name(stmt.name, cls)

    def instantiate(self, cls: ScriptClass, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """``Cls(...)``: a new instance, then its ``__init__`` (the script's, or the engine's)."""
        self.budget.tick()
        self.budget.add_items(1)
        if cls.native is None:
            obj: Any = ScriptObject(cls)
        else:
            obj = cls.native.blank(cls.name)
            obj._script = Dispatch(cls, obj, self.run_method)
        found = cls.find("__init__")
        if found is not None:
            result = self.run_method(obj, found[0], found[1], args, kwargs, grouped=False)
            if result is not None:
                raise LangError("__init__() should return None", kind="type")
        elif cls.native is not None:
            keras_api.native_init(obj).fn(*args, **kwargs)      # type: ignore[misc]
        elif args or kwargs:
            raise LangError(f"{cls.name}() takes no arguments", kind="type")
        return obj

    def run_method(self, obj: Any, func: Any, owner: ScriptClass, args: list[Any],
                   kwargs: dict[str, Any], grouped: bool = True) -> Any:
        """Run a method with ``obj`` as self. Its ops are grouped under a module's or layer's
        name (once, however often its methods call each other), else under the method's name."""
        self.budget.tick()
        if isinstance(func, TracedFunction):     # @tf.function on a method: its signature is for the arguments
            result = self.run_method(obj, func.function, owner, func.inputs(self.budget, args), kwargs, grouped)
            return func.outputs(self.budget, result)
        if not self.is_function(func):           # what another decorator made: called with the instance first
            node = self.calling if self.calling is not None else ast.Call(ast.Name("<method>"), [], [])
            return self.call_value(node, func, [obj, *args], kwargs)
        name = (obj.name if isinstance(obj, Host) else func.name) if grouped else ""
        inner = current_scope()
        self.methods.append((owner, obj))
        try:
            if not grouped or (inner and inner[-1] == name):
                return self.call_user(None, func, [obj, *args], kwargs)
            with grouped_in(name):
                return self.call_user(None, func, [obj, *args], kwargs)
        finally:
            self.methods.pop()

    def super_(self, node: ast.Call) -> Super:
        if not self.methods:
            raise self.fail(node, "super() is used directly inside a method of a class", "runtime")
        owner, obj = self.methods[-1]
        return Super(obj, owner)

    def call(self, node: ast.Call) -> Any:
        if isinstance(node.func, ast.Name) and node.func.id == "super" and not node.args and not node.keywords:
            return self.super_(node)
        if not any(k.arg is None for k in node.keywords):
            return super().call(node)
        func = self.eval(node.func)
        args = [self.eval(a) for a in node.args]
        kwargs: dict[str, Any] = {}
        for k in node.keywords:
            value = self.eval(k.value)
            if k.arg is not None:
                extra = {k.arg: value}
            elif isinstance(value, dict) and all(isinstance(key, str) for key in value):
                extra = value
                for key in extra:     # the same rule as for a keyword written out
                    if key.startswith("__"):
                        raise self.fail(k.value, f"names starting with '__' are not available ({key!r})", "name")
            else:
                raise self.fail(k.value, f"** takes a dict with string keys, not {describe(value)}", "type")
            for key in extra:
                if key in kwargs:
                    raise self.fail(k.value, f"got multiple values for keyword argument {key!r}", "type")
            kwargs.update(extra)
        return self.call_value(node, func, args, kwargs)

    def attribute(self, node: ast.Attribute) -> Any:
        return self.member(self.eval(node.value), node.attr)

    def member(self, value: Any, name: str) -> Any:
        """``value.name``, running an ``@property`` of the script's classes."""
        found = get_member(value, name)
        if isinstance(found, Property):
            return self.run_method(found.obj, found.func, found.owner, [], {})
        return found

    def python_callable(self, value: Any) -> Any:
        """A script's function (or a whitelisted one) as a callable the engine can call back."""
        if isinstance(value, Bound) or self.is_function(value) or (isinstance(value, SafeFunction) and value.fn is not None
                                                        and value.pytype is None and not value.special):
            # Called back later (inside a layer's call): placed at the statement running then.
            return lambda *args, **kwargs: self.call_value(self.current, value, list(args), kwargs)
        return value

    def calls_object(self, func: Any) -> bool:
        """Whether calling ``func`` is this mixin's work: a script's class, method or instance, or
        an engine object (a layer, a loss, an initializer)."""
        return isinstance(func, (ScriptClass, Bound)) or class_of(func) is not None \
            or keras_api.callable_object(func)

    def call_object(self, func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """Calling a class, a bound method, an instance or an engine object (a layer, a loss)."""
        if isinstance(func, ScriptClass):
            return self.instantiate(func, args, kwargs)
        if isinstance(func, Bound):
            return self.run_method(func.obj, func.func, func.owner, args, kwargs)
        cls = class_of(func)
        if cls is not None:
            found = cls.find("__call__")
            if found is not None:
                return self.run_method(func, found[0], found[1], args, kwargs)
            if not isinstance(func, Layer):
                raise LangError(f"'{cls.name}' object is not callable", kind="type")
        if keras_api.callable_object(func):
            keras_api.check_object_call(self.budget, func, args, kwargs)
            return func(*args, **kwargs)
        raise LangError(f"{describe(func)} cannot be called", kind="type")

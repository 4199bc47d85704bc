"""Attributes of a script's values: its own objects' (instances, classes, ``super()``) first,
then what the engine's modules and Keras objects answer, then the whitelist. Reading never
calls ``getattr`` with a script's name; setting writes only into a script object's dict."""
from __future__ import annotations

from typing import Any

from ..engine.module import Host
from . import keras_api
from .classes import Bound, ScriptClass, ScriptObject, Super, class_attribute, class_of, instance_attribute, \
    is_property, no_attribute
from .errors import LangError
from .limits import describe
from .whitelist import SafeFunction, get_attribute


def get_member(value: Any, name: str) -> Any:
    """``value.name`` for a script: its own objects' attributes, then the whitelist's."""
    cls = class_of(value)
    if cls is not None:
        try:
            return instance_attribute(value, cls, name)
        except KeyError:
            pass
        if isinstance(value, ScriptObject):
            raise no_attribute(value, name)
    if isinstance(value, ScriptClass):
        return class_attribute(value, name)
    if isinstance(value, Super):
        return _super_member(value, name)
    try:
        return keras_api.native_attribute(value, name)
    except KeyError:
        pass
    if cls is not None:
        raise no_attribute(value, name)
    return get_attribute(value, name)


def _super_member(proxy: Super, name: str) -> Any:
    """``super().name``: the next class's method after the one running, or the engine's."""
    found = proxy.owner.find(name, proxy.owner.base) if proxy.owner.base is not None else None
    if found is not None:
        return Bound(proxy.obj, found[0], found[1])
    obj = proxy.obj
    if name == "__init__":
        if isinstance(obj, Host):
            return keras_api.native_init(obj)
        return SafeFunction("object.__init__", lambda: None)
    if isinstance(obj, Host):
        # The engine's own build and call, never the script's again (that would recurse).
        if name == "call" and isinstance(obj, keras_api.Layer):
            return SafeFunction(f"{obj._class_name}.call", lambda *a, **k: type(obj).call(obj, *a, **k))
        if name == "build" and isinstance(obj, keras_api.Layer):
            return SafeFunction(f"{obj._class_name}.build", lambda input_shape=None: type(obj).build(obj, input_shape))
        try:
            return keras_api.native_attribute(obj, name)
        except KeyError:
            pass
    raise LangError(f"'super' object has no attribute '{name}'", kind="name")


def set_member(owner: Any, name: str, value: Any) -> None:
    """``owner.name = value``: a script's objects, its classes, modules and layers take attributes
    (into their dicts); what a module or layer answers itself is read-only but ``trainable`` and
    ``built``."""
    if name.startswith("__"):
        raise LangError(f"attributes starting with '__' are not available ({name!r})", kind="name")
    cls = class_of(owner)
    if cls is not None and is_property(cls, name):
        raise LangError(f"property {name!r} of '{cls.name}' object has no setter", kind="type")
    if isinstance(owner, ScriptObject):
        owner._attrs[name] = value
        return
    if isinstance(owner, ScriptClass):
        owner.attrs[name] = value
        return
    if isinstance(owner, Host):
        if name in ("trainable", "built") and isinstance(owner, keras_api.Layer):
            setattr(owner, name, bool(value))     # one of two fixed names, never the script's
            return
        try:
            keras_api.native_attribute(owner, name)
        except KeyError:
            owner.set(name, value)
            return
        except LangError:
            pass              # an attribute it answers, not yet available (an unbuilt layer's kernel)
        raise LangError(f"can't set attribute {name!r} of {owner!r}", kind="type")
    raise LangError(f"attributes of {describe(owner)} cannot be set", kind="type")

"""What a script may touch: callable wrappers, the builtins, and attributes by type.

A script never reaches a Python object through ``getattr``: :func:`get_attribute` answers from
these tables by the value's type, and anything not listed is refused. Callables are
:class:`SafeFunction` or :class:`BoundMethod` wrappers whose ``check`` runs before the wrapped
function, so sizes are refused before anything is allocated. The importable modules are in
:mod:`adviz.lang.modules`.
"""
from __future__ import annotations

import builtins
from typing import Any, Callable

import numpy as np

from ..engine import ForwardAccumulator, GradientTape, Tensor, Variable
from ..engine.dtypes import DType
from ..engine.shapes import TensorShape
from .errors import LangError
from .limits import Budget, describe, whole_number
from .methods import METHOD_NAMES as CONTAINER_METHODS, METHODS, call_back, items_of, key_of, make_set, sort_in_place
from .pytypes import ErrorValue, ScriptIterator, TypeValue, named_type, python_class, type_of
from .text import text_of

Check = Callable[[Budget, tuple, dict], None]


class Namespace:
    """A read-only module: ``tf``, ``tf.math``, ``np``... Members are looked up, never ``getattr``'d."""

    __slots__ = ("name", "members")
    script_type = ("module", "module")

    def __init__(self, name: str, members: dict[str, Any]) -> None:
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


class SafeFunction:
    """A callable a script may use. ``pytype`` makes it usable with ``isinstance``; ``dtype``
    lets it stand for a dtype (``np.float32``); ``special`` names calls the interpreter runs itself."""

    __slots__ = ("name", "fn", "check", "special", "pytype", "dtype", "context")
    script_type = ("function", "function")

    def __init__(self, name: str, fn: Callable[..., Any] | None, check: Check | None = None, *,
                 special: str = "", pytype: Any = None, dtype: Any = None, context: bool = False) -> None:
        self.name, self.fn, self.check, self.special = name, fn, check, special
        self.pytype, self.dtype, self.context = pytype, dtype, context

    def __repr__(self) -> str:
        return f"<function {self.name}>"

    def invoke(self, budget: Budget, args: tuple, kwargs: dict) -> Any:
        if self.fn is None:
            raise LangError(f"{self.name} cannot be called here", kind="type")
        if self.check is not None:
            self.check(budget, args, kwargs)
        if self.context:
            return self.fn(budget, *args, **kwargs)
        return self.fn(*args, **kwargs)


class BoundMethod(SafeFunction):
    """A whitelisted method of one object (``g.gradient``, ``v.assign``)."""

    __slots__ = ("owner",)
    script_type = ("method", "method")

    def __init__(self, owner: Any, name: str, fn: Callable[..., Any] | None, check: Check | None = None,
                 special: str = "", context: bool = False) -> None:
        super().__init__(name, fn, check, special=special, context=context)
        self.owner = owner

    def __repr__(self) -> str:
        return f"<method {self.name}>"


class ContextValue:
    """A context manager a script may use in ``with`` (``g.stop_recording()``)."""

    __slots__ = ("manager",)

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    def __repr__(self) -> str:
        return "<context manager>"


def named_as(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    """Give a wrapper the user-facing name that Python's argument errors will quote."""
    fn.__name__ = fn.__qualname__ = name
    return fn


def unwrap(value: Any) -> Any:
    """A dtype-standing function (``np.float32``) becomes the dtype before reaching the engine."""
    if isinstance(value, SafeFunction) and value.dtype is not None:
        return value.dtype
    return value


def argument(args: tuple, kwargs: dict, index: int, key: str, default: Any = None) -> Any:
    """The argument at position ``index`` or keyword ``key``, as a check sees it."""
    if len(args) > index:
        return args[index]
    return kwargs.get(key, default)


# -- builtins ---------------------------------------------------------------------------------
def _materialise(budget: Budget, value: Any) -> list[Any]:
    budget.sized(value)
    return list(budget.iterate(value))


_NO_DEFAULT = object()


def _min_max(fn: Callable[..., Any]) -> Callable[..., Any]:
    def call(budget: Budget, *args: Any, key: Any = None, default: Any = _NO_DEFAULT) -> Any:
        if not args:
            raise LangError(f"{fn.__name__}() needs at least one argument", kind="type")
        if len(args) > 1 and default is not _NO_DEFAULT:
            raise LangError(f"Cannot specify a default for {fn.__name__}() with multiple positional arguments",
                            kind="type")
        items = _materialise(budget, args[0]) if len(args) == 1 else list(args)
        if not items:
            if default is not _NO_DEFAULT:
                return default
            raise LangError(f"{fn.__name__}() of an empty sequence", kind="value")
        if key is not None:
            keys = [call_back(budget, key, item) for item in items]
            budget.check_broadcast_all(keys)
            budget.add_work(len(items))
            return items[fn(range(len(items)), key=keys.__getitem__)]
        budget.check_broadcast_all(items)   # tensors compare elementwise, broadcasting
        budget.add_work(len(items))
        return fn(items)
    return named_as(call, fn.__name__)


def _sum(budget: Budget, iterable: Any, start: Any = 0) -> Any:
    if isinstance(start, (str, list, tuple, dict)):
        raise LangError("sum() adds numbers and tensors; join lists with +", kind="type")
    total = start
    for item in _materialise(budget, iterable):
        budget.tick()
        budget.check_broadcast(total, item)  # each partial sum is a new value, maybe broadcast
        total = total + item
    return total


def _size(value: Any) -> int:
    shape = getattr(value, "shape", None)
    return int(np.prod(shape, dtype=np.int64)) if isinstance(shape, tuple) else 1


def _round(budget: Budget, number: Any, ndigits: Any = None) -> Any:
    if ndigits is None:
        return round(number)
    digits = whole_number(ndigits)
    if digits is None or isinstance(ndigits, float):
        raise LangError(f"round()'s ndigits is an integer, not {describe(ndigits)}")
    # Past 2,000 digits either way every number this language holds rounds to itself or to 0,
    # and Python would first build 10**|ndigits|, which for -10**9 takes forever.
    return round(number, max(-2_000, min(2_000, digits)))


def _sequence(kind: type) -> Callable[..., Any]:
    def call(budget: Budget, iterable: Any = ()) -> Any:
        return budget.check_container(kind(_materialise(budget, iterable)))
    return named_as(call, kind.__name__)


def _enumerate(budget: Budget, iterable: Any, start: int = 0) -> list[tuple[int, Any]]:
    items = _materialise(budget, iterable)
    budget.add_items(3 * len(items))             # a pair (and an index) for every item
    return _pairs(budget, list(enumerate(items, int(start))), [iterable])


def _zip(budget: Budget, *iterables: Any) -> list[tuple[Any, ...]]:
    columns = [_materialise(budget, it) for it in iterables]
    budget.add_items((len(columns) + 1) * min((len(c) for c in columns), default=0))
    return _pairs(budget, list(zip(*columns)), iterables)


def _pairs(budget: Budget, result: list[tuple[Any, ...]], sources: Any) -> list[tuple[Any, ...]]:
    """A list of tuples of the sources' items: two levels deeper than the deepest source."""
    depth = max((budget.depth(s) for s in sources), default=0)
    budget.remember(result, sum(map(len, result)), len(result), max(depth, 1) + 1)
    return result


def _text(fn: Callable[[Any], str]) -> Callable[..., str]:
    def call(budget: Budget, value: Any = "") -> str:
        text = text_of(value, budget.limits.max_string, quote=fn is repr, budget=budget)
        budget.check_string(len(text))
        return text
    return named_as(call, fn.__name__)


def _int(budget: Budget, value: Any = 0) -> int:
    if isinstance(value, str):
        budget.check_string(len(value), made=0)
    return budget.check_int(int(value))


def _isinstance(value: Any, types: Any) -> bool:
    options = types if isinstance(types, tuple) else (types,)
    pytypes = []
    for t in options:
        cls = python_class(t)
        if cls is None:
            raise LangError("isinstance() takes a type such as tf.Tensor, tf.Variable, float or int", kind="type")
        pytypes.append(cls)
    if isinstance(value, ErrorValue):      # a caught exception is an instance of its class
        return issubclass(value.cls, tuple(pytypes))
    return builtins.isinstance(value, tuple(pytypes))


def _len(value: Any) -> int:
    if isinstance(value, (list, tuple, str, dict, set, range, Tensor, Variable, np.ndarray)):
        return len(value)
    raise LangError(f"len() of {describe(value)}", kind="type")


def _range(*args: Any) -> range:
    return range(*[int(a) if isinstance(a, (Tensor, np.integer)) else a for a in args])


def _sorted(budget: Budget, iterable: Any, *, key: Any = None, reverse: bool = False) -> list[Any]:
    items = budget.check_container(_materialise(budget, iterable))
    sort_in_place(budget, items, key, reverse)
    return items


def _reversed(budget: Budget, sequence: Any) -> ScriptIterator:
    if not isinstance(sequence, (list, tuple, str, range, dict, Tensor, np.ndarray)):
        raise LangError(f"reversed() takes a sequence, not {describe(sequence)}", kind="type")
    items = budget.check_container(_materialise(budget, sequence)[::-1])
    name = {list: "list_reverseiterator", range: "range_iterator", dict: "dict_reversekeyiterator"}
    return ScriptIterator(items, name.get(type(sequence), "reversed"))


def _map(budget: Budget, fn: Any, *iterables: Any) -> ScriptIterator:
    if not iterables:
        raise LangError("map() must have at least two arguments.", kind="type")
    columns = [_materialise(budget, it) for it in iterables]
    items = [call_back(budget, fn, *row) for row in zip(*columns)]
    return ScriptIterator(budget.check_container(items), "map")


def _filter(budget: Budget, fn: Any, iterable: Any) -> ScriptIterator:
    items = [item for item in _materialise(budget, iterable)
             if (bool(item) if fn is None else bool(call_back(budget, fn, item)))]
    return ScriptIterator(budget.check_container(items), "filter")


def _iter(budget: Budget, iterable: Any) -> ScriptIterator:
    if isinstance(iterable, ScriptIterator):
        return iterable
    return ScriptIterator(budget.check_container(_materialise(budget, iterable), made=0), "iterator")


def _next(iterator: Any, *default: Any) -> Any:
    if not isinstance(iterator, ScriptIterator):
        raise LangError(f"{describe(iterator)} is not an iterator; call iter() first", kind="type")
    for item in iterator:
        return item
    if default:
        return default[0]
    raise StopIteration


def _type(value: Any, *more: Any) -> TypeValue:
    if more:
        raise LangError("type() with three arguments (making a class) is not available in scripts", kind="type")
    if isinstance(value, SafeFunction) and value.pytype is None and BUILTINS.get(value.name) is value:
        return named_type("builtin", "builtin_function_or_method", "builtin_function_or_method", SafeFunction)
    return type_of(value)


def _dict(budget: Budget, source: Any = (), **kwargs: Any) -> dict[Any, Any]:
    pairs = list(source.items()) if isinstance(source, dict) else \
        [tuple(items_of(budget, entry)) for entry in _materialise(budget, source)]
    for entry in pairs:
        if len(entry) != 2:
            raise LangError(f"dictionary update sequence element has length {len(entry)}; 2 is required",
                            kind="value")
    pairs += list(kwargs.items())
    return budget.check_container({key_of(k): v for k, v in pairs})


def _number(value: Any, what: str) -> Any:
    if isinstance(value, (bool, int, float, np.integer, np.floating)):
        return value
    raise LangError(f"{what} takes numbers, not {describe(value)}", kind="type")


def _divmod(budget: Budget, a: Any, b: Any) -> tuple[Any, Any]:
    return divmod(_number(a, "divmod()"), _number(b, "divmod()"))


def _pow(budget: Budget, base: Any, exp: Any, mod: Any = None) -> Any:
    if mod is not None:
        return pow(_number(base, "pow()"), _number(exp, "pow()"), _number(mod, "pow()"))
    if isinstance(base, int) and isinstance(exp, int) and not isinstance(base, bool):
        budget.check_int_pow(base, exp)
        return budget.check_int(base ** exp) if exp >= 0 else base ** exp
    budget.check_convertible(base)
    budget.check_convertible(exp)
    budget.check_broadcast(base, exp)
    return base ** exp


def _truths(budget: Budget, iterable: Any) -> Any:
    for item in _materialise(budget, iterable):
        budget.tick()
        yield bool(item)


def _any(budget: Budget, iterable: Any) -> bool:
    return any(_truths(budget, iterable))


def _all(budget: Budget, iterable: Any) -> bool:
    return all(_truths(budget, iterable))


for _fn in (_sum, _enumerate, _zip, _int, _isinstance, _len, _range, _round, _sorted, _reversed, _any, _all, _map,
            _filter, _type, _dict, _divmod, _pow, _iter, _next):
    named_as(_fn, _fn.__name__[1:])

BUILTINS: dict[str, Any] = {
    "print": SafeFunction("print", None, special="print"),
    "range": SafeFunction("range", _range, pytype=range),
    "len": SafeFunction("len", _len),
    "float": SafeFunction("float", float, pytype=float),
    "int": SafeFunction("int", _int, pytype=int, context=True),
    "bool": SafeFunction("bool", bool, pytype=bool),
    "str": SafeFunction("str", _text(str), pytype=str, context=True),
    "repr": SafeFunction("repr", _text(repr), context=True),
    "abs": SafeFunction("abs", abs, lambda budget, args, kwargs: [budget.add_work(_size(a)) for a in args]),
    "round": SafeFunction("round", _round, context=True),
    "min": SafeFunction("min", _min_max(min), context=True),
    "max": SafeFunction("max", _min_max(max), context=True),
    "sum": SafeFunction("sum", _sum, context=True),
    "list": SafeFunction("list", _sequence(list), pytype=list, context=True),
    "tuple": SafeFunction("tuple", _sequence(tuple), pytype=tuple, context=True),
    "enumerate": SafeFunction("enumerate", _enumerate, context=True),
    "zip": SafeFunction("zip", _zip, context=True),
    "isinstance": SafeFunction("isinstance", _isinstance),
    "sorted": SafeFunction("sorted", _sorted, context=True),
    "reversed": SafeFunction("reversed", _reversed, context=True),
    "any": SafeFunction("any", _any, context=True),
    "all": SafeFunction("all", _all, context=True),
    "map": SafeFunction("map", _map, context=True),
    "iter": SafeFunction("iter", _iter, context=True),
    "next": SafeFunction("next", _next),
    "filter": SafeFunction("filter", _filter, context=True),
    "type": SafeFunction("type", _type),
    "dict": SafeFunction("dict", _dict, pytype=dict, context=True),
    "set": SafeFunction("set", named_as(make_set, "set"), pytype=set, context=True),
    "divmod": SafeFunction("divmod", _divmod, context=True),
    "pow": SafeFunction("pow", _pow, context=True),
    "True": True, "False": False, "None": None,
}

# Builtins that could reach outside the sandbox: refused wherever they appear, before running.
FORBIDDEN_NAMES = frozenset({
    "eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "hasattr", "globals", "locals",
    "vars", "dir", "breakpoint", "exit", "quit", "help", "memoryview", "object", "super",
})


# -- attributes by type -------------------------------------------------------------------------
def _assign_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    budget.check_convertible(argument(args, kwargs, 0, "value"))


def _tape_attribute(tape: GradientTape, name: str) -> Any:
    if name in ("gradient", "jacobian", "batch_jacobian"):
        return BoundMethod(tape, name, getattr(tape, name), special=name)
    if name == "stop_recording":
        return BoundMethod(tape, name, lambda: ContextValue(tape.stop_recording()))
    if name in ("watch", "watched_variables", "reset"):
        return BoundMethod(tape, name, getattr(tape, name))
    if name in ("persistent", "watch_accessed_variables"):
        return getattr(tape, name)
    raise KeyError(name)


def _accumulator_attribute(acc: ForwardAccumulator, name: str) -> Any:
    if name == "jvp":
        return BoundMethod(acc, name, acc.jvp)
    raise KeyError(name)


def _variable_attribute(var: Variable, name: str) -> Any:
    if name in ("assign", "assign_add", "assign_sub"):
        return BoundMethod(var, name, getattr(var, name), _assign_check)
    if name in ("read_value", "value", "numpy"):
        return BoundMethod(var, name, getattr(var, name))
    if name in ("shape", "dtype", "name", "trainable"):
        return getattr(var, name)
    if name == "ndim":
        return len(var.shape)
    raise KeyError(name)


def _tensor_attribute(tensor: Tensor, name: str) -> Any:
    if name == "numpy":
        return BoundMethod(tensor, name, tensor.numpy)
    if name in ("shape", "dtype", "ndim"):
        return getattr(tensor, name)
    raise KeyError(name)


ARRAY_ATTRIBUTES = ("shape", "dtype", "ndim", "size", "T")
DTYPE_ATTRIBUTES = ("name", "is_floating", "is_integer", "is_bool")
SHAPE_ATTRIBUTES = ("as_list", "rank", "ndims", "num_elements", "is_fully_defined")
METHOD_NAMES = frozenset({*CONTAINER_METHODS, "args", "message", "gradient", "jacobian", "batch_jacobian", "jvp", "stop_recording", "watch", "watched_variables", "reset",
                          "persistent", "watch_accessed_variables", "assign", "assign_add", "assign_sub",
                          "read_value", "value", "numpy", "shape", "dtype", "name", "trainable", "ndim",
                          *ARRAY_ATTRIBUTES, *DTYPE_ATTRIBUTES, *SHAPE_ATTRIBUTES})


def _bound(method: Callable[..., Any], owner: Any, name: str) -> Callable[..., Any]:
    def call(budget: Budget, *args: Any, **kwargs: Any) -> Any:
        return method(budget, owner, *args, **kwargs)
    return named_as(call, name)


def _unbound(method: Callable[..., Any], cls: type, name: str) -> Callable[..., Any]:
    def call(budget: Budget, owner: Any, *args: Any, **kwargs: Any) -> Any:
        if type(owner) is not cls:
            raise LangError(f"{cls.__name__}.{name}() needs a {cls.__name__}, not {describe(owner)}", kind="type")
        return method(budget, owner, *args, **kwargs)
    return named_as(call, name)


def get_attribute(value: Any, name: str) -> Any:
    """``value.name`` if the whitelist allows it; otherwise a (not yet located) LangError."""
    if name == "__name__" and isinstance(value, TypeValue):
        return value.name                   # the one dunder a script may read, of a class stand-in
    if name.startswith("_"):
        raise LangError(f"names starting with '_' are not available ({name!r})", kind="name")
    methods = METHODS.get(type(value))
    if methods is not None and name in methods:
        return BoundMethod(value, name, _bound(methods[name], value, name), context=True)
    if isinstance(value, SafeFunction) and BUILTINS.get(value.name) is value and name in METHODS.get(value.pytype, ()):
        return SafeFunction(f"{value.name}.{name}", _unbound(METHODS[value.pytype][name], value.pytype, name),
                            context=True)      # str.lower, used as a key
    if isinstance(value, ErrorValue) and name in ("args", "message"):
        return value.args if name == "args" else value.message
    if name in getattr(type(value), "script_attributes", ()):   # adviz's own small classes say what they answer
        return value.script_attribute(name)
    try:
        if isinstance(value, Namespace):
            if name in value.members:
                return value.members[name]
            raise LangError(f"{value.name}.{name} is not available in scripts", kind="name")
        if isinstance(value, GradientTape):
            return _tape_attribute(value, name)
        if isinstance(value, ForwardAccumulator):
            return _accumulator_attribute(value, name)
        if isinstance(value, Variable):
            return _variable_attribute(value, name)
        if isinstance(value, Tensor):
            return _tensor_attribute(value, name)
        if isinstance(value, (np.ndarray, np.generic)) and name in ARRAY_ATTRIBUTES:
            return getattr(value, name)
        if isinstance(value, np.dtype) and name == "name":
            return value.name
        if isinstance(value, DType) and name in DTYPE_ATTRIBUTES:
            return getattr(value, name)
        if isinstance(value, TensorShape) and name in SHAPE_ATTRIBUTES:
            attr = getattr(value, name)
            return BoundMethod(value, name, attr) if callable(attr) else attr
    except KeyError:
        pass
    raise LangError(f"{describe(value)} has no attribute {name!r} that scripts may use", kind="name")

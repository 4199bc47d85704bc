"""Methods of lists, dicts, sets and strings, run within the run's budget.

Each method is a plain function of (budget, owner, arguments) in a table by the owner's exact
type. What a method makes or adds in place is measured first: a list's items (through nested
lists) and a text's characters are refused over the limits and counted before they exist, so
``a.extend(a)`` in a loop, ``'x'.center(10**9)`` or ``s.replace('', s)`` stop with a LangError.
Functions a script passes (``key=``) are called back through ``budget.caller``.
"""
from __future__ import annotations

from typing import Any, Callable

from ..engine import Tensor, Variable
from .errors import LangError
from .formatting import str_format
from .limits import Budget, describe, whole_number
from .pytypes import TypeValue, type_of

Method = Callable[..., Any]
ARRAYS = (Tensor, Variable)


# -- helpers ------------------------------------------------------------------------------------
def items_of(budget: Budget, iterable: Any) -> list[Any]:
    """The items of an iterable a method consumes whole, within the item limit."""
    budget.sized(iterable)
    return list(budget.iterate(iterable))


def call_back(budget: Budget, fn: Any, *args: Any) -> Any:
    """Call a function the script passed (a key, map's function) as the script would."""
    if budget.caller is None:
        raise LangError("functions cannot be passed here", kind="type")
    return budget.caller(fn, args)


def equal(budget: Budget, a: Any, b: Any) -> bool:
    """``a == b`` as a list's ``index``, ``count`` and ``remove`` test it: identity first,
    then equality (tensors compare elementwise, so their sizes are checked first)."""
    budget.tick()
    if a is b:
        return True
    if isinstance(a, ARRAYS) or isinstance(b, ARRAYS):
        budget.check_convertible(a)
        budget.check_convertible(b)
        budget.check_broadcast(a, b)
    return bool(a == b)


def index_argument(value: Any, what: str) -> int:
    number = whole_number(value)
    if number is None or isinstance(value, float):
        raise LangError(f"{what} must be an integer, not {describe(value)}", kind="type")
    return number


def key_of(value: Any) -> Any:
    """A dict key or set element: numbers, strings, None and tuples of them, as in dict literals."""
    if not isinstance(value, (str, int, float, bool, type(None), tuple, TypeValue)):
        raise LangError(f"dict keys and set items are numbers or strings, not {describe(value)}", kind="type")
    hash(value)            # a tuple holding a list is refused here, as Python refuses it
    return value


def sort_in_place(budget: Budget, items: list[Any], key: Any = None, reverse: Any = False) -> None:
    """Sort ``items`` as ``list.sort`` does; a key function is called once per item."""
    budget.add_work(len(items) * max(1, len(items).bit_length()))   # n log n comparisons
    if key is None:
        items.sort(reverse=bool(reverse))
        return
    before = list(items)
    keys = [call_back(budget, key, item) for item in before]
    order = sorted(range(len(before)), key=keys.__getitem__, reverse=bool(reverse))
    if len(items) != len(before) or any(a is not b for a, b in zip(items, before)):
        raise ValueError("list modified during sort")       # the key changed the list, as Python refuses
    items[:] = [before[i] for i in order]


# -- list ----------------------------------------------------------------------------------------
def _grow_list(budget: Budget, lst: list[Any], added: list[Any], change: Callable[[], None]) -> None:
    sizes = budget.grow(lst, added)
    change()
    budget.grown(lst, sizes)


def list_append(budget: Budget, lst: list[Any], value: Any) -> None:
    _grow_list(budget, lst, [value], lambda: lst.append(value))


def list_extend(budget: Budget, lst: list[Any], iterable: Any) -> None:
    added = items_of(budget, iterable)
    _grow_list(budget, lst, added, lambda: lst.extend(added))


def set_item(budget: Budget, container: Any, key: Any, value: Any) -> None:
    """``container[key] = value`` for a script's own lists and dicts, counted as their methods
    count what they add; tensors refuse it as TensorFlow does."""
    if type(container) is dict:
        key_of(key)
        replaced = key in container
        old = container.get(key)
        _grow_dict(budget, container, [value] if replaced else [key, value], key, value)
        if replaced:
            budget.shrunk(container, [old])
    elif type(container) is list:
        at = index_argument(key, "list indices")
        if not -len(container) <= at < len(container):
            raise IndexError("list assignment index out of range")
        old = container[at]

        def change() -> None:
            container[at] = value
        _grow_list(budget, container, [value], change)
        budget.shrunk(container, [old])
    else:
        kind = type_of(container)      # TensorFlow's words: a tensor by its full path, a Variable by its name
        name = kind.path if isinstance(container, Tensor) else kind.name
        raise TypeError(f"'{name}' object does not support item assignment")


def _grow_dict(budget: Budget, d: dict[Any, Any], added: list[Any], key: Any, value: Any) -> None:
    sizes = budget.grow(d, added)
    d[key] = value
    budget.grown(d, sizes)


def list_insert(budget: Budget, lst: list[Any], index: Any, value: Any) -> None:
    at = index_argument(index, "the index")
    _grow_list(budget, lst, [value], lambda: lst.insert(at, value))


def list_pop(budget: Budget, lst: list[Any], index: Any = -1) -> Any:
    if not lst:
        raise IndexError("pop from empty list")
    value = lst.pop(index_argument(index, "the index"))
    budget.shrunk(lst, [value])
    return value


def list_remove(budget: Budget, lst: list[Any], value: Any) -> None:
    for i, item in enumerate(lst):
        if equal(budget, item, value):
            del lst[i]
            budget.shrunk(lst, [item])
            return
    raise ValueError("list.remove(x): x not in list")


def list_index(budget: Budget, lst: list[Any], value: Any, start: Any = 0, stop: Any = None) -> int:
    begin = index_argument(start, "start")
    end = len(lst) if stop is None else index_argument(stop, "stop")
    for i in range(*slice(begin, end).indices(len(lst))):
        if equal(budget, lst[i], value):
            return i
    raise ValueError(f"{_short(value)} is not in list")


def _short(value: Any) -> str:
    from .text import short_repr
    return short_repr(value)


def sequence_count(budget: Budget, seq: list[Any] | tuple[Any, ...], value: Any) -> int:
    return sum(1 for item in list(seq) if equal(budget, item, value))


def list_sort(budget: Budget, lst: list[Any], *, key: Any = None, reverse: Any = False) -> None:
    sort_in_place(budget, lst, key, reverse)


def list_reverse(budget: Budget, lst: list[Any]) -> None:
    budget.add_work(len(lst))
    lst.reverse()


def list_copy(budget: Budget, lst: list[Any]) -> list[Any]:
    return budget.check_container(list(lst))


def container_clear(budget: Budget, container: Any) -> None:
    removed = [*container.keys(), *container.values()] if isinstance(container, dict) else list(container)
    container.clear()
    budget.shrunk(container, removed)


# -- dict ----------------------------------------------------------------------------------------
class DictView(tuple):
    """What ``d.items()``, ``d.keys()`` and ``d.values()`` give: the entries as they are now,
    printed as Python prints its views (``dict_items([('a', 1)])``)."""

    view_name = "dict_items"

    def __new__(cls, items: Any, name: str) -> "DictView":
        view = super().__new__(cls, items)
        view.view_name = name
        return view



def _view(budget: Budget, items: list[Any], name: str, per_item: int) -> DictView:
    budget.add_items(per_item * len(items))
    return budget.check_container(DictView(items, name), made=0)


def dict_items(budget: Budget, d: dict[Any, Any]) -> DictView:
    return _view(budget, list(d.items()), "dict_items", 3)


def dict_keys(budget: Budget, d: dict[Any, Any]) -> DictView:
    return _view(budget, list(d.keys()), "dict_keys", 1)


def dict_values(budget: Budget, d: dict[Any, Any]) -> DictView:
    return _view(budget, list(d.values()), "dict_values", 1)


def dict_get(budget: Budget, d: dict[Any, Any], key: Any, default: Any = None) -> Any:
    return d.get(key_of(key), default)


def _pairs(budget: Budget, other: Any) -> list[tuple[Any, Any]]:
    if isinstance(other, dict):
        return list(other.items())
    pairs = []
    for item in items_of(budget, other):
        entry = items_of(budget, item)
        if len(entry) != 2:
            raise ValueError(f"dictionary update sequence element has length {len(entry)}; 2 is required")
        pairs.append((entry[0], entry[1]))
    return pairs


def dict_update(budget: Budget, d: dict[Any, Any], other: Any = (), **kwargs: Any) -> None:
    pairs = _pairs(budget, other) + list(kwargs.items())
    for key, _ in pairs:
        key_of(key)
    sizes = budget.grow(d, [v for pair in pairs for v in pair])
    d.update(pairs)
    budget.grown(d, sizes)


def dict_pop(budget: Budget, d: dict[Any, Any], key: Any, *default: Any) -> Any:
    if len(default) > 1:
        raise TypeError(f"pop expected at most 2 arguments, got {1 + len(default)}")
    key_of(key)
    if key not in d:
        if default:
            return default[0]
        raise KeyError(key)
    value = d.pop(key)
    budget.shrunk(d, [key, value])
    return value


def dict_setdefault(budget: Budget, d: dict[Any, Any], key: Any, default: Any = None) -> Any:
    key_of(key)
    if key not in d:
        sizes = budget.grow(d, [key, default])
        d[key] = default
        budget.grown(d, sizes)
    return d[key]


def dict_copy(budget: Budget, d: dict[Any, Any]) -> dict[Any, Any]:
    return budget.check_container(dict(d))


# -- set -----------------------------------------------------------------------------------------
def make_set(budget: Budget, iterable: Any = ()) -> set[Any]:
    return budget.check_container({key_of(item) for item in items_of(budget, iterable)})


def set_add(budget: Budget, s: set[Any], value: Any) -> None:
    key_of(value)
    if value not in s:
        sizes = budget.grow(s, [value])
        s.add(value)
        budget.grown(s, sizes)


def set_update(budget: Budget, s: set[Any], *others: Any) -> None:
    added = [key_of(v) for other in others for v in items_of(budget, other) if v not in s]
    sizes = budget.grow(s, added)
    s.update(added)
    budget.grown(s, sizes)


def set_discard(budget: Budget, s: set[Any], value: Any) -> None:
    if key_of(value) in s:
        s.discard(value)
        budget.shrunk(s, [value])


def set_remove(budget: Budget, s: set[Any], value: Any) -> None:
    if key_of(value) not in s:
        raise KeyError(value)
    set_discard(budget, s, value)


def set_pop(budget: Budget, s: set[Any]) -> Any:
    if not s:
        raise KeyError("pop from an empty set")
    value = s.pop()
    budget.shrunk(s, [value])
    return value


def _set_operation(name: str) -> Method:
    def operation(budget: Budget, s: set[Any], *others: Any) -> set[Any]:
        sets = [make_set(budget, other) for other in others]
        budget.add_work(len(s) + sum(map(len, sets)))
        return budget.check_container(getattr(set, name)(s, *sets))
    return operation


# -- str -----------------------------------------------------------------------------------------
def _text(budget: Budget, text: str, made: int | None = None) -> str:
    budget.check_string(len(text), made)
    return text


def str_join(budget: Budget, sep: str, iterable: Any) -> str:
    parts = items_of(budget, iterable)
    for i, part in enumerate(parts):
        if not isinstance(part, str):
            raise TypeError(f"sequence item {i}: expected str instance, {describe(part)} found")
    budget.check_string(sum(map(len, parts)) + len(sep) * max(len(parts) - 1, 0))
    return sep.join(parts)


def _split(name: str) -> Method:
    def split(budget: Budget, text: str, sep: Any = None, maxsplit: Any = -1) -> list[str]:
        if sep is not None and not isinstance(sep, str):
            raise TypeError(f"must be str or None, not {describe(sep)}")
        if sep == "":
            raise ValueError("empty separator")
        budget.add_work(len(text))
        return budget.check_container(getattr(str, name)(text, sep, index_argument(maxsplit, "maxsplit")))
    return split


def str_splitlines(budget: Budget, text: str, keepends: Any = False) -> list[str]:
    budget.add_work(len(text))
    return budget.check_container(text.splitlines(bool(keepends)))


def _same_size(name: str) -> Method:
    """strip, upper, title...: at most a few characters for each one of the text."""
    def method(budget: Budget, text: str, *args: Any) -> str:
        for a in args:
            if a is not None and not isinstance(a, str):
                raise TypeError(f"{name} arg must be None or str")
        budget.add_work(len(text))
        return _text(budget, getattr(str, name)(text, *args))
    return method


def str_replace(budget: Budget, text: str, old: Any, new: Any, count: Any = -1) -> str:
    if not isinstance(old, str) or not isinstance(new, str):
        raise TypeError("replace() arguments must be str")
    limit = index_argument(count, "count")
    found = text.count(old)
    found = found if limit < 0 else min(found, limit)
    budget.check_string(len(text) + found * (len(new) - len(old)))   # known before it is made
    return text.replace(old, new, limit)


def _padded(name: str) -> Method:
    def method(budget: Budget, text: str, width: Any, *fill: Any) -> str:
        size = index_argument(width, "the width")
        if fill and not (isinstance(fill[0], str) and len(fill[0]) == 1):
            raise TypeError("The fill character must be exactly one character long")
        budget.check_string(max(size, len(text)))
        return getattr(str, name)(text, size, *fill)
    return method


def _query(name: str) -> Method:
    """find, count, startswith...: they read the text and make nothing."""
    def method(budget: Budget, text: str, *args: Any) -> Any:
        for a in args[1:]:
            if a is not None:
                index_argument(a, "start and end")
        budget.add_work(len(text))
        return getattr(str, name)(text, *args)
    return method


def str_format_method(budget: Budget, text: str, *args: Any, **kwargs: Any) -> str:
    return str_format(budget, text, args, kwargs)


METHODS: dict[type, dict[str, Method]] = {
    list: {"append": list_append, "extend": list_extend, "insert": list_insert, "pop": list_pop,
           "remove": list_remove, "index": list_index, "count": sequence_count, "sort": list_sort,
           "reverse": list_reverse, "copy": list_copy, "clear": container_clear},
    tuple: {"index": list_index, "count": sequence_count},
    dict: {"items": dict_items, "keys": dict_keys, "values": dict_values, "get": dict_get,
           "update": dict_update, "pop": dict_pop, "setdefault": dict_setdefault, "copy": dict_copy,
           "clear": container_clear},
    set: {"add": set_add, "discard": set_discard, "remove": set_remove, "pop": set_pop,
          "union": _set_operation("union"), "intersection": _set_operation("intersection"),
          "difference": _set_operation("difference"), "update": set_update,
          "copy": lambda budget, s: budget.check_container(set(s)), "clear": container_clear},
    str: {"join": str_join, "split": _split("split"), "rsplit": _split("rsplit"), "splitlines": str_splitlines,
          "replace": str_replace, "format": str_format_method,
          **{name: _same_size(name) for name in ("strip", "lstrip", "rstrip", "upper", "lower", "title",
                                                 "capitalize")},
          **{name: _padded(name) for name in ("center", "ljust", "rjust")},
          "zfill": lambda budget, text, width: _padded("zfill")(budget, text, width),
          **{name: _query(name) for name in ("startswith", "endswith", "find", "count", "isdigit", "isalpha")}},
}
METHOD_NAMES = frozenset(name for table in METHODS.values() for name in table)

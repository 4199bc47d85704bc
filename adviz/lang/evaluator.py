"""Expressions, interpreted node by node from a dispatch table.

Only node types in the table are evaluated; the static checkers have already refused the rest,
so a missing entry here is a second line of defence, not the first. Every operator and call
first checks sizes with the run's :class:`~adviz.lang.limits.Budget`, then runs; every failure
leaves as a LangError placed at the innermost node being evaluated.
"""
from __future__ import annotations

import ast
import math
import operator
from typing import Any, Callable, Sequence

import numpy as np

from ..engine import Tensor, Variable
from .errors import ENGINE_ERRORS, LangError, at, wrap
from .formatting import convert, format_value, percent_format
from .limits import Budget, count_of, describe
from .methods import key_of
from .pytypes import TypeValue, as_type
from .text import short_repr
from .whitelist import SafeFunction, get_attribute, unwrap

BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.MatMult: operator.matmul, ast.BitOr: operator.or_, ast.BitAnd: operator.and_, ast.BitXor: operator.xor,
}
_SET_OPERATORS = (ast.BitOr, ast.BitAnd, ast.BitXor)
COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
ARRAYS = (Tensor, Variable, np.ndarray)
_SEQUENCES = (str, list, tuple)
_ORDERING = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Evaluator:
    """Evaluates expression nodes; subclasses supply names and special calls."""

    def __init__(self, lines: Sequence[str], budget: Budget) -> None:
        self.lines = lines
        self.budget = budget
        self.limits = budget.limits
        self.handlers: dict[type, Callable[[Any], Any]] = {
            ast.Constant: self.constant, ast.Name: self.name, ast.BinOp: self.binop,
            ast.UnaryOp: self.unaryop, ast.BoolOp: self.boolop, ast.Compare: self.compare,
            ast.IfExp: self.ifexp, ast.Call: self.call, ast.Attribute: self.attribute,
            ast.Subscript: self.subscript, ast.Slice: self.slice, ast.List: self.list,
            ast.Tuple: self.tuple, ast.Dict: self.dict, ast.JoinedStr: self.joinedstr,
            ast.FormattedValue: self.formattedvalue, ast.Set: self.set,
        }

    # -- the dispatch ----------------------------------------------------------------------
    def eval(self, node: ast.AST) -> Any:
        handler = self.handlers.get(type(node))
        if handler is None:
            raise self.fail(node, f"{type(node).__name__} is not supported here", "syntax")
        try:
            return handler(node)
        except LangError as exc:
            raise wrap(exc, node, self.lines) from None
        except ENGINE_ERRORS as exc:
            raise wrap(exc, node, self.lines) from None

    def fail(self, node: ast.AST, message: str, kind: str = "runtime") -> LangError:
        return at(node, message, self.lines, kind)

    def truth(self, value: Any) -> bool:
        if isinstance(value, np.ndarray) and value.size != 1:
            raise LangError("the truth value of an array with several elements is ambiguous", kind="value")
        return bool(value)

    # -- leaves ------------------------------------------------------------------------------
    def constant(self, node: ast.Constant) -> Any:
        return node.value

    def name(self, node: ast.Name) -> Any:
        raise NotImplementedError

    # -- operators -----------------------------------------------------------------------------
    def binop(self, node: ast.BinOp) -> Any:
        left = self.eval(node.left)
        right = self.eval(node.right)
        return self.binary(node.op, left, right)

    def binary(self, op: ast.operator, a: Any, b: Any) -> Any:
        """``a op b`` after checking that the result is within the limits."""
        fn = BINARY.get(type(op))
        if fn is None:
            raise LangError("this operator is not supported", kind="syntax")
        self.budget.tick()
        budget = self.budget
        sizes: tuple[int, int] | None = None  # (items, elements) of a list result, known in advance
        if is_int(a) and is_int(b):
            if isinstance(op, ast.Pow):
                budget.check_int_pow(a, b)
            elif isinstance(op, ast.Mult) and a.bit_length() + b.bit_length() > self.limits.max_int_bits + 1:
                raise LangError(f"integer too large (more than {self.limits.max_int_bits:,} bits)", kind="limit")
        elif isinstance(op, ast.Mult) and isinstance(a, _SEQUENCES) != isinstance(b, _SEQUENCES):
            # A repetition: its count may be an int, a numpy integer or an integer scalar tensor.
            seq, other = (a, b) if isinstance(a, _SEQUENCES) else (b, a)
            n = count_of(other)
            if n is None:
                if isinstance(seq, str) and isinstance(other, (*ARRAYS, np.generic)):
                    raise LangError("tensors and arrays combine with numbers, not text", kind="type")
            elif isinstance(seq, str):
                budget.check_string(len(seq) * max(n, 0), made=len(seq) * max(n - 1, 0))
            else:
                items, elements, depth = budget.sizes(seq)
                sizes = items * max(n, 0), elements * max(n, 0), depth
                budget.check_elements(sizes[0], "the list")
        elif isinstance(op, ast.Add) and isinstance(a, str) and isinstance(b, str):
            # What joining adds is the shorter part: a loop growing a text stays linear.
            budget.check_string(len(a) + len(b), made=min(len(a), len(b)))
        elif isinstance(op, ast.Add) and isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            (ia, ea, da), (ib, eb, db) = budget.sizes(a), budget.sizes(b)
            sizes = ia + ib, ea + eb, max(da, db)
            budget.check_elements(sizes[0], "the list")
        if isinstance(op, ast.Mod) and isinstance(a, str):
            return percent_format(budget, a, b)
        if isinstance(op, _SET_OPERATORS):
            if isinstance(a, set) and isinstance(b, set):      # union, intersection, difference of both
                budget.add_work(len(a) + len(b))
                return budget.check_container(fn(a, b))
            if not (isinstance(a, (int, bool)) and isinstance(b, (int, bool))):
                raise LangError(f"the operators |, & and ^ combine two sets or two whole numbers here, not "
                                f"{describe(a)} and {describe(b)}", kind="type")
        if isinstance(a, ARRAYS) or isinstance(b, ARRAYS):
            budget.check_convertible(a)
            budget.check_convertible(b)
            if isinstance(op, ast.MatMult):
                budget.check_matmul(a, b)
            else:
                budget.check_broadcast(a, b)
        result = fn(a, b)
        if is_int(result):
            budget.check_int(result)
        elif isinstance(result, (list, tuple)):
            if sizes is not None:
                budget.remember(result, *sizes)
            # Count what the operation adds, not the copy: x = x + [i] in a loop stays linear.
            operands = [len(v) for v in (a, b) if isinstance(v, (list, tuple))]
            budget.check_container(result, made=len(result) - max(operands, default=0))
        return result

    def unaryop(self, node: ast.UnaryOp) -> Any:
        value = self.eval(node.operand)
        self.budget.tick()
        if isinstance(value, (*ARRAYS, np.generic)) and not isinstance(node.op, ast.Not):
            self.budget.add_work(int(np.prod(np.shape(value), dtype=np.int64)))  # -x is a new tensor
        if isinstance(node.op, ast.Not):
            return not self.truth(value)
        if isinstance(node.op, ast.USub):
            return self.derived(value, -value)
        if isinstance(node.op, ast.UAdd):
            return self.derived(value, +value)
        raise LangError("this operator is not supported", kind="syntax")

    def boolop(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for child in node.values:
            value = self.eval(child)
            if self.truth(value) == isinstance(node.op, ast.Or):
                return value
        return value

    def compare(self, node: ast.Compare) -> Any:
        left = self.eval(node.left)
        result: Any = True
        for index, (op, right_node) in enumerate(zip(node.ops, node.comparators)):
            right = self.eval(right_node)
            self.budget.tick()
            if isinstance(op, (ast.In, ast.NotIn)) and not isinstance(right, (list, tuple, str, dict, set, range,
                                                                              np.ndarray)):
                raise LangError(f"'in' needs a list, tuple, string, dict, set or range, not {describe(right)}",
                                kind="type")
            if isinstance(op, (ast.Is, ast.IsNot)):   # type(x) is int: one stand-in for each class
                left, right = as_type(left), as_type(right)
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, str) and not isinstance(left, str):
                raise LangError("'in' with a string needs a string on the left", kind="type")
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, range):
                result = _in_range(left, right) == isinstance(op, ast.In)
            else:
                self.check_comparison(op, left, right)
                result = COMPARE[type(op)](left, right)
                self.compared(node, left, right, result)
            if index < len(node.ops) - 1 and not self.truth(result):
                return result
            left = right
        return result

    def check_comparison(self, op: ast.cmpop, left: Any, right: Any) -> None:
        """Comparisons of tensors and arrays broadcast like arithmetic: the same checks first.
        Lists and tuples compare item by item, so the items that meet are checked in pairs."""
        if isinstance(op, _ORDERING):
            self._check_pair(left, right)
        elif isinstance(op, (ast.In, ast.NotIn)):
            if isinstance(right, np.ndarray):
                self._check_pair(left, right)
            elif isinstance(right, (list, tuple)) and _holds_arrays(left):
                for item in right:
                    self._check_pair(left, item)

    def _check_pair(self, a: Any, b: Any) -> None:
        if isinstance(a, (*ARRAYS, np.generic)) or isinstance(b, (*ARRAYS, np.generic)):
            self.budget.check_convertible(a)
            self.budget.check_convertible(b)
            self.budget.check_broadcast(a, b)
        elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            if _holds_arrays(a) or _holds_arrays(b):
                for x, y in zip(a, b):
                    self._check_pair(x, y)
        elif isinstance(a, dict) and isinstance(b, dict):
            for key in a.keys() & b.keys():
                self._check_pair(a[key], b[key])

    def compared(self, node: ast.Compare, left: Any, right: Any, result: Any) -> None:
        """Told of each comparison made (a subclass may remember where values came from)."""

    def derived(self, value: Any, result: Any) -> Any:
        """``result`` was read out of ``value`` (an index, a sign): returned as it is here; a
        subclass may remember where it came from."""
        return result

    def ifexp(self, node: ast.IfExp) -> Any:
        return self.eval(node.body) if self.truth(self.eval(node.test)) else self.eval(node.orelse)

    # -- calls and attributes ------------------------------------------------------------------
    def call(self, node: ast.Call) -> Any:
        func = self.eval(node.func)
        args = [self.eval(a) for a in node.args]
        kwargs = {k.arg: self.eval(k.value) for k in node.keywords if k.arg is not None}
        return self.call_value(node, func, args, kwargs)

    def call_value(self, node: ast.Call, func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(func, TypeValue):
            raise LangError(f"{func!r} cannot be called in scripts; call {func.name}(...) by its name", kind="type")
        if not isinstance(func, SafeFunction):
            raise LangError(f"{describe(func)} cannot be called", kind="type")
        self.budget.tick()
        if func.special:
            return self.special_call(node, func, args, kwargs)
        args = [unwrap(a) for a in args]
        kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        return func.invoke(self.budget, tuple(args), kwargs)

    def special_call(self, node: ast.Call, func: SafeFunction, args: list[Any], kwargs: dict[str, Any]) -> Any:
        raise LangError(f"{func.name} is not available here", kind="name")

    def attribute(self, node: ast.Attribute) -> Any:
        return get_attribute(self.eval(node.value), node.attr)

    def subscript(self, node: ast.Subscript) -> Any:
        return self.item(self.eval(node.value), self.eval(node.slice))

    def item(self, value: Any, index: Any) -> Any:
        """``value[index]`` as a script reads it."""
        self.budget.tick()
        if isinstance(value, (Tensor, Variable)):
            return value[index]
        if isinstance(value, (np.ndarray, np.generic)):
            return self.derived(value, value[_array_index(index)])
        if isinstance(value, (list, tuple, str, range)):
            if isinstance(index, (Tensor, np.integer)):
                index = int(index)
            if not isinstance(index, (int, slice)):
                raise LangError(f"a {describe(value)[2:]} is indexed by an integer or a slice, not {describe(index)}",
                               kind="type")
            return value[index]
        if isinstance(value, dict):
            if index not in value:
                error = LangError(f"no entry {short_repr(index)}")
                error.cause, error.said = KeyError, short_repr(index)   # caught by except KeyError
                raise error
            return value[index]
        raise LangError(f"{describe(value)} cannot be indexed", kind="type")

    def slice(self, node: ast.Slice) -> slice:
        parts = [None if n is None else self.eval(n) for n in (node.lower, node.upper, node.step)]
        for p in parts:
            if p is not None and not is_int(p) and not isinstance(p, (Tensor, np.integer)):
                raise LangError(f"slice bounds are integers, not {describe(p)}", kind="type")
        return slice(*[int(p) if p is not None else None for p in parts])

    # -- literals --------------------------------------------------------------------------------
    def list(self, node: ast.List) -> list[Any]:
        return self.budget.check_container([self.eval(e) for e in node.elts])

    def tuple(self, node: ast.Tuple) -> tuple[Any, ...]:
        return self.budget.check_container(tuple(self.eval(e) for e in node.elts))

    def set(self, node: ast.Set) -> set[Any]:
        return self.budget.check_container({key_of(self.eval(e)) for e in node.elts})

    def dict(self, node: ast.Dict) -> dict[Any, Any]:
        out = {}
        for key_node, value_node in zip(node.keys, node.values):
            key = self.eval(key_node)
            if not isinstance(key, (str, int, float, bool, type(None), tuple)):
                raise self.fail(key_node, f"dict keys are numbers or strings, not {describe(key)}", "type")
            out[key] = self.eval(value_node)
        return self.budget.check_container(out)

    def joinedstr(self, node: ast.JoinedStr) -> str:
        parts = []
        length = 0
        for v in node.values:
            parts.append(v.value if isinstance(v, ast.Constant) else self.eval(v))
            length += len(parts[-1])
            if length > self.limits.max_string:  # refused before the pieces are joined
                self.budget.check_string(length)
        self.budget.check_string(length)
        return "".join(parts)

    def formattedvalue(self, node: ast.FormattedValue) -> str:  # counted once, by joinedstr
        value = self.eval(node.value)
        spec = self.eval(node.format_spec) if node.format_spec is not None else ""
        self.budget.tick()
        conversion = chr(node.conversion) if node.conversion > 0 else None
        return format_value(self.budget, convert(self.budget, value, conversion), spec)


def _holds_arrays(value: Any) -> bool:
    """Whether a value is, or a list or tuple holds (at any depth), a tensor or an array."""
    if isinstance(value, (*ARRAYS, np.generic)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_arrays(v) for v in value if not isinstance(v, (int, float, str, bool)))
    return False


def _in_range(value: Any, r: range) -> bool:
    """``value in r`` without a search: Python tests anything but an int one item at a time."""
    if isinstance(value, (bool, int, np.integer)):
        return int(value) in r
    if isinstance(value, complex):
        if value.imag:
            return False
        value = value.real
    if isinstance(value, (float, np.floating)):
        return math.isfinite(value) and float(value).is_integer() and int(value) in r
    if isinstance(value, (Tensor, Variable, np.ndarray)) and not np.shape(value) and np.asarray(value).dtype.kind in "biuf":
        return _in_range(np.asarray(value)[()], r)
    return False


def _array_index(index: Any) -> Any:
    """Plain numpy indexing only: integers, slices, None and ``...`` (no fancy indexing)."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for item in items:
        if isinstance(item, Tensor):
            item = int(item)
        if not (is_int(item) or isinstance(item, (slice, np.integer)) or item is None or item is Ellipsis):
            raise LangError(f"arrays are indexed by integers, slices, None and ..., not {describe(item)}",
                           kind="type")
        out.append(item)
    return tuple(out) if isinstance(index, tuple) else out[0]

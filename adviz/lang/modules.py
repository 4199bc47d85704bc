"""The modules a script may import: TensorFlow's names (and adviz's) backed by the engine, and a
small read-only subset of numpy. Each function is wrapped with a check that refuses sizes over
the limits before anything is allocated.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..engine import (FUNCTIONS, ForwardAccumulator, GradientTape, Op, Tensor, UnconnectedGradients, Variable, constant,
                      convert_to_tensor, ones, ones_like, zeros, zeros_like)
from ..engine.errors import InvalidArgumentError, OpError, UnimplementedError
from ..engine.dtypes import PUBLIC, STRING, as_dtype, bool_, float16, float32, float64, int32, int64
from ..engine.ops import exported
from .errors import LangError
from .keras_api import ATTRIBUTE_NAMES as _OBJECT_ATTRIBUTES, module_members
from .library import library_members, random_namespace
from .limits import array_shape, Budget, describe, shape_of_argument, whole_number
from .tfunction import TensorSpec, tf_function
from .whitelist import METHOD_NAMES, Check, Namespace, SafeFunction, named_as, argument


# -- checks: every size is known before the call --------------------------------------------
def _convertible(*positions: tuple[int, str]) -> Check:
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        for index, key in positions:
            budget.check_convertible(argument(args, kwargs, index, key))
    return check


def _copied(*positions: tuple[int, str]) -> Check:
    """The call makes a new value the size of each argument (a copy, ``ones_like``...)."""
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        for index, key in positions:
            value = argument(args, kwargs, index, key)
            budget.check_convertible(value)
            if not isinstance(value, (list, tuple, range)):  # those were counted as converted
                budget.add_work(_size(value))
    return check


def _size(value: Any) -> int:
    shape = array_shape(value)
    return int(np.prod(shape, dtype=np.int64)) if shape else 1


def _reduced(budget: Budget, value: Any, axis: Any) -> None:
    """A reduction's result is within the limit: an empty tensor of shape (0, 10**9) is
    allowed, but summing it over its first axis would make 10**9 zeros."""
    shape = array_shape(value)
    if shape is None or axis is None:
        return
    axes = axis if isinstance(axis, (list, tuple)) else (axis,)
    dropped = set()
    for a in axes:
        k = whole_number(a)
        if k is None or not -len(shape) <= k < len(shape):
            return  # the operation reports a bad axis itself
        dropped.add(k % len(shape))
    kept = tuple(d for i, d in enumerate(shape) if i not in dropped)
    budget.check_dims(kept)
    budget.add_work(int(np.prod(kept, dtype=np.int64)))


def _shape_check(index: int, key: str) -> Check:
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        budget.check_shape(argument(args, kwargs, index, key, ()))
    return check


def _constant_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    shape = argument(args, kwargs, 2, "shape")
    if shape is not None:
        budget.check_convertible(argument(args, kwargs, 0, "value"))
        budget.check_shape(shape)
    else:
        _copied((0, "value"))(budget, args, kwargs)


def _as_multiplied(operands: list[Any], kwargs: dict) -> list[Any]:
    """A matrix product's operands as it multiplies them: ``transpose_a`` (or ``adjoint_a``) swaps
    the first one's last two axes (a shape-only stand-in, nothing allocated); likewise for b."""
    out = []
    for value, side in zip(operands, "ab"):
        shape = array_shape(value)
        if shape is not None and len(shape) >= 2 and (kwargs.get(f"transpose_{side}") or kwargs.get(f"adjoint_{side}")):
            value = np.broadcast_to(np.empty((), np.float32), shape[:-2] + (shape[-1], shape[-2]))
        out.append(value)
    return out


def op_check(op: Op) -> Check:
    """The size check before calling ``op``: the row's ``size_check`` says which one."""
    def check(budget: Budget, args: tuple, kwargs: dict) -> None:
        tensors = list(args[: op.arity]) + [kwargs[k] for k in op.keywords if k in kwargs]
        for t in tensors:
            budget.check_convertible(t)
        pair = len(tensors) == 2
        if op.size_check == "matmul" and pair:
            budget.check_matmul(*_as_multiplied(tensors, kwargs))
        elif op.size_check == "broadcast" and pair:
            budget.check_broadcast(*tensors)
        elif tensors:
            shape = array_shape(tensors[0])
            if shape is not None:
                budget.add_work(int(np.prod(shape, dtype=np.int64)))
        if op.size_check == "allocate":
            budget.check_shape(argument(args, kwargs, op.arity + op.attrs.index("shape"), "shape", ()))
        elif "shape" in op.attrs:  # a new shape of the same elements: no dimension over the limit
            dims = shape_of_argument(argument(args, kwargs, op.arity + op.attrs.index("shape"), "shape", ()))
            if dims is not None:
                budget.check_dims(tuple(abs(d) for d in dims))
        if "axis" in op.attrs and tensors:
            _reduced(budget, tensors[0], argument(args, kwargs, op.arity + op.attrs.index("axis"), "axis"))
    return check


# -- TensorFlow's names (and adviz's): the engine -------------------------------------------
def _op_members(namespace: str, prefix: str) -> dict[str, Any]:
    """The op table's functions exported under ``namespace`` ("" is the top level), and the
    library's built on them."""
    members: dict[str, Any] = {name: SafeFunction(f"{prefix}.{name}", FUNCTIONS[name], op_check(op))
                               for name, op in exported(namespace).items()}
    members.update(library_members(namespace, prefix))
    return members


def _top_level(module: str) -> dict[str, Any]:
    members = _op_members("", module)
    members.update({
        "constant": SafeFunction(f"{module}.constant", constant, _constant_check),
        "convert_to_tensor": SafeFunction(f"{module}.convert_to_tensor", convert_to_tensor, _copied((0, "value"))),
        "Variable": SafeFunction(f"{module}.Variable", Variable, _copied((0, "initial_value")), pytype=Variable),
        "Tensor": SafeFunction(f"{module}.Tensor", None, pytype=Tensor),
        "GradientTape": SafeFunction(f"{module}.GradientTape", GradientTape, special="tape", pytype=GradientTape),
        "ones": SafeFunction(f"{module}.ones", ones, _shape_check(0, "shape")),
        "zeros": SafeFunction(f"{module}.zeros", zeros, _shape_check(0, "shape")),
        "ones_like": SafeFunction(f"{module}.ones_like", ones_like, _copied((0, "x"))),
        "zeros_like": SafeFunction(f"{module}.zeros_like", zeros_like, _copied((0, "x"))),
        "function": tf_function(module),
        # A decorator only: the interpreter records the decorated function with its own gradient.
        "custom_gradient": SafeFunction(f"{module}.custom_gradient", None),
        "TensorSpec": SafeFunction(f"{module}.TensorSpec", TensorSpec, pytype=TensorSpec),
        **{name: PUBLIC[dt] for name, dt in (("float16", float16), ("float32", float32), ("float64", float64),
                                             ("int32", int32), ("int64", int64), ("bool", bool_))},
        "string": STRING,
        "UnconnectedGradients": Namespace(f"{module}.UnconnectedGradients",
                                          {m.name: m for m in UnconnectedGradients}),
        "autodiff": Namespace(f"{module}.autodiff", {"ForwardAccumulator": SafeFunction(
            f"{module}.autodiff.ForwardAccumulator", ForwardAccumulator, _copied((1, "tangents")),
            pytype=ForwardAccumulator)}),
    })
    members["errors"] = Namespace(f"{module}.errors", {
        cls.__name__: SafeFunction(f"{module}.errors.{cls.__name__}", None, pytype=cls)
        for cls in (OpError, InvalidArgumentError, UnimplementedError)})
    for sub in ("math", "nn", "linalg"):
        members[sub] = Namespace(f"{module}.{sub}", _op_members(sub, f"{module}.{sub}"))
    members.update(module_members(module))
    members["random"] = random_namespace(module)
    return members


# -- numpy: a small read-only subset returning plain arrays and numbers ---------------------
def _numeric(result: Any) -> Any:
    if isinstance(result, np.ndarray) and result.dtype.kind not in "biuf":
        raise LangError(f"numpy arrays here hold numbers only, not {result.dtype.name}", kind="type")
    return result


def _np(fn: Callable[..., Any], keywords: tuple[str, ...] = (), positional: int = 1,
        dtype_at: int | None = None) -> Callable[..., Any]:
    """Wrap a numpy function: numbers and arrays in (tensors become arrays), a numeric array out.

    Positional arguments are capped (numpy would take ``out=`` arrays or dtypes there), and a
    dtype must be one the engine supports.
    """
    name = getattr(fn, "__name__", "function")

    def call(*args: Any, **kwargs: Any) -> Any:
        if len(args) > positional:
            raise LangError(f"np.{name}() takes at most {positional} positional argument(s) here", kind="type")
        for key in kwargs:
            if key not in keywords:
                raise LangError(f"np.{name}() does not take {key}= here", kind="type")
        if dtype_at is not None and len(args) > dtype_at:
            args = args[:dtype_at] + (as_dtype(args[dtype_at]),) + args[dtype_at + 1:]
        if kwargs.get("dtype") is not None:
            kwargs["dtype"] = as_dtype(kwargs["dtype"])
        for a in args:
            if isinstance(a, (str, bytes, dict)) or (isinstance(a, np.ndarray) and a.dtype.kind not in "biuf"):
                raise LangError(f"np.{name}() takes numbers and arrays, not {describe(a)}", kind="type")
        return _numeric(fn(*[np.asarray(a) if isinstance(a, (Tensor, Variable)) else a for a in args], **kwargs))
    return named_as(call, f"np.{name}")


def _np_elementwise(budget: Budget, args: tuple, kwargs: dict) -> None:
    for a in args:
        budget.check_convertible(a)
    if len(args) == 2:
        budget.check_broadcast(*args)
    elif args:
        budget.add_work(_size(args[0]))


def _np_reduction(budget: Budget, args: tuple, kwargs: dict) -> None:
    value = argument(args, kwargs, 0, "a")
    budget.check_convertible(value)
    _reduced(budget, value, argument(args, kwargs, 1, "axis"))


def _scalar(value: Any) -> float | None:
    """A plain number from a number, a 0-d array or a scalar tensor; None otherwise."""
    if isinstance(value, (bool, np.bool_, complex, np.complexfloating)):
        return None
    if isinstance(value, (int, float, np.number)):
        return float(value)
    if hasattr(value, "shape") and hasattr(value, "dtype") and tuple(value.shape) in ((), (1,)) \
            and np.dtype(value.dtype).kind in "iuf":
        try:
            return float(np.asarray(value).reshape(-1)[0])
        except (TypeError, ValueError):
            return None
    return None


def _arange_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    nums = [_scalar(a) for a in args[:3]]
    if not nums or any(n is None for n in nums):
        raise LangError("np.arange takes real numbers (start, stop, step)", kind="type")
    start, stop, step = (0.0, nums[0], 1.0) if len(nums) == 1 else (nums[0], nums[1], nums[2] if len(nums) > 2 else 1.0)
    if step == 0 or not all(map(math.isfinite, (start, stop, step))):
        raise LangError("np.arange needs a finite, non-zero step", kind="value")
    count = max(0, math.ceil((stop - start) / step))
    budget.check_elements(count)
    budget.add_work(count)


def _linspace_check(budget: Budget, args: tuple, kwargs: dict) -> None:
    num = argument(args, kwargs, 2, "num", 50)
    count = _scalar(num)
    if count is None:
        raise LangError("np.linspace needs a whole number of points", kind="value")
    if not math.isfinite(count):
        raise LangError("np.linspace needs a whole number of points", kind="value")
    budget.check_elements(int(count))
    budget.add_work(int(count))


def _np_matmul(budget: Budget, args: tuple, kwargs: dict) -> None:
    for a in args[:2]:
        budget.check_convertible(a)
    if len(args) >= 2:
        budget.check_matmul(*args[:2])


def _numpy_members() -> dict[str, Any]:
    members: dict[str, Any] = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan, "newaxis": None}
    for name in ("float32", "float64", "int32", "int64"):
        members[name] = SafeFunction(f"np.{name}", _np(getattr(np, name)), _np_elementwise, dtype=np.dtype(name),
                                     pytype=np.dtype(name).type)
    for name in ("sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "exp", "log",
                 "log2", "log10", "sqrt", "abs", "square", "sign", "floor", "ceil"):
        members[name] = SafeFunction(f"np.{name}", _np(getattr(np, name)), _np_elementwise)
    for name in ("maximum", "minimum"):
        members[name] = SafeFunction(f"np.{name}", _np(getattr(np, name), positional=2), _np_elementwise)
    for name in ("sum", "mean", "max", "min", "prod", "argmax", "argmin"):
        members[name] = SafeFunction(f"np.{name}", _np(getattr(np, name), ("axis", "keepdims"), 2),
                                     _np_reduction)
    like = _copied((0, "a"))
    members.update({
        "array": SafeFunction("np.array", _np(np.array, ("dtype",), 2, 1), _copied((0, "object"))),
        "asarray": SafeFunction("np.asarray", _np(np.asarray, ("dtype",), 2, 1), like),
        "round": SafeFunction("np.round", _np(np.round, ("decimals",), 2), like),
        "allclose": SafeFunction("np.allclose", _np(np.allclose, ("rtol", "atol"), 2), _np_elementwise),
        "matmul": SafeFunction("np.matmul", _np(np.matmul, (), 2), _np_matmul),
        "zeros": SafeFunction("np.zeros", _np(np.zeros, ("dtype",), 2, 1), _shape_check(0, "shape")),
        "ones": SafeFunction("np.ones", _np(np.ones, ("dtype",), 2, 1), _shape_check(0, "shape")),
        "zeros_like": SafeFunction("np.zeros_like", _np(np.zeros_like, ("dtype",)), like),
        "ones_like": SafeFunction("np.ones_like", _np(np.ones_like, ("dtype",)), like),
        "arange": SafeFunction("np.arange", _np(np.arange, ("dtype",), 3), _arange_check),
        "linspace": SafeFunction("np.linspace", _np(np.linspace, ("num", "endpoint", "dtype"), 3), _linspace_check),
    })
    return members


TF = Namespace("tensorflow", _top_level("tf"))
ADVIZ = Namespace("adviz", _top_level("adviz"))
NP = Namespace("numpy", _numpy_members())
MODULES: dict[str, Namespace] = {"tensorflow": TF, "adviz": ADVIZ, "numpy": NP, "keras": TF.members["keras"]}


def _all_member_names(namespace: Namespace) -> set[str]:
    names = set(namespace.members)
    for value in namespace.members.values():
        if isinstance(value, Namespace):
            names |= _all_member_names(value)
    return names


# Every attribute name some whitelisted value answers: the static check refuses the rest early.
ALLOWED_ATTRIBUTES = frozenset(set().union(*(_all_member_names(m) for m in MODULES.values())) | METHOD_NAMES
                               | _OBJECT_ATTRIBUTES)


"""The TensorFlow-shaped functions: one per op-table row, plus tensor constructors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .dtypes import as_dtype
from .ops import OP_NAMES, OPS, Op
from .tape import apply
from .tensor import Tensor, Variable, constant, convert_to_tensor, to_array


def op_function(op: Op) -> Callable[..., Tensor]:
    """The public function for one row: ``f(x, y, *attrs, name=None, **attrs)``."""

    def function(*args: Any, **kwargs: Any) -> Tensor:
        if not kwargs and not op.attrs and len(args) == op.arity:
            return apply(op, args, {})
        if len(args) < op.arity:
            for key in ("x", "y", "a", "b", "input_tensor", "tensor")[: op.arity]:
                if key in kwargs and len(args) < op.arity:
                    args = args + (kwargs.pop(key),)
        if len(args) < op.arity:
            raise TypeError(f"{op.name}() needs {op.arity} tensor argument{'s' if op.arity > 1 else ''}")
        attrs = op.attrs_from(args[op.arity:], kwargs)
        return apply(op, args[: op.arity], _normalise(op, attrs))

    function.__name__ = op.name
    function.__qualname__ = op.name
    function.__doc__ = f"``{op.formula.replace('{0}', 'x').replace('{1}', 'y')}``, recorded by active tapes (op-table row ``{op.name}``)."
    return function


def _normalise(op: Op, attrs: dict[str, Any]) -> dict[str, Any]:
    if "axis" in attrs and attrs["axis"] is not None:
        axis = attrs["axis"]
        attrs["axis"] = tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else int(axis)
    if "keepdims" in attrs:
        attrs["keepdims"] = bool(attrs["keepdims"])
    if op.name == "reshape":
        attrs["shape"] = tuple(int(s) for s in np.atleast_1d(to_array(attrs["shape"])))
    if op.name == "transpose" and attrs.get("perm") is not None:
        attrs["perm"] = tuple(int(p) for p in attrs["perm"])
    if op.name == "cast":
        attrs["dtype"] = as_dtype(attrs["dtype"])
    return attrs


FUNCTIONS: dict[str, Callable[..., Tensor]] = {name: op_function(op) for name, op in OP_NAMES.items()}


def _normalise_index(index: Any) -> tuple[Any, ...]:
    items = index if isinstance(index, tuple) else (index,)
    out: list[Any] = []
    for item in items:
        if isinstance(item, slice):
            out.append(slice(*(None if v is None else int(v) for v in (item.start, item.stop, item.step))))
        elif item is None or item is Ellipsis:
            out.append(item)
        elif isinstance(item, (int, np.integer)) or (isinstance(item, Tensor) and item.dtype.kind in "iu"):
            out.append(int(item))
        else:
            raise TypeError(f"only integers, slices, None and ... can index a tensor, not {type(item).__name__}")
    return tuple(out)


def _getitem(self: Any, index: Any) -> Tensor:
    return apply(OPS["getitem"], (self,), {"index": _normalise_index(index)})


def _binary(name: str, reverse: bool = False) -> Callable[[Any, Any], Tensor]:
    op = OPS[name]
    if reverse:
        return lambda self, other: apply(op, (other, self), {})
    return lambda self, other: apply(op, (self, other), {})


for _cls in (Tensor, Variable):
    _cls.__add__ = _binary("add")
    _cls.__radd__ = _binary("add", True)
    _cls.__sub__ = _binary("subtract")
    _cls.__rsub__ = _binary("subtract", True)
    _cls.__mul__ = _binary("multiply")
    _cls.__rmul__ = _binary("multiply", True)
    _cls.__truediv__ = _binary("divide")
    _cls.__rtruediv__ = _binary("divide", True)
    _cls.__pow__ = _binary("pow")
    _cls.__rpow__ = _binary("pow", True)
    _cls.__matmul__ = _binary("matmul")
    _cls.__rmatmul__ = _binary("matmul", True)
    _cls.__neg__ = lambda self: apply(OPS["negative"], (self,), {})
    _cls.__pos__ = lambda self: self
    _cls.__abs__ = lambda self: apply(OPS["abs"], (self,), {})
    _cls.__getitem__ = _getitem


def _read_value(self: Variable) -> Tensor:
    return apply(OPS["identity"], (self,), {})


Variable.read_value = _read_value  # type: ignore[method-assign]


def ones(shape: Any, dtype: Any = "float32", name: str | None = None) -> Tensor:
    return Tensor(np.ones(_shape(shape), dtype=as_dtype(dtype)))


def zeros(shape: Any, dtype: Any = "float32", name: str | None = None) -> Tensor:
    return Tensor(np.zeros(_shape(shape), dtype=as_dtype(dtype)))


def ones_like(x: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    a = to_array(x)
    return Tensor(np.ones(a.shape, dtype=as_dtype(dtype) if dtype is not None else a.dtype))


def zeros_like(x: Any, dtype: Any = None, name: str | None = None) -> Tensor:
    a = to_array(x)
    return Tensor(np.zeros(a.shape, dtype=as_dtype(dtype) if dtype is not None else a.dtype))


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in to_array(shape).reshape(-1))


__all__ = ["FUNCTIONS", "constant", "convert_to_tensor", "ones", "zeros", "ones_like", "zeros_like"]

"""Data types, spelled and printed as TensorFlow spells them and backed by numpy.

The engine computes with numpy dtypes; what a user sees (``tf.float32``, ``x.dtype``) is a
:class:`DType`, which prints like TensorFlow's (``<dtype: 'float32'>``), compares equal to the
numpy dtype it stands for, and is accepted by numpy wherever a dtype is (through ``.dtype``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

# TensorFlow's own names of the types, as its kernels' messages spell them.
_KERNEL_NAMES = {"float16": "half", "float32": "float", "float64": "double", "int32": "int32",
                 "int64": "int64", "bool": "bool"}


class DType:
    """A TensorFlow-style dtype: ``str`` is ``<dtype: 'float32'>``, ``repr`` is ``tf.float32``."""

    __slots__ = ("dtype", "name")

    def __init__(self, dtype: np.dtype) -> None:
        self.dtype = dtype            # numpy reads this attribute when it is given a DType
        self.name = "bool" if dtype.kind == "b" else "string" if dtype.kind == "S" else dtype.name

    kind = property(lambda self: self.dtype.kind)
    itemsize = property(lambda self: self.dtype.itemsize)
    type = property(lambda self: self.dtype.type)
    as_numpy_dtype = property(lambda self: self.dtype.type)
    is_floating = property(lambda self: self.dtype.kind == "f")
    is_integer = property(lambda self: self.dtype.kind in "iu")
    is_bool = property(lambda self: self.dtype.kind == "b")
    size = itemsize

    @property
    def kernel_name(self) -> str:
        """The name TensorFlow's kernels use in messages (``float`` for float32)."""
        return _KERNEL_NAMES.get(self.name, self.name)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, DType):
            other = other.dtype
        try:
            other = np.dtype(other)
        except TypeError:
            return False
        # Byte strings of every length are TensorFlow's one ``string`` type.
        return self.dtype == other or (self.dtype.kind == other.kind == "S")

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash("S" if self.dtype.kind == "S" else self.dtype)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: '{self.name}'>"

    def __reduce__(self) -> Any:
        return (DType, (self.dtype,))


float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
bool_ = np.dtype("bool")
string = np.dtype("S")      # byte strings, as TensorFlow's tf.string holds them (values only: no op takes them)

DTYPES = {"float16": float16, "float32": float32, "float64": float64, "double": float64,
          "half": float16, "int32": int32, "int64": int64, "bool": bool_, "string": string}

# The user-facing DType of each numpy dtype the engine holds (``tensor.dtype`` looks it up here).
PUBLIC: dict[np.dtype, DType] = {dt: DType(dt) for dt in (float16, float32, float64, int32, int64, bool_)}


STRING = DType(string)


def public(dtype: np.dtype) -> DType | np.dtype:
    """The :class:`DType` shown for a numpy dtype (the numpy dtype itself if it has none)."""
    found = PUBLIC.get(dtype)
    if found is None:
        return STRING if dtype.kind == "S" else dtype
    return found


def as_dtype(dtype: object) -> np.dtype:
    """Turn ``adviz.float32``, a numpy dtype or a name such as ``"float64"`` into a numpy dtype."""
    if isinstance(dtype, DType):
        return dtype.dtype
    if isinstance(dtype, str):
        if dtype not in DTYPES:
            raise TypeError(f"unknown dtype {dtype!r}; use one of {', '.join(sorted(DTYPES))}")
        return DTYPES[dtype]
    try:
        dt = np.dtype(dtype)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"cannot interpret {dtype!r} as a dtype") from None
    if dt.kind == "S":
        return string
    if dt.name not in DTYPES:
        raise TypeError(f"dtype {dt.name} is not supported")
    return dt


def is_floating(dtype: Any) -> bool:
    """Whether gradients can flow through values of this dtype."""
    return dtype.kind == "f"

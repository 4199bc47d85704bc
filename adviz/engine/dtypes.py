"""Data types, spelled as TensorFlow spells them and backed by numpy."""
from __future__ import annotations

import numpy as np

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
bool_ = np.dtype("bool")

DTYPES = {"float16": float16, "float32": float32, "float64": float64, "double": float64,
          "half": float16, "int32": int32, "int64": int64, "bool": bool_}


def as_dtype(dtype: object) -> np.dtype:
    """Turn ``adviz.float32``, a numpy dtype or a name such as ``"float64"`` into a numpy dtype."""
    if isinstance(dtype, str):
        if dtype not in DTYPES:
            raise TypeError(f"unknown dtype {dtype!r}; use one of {', '.join(sorted(DTYPES))}")
        return DTYPES[dtype]
    try:
        dt = np.dtype(dtype)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"cannot interpret {dtype!r} as a dtype") from None
    if dt.name not in DTYPES:
        raise TypeError(f"dtype {dt.name} is not supported")
    return dt


def is_floating(dtype: np.dtype) -> bool:
    """Whether gradients can flow through values of this dtype."""
    return dtype.kind == "f"

"""Keras 3's variables: a :class:`~adviz.engine.tensor.Variable` with a ``path``, printed as Keras prints it."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Variable
from .. import session as state


class KerasVariable(Variable):
    """``<Variable path=dense/kernel, shape=(2, 3), dtype=float32, value=[...]>``; tapes watch it
    like any trainable Variable."""

    __slots__ = ("_path", "_short")

    def __init__(self, value: Any, name: str | None = None, trainable: bool = True, dtype: Any = None) -> None:
        short = name or state.current().unique("variable")
        super().__init__(value, trainable=trainable, name=short, dtype=dtype)
        self._short = short
        self._path = state.path_of(short)

    @property
    def name(self) -> str:
        return self._short

    @property
    def path(self) -> str:
        return self._path

    def __repr__(self) -> str:
        value = self._value._value
        return (f"<Variable path={self._path}, shape={tuple(value.shape)}, dtype={value.dtype.name}, "
                f"value={np.asarray(value)}>")

    __str__ = __repr__

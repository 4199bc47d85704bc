"""Keras's initializers: ``Zeros``, ``Ones``, ``Constant``, ``RandomNormal``, ``RandomUniform``,
``GlorotUniform``. Random ones draw from numpy's Generator (seeded, or the session's), so their
values are reproducible but not TensorFlow's; shapes and dtypes are."""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..dtypes import as_dtype
from ..tensor import Tensor
from .. import session as state


class Initializer:
    """``init(shape, dtype='float32')`` → a tensor; the shape is checked before it is made."""

    def __call__(self, shape: Any, dtype: Any = "float32") -> Tensor:
        dims = _dims(shape)
        state.check_shape(dims)
        return Tensor(np.asarray(self.values(dims), dtype=as_dtype(dtype or "float32")))

    def values(self, shape: tuple[int, ...]) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class Zeros(Initializer):
    def values(self, shape):
        return np.zeros(shape)


class Ones(Initializer):
    def values(self, shape):
        return np.ones(shape)


class Constant(Initializer):
    def __init__(self, value: float = 0.0) -> None:
        self.value = float(value)

    def values(self, shape):
        return np.full(shape, self.value)


class _Random(Initializer):
    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def generator(self) -> np.random.Generator:
        return state.current().rng if self.seed is None else np.random.default_rng(int(self.seed))


class RandomNormal(_Random):
    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        super().__init__(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def values(self, shape):
        return self.generator().normal(self.mean, self.stddev, shape)


class RandomUniform(_Random):
    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None) -> None:
        super().__init__(seed)
        self.minval, self.maxval = float(minval), float(maxval)

    def values(self, shape):
        return self.generator().uniform(self.minval, self.maxval, shape)


class GlorotUniform(_Random):
    """Uniform in ±√(6 / (fan_in + fan_out)), the fans read from the shape as Keras reads them."""

    def values(self, shape):
        fan_in, fan_out = _fans(shape)
        limit = math.sqrt(6.0 / max(1.0, fan_in + fan_out))
        return self.generator().uniform(-limit, limit, shape)


def _fans(shape: tuple[int, ...]) -> tuple[float, float]:
    if len(shape) == 0:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive = float(np.prod(shape[:-2])) if len(shape) > 2 else 1.0
    return shape[-2] * receptive, shape[-1] * receptive


def _dims(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    dims = tuple(int(d) for d in shape)
    if any(d < 0 for d in dims):
        raise ValueError(f"a shape has no negative dimensions: {dims}")
    return dims


BY_NAME: dict[str, Callable[[], Initializer]] = {
    "zeros": Zeros, "ones": Ones, "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "glorot_uniform": GlorotUniform,
}


def get(identifier: Any) -> Initializer:
    """An initializer from its name (``'ones'``) or itself."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in BY_NAME:
        return BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")

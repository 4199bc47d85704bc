"""``tf.random``: seeded, reproducible random tensors.

A :class:`RandomState` plays TensorFlow's global seed: ``set_seed`` starts its sequence again,
and every call draws from a stream keyed by the global seed, the call's own ``seed`` and how
many calls with that key came before, so a program run twice gives the same numbers. Without
``set_seed`` a fixed seed is used (TensorFlow would pick a fresh one). The values follow
numpy's generator, not TensorFlow's: shapes, dtypes and distributions agree, the numbers cannot.

Random tensors are constants, except that a tensor ``mean``/``stddev`` (``minval``/``maxval``)
is recorded (``noise·stddev + mean``), so its gradient flows as in TensorFlow.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import as_dtype, float32
from .errors import kernel_error
from .ops import OPS
from .recording import apply
from .tensor import Tensor, Variable, to_array

# The global seed adviz uses when a program sets none, so that runs repeat.
DEFAULT_SEED = 87654321


def _shape(shape: Any, kernel: str) -> tuple[int, ...]:
    dims = tuple(int(n) for n in np.asarray(to_array(shape)).reshape(-1))
    for n in dims:
        if n < 0:
            raise kernel_error(kernel, f"Dimension {n} must be >= 0")
    return dims


def _scaled(noise: np.ndarray, scale: Any, shift: Any, dtype: np.dtype) -> Tensor:
    """``noise·scale + shift``: recorded when ``scale`` or ``shift`` is a tensor (their gradients
    flow), a constant otherwise."""
    if isinstance(scale, (Tensor, Variable)) or isinstance(shift, (Tensor, Variable)):
        scaled = apply(OPS["multiply"], (Tensor(noise.astype(dtype)), scale), {})
        return apply(OPS["add"], (scaled, shift), {})
    values = noise * np.asarray(to_array(scale), np.float64) + np.asarray(to_array(shift), np.float64)
    return Tensor(values.astype(dtype))


def _float_dtype(dtype: Any) -> np.dtype:
    dt = as_dtype(dtype)
    if dt.kind != "f":
        raise TypeError(f"Cannot convert 0.0 to EagerTensor of dtype {dt.name}")
    return dt


class RandomState:
    """A global seed and the count of draws made under it (TensorFlow's ``tf.random.set_seed``)."""

    _stream = 0   # keeps a Generator's numbers apart from the global sequence of the same seed

    def __init__(self, seed: int | None = None) -> None:
        self.set_seed(seed)

    def set_seed(self, seed: Any) -> None:
        """Start the sequence again from ``seed`` (None: adviz's fixed default)."""
        self.seed = DEFAULT_SEED if seed is None else int(to_array(seed))
        self._counts: dict[int | None, int] = {}

    def _generator(self, seed: Any) -> np.random.Generator:
        key = None if seed is None else int(to_array(seed))
        count = self._counts.get(key, 0)
        self._counts[key] = count + 1
        entropy = [self._stream, self.seed & 0xFFFFFFFF, 0 if key is None else 1, (key or 0) & 0xFFFFFFFF, count]
        return np.random.default_rng(np.random.SeedSequence(entropy))

    def normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = float32, seed: Any = None,
               name: str | None = None) -> Tensor:
        """Normally distributed values (``tf.random.normal``)."""
        dt = _float_dtype(dtype)
        noise = self._generator(seed).standard_normal(_shape(shape, "RandomStandardNormal"))
        return _scaled(noise, stddev, mean, dt)

    def truncated_normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = float32,
                         seed: Any = None, name: str | None = None) -> Tensor:
        """Normal values redrawn until within two standard deviations (``tf.random.truncated_normal``)."""
        dt = _float_dtype(dtype)
        rng = self._generator(seed)
        noise = rng.standard_normal(_shape(shape, "TruncatedNormal"))
        far = np.abs(noise) > 2
        while far.any():
            noise[far] = rng.standard_normal(int(far.sum()))
            far = np.abs(noise) > 2
        return _scaled(noise, stddev, mean, dt)

    def uniform(self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = float32, seed: Any = None,
                name: str | None = None) -> Tensor:
        """Values drawn evenly from ``[minval, maxval)`` (``tf.random.uniform``); whole numbers for
        an integer ``dtype``, which then needs ``maxval``."""
        dt = as_dtype(dtype)
        dims = _shape(shape, "RandomUniform" if dt.kind == "f" else "RandomUniformInt")
        rng = self._generator(seed)
        if dt.kind in "iu":
            if maxval is None:
                raise ValueError(f"Must specify maxval for integer dtype tf.{dt.name}")
            low, high = int(to_array(minval)), int(to_array(maxval))
            if low >= high:
                raise kernel_error("RandomUniformInt", f"Need minval < maxval, got {low} >= {high}")
            return Tensor(rng.integers(low, high, dims).astype(dt))
        if dt.kind != "f":
            raise TypeError(f"Cannot convert 0 to EagerTensor of dtype {dt.name}")
        high = 1.0 if maxval is None else maxval
        if isinstance(minval, (Tensor, Variable)) or isinstance(high, (Tensor, Variable)):
            # minval + u·(maxval − minval), recorded so that both get gradients.
            span = apply(OPS["subtract"], (high, minval), {})
            return _scaled(rng.random(dims), span, minval, dt)
        low_f, high_f = float(to_array(minval)), float(to_array(high))
        return _scaled(rng.random(dims), high_f - low_f, low_f, dt)

    def shuffle(self, value: Any, seed: Any = None, name: str | None = None) -> Tensor:
        """``value`` with its rows (first axis) in a random order (``tf.random.shuffle``)."""
        array = np.array(to_array(value))
        if array.ndim:
            array = array[self._generator(seed).permutation(array.shape[0])]
        return Tensor(array)


class Generator(RandomState):
    """A random stream of its own (``tf.random.Generator.from_seed(s)``): its draws do not move
    the global sequence, nor does ``tf.random.set_seed`` move it."""

    _stream = 1

    @classmethod
    def from_seed(cls, seed: Any, alg: Any = None) -> "Generator":
        """A generator started from ``seed``."""
        return cls(int(to_array(seed)))

    def reset_from_seed(self, seed: Any) -> None:
        """Start this generator again from ``seed``."""
        self.set_seed(seed)


# The state ``import adviz as tf`` uses; the input language gives each run its own.
GLOBAL = RandomState()
set_seed = GLOBAL.set_seed
normal = GLOBAL.normal
uniform = GLOBAL.uniform
truncated_normal = GLOBAL.truncated_normal
shuffle = GLOBAL.shuffle

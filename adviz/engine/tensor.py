"""Immutable tensors and mutable Variables, both thin wrappers of numpy arrays.

Their operators are rows of the op table, run by :func:`adviz.engine.recording.apply`. That
module builds tensors, so this one cannot import it: it installs itself here through
:func:`set_op_runner` when the engine is imported, the one place the hook is set.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, Iterator

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .dtypes import DType, as_dtype, float32, int32, public
from .shapes import TensorShape, ragged_problem

_ids = itertools.count(1)

# How operators run: ``apply(row, operands, attrs)`` with ``row`` from the op table ``_rows``.
# Both are installed by the recording module (see set_op_runner); until then nothing runs.
OpRunner = Callable[[Any, tuple[Any, ...], dict[str, Any]], "Tensor"]
_rows: dict[str, Any] = {}


def _not_installed(row: Any, args: tuple[Any, ...], attrs: dict[str, Any]) -> "Tensor":
    raise RuntimeError("operators need adviz.engine.recording; import adviz.engine")


_apply: OpRunner = _not_installed


def set_op_runner(apply: OpRunner, rows: dict[str, Any]) -> None:
    """Install how operators run: ``apply`` and the op table it takes rows of (called once,
    by :mod:`adviz.engine.recording`)."""
    global _apply
    _apply = apply
    _rows.update(rows)


def next_id() -> int:
    """The id the next tensor or Variable will get (ids only grow)."""
    global _ids
    value = next(_ids)
    _ids = itertools.count(value)
    return value


class Operators:
    """The arithmetic of tensors and Variables: each operator is one op-table row."""

    __slots__ = ()

    def __add__(self, other: Any) -> Tensor: return _apply(_rows["add"], (self, other), {})
    def __radd__(self, other: Any) -> Tensor: return _apply(_rows["add"], (other, self), {})
    def __sub__(self, other: Any) -> Tensor: return _apply(_rows["subtract"], (self, other), {})
    def __rsub__(self, other: Any) -> Tensor: return _apply(_rows["subtract"], (other, self), {})
    def __mul__(self, other: Any) -> Tensor: return _apply(_rows["multiply"], (self, other), {})
    def __rmul__(self, other: Any) -> Tensor: return _apply(_rows["multiply"], (other, self), {})
    def __truediv__(self, other: Any) -> Tensor: return _apply(_rows["divide"], (self, other), {})
    def __rtruediv__(self, other: Any) -> Tensor: return _apply(_rows["divide"], (other, self), {})
    def __pow__(self, other: Any) -> Tensor: return _apply(_rows["pow"], (self, other), {})
    def __rpow__(self, other: Any) -> Tensor: return _apply(_rows["pow"], (other, self), {})
    def __matmul__(self, other: Any) -> Tensor: return _apply(_rows["matmul"], (self, other), {})
    def __rmatmul__(self, other: Any) -> Tensor: return _apply(_rows["matmul"], (other, self), {})
    def __neg__(self) -> Tensor: return _apply(_rows["negative"], (self,), {})
    def __abs__(self) -> Tensor: return _apply(_rows["abs"], (self,), {})
    def __pos__(self) -> Any: return self

    def __getitem__(self, index: Any) -> Tensor:
        return _apply(_rows["getitem"], (self,), {"index": normalise_index(index)})


class Tensor(Operators):
    """An immutable n-dimensional value. Arithmetic on tensors is recorded by active tapes."""

    __slots__ = ("_value", "_id", "__weakref__")
    # numpy scalars and arrays on the left of an operator defer to our reflected operators.
    __array_priority__ = 100

    def __init__(self, value: np.ndarray) -> None:
        # The engine never writes into a value; it is made read-only when handed out (numpy(),
        # __array__), since setting the flag costs more than the rest of creating a tensor.
        self._value = value
        self._id = next(_ids)

    def numpy(self) -> Any:
        """The value as a read-only numpy array, or a numpy scalar (``np.float32``) for a scalar."""
        value = self._value
        if not value.ndim:
            return value[()]
        if value.flags.writeable:
            value.flags.writeable = False
        return value

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    @property
    def dtype(self) -> DType:
        return public(self._value.dtype)

    @property
    def ndim(self) -> int:
        return self._value.ndim

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __index__(self) -> int:
        if self._value.dtype.kind not in "iu" or self._value.ndim:
            raise TypeError("only integer scalar tensors can be used as an index")
        return int(self._value)

    def __bool__(self) -> bool:
        if self._value.size != 1:
            raise ValueError("the truth value of a tensor with more than one element is ambiguous")
        return bool(self._value)

    def __len__(self) -> int:
        if not self._value.ndim:
            raise TypeError("len() of a scalar tensor")
        return len(self._value)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __array__(self, dtype=None, copy=None):
        if copy:  # np.array(t) asks for a copy; the tensor's own buffer stays read-only
            return self._value.astype(self._value.dtype if dtype is None else dtype)
        if dtype is None:
            value = self._value
            if value.flags.writeable:
                value.flags.writeable = False
            return value
        return self._value.astype(dtype)

    def __str__(self) -> str:
        return format_tensor("tf.Tensor", self._value)

    def __repr__(self) -> str:
        value = self._value
        return (f"<tf.Tensor: shape={TensorShape(value.shape)}, dtype={public(value.dtype).name}, "
                f"numpy={numpy_text(value, True)}>")

    def __format__(self, spec: str) -> str:
        # As TensorFlow: a scalar formats as the Python number it holds (f"{t}" of float32 3.14159
        # is 3.141590118408203, f"{t:.3f}" is 3.142); any other shape as its numpy array, which
        # takes no format spec.
        value = self._value
        return format(value.item() if not value.ndim else value, spec)

    # Comparisons are not differentiable and never recorded.
    def __lt__(self, other): return Tensor(np.asarray(self._value < _raw(other)))
    def __le__(self, other): return Tensor(np.asarray(self._value <= _raw(other)))
    def __gt__(self, other): return Tensor(np.asarray(self._value > _raw(other)))
    def __ge__(self, other): return Tensor(np.asarray(self._value >= _raw(other)))


def normalise_index(index: Any) -> tuple[Any, ...]:
    """An index as the ``getitem`` row takes it: a tuple of ints, slices of ints, None and ``...``."""
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


def _raw(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, Variable):
        return x._value._value
    return x


def numpy_text(value: np.ndarray, is_repr: bool = False) -> str:
    """A value as TensorFlow writes it inside a tensor's text: numpy's ``str`` (``repr`` for
    ``repr``, where a scalar is written as the Python number it converts to), on a line of its
    own when it takes several lines."""
    if is_repr:
        text = repr(value[()].item()) if not value.ndim else repr(value)
    else:
        text = str(value[()] if not value.ndim else value)
    return "\n" + text if "\n" in text else text


def format_tensor(prefix: str, value: np.ndarray) -> str:
    """``prefix(value, shape=..., dtype=...)`` in TensorFlow's layout."""
    return f"{prefix}({numpy_text(value)}, shape={TensorShape(value.shape)}, dtype={public(value.dtype).name})"


def to_array(value: ArrayLike, dtype: DTypeLike = None, hint: np.dtype | None = None) -> np.ndarray:
    """Convert Python numbers, lists and arrays as TensorFlow does: floats become float32, ints int32.

    ``hint`` is the dtype of the other operand of a binary op: Python numbers adopt it, and so
    do numpy values (as TensorFlow converts them to the op's dtype), unless a float would become an int.
    """
    if isinstance(value, Tensor):
        array = value._value
    elif isinstance(value, Variable):
        array = value._value._value
    elif isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if dtype is None and hint is not None and (hint.kind == "f" or array.dtype.kind in "iub"):
            return array.astype(hint, copy=False)
    else:
        try:
            array = np.asarray(value)
        except (ValueError, TypeError) as exc:
            reason = ragged_problem(value) or exc
            raise TypeError(f"cannot convert {type(value).__name__} to a tensor: {reason}") from None
        if array.dtype == object or array.dtype.kind not in "biuf":
            raise TypeError(f"cannot convert {_describe(value)} to a tensor")
        if dtype is None:
            if hint is not None and (hint.kind == "f" or array.dtype.kind in "iub"):
                if not (hint.kind in "iu" and array.dtype.kind == "f"):
                    return np.asarray(array, dtype=hint)
            if array.dtype.kind == "f":
                array = array.astype(float32)
            elif array.dtype.kind in "iu" and array.size and np.abs(array).max() < 2**31:
                array = array.astype(int32)
            elif array.dtype.kind in "iu" and not array.size:
                array = array.astype(int32)
    if dtype is not None:
        dt = as_dtype(dtype)
        if array.dtype != dt:
            array = array.astype(dt)
    return array


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 40 else type(value).__name__


def constant(value: ArrayLike, dtype: DTypeLike = None, shape: ArrayLike | None = None,
             name: str | None = None) -> Tensor:
    """A tensor holding ``value`` (like ``tf.constant``)."""
    array = np.array(to_array(value, dtype))
    if shape is not None:
        array = np.broadcast_to(array, tuple(shape)).copy()
    return Tensor(array)


def convert_to_tensor(value: ArrayLike, dtype: DTypeLike = None, name: str | None = None) -> Tensor:
    """``value`` itself when it is a tensor, its current value for a Variable, otherwise a new constant."""
    if isinstance(value, Tensor) and dtype is None:
        return value
    if isinstance(value, Variable) and dtype is None:
        return value.read_value()
    return Tensor(np.array(to_array(value, dtype)))


class Variable(Operators):
    """A mutable, named holder of a tensor value; tapes watch trainable Variables they see read."""

    __slots__ = ("_value", "_id", "_name", "_trainable", "__weakref__")
    __array_priority__ = 100

    def __init__(self, initial_value: ArrayLike, trainable: bool = True, name: str | None = None,
                 dtype: DTypeLike = None) -> None:
        if initial_value is None:
            raise ValueError("initial_value must be specified")
        self._value = Tensor(np.array(to_array(initial_value, dtype)))
        self._id = next(_ids)
        self._name = (name or "Variable") + ":0"
        self._trainable = bool(trainable)

    @property
    def name(self) -> str:
        return self._name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value._value.shape)

    @property
    def dtype(self) -> DType:
        return public(self._value._value.dtype)

    def value(self) -> Tensor:
        return self.read_value()

    def read_value(self) -> Tensor:
        """The current value as a tensor; inside a tape this reading is recorded (an identity op)."""
        return _apply(_rows["identity"], (self,), {})

    def numpy(self) -> Any:
        """A copy of the current value (a numpy scalar for a scalar Variable)."""
        value = self._value._value
        return value[()] if not value.ndim else value.copy()

    def assign(self, value: ArrayLike) -> Variable:
        array = np.array(to_array(value, self.dtype))
        if array.shape != self.shape:
            raise ValueError(f"cannot assign a value of shape {array.shape} to a Variable of shape {self.shape}")
        self._value = Tensor(array)
        return self

    def assign_add(self, delta: ArrayLike) -> Variable:
        return self.assign(self._value._value + to_array(delta, self.dtype))

    def assign_sub(self, delta: ArrayLike) -> Variable:
        return self.assign(self._value._value - to_array(delta, self.dtype))

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __array__(self, dtype=None, copy=None):
        return self._value.__array__(dtype, copy)

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return (f"<tf.Variable '{self._name}' shape={self.shape} dtype={self.dtype.name}, "
                f"numpy={numpy_text(self._value._value, True)}>")

    __str__ = __repr__

    def __lt__(self, other): return self._value < other
    def __le__(self, other): return self._value <= other
    def __gt__(self, other): return self._value > other
    def __ge__(self, other): return self._value >= other

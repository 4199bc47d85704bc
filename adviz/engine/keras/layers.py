"""Keras layers: the :class:`Layer` base (built once, on its first call) and :class:`Dense`.

A layer's own weights (``add_weight``) and the layers it holds (as attributes, or in lists)
are tracked in the order they were set, as Keras 3 tracks them; ``trainable_variables`` lists
its own weights first, then each held layer's. A call runs inside the layer's name scope (its
variables' paths) and its grouping scope (the picture's box around its ops).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..api import FUNCTIONS as F
from ..dtypes import as_dtype
from ..module import Host
from ..recording import scope
from ..tensor import Tensor, Variable, convert_to_tensor
from .. import session as state
from .activations import get as get_activation
from .initializers import get as get_initializer
from .variable import KerasVariable


class Layer(Host):
    """``keras.layers.Layer``: ``build(input_shape)``, ``add_weight``, ``call``, ``__call__``."""

    tf_path = "keras.src.layers.layer.Layer"

    __slots__ = ("_name", "built", "_trainable_weights", "_frozen_weights", "_layers", "_trainable", "dtype",
                 "input_shape_arg")

    def __init__(self, name: str | None = None, trainable: bool = True, dtype: Any = None,
                 input_shape: Any = None, *, class_name: str | None = None) -> None:
        super().__init__(class_name)
        self._prepare()
        self.initialize(name=name, trainable=trainable, dtype=dtype, input_shape=input_shape)

    def _prepare(self) -> None:
        self._name: str | None = None
        self.built = False
        self._trainable_weights: list[KerasVariable] = []   # made trainable, in the order made
        self._frozen_weights: list[KerasVariable] = []      # made not trainable
        self._layers: list[Layer] = []
        self._trainable = True
        self.dtype = "float32"
        self.input_shape_arg: tuple[int, ...] | None = None   # input_shape=: a Sequential builds at once

    @classmethod
    def blank(cls, class_name: str) -> "Layer":
        """An instance whose ``__init__`` has not run yet (a script's class calls it through super())."""
        obj = cls.__new__(cls)
        Host.__init__(obj, class_name)
        obj._prepare()
        return obj

    def initialize(self, name: str | None = None, trainable: bool = True, dtype: Any = None,
                   input_shape: Any = None) -> None:
        """``Layer.__init__(name=None, trainable=True, dtype=None, input_shape=None)``: the name
        is made unique here."""
        if name is not None and not isinstance(name, str):
            raise TypeError(f"a layer's name is a string, not {type(name).__name__}")
        self._name = name or state.current().unique(state.to_snake_case(self._class_name))
        self._trainable = bool(trainable)
        self.dtype = as_dtype(dtype or "float32").name
        if input_shape is not None:
            self.input_shape_arg = tuple(int(d) for d in input_shape)

    @property
    def name(self) -> str:
        if self._name is None:       # a script's __init__ that never called super().__init__()
            self._name = state.current().unique(state.to_snake_case(self._class_name))
        return self._name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Freezing a layer freezes its weights and its layers', as Keras 3 does."""
        self._set_trainable(bool(value), set())

    def _set_trainable(self, value: bool, done: set[int]) -> None:
        done.add(id(self))
        self._trainable = value
        for w in self._trainable_weights:
            w._trainable = value
        for layer in self._layers:
            if id(layer) not in done:
                layer._set_trainable(value, done)

    # -- tracking ----------------------------------------------------------------------------
    def set(self, name: str, value: Any) -> None:
        super().set(name, value)
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else (value,)
        for item in items:
            if isinstance(item, Layer) and item is not self and all(item is not l for l in self._layers):
                self._layers.append(item)
            elif isinstance(item, KerasVariable) and all(item is not w for w in self._own_weights()):
                (self._trainable_weights if item.trainable else self._frozen_weights).append(item)

    def _own_weights(self) -> list[KerasVariable]:
        return self._trainable_weights + self._frozen_weights

    def add_weight(self, shape: Any = None, initializer: Any = None, dtype: Any = None, trainable: bool = True,
                   name: str | None = None, **ignored: Any) -> KerasVariable:
        """A new variable of ``shape`` (default ``()``), tracked by this layer. Keras's default
        initializer is ``glorot_uniform`` for floating weights."""
        shape = () if shape is None else shape
        init = get_initializer("glorot_uniform" if initializer is None else initializer)
        with state.name_scope(self.name, self):
            var = KerasVariable(init(shape, dtype or self.dtype), name=name, trainable=trainable)
        (self._trainable_weights if var.trainable else self._frozen_weights).append(var)
        return var

    @property
    def layers(self) -> list["Layer"]:
        return list(self._layers)

    @property
    def weights(self) -> list[KerasVariable]:
        """Own weights (trainable ones first), then each held layer's; each once, and a layer
        that holds a layer holding it back is not walked twice."""
        out: list[KerasVariable] = []
        self._collect(out, set(), set())
        return out

    def _collect(self, out: list[KerasVariable], seen: set[int], walked: set[int]) -> None:
        walked.add(id(self))
        for w in self._own_weights():
            if id(w) not in seen:
                seen.add(id(w))
                out.append(w)
        for layer in self._layers:
            if id(layer) not in walked:
                layer._collect(out, seen, walked)

    variables = weights

    @property
    def trainable_variables(self) -> list[KerasVariable]:
        return [w for w in self.weights if w.trainable] if self.trainable else []

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self) -> list[KerasVariable]:
        return self.weights if not self.trainable else [w for w in self.weights if not w.trainable]

    # -- calling -----------------------------------------------------------------------------
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        state.tick()
        inputs = self._convert(inputs)
        with state.name_scope(self.name, self), scope(self.name):
            if not self.built:
                shape = tuple(inputs.shape) if hasattr(inputs, "shape") else None
                self.run_build(shape)
            return self.run("call", inputs, *args, **kwargs)

    def _convert(self, inputs: Any) -> Any:
        """Numbers, lists and arrays become tensors of the layer's dtype, and floating tensors
        of another precision are cast to it (recorded, so gradients flow), as Keras does."""
        if isinstance(inputs, (Tensor, Variable)):
            if inputs.dtype.kind == "f" and inputs.dtype.name != self.dtype:
                return F["cast"](inputs, self.dtype)
            return inputs
        if isinstance(inputs, (list, tuple)) and any(isinstance(i, (Tensor, Variable, Layer)) for i in inputs):
            return inputs
        return convert_to_tensor(inputs, dtype=self.dtype)

    def run_build(self, shape: Any) -> None:
        """Build once: the script's ``build`` if it has one, else this class's."""
        override = self._method("build")
        if override is not None:
            override(shape)
        else:
            self.build(shape)
        self.built = True

    def run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        override = self._method(name)
        if override is not None:
            return override(*args, **kwargs)
        return getattr(self, name)(*args, **kwargs)

    def build(self, input_shape: Any = None) -> None:
        self.built = True

    def output_shape(self, input_shape: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The shape of the output for inputs of ``input_shape`` if known without calling (else None)."""
        return None

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"Layer {self._class_name} does not have a `call()` method implemented.")

    def __repr__(self) -> str:
        return f"<{self._class_name} name={self.name}, built={self.built}>"


class Dense(Layer):
    """``Dense(units, activation=None, use_bias=True, kernel_initializer='glorot_uniform',
    bias_initializer='zeros')``: ``activation(inputs @ kernel + bias)``; ``kernel`` is
    (inputs' last dimension, units) and is made on the first call."""

    tf_path = "keras.src.layers.core.dense.Dense"

    __slots__ = ("units", "activation", "use_bias", "kernel_initializer", "bias_initializer")

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 name: str | None = None, **kwargs: Any) -> None:
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. Received: units={units}")
        super().__init__(name=name, **kwargs)
        self.units = int(units)
        self.activation = get_activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = get_initializer(bias_initializer)

    def output_shape(self, input_shape: tuple[Any, ...]) -> tuple[Any, ...]:
        return (*input_shape[:-1], self.units)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        ndim = len(getattr(inputs, "shape", np.shape(inputs)))
        if ndim < 2:
            raise ValueError(f"Input 0 of layer '{self.name}' is incompatible with the layer: expected min_ndim=2, "
                             f"found ndim={ndim}. Full shape received: {tuple(np.shape(inputs))}")
        return super().__call__(inputs, *args, **kwargs)

    def build(self, input_shape: Any = None) -> None:
        self.set("kernel", self.add_weight(shape=(int(input_shape[-1]), self.units),
                                           initializer=self.kernel_initializer, name="kernel"))
        if self.use_bias:
            self.set("bias", self.add_weight(shape=(self.units,), initializer=self.bias_initializer, name="bias"))
        self.built = True

    @property
    def kernel(self) -> KerasVariable:
        return self._attrs["kernel"]

    @property
    def bias(self) -> KerasVariable | None:
        return self._attrs.get("bias")

    def call(self, inputs: Any, training: Any = None) -> Any:
        state.check_matmul(inputs, self.kernel)
        if inputs.dtype.kind != "f":     # integer inputs meet a float kernel: Keras's matmul promotes them
            inputs = F["cast"](inputs, self.kernel.dtype)
        y = F["matmul"](inputs, self.kernel)
        if self.use_bias:
            y = y + self.bias
        return self.activation(y)


"""``keras.Model`` (subclassed: layers set as attributes are tracked) and ``keras.Sequential``."""
from __future__ import annotations

from typing import Any

from .. import session as state
from ..recording import scope
from .layers import Layer


class InputTensor:
    """``keras.Input(shape)``: the shape of a Sequential model's inputs (its batch size unknown)."""

    def __init__(self, shape: Any, dtype: Any = "float32", name: str | None = None) -> None:
        # Not ``.shape``: a value with a shape is measured as an array, and this one has no batch size.
        self.batch_shape = (None, *(int(d) for d in shape))
        self.dtype = str(getattr(dtype, "name", dtype))
        self.name = name or state.current().unique("keras_tensor")

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.batch_shape}, dtype={self.dtype}, sparse=False, ragged=False, name={self.name}>"


class Model(Layer):
    """``keras.Model``, for subclassing: ``call`` says what the model computes."""

    tf_path = "keras.src.models.model.Model"

    __slots__ = ()

    def __init__(self, *args: Any, name: str | None = None, **kwargs: Any) -> None:
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError("functional models (keras.Model(inputs, outputs)) are not supported by "
                                      "adviz; subclass keras.Model or use keras.Sequential")
        super().__init__(name=name, **kwargs)


class Sequential(Model):
    """``keras.Sequential([layer, ...])``: each layer's output is the next one's input."""

    tf_path = "keras.src.models.sequential.Sequential"

    __slots__ = ()

    __slots__ = ("_input_shape",)

    def __init__(self, layers: Any = None, name: str | None = None, trainable: bool = True) -> None:
        super().__init__(name=name, trainable=trainable)
        self._input_shape: tuple[Any, ...] | None = None
        for layer in layers or ():
            self.add(layer)

    def add(self, layer: Any) -> None:
        if isinstance(layer, InputTensor) and not self._layers:
            self._input_shape = layer.batch_shape
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Only instances of `keras.Layer` can be added to a Sequential model. Received: {layer!r}")
        if not self._layers and self._input_shape is None and layer.input_shape_arg is not None:
            self._input_shape = (None, *layer.input_shape_arg)
        self._layers.append(layer)
        if self._input_shape is not None:
            self._build_known()

    def _build_known(self) -> None:
        """With the input shape known (``Input`` or ``input_shape=``), build what can be built
        without calling: each layer whose output shape follows from its input's."""
        shape = self._input_shape
        with state.name_scope(self.name, self), scope(self.name):
            for layer in self._layers:
                if not layer.built:
                    with state.name_scope(layer.name, layer):
                        layer.run_build(shape)
                shape = layer.output_shape(shape)
                if shape is None:
                    return
        self.built = True

    def call(self, inputs: Any, training: Any = None) -> Any:
        x = inputs
        for layer in self._layers:
            x = layer(x)
        return x

"""``keras.Model`` (subclassed: layers set as attributes are tracked) and ``keras.Sequential``."""
from __future__ import annotations

from typing import Any

from .layers import Layer


class Model(Layer):
    """``keras.Model``, for subclassing: ``call`` says what the model computes."""

    __slots__ = ()

    def __init__(self, *args: Any, name: str | None = None, **kwargs: Any) -> None:
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError("functional models (keras.Model(inputs, outputs)) are not supported by "
                                      "adviz; subclass keras.Model or use keras.Sequential")
        super().__init__(name=name, **kwargs)


class Sequential(Model):
    """``keras.Sequential([layer, ...])``: each layer's output is the next one's input."""

    __slots__ = ()

    def __init__(self, layers: Any = None, name: str | None = None, trainable: bool = True) -> None:
        super().__init__(name=name, trainable=trainable)
        for layer in layers or ():
            self.add(layer)

    def add(self, layer: Any) -> None:
        if not isinstance(layer, Layer):
            raise TypeError(f"Only instances of `keras.Layer` can be added to a Sequential model. Received: {layer!r}")
        self._layers.append(layer)

    def call(self, inputs: Any, training: Any = None) -> Any:
        x = inputs
        for layer in self._layers:
            x = layer(x)
        return x

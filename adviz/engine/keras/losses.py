"""Keras's losses, composed from op-table rows so that tapes record them and gradients flow.

Each class is a callable ``loss(y_true, y_pred)``: the per-sample loss (a mean over the last
axis, or a cross-entropy over it) reduced by Keras's ``sum_over_batch_size``: the sum of the
per-sample values divided by their count. Probabilities are clipped to [ε, 1 − ε], ε = 1e-7.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..api import FUNCTIONS as F
from ..tensor import Tensor, Variable, convert_to_tensor

EPSILON = 1e-7


def _pair(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    """``y_pred`` as a tensor and ``y_true`` in its dtype; a trailing dimension of 1 on one of
    them is dropped when the other lacks it (Keras's ``squeeze_or_expand_to_same_rank``)."""
    if not isinstance(y_pred, (Tensor, Variable)):
        y_pred = convert_to_tensor(y_pred, dtype="float32")
    dtype = y_pred.dtype
    if not isinstance(y_true, (Tensor, Variable)) or y_true.dtype != dtype:
        y_true = F["cast"](y_true, dtype) if isinstance(y_true, (Tensor, Variable)) else convert_to_tensor(y_true, dtype=dtype)
    t, p = len(y_true.shape), len(y_pred.shape)
    if t == p + 1 and y_true.shape[-1] == 1:
        y_true = F["reshape"](y_true, tuple(y_true.shape)[:-1])
    elif p == t + 1 and y_pred.shape[-1] == 1:
        y_pred = F["reshape"](y_pred, tuple(y_pred.shape)[:-1])
    return y_true, y_pred


def _clip(p: Any) -> Any:
    return F["minimum"](F["maximum"](p, EPSILON), 1.0 - EPSILON)


def _softmax_cross_entropy(labels: Any, logits: Any) -> Any:
    """Σ z·(log Σ exp(s) − s) with s = x − max x, as TensorFlow's kernel computes it: the max
    cancels (so it is held constant for the gradient) and never meets the small terms."""
    shifted = logits - F["stop_gradient"](F["reduce_max"](logits, axis=-1, keepdims=True))
    lse = F["log"](F["reduce_sum"](F["exp"](shifted), axis=-1, keepdims=True))
    return F["reduce_sum"](labels * (lse - shifted), axis=-1)


def mean_squared_error(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    return F["reduce_mean"](F["square"](y_true - y_pred), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    return F["reduce_mean"](F["abs"](y_true - y_pred), axis=-1)


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    if from_logits:
        # max(x, 0) − x·z + log(1 + exp(−|x|)), TensorFlow's stable sigmoid cross-entropy
        x = y_pred
        per = F["relu"](x) - x * y_true + F["log"](1.0 + F["exp"](-F["abs"](x)))
    else:
        p = _clip(y_pred)
        per = -(y_true * F["log"](p) + (1.0 - y_true) * F["log"](1.0 - p))
    return F["reduce_mean"](per, axis=-1)


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    if from_logits:
        return _softmax_cross_entropy(y_true, y_pred)
    p = y_pred / F["reduce_sum"](y_pred, axis=-1, keepdims=True)
    return -F["reduce_sum"](y_true * F["log"](_clip(p)), axis=-1)


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False) -> Any:
    if not isinstance(y_pred, (Tensor, Variable)):
        y_pred = convert_to_tensor(y_pred, dtype="float32")
    labels = np.asarray(y_true).astype(np.int64)
    if labels.ndim == len(y_pred.shape) and labels.shape[-1] == 1:
        labels = labels[..., 0]
    classes = int(y_pred.shape[-1])
    if labels.shape != tuple(y_pred.shape)[:-1]:
        raise ValueError(f"Arguments `target` and `output` must have the same shape up until the last dimension: "
                         f"target.shape={labels.shape}, output.shape={tuple(y_pred.shape)}")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"Received a label value outside the valid range of [0, {classes})")
    one_hot = Tensor(np.eye(classes, dtype=y_pred.dtype.dtype if hasattr(y_pred.dtype, "dtype") else np.float32)[labels])
    logits = y_pred if from_logits else F["log"](_clip(y_pred))
    # −log softmax(x)[label]
    return _softmax_cross_entropy(one_hot, logits)


def reduce_over_batch(values: Any) -> Any:
    """Keras's ``sum_over_batch_size``: Σ values / count (a scalar stays as it is)."""
    shape = tuple(values.shape)
    if shape in ((), (0,)):
        return values
    return F["reduce_sum"](values) / float(np.prod(shape))


class Loss:
    """A loss object: ``loss(y_true, y_pred)`` is the batch's mean per-sample loss."""

    fn: Callable[..., Any] = staticmethod(mean_squared_error)
    default_name = "loss"

    def __init__(self, name: str | None = None, **options: Any) -> None:
        self.name = name or self.default_name
        self.options = options

    def __call__(self, y_true: Any, y_pred: Any) -> Any:
        return reduce_over_batch(type(self).fn(y_true, y_pred, **self.options))

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper(<function {type(self).fn.__name__}>, kwargs={self.options})>"


class MeanSquaredError(Loss):
    fn = staticmethod(mean_squared_error)
    default_name = "mean_squared_error"


class MeanAbsoluteError(Loss):
    fn = staticmethod(mean_absolute_error)
    default_name = "mean_absolute_error"


class BinaryCrossentropy(Loss):
    fn = staticmethod(binary_crossentropy)
    default_name = "binary_crossentropy"

    def __init__(self, from_logits: bool = False, name: str | None = None) -> None:
        super().__init__(name, from_logits=bool(from_logits))


class CategoricalCrossentropy(Loss):
    fn = staticmethod(categorical_crossentropy)
    default_name = "categorical_crossentropy"

    def __init__(self, from_logits: bool = False, name: str | None = None) -> None:
        super().__init__(name, from_logits=bool(from_logits))


class SparseCategoricalCrossentropy(Loss):
    fn = staticmethod(sparse_categorical_crossentropy)
    default_name = "sparse_categorical_crossentropy"

    def __init__(self, from_logits: bool = False, name: str | None = None) -> None:
        super().__init__(name, from_logits=bool(from_logits))

"""TensorFlow's functions that are compositions of op-table rows: spreads of a tensor, norms,
clipping and the losses of ``tf.nn``.

Each records the rows TensorFlow's own Python code runs (``tf.norm`` a square, a sum and a
square root; ``tf.clip_by_norm`` TensorFlow's safe division), so the tape shows what was
computed, the gradient needs no rule of its own, and it agrees with TensorFlow's at the edges
(a zero norm, a clipped value).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import public
from .errors import InvalidArgumentError, kernel_error
from .library import rank_of, tensor_of
from .ops import OPS
from .recording import apply
from .shapes import Axis
from .tensor import Tensor, to_array


def _op(name: str, *args: Any, **attrs: Any) -> Tensor:
    return apply(OPS[name], args, attrs)


def _const(value: Any, like: Any) -> Tensor:
    return Tensor(np.asarray(value, dtype=np.dtype(like.dtype)))


def _axis(axis: Any) -> Axis:
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    values = np.asarray(to_array(axis))
    return int(values) if values.ndim == 0 else tuple(int(a) for a in values)


# -- spreads -----------------------------------------------------------------------------------
def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """The mean squared deviation from the mean (``tf.math.reduce_variance``)."""
    x = tensor_of(input_tensor)
    a = _axis(axis)
    mean = _op("reduce_mean", x, axis=a, keepdims=True)
    return _op("reduce_mean", _op("square", _op("subtract", x, mean)), axis=a, keepdims=bool(keepdims))


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """The square root of :func:`reduce_variance` (``tf.math.reduce_std``)."""
    return _op("sqrt", reduce_variance(input_tensor, axis, keepdims))


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool = False, name: str | None = None) -> Tensor:
    """``log Σ exp(x)`` computed as TensorFlow does, shifted by the (stopped) maximum so that
    large values do not overflow (``tf.math.reduce_logsumexp``)."""
    x = tensor_of(input_tensor)
    a = _axis(axis)
    top = _op("reduce_max", x, axis=a, keepdims=True)
    if np.isfinite(to_array(top)).all():
        shift = _op("stop_gradient", top)
    else:
        shift = Tensor(np.where(np.isfinite(to_array(top)), to_array(top), 0).astype(np.dtype(x.dtype)))
    result = _op("log", _op("reduce_sum", _op("exp", _op("subtract", x, shift)), axis=a, keepdims=bool(keepdims)))
    if not keepdims:
        shift = _op("reshape", shift, shape=tuple(result.shape))
    return _op("add", result, shift)


# -- norms and clipping ---------------------------------------------------------------------------
def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: Any = None,  # noqa: A002
         name: str | None = None) -> Tensor:
    """A vector norm over ``axis`` (every element when None), or a matrix norm over two axes
    (``tf.norm``): ``'euclidean'``/``'fro'``/2, 1, ``np.inf`` or any p > 0."""
    x = tensor_of(tensor)
    a = _axis(axis)
    keep = bool(keepdims)
    matrix = isinstance(a, tuple) and len(a) == 2
    if isinstance(a, tuple) and len(a) > 2:
        raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
    euclidean = ord in ("euclidean", "fro") or (not matrix and _is_number(ord) and float(ord) == 2)
    if ord == "fro" and not matrix and a is not None:
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    if euclidean:
        return _op("sqrt", _op("reduce_sum", _op("square", x), axis=a, keepdims=keep))
    if not _is_number(ord) or float(ord) <= 0:
        raise ValueError(f"'ord' must be a supported {'matrix' if matrix else 'vector'} norm, got {ord}")
    p = float(ord)
    size = _op("abs", x)
    if matrix:
        if p not in (1.0, np.inf):
            raise ValueError(f"'ord' must be a supported matrix norm, got {ord}")
        rows, cols = (k % rank_of(x) for k in a)
        # 1: the largest column sum of |x|; inf: the largest row sum.
        summed, kept = (rows, cols) if p == 1.0 else (cols, rows)
        sums = _op("reduce_sum", size, axis=summed, keepdims=True)
        out = _op("reduce_max", sums, axis=kept, keepdims=True)
        return out if keep else _op("reshape", out, shape=tuple(n for i, n in enumerate(out.shape) if i not in (rows, cols)))
    if p == 1.0:
        return _op("reduce_sum", size, axis=a, keepdims=keep)
    if p == np.inf:
        return _op("reduce_max", size, axis=a, keepdims=keep)
    powered = _op("reduce_sum", _op("pow", size, _const(p, x)), axis=a, keepdims=keep)
    return _op("pow", powered, _const(1.0 / p, x))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any, name: str | None = None) -> Tensor:
    """``t`` held within ``[clip_value_min, clip_value_max]`` (``tf.clip_by_value``): a minimum,
    then a maximum, as TensorFlow computes it, so the gradient is 1 inside and 0 outside."""
    x = tensor_of(t)
    return _op("maximum", _op("minimum", x, clip_value_max), clip_value_min)


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``t`` scaled down so that its L2 norm over ``axes`` is at most ``clip_norm``
    (``tf.clip_by_norm``), with TensorFlow's care for a zero norm."""
    x = tensor_of(t)
    a = _axis(axes)
    total = _op("reduce_sum", _op("multiply", x, x), axis=a, keepdims=True)
    positive = to_array(total) > 0
    safe = _op("where", total, _const(np.ones(total.shape), x), condition=positive)
    length = _op("where", _op("sqrt", safe), total, condition=positive)
    return _op("divide", _op("multiply", x, clip_norm), _op("maximum", length, clip_norm))


# -- losses ------------------------------------------------------------------------------------------
def _labels_logits(labels: Any, logits: Any) -> tuple[Any, Any]:
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    z = tensor_of(logits)
    return tensor_of(labels, np.dtype(z.dtype)), z


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: str | None = None) -> Tensor:
    """The cross-entropy of ``labels`` with ``sigmoid(logits)``, elementwise, written as TensorFlow
    writes it: ``max(x, 0) − x·z + log(1 + exp(−|x|))``."""
    z, x = _labels_logits(labels, logits)
    if tuple(z.shape) != tuple(x.shape):
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({_shape(x)} vs {_shape(z)}).")
    zeros = _const(np.zeros(x.shape), x)
    positive = to_array(x) >= 0
    relu_logits = _op("where", x, zeros, condition=positive)
    neg_abs_logits = _op("where", _op("negative", x), x, condition=positive)
    return _op("add", _op("subtract", relu_logits, _op("multiply", x, z)), _op("log1p", _op("exp", neg_abs_logits)))


def _shape(t: Any) -> str:
    shape = tuple(t.shape)
    return f"({shape[0]},)" if len(shape) == 1 else str(shape)


def softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, axis: int = -1,
                                      name: str | None = None) -> Tensor:
    """``−Σ labels · log softmax(logits)`` along ``axis`` (``tf.nn.softmax_cross_entropy_with_logits``);
    the labels get a gradient too, as in TensorFlow."""
    z, x = _labels_logits(labels, logits)
    try:
        np.broadcast_shapes(tuple(z.shape), tuple(x.shape))
    except ValueError:
        raise kernel_error("SoftmaxCrossEntropyWithLogits", f"logits and labels must be broadcastable: logits_size="
                                                            f"{list(x.shape)} labels_size={list(z.shape)}") from None
    return _op("negative", _op("reduce_sum", _op("multiply", z, _op("log_softmax", x, axis=int(axis))),
                                axis=int(axis), keepdims=False))


def sparse_softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: str | None = None) -> Tensor:
    """:func:`softmax_cross_entropy_with_logits` with each label given as its class index."""
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    x = tensor_of(logits)
    idx = to_array(labels)
    if idx.dtype.kind not in "iu":
        raise InvalidArgumentError(None, None, f"Value for attr 'Tlabels' of {public(idx.dtype).kernel_name} is not "
                                               "in the list of allowed values: int32, int64")
    if not x.shape or idx.shape != tuple(x.shape)[:-1]:
        raise ValueError("`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
                         f"labels.shape={_shape(Tensor(idx))} and logits.shape={_shape(x)}")
    n = x.shape[-1]
    bad = idx[(idx < 0) | (idx >= n)]
    if bad.size:
        raise kernel_error("SparseSoftmaxCrossEntropyWithLogits", (
            f"Received a label value of {int(bad[0])} which is outside the valid range of [0, {n}).  "
            f"Label values: {' '.join(str(int(v)) for v in idx.reshape(-1))}"))
    hot = Tensor((idx[..., None] == np.arange(n)).astype(np.dtype(x.dtype)))
    return softmax_cross_entropy_with_logits(hot, x)


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """Half the sum of squares, ``Σ t² / 2`` (``tf.nn.l2_loss``)."""
    x = tensor_of(t)
    return _op("multiply", _op("reduce_sum", _op("square", x)), _const(0.5, x))


__all__ = ["clip_by_norm", "clip_by_value", "l2_loss", "norm", "reduce_logsumexp", "reduce_std", "reduce_variance",
           "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
           "sparse_softmax_cross_entropy_with_logits"]

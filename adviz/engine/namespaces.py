"""The library's functions by TensorFlow namespace (``""`` is the top level, then ``math``,
``nn``, ``linalg``, ``random``): what ``import adviz as tf`` and the input language add to the
op table's own functions."""
from __future__ import annotations

from typing import Any, Callable

from . import compositions as c
from . import creation as k
from .custom import custom_gradient
from . import library as s
from . import random as r

_TOP = {
    "concat": s.concat, "stack": s.stack, "unstack": s.unstack, "tile": s.tile, "gather": s.gather,
    "expand_dims": s.expand_dims, "squeeze": s.squeeze, "where": s.where, "einsum": s.einsum,
    "one_hot": k.one_hot, "eye": k.eye, "fill": k.fill, "range": k.range, "linspace": k.linspace,
    "shape": k.shape, "size": k.size, "rank": k.rank, "argmax": k.argmax, "argmin": k.argmin,
    "reduce_all": k.reduce_all, "reduce_any": k.reduce_any,
    "clip_by_value": c.clip_by_value, "clip_by_norm": c.clip_by_norm, "norm": c.norm,
    "reduce_logsumexp": c.reduce_logsumexp,
}

LIBRARY: dict[str, dict[str, Callable[..., Any]]] = {
    "": _TOP,
    "math": {"reduce_std": c.reduce_std, "reduce_variance": c.reduce_variance,
             "reduce_logsumexp": c.reduce_logsumexp, "argmax": k.argmax, "argmin": k.argmin,
             "reduce_all": k.reduce_all, "reduce_any": k.reduce_any},
    "nn": {"sigmoid_cross_entropy_with_logits": c.sigmoid_cross_entropy_with_logits,
           "softmax_cross_entropy_with_logits": c.softmax_cross_entropy_with_logits,
           "sparse_softmax_cross_entropy_with_logits": c.sparse_softmax_cross_entropy_with_logits,
           "l2_loss": c.l2_loss},
    "linalg": {"norm": c.norm, "eye": k.eye, "einsum": s.einsum},
    "random": {"set_seed": r.set_seed, "normal": r.normal, "uniform": r.uniform,
               "truncated_normal": r.truncated_normal, "shuffle": r.shuffle, "Generator": r.Generator},
}

# For Python programs only: a script's functions are called by the interpreter, which does not
# yet hand them to the engine (``@tf.custom_gradient`` in a script is refused with a message).
PYTHON_ONLY: dict[str, dict[str, Callable[..., Any]]] = {"": {"custom_gradient": custom_gradient}}

"""adviz: see reverse-mode automatic differentiation.

``import adviz as tf`` runs GradientTape code written for TensorFlow's API on adviz's own engine;
the app (``adviz`` on the command line) draws the recorded graph and animates the backward pass.
"""
from . import autodiff, errors, linalg, math, nn, random
from ._namespaces import exported as _exported
from .engine import (GradientTape, Tensor, UnconnectedGradients, Variable, bool_, constant,
                     convert_to_tensor, float16, float32, float64, int32, int64, ones, ones_like,
                     zeros, zeros_like)

from .engine.dtypes import PUBLIC as _PUBLIC

globals().update(_exported(""))
# tf.float32 and its kin print as TensorFlow's do (<dtype: 'float32'>) and equal numpy's dtypes.
float16, float32, float64, int32, int64, bool_ = (_PUBLIC[d] for d in (float16, float32, float64, int32, int64, bool_))
bool = bool_  # noqa: A001 - TensorFlow spells it tf.bool

__version__ = "0.1.0"


def draw(*args, **kwargs):
    """Draw a tape's gradient call inline in a notebook (see :func:`adviz.notebook.draw`)."""
    import inspect

    from .notebook import draw as _draw
    frame = inspect.currentframe()
    return _draw(*args, _caller=frame.f_back if frame else None, **kwargs)

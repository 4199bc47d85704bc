"""``adviz.random``: seeded random tensors, as ``tf.random`` (see :mod:`adviz.engine.random`)."""
from ._namespaces import exported as _exported

globals().update(_exported("random"))

"""``adviz.nn``: the op-table functions TensorFlow keeps under ``tf.nn``."""
from ._namespaces import exported as _exported

globals().update(_exported("nn"))

"""``adviz.math``: the op-table functions TensorFlow keeps under ``tf.math``."""
from ._namespaces import exported as _exported

globals().update(_exported("math"))

"""``adviz.linalg``: the op-table functions TensorFlow keeps under ``tf.linalg``."""
from ._namespaces import exported as _exported

globals().update(_exported("linalg"))

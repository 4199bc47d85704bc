"""``tf.errors``: TensorFlow's error classes, raised by adviz where TensorFlow raises them."""
from .engine.errors import InvalidArgumentError, OpError, UnimplementedError

__all__ = ["OpError", "InvalidArgumentError", "UnimplementedError"]

"""``adviz.autodiff``: forward mode, as TensorFlow keeps it under ``tf.autodiff``."""
from .engine import ForwardAccumulator

__all__ = ["ForwardAccumulator"]

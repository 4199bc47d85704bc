import numpy as np
import tensorflow as tf

t = tf.constant(1.0)
v = tf.Variable(1.0)
print(type(t).__name__, type(v).__name__)
print(type(t.shape).__name__, type(t.dtype).__name__)
print(type(t.numpy()).__name__, type(tf.constant([1.0]).numpy()).__name__)
print(type(1).__name__, type(1.5).__name__, type("s").__name__, type([]).__name__, type(None).__name__)
print(type(t))
print(type(3))
print(type(t) == type(tf.constant(2.0)), type(v) == type(t))

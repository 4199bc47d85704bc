import numpy as np
import tensorflow as tf

a = np.array([1.0, 2.0, 3.0], dtype=np.float32)
t = tf.constant(a)
print(t)
print(t.numpy())
print(repr(t.numpy()))
print(t + a)
print(tf.convert_to_tensor(np.float32(2.5)))
print(float(tf.constant(2.5)), int(tf.constant(7)))
s = tf.reduce_sum(t)
print(s.numpy(), type(s.numpy()).__name__)
print(np.array(t) * 2)

# parity: random lines 1-8
import tensorflow as tf

tf.random.set_seed(42)
a = tf.random.normal((2, 3))
b = tf.random.uniform([4], minval=0.0, maxval=1.0)
c = tf.random.truncated_normal((2,), stddev=0.5)
d = tf.random.uniform((2, 2), maxval=10, dtype=tf.int32)
print(a)
print(b)
print(c)
print(d)
print(a.shape, b.dtype, c.shape, d.dtype)
print(bool(tf.reduce_all(b >= 0.0)), bool(tf.reduce_all(b < 1.0)))
print(bool(tf.reduce_all(tf.abs(c) <= 1.0)))

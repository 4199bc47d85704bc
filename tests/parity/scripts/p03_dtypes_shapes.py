import tensorflow as tf

print(tf.float32, tf.float64, tf.int32, tf.int64, tf.bool)
print(repr(tf.float16))
x = tf.ones((2, 3, 4))
s = x.shape
print(s, repr(s))
print(s.as_list(), s.rank, s[0], s[-1], s[1:])
print(len(s), s.num_elements())
print(tf.constant(1.5).shape, repr(tf.constant(1.5).shape))
print(x.dtype == tf.float32, x.dtype.name, x.dtype.is_floating)
print(tf.zeros([3]).shape.as_list())
print(x.ndim)

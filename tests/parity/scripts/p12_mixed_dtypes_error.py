import tensorflow as tf

a = tf.constant(1.0)
b = tf.constant(2, dtype=tf.int32)
try:
    c = a + b
except tf.errors.InvalidArgumentError as e:
    print(type(e).__name__)
    print("mixed dtypes refused")
try:
    tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))
except tf.errors.InvalidArgumentError:
    print("shapes refused")
print(a + tf.cast(b, tf.float32))

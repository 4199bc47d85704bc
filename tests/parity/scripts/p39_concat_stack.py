import tensorflow as tf

a = tf.Variable([1.0, 2.0])
b = tf.Variable([3.0])
with tf.GradientTape(persistent=True) as tape:
    c = tf.concat([a, b, a], axis=0)
    s = tf.stack([a, a * 2.0], axis=1)
    parts = tf.unstack(s, axis=0)
    total = tf.reduce_sum(c * c) + tf.reduce_sum(parts[1] ** 3)
print(c)
print(s)
print(parts)
print(tape.gradient(total, [a, b]))
m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
print(tf.concat([m, m], axis=1))
print(tf.stack([m, m]).shape)

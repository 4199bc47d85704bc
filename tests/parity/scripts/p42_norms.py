import tensorflow as tf

v = tf.Variable([3.0, 4.0])
with tf.GradientTape(persistent=True) as tape:
    n2 = tf.norm(v)
    n1 = tf.norm(v, ord=1)
    l2 = tf.nn.l2_loss(v)
print(n2, n1, l2)
print(tape.gradient(n2, v), tape.gradient(n1, v), tape.gradient(l2, v))
m = tf.constant([[3.0, 4.0], [6.0, 8.0]])
print(tf.norm(m, axis=1))
print(tf.eye(3))
print(tf.eye(2, 3, dtype=tf.int32))

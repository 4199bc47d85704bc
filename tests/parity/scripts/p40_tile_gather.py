import tensorflow as tf

p = tf.Variable([10.0, 20.0, 30.0, 40.0])
with tf.GradientTape(persistent=True) as tape:
    g = tf.gather(p, [0, 2, 2])
    t = tf.tile(p[:2], [3])
    loss = tf.reduce_sum(g * g) + tf.reduce_sum(t)
print(g)
print(t)
print(tape.gradient(loss, p))
m = tf.constant([[1, 2], [3, 4], [5, 6]])
print(tf.gather(m, [2, 0]))
print(tf.gather(m, [1], axis=1))
print(tf.tile(tf.constant([[1, 2]]), [2, 2]))

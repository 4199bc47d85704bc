import tensorflow as tf

x = tf.constant([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]])
w = tf.constant([[1.0, 0.0, 2.0], [0.5, 1.0, -1.0]])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.matmul(x, w) ** 2
j = tape.batch_jacobian(y, x)
print(j.shape)
print(j)

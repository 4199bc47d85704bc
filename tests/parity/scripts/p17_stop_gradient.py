import tensorflow as tf

x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = x * tf.stop_gradient(x) + x
print(tape.gradient(y, x))
a = tf.Variable([1.0, 2.0])
with tf.GradientTape() as tape:
    b = tf.reduce_sum(tf.stop_gradient(a) * a)
print(tape.gradient(b, a))

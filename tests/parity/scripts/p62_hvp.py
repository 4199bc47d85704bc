import tensorflow as tf

x = tf.Variable([1.0, 2.0])
v = tf.constant([1.0, -1.0])
with tf.autodiff.ForwardAccumulator(x, v) as acc:
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x ** 3) + x[0] * x[1]
    g = tape.gradient(y, x)
print(g)
print(acc.jvp(g))

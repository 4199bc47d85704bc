import tensorflow as tf

x = tf.constant([1.0, 2.0])
v = tf.constant([1.0, 0.0])
with tf.autodiff.ForwardAccumulator(primals=x, tangents=v) as acc:
    y = tf.reduce_sum(x ** 3)
print(y, acc.jvp(y))
a = tf.Variable(2.0)
b = tf.Variable(3.0)
with tf.autodiff.ForwardAccumulator([a, b], [tf.constant(1.0), tf.constant(0.0)]) as acc:
    z = a * b + tf.sin(a)
print(acc.jvp(z))
with tf.autodiff.ForwardAccumulator(a, tf.constant(1.0)) as acc:
    w = b * 2.0
print(acc.jvp(w), acc.jvp(w, unconnected_gradients=tf.UnconnectedGradients.ZERO))

# parity: last digit lines 4
import tensorflow as tf

z = tf.constant([0.0, 1.0, -2.0])
print(-z)
print(z * -1.0)
print(tf.exp(tf.constant([1.0, 2.0, 0.5, -3.0])))
print(tf.tanh(tf.constant([0.5, 1.0, -2.0])))
print(tf.sigmoid(tf.constant([1.0, -30.0, 0.0])))
print(tf.math.log(tf.constant([2.0, 10.0])))
print(tf.sqrt(tf.constant([2.0, 3.0])))
print(tf.constant(1.0) / 3.0)
print(tf.constant(2.0) ** 0.5)

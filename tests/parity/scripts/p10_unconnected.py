import tensorflow as tf

x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape(persistent=True) as tape:
    z = x * 2.0
print(tape.gradient(z, y))
print(tape.gradient(z, y, unconnected_gradients=tf.UnconnectedGradients.ZERO))
print(tape.gradient(z, [x, y], unconnected_gradients="zero"))
c = tf.constant(5.0)
print(tape.gradient(z, c))

import tensorflow as tf

x = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape(persistent=True) as tape:
    y = x * x
    s = tf.reduce_sum(y)
print(tape.jacobian(y, x))
print(tape.gradient(s, x))
print(tape.gradient(y, x))

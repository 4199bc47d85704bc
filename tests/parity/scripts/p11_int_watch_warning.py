import tensorflow as tf

x = tf.constant(3)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = x * x
print(tape.gradient(y, x))
xf = tf.cast(x, tf.float32)
with tf.GradientTape() as tape:
    tape.watch(xf)
    y = xf * xf
print(tape.gradient(y, xf))

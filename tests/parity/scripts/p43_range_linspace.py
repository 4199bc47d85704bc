import tensorflow as tf

print(tf.range(5))
print(tf.range(1, 10, 3))
print(tf.range(0.0, 1.0, 0.25))
print(tf.range(5, dtype=tf.float32))
print(tf.linspace(0.0, 1.0, 5))
print(tf.fill([2, 3], 7.0))
print(tf.one_hot([0, 2, 1], 3))
print(tf.expand_dims(tf.constant([1.0, 2.0]), 0).shape, tf.squeeze(tf.ones((1, 3, 1))).shape)
xs = tf.linspace(-1.0, 1.0, 5)
with tf.GradientTape() as tape:
    tape.watch(xs)
    ys = xs ** 3
print(tape.gradient(ys, xs))

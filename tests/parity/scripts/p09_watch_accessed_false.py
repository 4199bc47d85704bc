import tensorflow as tf

x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(x)
    z = x * x + y * y
dx, dy = tape.gradient(z, [x, y])
print(dx, dy)
print([v.name for v in tape.watched_variables()])

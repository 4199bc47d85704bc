import tensorflow as tf

x = tf.constant(3.0)
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = x * x
    z = y * y
print(t.gradient(z, x))
print(t.gradient(y, x))
print(t.gradient(z, y))
with tf.GradientTape(persistent=True) as t2:
    t2.watch(x)
    y2 = x * x
    print(t2.gradient(y2, x))

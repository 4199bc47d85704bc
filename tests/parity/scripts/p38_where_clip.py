import tensorflow as tf

x = tf.Variable([-2.0, -0.5, 0.5, 3.0])
with tf.GradientTape(persistent=True) as tape:
    y = tf.where(x > 0, x ** 2, -x)
    c = tf.clip_by_value(x, -1.0, 1.0)
    s = tf.reduce_sum(y) + tf.reduce_sum(c * c)
print(y)
print(c)
print(tape.gradient(s, x))
print(tf.where(tf.constant([True, False, True])))
n = tf.Variable([3.0, 4.0])
with tf.GradientTape() as tape:
    clipped = tf.clip_by_norm(n, 2.5)
    total = tf.reduce_sum(clipped)
print(clipped, tape.gradient(total, n))

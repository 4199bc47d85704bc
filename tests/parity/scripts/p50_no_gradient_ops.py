import tensorflow as tf

x = tf.Variable([1.4, -2.6, 0.5])
with tf.GradientTape(persistent=True) as tape:
    r = tf.round(x)
    f = tf.floor(x)
    s = tf.sign(x)
    m = tf.cast(tf.argmax(x), tf.float32)
    d = tf.math.divide_no_nan(x, tf.constant([2.0, 0.0, 1.0]))
print(r, f, s, sep="\n")
print(tape.gradient(r, x))
print(tape.gradient(f, x))
print(tape.gradient(s, x))
print(tape.gradient(m, x))
print(d, tape.gradient(d, x))

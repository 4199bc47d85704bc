import tensorflow as tf

@tf.function
def f(x):
    return x ** 2 + 3.0 * x

@tf.function(input_signature=[tf.TensorSpec(shape=None, dtype=tf.float32)])
def g(x):
    return tf.sin(x) * x

x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    y = f(x)
    z = g(x)
print(y)
print(tape.gradient(y, x))
print(tape.gradient(z, x))
h = tf.function(lambda t: t * t * t)
with tf.GradientTape() as tape:
    w = h(x)
print(w, tape.gradient(w, x))
print(tf.TensorSpec(shape=(None, 3), dtype=tf.float32))

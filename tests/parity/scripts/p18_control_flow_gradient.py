import tensorflow as tf

def f(x, n):
    for i in range(n):
        if i % 2 == 0:
            x = x * 2.0
        else:
            x = x + 1.0
    return x

v = tf.Variable(1.0)
with tf.GradientTape() as tape:
    out = f(v, 5)
print(out, tape.gradient(out, v))

x = tf.Variable(0.1)
with tf.GradientTape() as tape:
    y = x
    while y < 10.0:
        y = y * 3.0
print(y.numpy(), tape.gradient(y, x).numpy())

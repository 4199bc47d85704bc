import tensorflow as tf

x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = x ** 2
dy = tape.gradient(y, x)
assert dy is not None
assert abs(dy.numpy() - 6.0) < 1e-6, "wrong gradient"
print("gradient ok:", dy.numpy())
try:
    assert dy.numpy() < 0, "expected negative"
except AssertionError as e:
    print("AssertionError:", e)

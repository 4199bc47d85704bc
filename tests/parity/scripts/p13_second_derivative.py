import tensorflow as tf

x = tf.Variable(1.5)
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        y = x ** 3
    dy = inner.gradient(y, x)
d2y = outer.gradient(dy, x)
print("dy/dx:", dy.numpy())
print("d2y/dx2:", d2y.numpy())

t = tf.Variable(0.5)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        s = tf.sin(t)
    ds = t1.gradient(s, t)
print(ds, t2.gradient(ds, t))

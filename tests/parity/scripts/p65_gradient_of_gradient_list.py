import tensorflow as tf

x = tf.Variable(2.0)
y = tf.Variable(-1.0)
with tf.GradientTape(persistent=True) as outer:
    with tf.GradientTape() as inner:
        f = x ** 2 * y + y ** 3
    gx, gy = inner.gradient(f, [x, y])
hessian = [outer.gradient(gx, [x, y]), outer.gradient(gy, [x, y])]
for row in hessian:
    print([float(h) for h in row])
del outer

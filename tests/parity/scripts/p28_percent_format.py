import tensorflow as tf

x = tf.Variable(0.75)
with tf.GradientTape() as tape:
    y = x ** 3
g = tape.gradient(y, x)
print("y = %.4f, dy/dx = %.4f" % (y, g))
print("%d steps, %s, %5.1f%%" % (10, "done", 99.5))
print("value: %r" % 1.5)
print("{} + {} = {}".format(1, 2, 3))
print("{0:.3f} and {1:>5}".format(g.numpy(), "ok"))
print("{name}={value:.2f}".format(name="grad", value=g.numpy()))
print("grad: {:.6f}".format(g))

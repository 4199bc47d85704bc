import tensorflow as tf

def poly(x, a=1.0, b=0.0, *, c=0.0):
    return a * x ** 2 + b * x + c

x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    y1 = poly(x)
    y2 = poly(x, 3.0, b=2.0)
    y3 = poly(x, c=5.0, b=-1.0)
print(y1, y2, y3)
print(tape.gradient(y1, x), tape.gradient(y2, x), tape.gradient(y3, x))

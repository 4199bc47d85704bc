import tensorflow as tf

x = tf.constant([2.0])
x = tf.Variable(x)
with tf.GradientTape(persistent=True, watch_accessed_variables=True) as grad:
    f = x ** 2
    h = x ** 3
print('The gradient df/dx where f=(x^2):\n', grad.gradient(f, x))
print('The gradient dh/dx where h=(x^3):\n', grad.gradient(h, x))
del grad

with tf.GradientTape(persistent=False) as g:
    y = x * x
print(g.gradient(y, x))
try:
    g.gradient(y, x)
except RuntimeError as e:
    print("RuntimeError:", e)

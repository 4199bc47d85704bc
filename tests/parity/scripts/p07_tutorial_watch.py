import tensorflow as tf

x = tf.constant([2.0])
with tf.GradientTape(persistent=False, watch_accessed_variables=True) as grad:
    f = x ** 2
print('The gradient df/dx where f=(x^2):\n', grad.gradient(f, x))

x = tf.constant([2.0])
x = tf.Variable(x)
with tf.GradientTape(persistent=False, watch_accessed_variables=True) as grad:
    f = x ** 2
print('The gradient df/dx where f=(x^2):\n', grad.gradient(f, x))

x = tf.constant([2.0])
with tf.GradientTape(persistent=False, watch_accessed_variables=True) as grad:
    grad.watch(x)
    f = x ** 2
print('The gradient df/dx where f=(x^2):\n', grad.gradient(f, x))

import tensorflow as tf

square = lambda t: t * t
x = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(square(x) + (lambda t, k=2.0: k * t)(x))
print(y)
print(tape.gradient(y, x))
values = list(map(lambda v: v * 10, [1, 2, 3]))
print(values, list(filter(lambda v: v > 15, values)))
print(sorted([3, 1, 2], key=lambda v: -v))

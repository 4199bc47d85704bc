import tensorflow as tf

a = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
b = tf.Variable([[0.5, -1.0], [2.0, 0.0]])
with tf.GradientTape(persistent=True) as tape:
    c = tf.einsum("ij,jk->ik", a, b)
    d = tf.einsum("i,i->", a[0], b[0])
    e = tf.einsum("ij->ji", a)
    total = tf.reduce_sum(c) + d + tf.reduce_sum(e * e)
print(c)
print(d)
print(e)
print(tape.gradient(total, [a, b]))
x = tf.ones((2, 2, 3))
y = tf.ones((2, 3, 2))
print(tf.einsum("bij,bjk->bik", x, y))

import tensorflow as tf

w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
b = tf.Variable([0.5, -0.5], name="b")
x = tf.constant([[1.0, 1.0]])
with tf.GradientTape() as tape:
    y = x @ w + b
    loss = tf.reduce_mean(y ** 2)
grads = tape.gradient(loss, [w, b])
for g in grads:
    print(g)
d = {"w": w, "b": b}
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(d["w"]) * tf.reduce_sum(d["b"] ** 2)
print(tape.gradient(loss, d))

import tensorflow as tf

logits = tf.Variable([[2.0, 1.0, 0.1], [0.5, 0.5, 3.0]])
with tf.GradientTape(persistent=True) as tape:
    p = tf.nn.softmax(logits)
    lp = tf.nn.log_softmax(logits)
    picked = tf.reduce_sum(p[:, 0])
print(p)
print(lp)
print(tf.reduce_sum(p, axis=1))
print(tape.gradient(picked, logits))
print(tape.gradient(tf.reduce_sum(lp[:, 2]), logits))

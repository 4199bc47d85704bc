import tensorflow as tf

logits = tf.Variable([[2.0, -1.0, 0.5], [0.0, 1.0, -2.0]])
labels = tf.constant([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
sparse = tf.constant([0, 2])
with tf.GradientTape(persistent=True) as tape:
    ce = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    sce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=sparse, logits=logits)
    bce = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
print(ce)
print(sce)
print(bce)
print(tape.gradient(tf.reduce_mean(ce), logits))
print(tape.gradient(tf.reduce_sum(bce), logits))

import tensorflow as tf

x = tf.constant([[0.5, 1.5], [1.0, -1.0], [-1.5, 0.5], [2.0, 2.0]])
y = tf.constant([[1.0], [0.0], [0.0], [1.0]])
w = tf.Variable(tf.zeros((2, 1)))
b = tf.Variable(0.0)
for step in range(3):
    with tf.GradientTape() as tape:
        logits = x @ w + b
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    gw, gb = tape.gradient(loss, [w, b])
    w.assign_sub(0.5 * gw)
    b.assign_sub(0.5 * gb)
    print(step, f"{loss.numpy():.6f}")
print(tf.sigmoid(x @ w + b).numpy().round(4))

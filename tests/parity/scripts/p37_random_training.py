import tensorflow as tf

tf.random.set_seed(0)
w = tf.Variable(tf.random.normal((3, 1)))
x = tf.random.normal((8, 3))
y_true = tf.zeros((8, 1))
first = None
for step in range(20):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((x @ w - y_true) ** 2)
    if first is None:
        first = float(loss)
    w.assign_sub(0.1 * tape.gradient(loss, w))
print(w.shape, w.dtype)
print("loss decreased:", float(loss) < first)

import tensorflow as tf

xs = tf.constant([0.0, 1.0, 2.0, 3.0, 4.0])
ys = tf.constant([1.0, 3.0, 5.0, 7.0, 9.0])
w = tf.Variable(0.0, name="weight")
b = tf.Variable(0.0, name="bias")
history = []
for epoch in range(50):
    with tf.GradientTape() as tape:
        pred = w * xs + b
        loss = tf.reduce_mean(tf.square(pred - ys))
    dw, db = tape.gradient(loss, [w, b])
    w.assign_sub(0.05 * dw)
    b.assign_sub(0.05 * db)
    if epoch % 10 == 0:
        history.append(round(float(loss), 4))
print(history)
print(f"w={w.numpy():.3f} b={b.numpy():.3f}")

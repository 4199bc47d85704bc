import tensorflow as tf

w = tf.Variable([1.0, -2.0])
opt = tf.keras.optimizers.SGD(learning_rate=0.1)
for step in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w ** 2)
    grads = tape.gradient(loss, [w])
    opt.apply_gradients(zip(grads, [w]))
    print(step, w.numpy(), float(loss))
m = tf.Variable(1.0)
opt2 = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
for step in range(3):
    with tf.GradientTape() as tape:
        loss = m * m
    opt2.apply_gradients([(tape.gradient(loss, m), m)])
    print(f"{m.numpy():.6f}")

import tensorflow as tf

x = tf.Variable(5.0)
lr = 0.1
for step in range(5):
    with tf.GradientTape() as tape:
        loss = (x - 2.0) ** 2
    g = tape.gradient(loss, x)
    x.assign_sub(lr * g)
    print(f"step {step}: x={x.numpy():.4f} loss={loss.numpy():.4f}")
print(x)

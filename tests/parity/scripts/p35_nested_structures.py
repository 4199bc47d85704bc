# parity: last digit lines 1
import tensorflow as tf

layers = [(tf.Variable(1.0), tf.Variable(0.0)), (tf.Variable(2.0), tf.Variable(1.0))]
x = tf.constant(3.0)
with tf.GradientTape() as tape:
    h = x
    for w, b in layers:
        h = tf.tanh(w * h + b)
variables = [v for pair in layers for v in pair]
grads = tape.gradient(h, variables)
print(h)
for i, g in enumerate(grads):
    print(i, f"{g.numpy():.6f}")

import tensorflow as tf

x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    y = x * x
    with tape.stop_recording():
        z = y * x
    w = y * 3.0
print(tape.gradient(z, x))
print(tape.gradient(w, x))
with tf.GradientTape(persistent=True) as tape:
    y = x * x
    tape.reset()
    u = x ** 4
print(tape.gradient(u, x))
print(tape.gradient(y, x))

import tensorflow as tf

t = tf.constant(3.14159)
v = tf.Variable(2.5)
n = 42
print(f"{t:.3f} {t:.1e} {n:5d}|{n:<5}|{n:>6}|{n:^7}|")
print(f"{v.numpy():.2f} {float(t):10.4f} {n:x} {n:08b}")
print(f"{'name':>8}: {1/3:.4%}")
print(f"{t.numpy()!r} {'a'!r}")
x = tf.Variable(1.0)
with tf.GradientTape() as tape:
    y = tf.exp(x)
print(f"dy/dx at x={x.numpy():.1f} is {tape.gradient(y, x).numpy():.5f}")

import tensorflow as tf

x = tf.Variable([0.25, 0.5, 0.75])
with tf.GradientTape(persistent=True) as tape:
    fs = [tf.math.log1p(x), tf.math.expm1(x), tf.math.rsqrt(x), tf.math.reciprocal(x),
          tf.math.atan(x), tf.math.asin(x), tf.math.acos(x), tf.math.sinh(x), tf.math.cosh(x),
          tf.math.squared_difference(x, 1.0), tf.abs(x - 0.5), tf.math.square(x)]
for f in fs:
    print(f.numpy(), tape.gradient(f, x).numpy())

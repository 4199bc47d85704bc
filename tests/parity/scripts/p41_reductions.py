import tensorflow as tf

x = tf.Variable([[1.0, 2.0, 4.0], [0.5, 3.0, 2.0]])
with tf.GradientTape(persistent=True) as tape:
    p = tf.reduce_prod(x)
    sd = tf.math.reduce_std(x)
    var = tf.math.reduce_variance(x, axis=0)
    mn = tf.reduce_min(x, axis=1)
    lse = tf.reduce_logsumexp(x)
print(p, sd)
print(var, mn)
print(lse)
print(tape.gradient(p, x))
print(tape.gradient(sd, x))
print(tape.gradient(tf.reduce_sum(var), x))
print(tape.gradient(lse, x))

import tensorflow as tf

x = tf.Variable([-2.0, -0.5, 0.0, 0.5, 7.0])
with tf.GradientTape(persistent=True) as tape:
    outs = {
        "relu": tf.nn.relu(x),
        "relu6": tf.nn.relu6(x),
        "leaky": tf.nn.leaky_relu(x, alpha=0.1),
        "elu": tf.nn.elu(x),
        "softplus": tf.nn.softplus(x),
        "sigmoid": tf.sigmoid(x),
        "tanh": tf.tanh(x),
    }
for name, y in outs.items():
    print(name, y.numpy())
    print("  grad", tape.gradient(y, x).numpy())

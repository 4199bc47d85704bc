import tensorflow as tf

layer = tf.keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
x = tf.constant([[1.0, 2.0, 3.0]])
with tf.GradientTape() as tape:
    y = layer(x)
    loss = tf.reduce_sum(y ** 2)
print(y)
print(layer.kernel.shape, layer.bias.shape)
print([v.name for v in layer.trainable_variables])
grads = tape.gradient(loss, layer.trainable_variables)
for g in grads:
    print(g)

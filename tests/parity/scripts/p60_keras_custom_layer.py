import tensorflow as tf

class Scale(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.k = self.add_weight(name="k", shape=(input_shape[-1],), initializer="ones", trainable=True)

    def call(self, x):
        return x * self.k

layer = Scale()
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as tape:
    y = layer(x)
    loss = tf.reduce_sum(y * y)
print(y)
print(layer.k.shape, len(layer.trainable_variables))
print(tape.gradient(loss, layer.trainable_variables))

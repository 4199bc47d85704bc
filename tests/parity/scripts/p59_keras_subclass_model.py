import tensorflow as tf

class TinyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(4, activation="tanh", kernel_initializer="ones")
        self.out = tf.keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, x):
        return self.out(self.hidden(x))

model = TinyModel()
x = tf.constant([[0.1, 0.2]])
with tf.GradientTape() as tape:
    y = model(x)
print(y)
print(len(model.trainable_variables))
grads = tape.gradient(y, model.trainable_variables)
print([g.shape.as_list() for g in grads])
print(grads[0])

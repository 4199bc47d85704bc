import tensorflow as tf

class Linear(tf.Module):
    def __init__(self, w, b, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(w, name="w")
        self.b = tf.Variable(b, name="b")

    def __call__(self, x):
        return self.w * x + self.b

model = Linear(2.0, 1.0)
print(model.name)
print([v.name for v in model.trainable_variables])
x = tf.constant([1.0, 2.0, 3.0])
y_true = tf.constant([4.0, 6.0, 8.0])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean((model(x) - y_true) ** 2)
grads = tape.gradient(loss, model.trainable_variables)
print(loss)
print(grads)

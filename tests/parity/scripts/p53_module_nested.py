import tensorflow as tf

class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([n_in, n_out]) * 0.5, name="w")
        self.b = tf.Variable(tf.zeros([n_out]), name="b")

    def __call__(self, x):
        return tf.nn.relu(x @ self.w + self.b)

class MLP(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.first = Dense(2, 3)
        self.second = Dense(3, 1)

    def __call__(self, x):
        return self.second(self.first(x))

mlp = MLP(name="mlp")
print(mlp.name, len(mlp.trainable_variables), len(mlp.submodules))
print([v.shape.as_list() for v in mlp.trainable_variables])
x = tf.constant([[1.0, 2.0]])
with tf.GradientTape() as tape:
    out = mlp(x)
print(out)
for g in tape.gradient(out, mlp.trainable_variables):
    print(g.numpy().tolist())

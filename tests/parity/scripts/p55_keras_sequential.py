import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Dense(3, activation="relu", kernel_initializer=tf.keras.initializers.Constant(0.5)),
    tf.keras.layers.Dense(1, kernel_initializer="ones"),
])
x = tf.constant([[1.0, -1.0], [2.0, 0.5]])
with tf.GradientTape() as tape:
    pred = model(x)
    loss = tf.reduce_mean(pred ** 2)
print(pred)
print(loss)
print(len(model.trainable_variables), [v.shape for v in model.trainable_variables])
for g in tape.gradient(loss, model.trainable_variables):
    print(g.numpy())

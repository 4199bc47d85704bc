import tensorflow as tf

y_true = tf.constant([[0.0, 1.0], [1.0, 0.0]])
y_pred = tf.constant([[0.2, 0.8], [0.6, 0.4]])
logits = tf.constant([[1.0, 2.0], [0.5, -0.5]])
print(tf.keras.losses.MeanSquaredError()(y_true, y_pred))
print(tf.keras.losses.MeanAbsoluteError()(y_true, y_pred))
print(tf.keras.losses.BinaryCrossentropy()(y_true, y_pred))
print(tf.keras.losses.BinaryCrossentropy(from_logits=True)(y_true, logits))
print(tf.keras.losses.CategoricalCrossentropy()(y_true, y_pred))
print(tf.keras.losses.CategoricalCrossentropy(from_logits=True)(y_true, logits))
print(tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(tf.constant([1, 0]), logits))

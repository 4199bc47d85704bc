"""``import adviz as tf`` reaches Keras and tf.Module as TensorFlow's names do."""
import numpy as np

import adviz as tf
from adviz.keras import layers


def test_keras_and_module_are_reached_from_python():
    model = tf.keras.Sequential([layers.Dense(2, kernel_initializer="ones"),
                                 tf.keras.layers.Dense(1, kernel_initializer=tf.keras.initializers.Constant(0.5))])
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        loss = tf.keras.losses.MeanSquaredError()(tf.constant([[0.0]]), model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    # y = 0.5·(x·1 + x·1) summed = 3; loss = y²; dloss/db₂ = 2y = 6
    assert float(loss) == 9.0 and float(grads[3][0]) == 6.0
    tf.keras.optimizers.SGD(learning_rate=0.1).apply_gradients(zip(grads, model.trainable_variables))
    np.testing.assert_allclose(model.trainable_variables[3].numpy(), [-0.6])

    class Holder(tf.Module):
        pass

    holder = Holder()
    holder.set("v", tf.Variable(1.0))
    assert holder.name == "holder" and len(holder.trainable_variables) == 1

"""Keras in tape scripts: layers, models, losses and optimizers print what TensorFlow 2.21
(Keras 3) prints, and stay inside the run's limits. Expected outputs were printed by TensorFlow
2.21 running the same script."""
import pytest

from adviz.lang import Limits

from .scripts import error, run

KERAS_SCRIPT = 'import tensorflow as tf\nfrom tensorflow import keras\n\nx = tf.constant([[1.0, 2.0], [3.0, -1.0]])\ny = tf.constant([[1.0], [0.0]])\nmodel = keras.Sequential([\n    keras.layers.Dense(2, activation="relu", kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5)),\n    keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(-0.25)),\n])\nprint(model)\nprint(model.layers)\nout = model(x)\nprint(out)\nprint(model.trainable_variables)\nmse = keras.losses.MeanSquaredError()\nopt = keras.optimizers.SGD(learning_rate=0.1)\nfor step in range(2):\n    with tf.GradientTape() as tape:\n        loss = mse(y, model(x))\n    grads = tape.gradient(loss, model.trainable_variables)\n    opt.apply_gradients(zip(grads, model.trainable_variables))\n    print(step, loss)\nprint(model.trainable_variables)\nprint(opt.iterations)\nlayer = keras.layers.Dense(3, kernel_initializer="ones")\nadam = keras.optimizers.Adam(learning_rate=0.1)\nfor step in range(2):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_sum(layer(x) ** 2)\n    grads = tape.gradient(loss, layer.trainable_variables)\n    adam.apply_gradients(zip(grads, layer.trainable_variables))\nprint(layer.kernel)\nprint(layer.bias)\nprint(layer.kernel.name, layer.kernel.path, layer.kernel.shape, layer.kernel.dtype, layer.kernel.trainable)\nprint(keras.losses.MeanAbsoluteError()(y, out))\nprint(keras.losses.BinaryCrossentropy()(tf.constant([[1.0], [0.0]]), tf.constant([[0.8], [0.3]])))\nprint(keras.losses.BinaryCrossentropy(from_logits=True)(tf.constant([[1.0], [0.0]]), tf.constant([[0.8], [-0.3]])))\nprint(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(tf.constant([1, 0]), tf.constant([[0.2, 0.8], [0.6, 0.4]])))\nprint(keras.losses.mse(tf.constant([[1.0, 2.0]]), tf.constant([[1.5, 2.5]])))\nprint(layer.built, keras.layers.Dense(1).built)\n'

# What TensorFlow 2.21 prints for KERAS_SCRIPT (Dense, Sequential, SGD, Adam, losses).
KERAS_OUTPUT = '<Sequential name=sequential, built=False>\n[<Dense name=dense, built=False>, <Dense name=dense_1, built=False>]\ntf.Tensor(\n[[-1.75]\n [-1.25]], shape=(2, 1), dtype=float32)\n[<Variable path=sequential/dense/kernel, shape=(2, 2), dtype=float32, value=[[1. 1.]\n [1. 1.]]>, <Variable path=sequential/dense/bias, shape=(2,), dtype=float32, value=[0.5 0.5]>, <Variable path=sequential/dense_1/kernel, shape=(2, 1), dtype=float32, value=[[-0.25]\n [-0.25]]>, <Variable path=sequential/dense_1/bias, shape=(1,), dtype=float32, value=[0.]>]\n0 tf.Tensor(4.5625, shape=(), dtype=float32)\n1 tf.Tensor(25.98571, shape=(), dtype=float32)\n[<Variable path=sequential/dense/kernel, shape=(2, 2), dtype=float32, value=[[-1.1321976  -1.1321976 ]\n [ 0.21068352  0.21068352]]>, <Variable path=sequential/dense/bias, shape=(2,), dtype=float32, value=[-0.639318 -0.639318]>, <Variable path=sequential/dense_1/kernel, shape=(2, 1), dtype=float32, value=[[-1.5855755]\n [-1.5855755]]>, <Variable path=sequential/dense_1/bias, shape=(1,), dtype=float32, value=[-0.61396885]>]\n<Variable path=sgd/iteration, shape=(), dtype=int64, value=2>\n<Variable path=dense_2/kernel, shape=(2, 3), dtype=float32, value=[[0.80070794 0.80070794 0.80070794]\n [0.80057    0.80057    0.80057   ]]>\n<Variable path=dense_2/bias, shape=(3,), dtype=float32, value=[-0.1993249 -0.1993249 -0.1993249]>\nkernel dense_2/kernel (2, 3) float32 True\ntf.Tensor(2.0, shape=(), dtype=float32)\ntf.Tensor(0.28990924, shape=(), dtype=float32)\ntf.Tensor(0.46272796, shape=(), dtype=float32)\ntf.Tensor(0.51781344, shape=(), dtype=float32)\ntf.Tensor([0.25], shape=(1,), dtype=float32)\nTrue False\n'


def test_keras_training_prints_what_tensorflow_prints():
    assert run(KERAS_SCRIPT) == KERAS_OUTPUT


def test_names_start_afresh_in_every_run():
    text = "import tensorflow as tf\nprint(tf.keras.layers.Dense(1).name, tf.keras.layers.Dense(1).name)\n"
    assert run(text) == run(text) == "dense dense_1\n"


@pytest.mark.parametrize("spelling", ["import tensorflow as tf\nkeras = tf.keras",
                                      "from tensorflow import keras", "import keras",
                                      "import adviz as tf\nkeras = tf.keras"])
def test_keras_is_reached_as_tensorflow_spells_it(spelling):
    assert run(spelling + "\nprint(keras.layers.Dense(2).units)\n") == "2\n"


def test_an_unseeded_initializer_is_the_same_on_every_run():
    text = ("import tensorflow as tf\nd = tf.keras.layers.Dense(3)\nd(tf.ones((1, 4)))\n"
            "print(d.kernel.shape, d.kernel.dtype)\nprint(d.kernel.numpy())\n")
    out = run(text)
    assert out.startswith("(4, 3) float32\n") and run(text) == out


def test_script_functions_serve_as_activations_and_initializers():
    out = run("import tensorflow as tf\n"
              "def double(x):\n    return 2 * x\n"
              "d = tf.keras.layers.Dense(1, activation=double, kernel_initializer='ones')\n"
              "e = tf.keras.layers.Dense(1, activation=tf.nn.relu, kernel_initializer='ones', use_bias=False)\n"
              "print(float(d(tf.constant([[1.0, 2.0]]))[0][0]), float(e(tf.constant([[-1.0, -2.0]]))[0][0]))\n")
    assert out == "6.0 0.0\n"


def test_gradients_of_a_training_step_reach_every_weight():
    out = run("import tensorflow as tf\n"
              "model = tf.keras.Sequential([tf.keras.layers.Dense(2, activation='tanh'), tf.keras.layers.Dense(1)])\n"
              "x = tf.ones((4, 3))\n"
              "with tf.GradientTape() as tape:\n"
              "    loss = tf.keras.losses.MeanSquaredError()(tf.zeros((4, 1)), model(x))\n"
              "grads = tape.gradient(loss, model.trainable_variables)\n"
              "print([g is None for g in grads], [tuple(g.shape) for g in grads])\n")
    assert out == "[False, False, False, False] [(3, 2), (2,), (2, 1), (1,)]\n"


def test_sizes_are_refused_before_weights_are_made():
    limits = Limits(max_elements=10_000)
    assert error("import tensorflow as tf\ntf.keras.layers.Dense(10**9)\n", limits=limits).kind == "limit"
    e = error("import tensorflow as tf\nd = tf.keras.layers.Dense(1000)\nd(tf.ones((1, 1000)))\n", limits=limits)
    assert e.kind == "limit"
    e = error("import tensorflow as tf\n"
              "class L(tf.keras.layers.Layer):\n"
              "    def build(self, shape):\n"
              "        self.w = self.add_weight(shape=(10**5, 10**5))\n"
              "    def call(self, x):\n"
              "        return x\n"
              "L()(tf.ones((1, 1)))\n")
    assert e.kind == "limit"
    assert error("import tensorflow as tf\ntf.keras.initializers.Ones()((10**6, 10**6))\n").kind == "limit"


def test_bad_keras_input_gets_a_located_message():
    assert "units" in error("import tensorflow as tf\ntf.keras.layers.Dense(0)\n").message
    assert "activation" in error("import tensorflow as tf\ntf.keras.layers.Dense(1, activation='nope')\n").message
    assert "initializer" in error("import tensorflow as tf\ntf.keras.layers.Dense(1, kernel_initializer='x')\n").message
    assert "No gradients" in error("import tensorflow as tf\nv = tf.Variable(1.0)\n"
                                   "tf.keras.optimizers.SGD(0.1).apply_gradients([(None, v)])\n").message
    assert "functional" in error("import tensorflow as tf\ntf.keras.Model(1, 2)\n").message
    assert "call()" in error("import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    pass\n"
                             "L()(tf.ones((1, 1)))\n").message


# Inputs of other shapes and dtypes: a batch of matrices, a float64 numpy array, integers.
INPUTS_SCRIPT = 'import tensorflow as tf\nd = tf.keras.layers.Dense(2, kernel_initializer="ones")\ne = tf.keras.layers.Dense(2, kernel_initializer="ones")\nprint(e(tf.ones((2, 2, 3))))\nimport numpy as np\nf = tf.keras.layers.Dense(1, kernel_initializer="ones")\nprint(f(np.array([[1.0, 2.0]])))\nprint(f.weights)\nprint(tf.keras.layers.Dense(1, kernel_initializer="zeros")(tf.constant([[1, 2]])))\n'

# What TensorFlow 2.21 prints for INPUTS_SCRIPT.
INPUTS_OUTPUT = 'tf.Tensor(\n[[[3. 3.]\n  [3. 3.]]\n\n [[3. 3.]\n  [3. 3.]]], shape=(2, 2, 2), dtype=float32)\ntf.Tensor([[3.]], shape=(1, 1), dtype=float32)\n[<Variable path=dense_2/kernel, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>, <Variable path=dense_2/bias, shape=(1,), dtype=float32, value=[0.]>]\ntf.Tensor([[0.]], shape=(1, 1), dtype=float32)\n'


def test_dense_takes_inputs_as_keras_takes_them():
    assert run(INPUTS_SCRIPT) == INPUTS_OUTPUT
    assert "min_ndim=2" in error("import tensorflow as tf\ntf.keras.layers.Dense(1)(tf.ones((3,)))\n").message
    assert "build the layer" in error("import tensorflow as tf\ntf.keras.layers.Dense(1).kernel\n").message


def test_a_frozen_layer_has_no_trainable_variables():
    out = run("import tensorflow as tf\n"
              "model = tf.keras.Sequential([tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)])\n"
              "model(tf.ones((1, 3)))\n"
              "model.layers[0].trainable = False\n"
              "print(len(model.trainable_variables), len(model.variables))\n"
              "m = tf.Module()\n"
              "m.v = tf.Variable(1.0)\n"
              "print(len(m.trainable_variables))\n")
    assert out == "2 4\n1\n"


# A Sequential model told its input shape (input_shape= or keras.Input) is built at once.
INPUT_SHAPE_SCRIPT = 'import tensorflow as tf\nmodel = tf.keras.Sequential([\n  tf.keras.layers.Dense(3, activation=tf.nn.relu, input_shape=(4,), kernel_initializer="ones"),\n  tf.keras.layers.Dense(2, kernel_initializer="ones"),\n])\nprint(model.built, len(model.trainable_variables))\nprint(model.trainable_variables[0])\nm2 = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(1, kernel_initializer="ones")])\nprint(m2.layers, m2.trainable_variables)\nprint(m2(tf.constant([[1.0, 2.0]])))\n'

# What TensorFlow 2.21 prints for INPUT_SHAPE_SCRIPT (on stdout; it also warns on stderr).
INPUT_SHAPE_OUTPUT = 'True 4\n<Variable path=sequential/dense/kernel, shape=(4, 3), dtype=float32, value=[[1. 1. 1.]\n [1. 1. 1.]\n [1. 1. 1.]\n [1. 1. 1.]]>\n[<Dense name=dense_2, built=True>] [<Variable path=sequential_1/dense_2/kernel, shape=(2, 1), dtype=float32, value=[[1.]\n [1.]]>, <Variable path=sequential_1/dense_2/bias, shape=(1,), dtype=float32, value=[0.]>]\ntf.Tensor([[3.]], shape=(1, 1), dtype=float32)\n'


def test_a_sequential_model_with_a_known_input_shape_is_built_at_once():
    assert run(INPUT_SHAPE_SCRIPT) == INPUT_SHAPE_OUTPUT


def test_arrays_become_lists_within_the_runs_limits():
    assert run("import tensorflow as tf\nprint(tf.constant([[1.0, 2.5]]).numpy().tolist(), "
               "tf.constant(3).numpy().tolist())\n") == "[[1.0, 2.5]] 3\n"
    e = error("import numpy as np\nx = np.ones((1000, 1000))\nfor i in range(100):\n    y = x.tolist()\n",
              limits=Limits(max_items_made=2_000_000))
    assert e.kind == "limit"

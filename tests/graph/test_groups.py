"""Each op node carries the scopes it was made in: a script function, a module, a Keras layer."""
import json
from pathlib import Path

import jsonschema

from adviz.graph import graph_for_call, graph_json
from adviz.lang import run_script


def graph(text, index=0):
    trace = run_script(text)
    assert trace.error is None, trace.error
    return graph_for_call(trace, index)


def op_groups(g):
    return {n.op: n.group for n in g.nodes.values() if n.op is not None}


def test_a_dense_layers_ops_carry_its_name():
    g = graph("import tensorflow as tf\n"
              "layer = tf.keras.layers.Dense(2, activation='relu')\n"
              "x = tf.constant([[1.0, 2.0]])\n"
              "with tf.GradientTape() as tape:\n"
              "    y = tf.reduce_sum(layer(x))\n"
              "tape.gradient(y, layer.trainable_variables)\n")
    groups = op_groups(g)
    assert groups["matmul"] == groups["add"] == groups["relu"] == ("dense",)
    assert groups["reduce_sum"] == ()


def test_a_functions_ops_carry_its_name_inside_the_callers():
    g = graph("import tensorflow as tf\n"
              "def square(v):\n"
              "    return v * v\n"
              "def model(v):\n"
              "    return tf.sin(square(v))\n"
              "x = tf.Variable(1.0)\n"
              "with tf.GradientTape() as tape:\n"
              "    y = model(x) + 1.0\n"
              "tape.gradient(y, x)\n")
    groups = op_groups(g)
    assert groups["multiply"] == ("model", "square")
    assert groups["sin"] == ("model",)
    assert groups["add"] == ()


def test_a_modules_and_its_layers_ops_nest():
    g = graph("import tensorflow as tf\n"
              "class Net(tf.keras.Model):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.hidden = tf.keras.layers.Dense(2, activation='tanh')\n"
              "    def call(self, x):\n"
              "        return tf.reduce_sum(self.hidden(x))\n"
              "class Scale(tf.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__(name='scale')\n"
              "        self.k = tf.Variable(2.0)\n"
              "    def __call__(self, x):\n"
              "        return self.k * x\n"
              "net, s = Net(), Scale()\n"
              "with tf.GradientTape() as tape:\n"
              "    y = s(net(tf.ones((1, 3))))\n"
              "tape.gradient(y, net.trainable_variables)\n")
    groups = op_groups(g)
    assert groups["tanh"] == ("net", "dense")
    assert groups["reduce_sum"] == ("net",)
    assert groups["multiply"] == ("scale",)


def test_a_layers_weights_are_named_by_their_keras_path():
    g = graph("import tensorflow as tf\n"
              "model = tf.keras.Sequential([tf.keras.layers.Dense(2)])\n"
              "with tf.GradientTape() as tape:\n"
              "    y = tf.reduce_sum(model(tf.ones((1, 3))))\n"
              "tape.gradient(y, model.trainable_variables)\n")
    labels = {n.label for n in g.nodes.values() if n.is_source}
    assert labels == {"sequential/dense/kernel", "sequential/dense/bias"}


def test_variables_set_on_a_module_or_layer_are_named_after_it():
    g = graph("import tensorflow as tf\n"
              "class Scale(tf.Module):\n"
              "    def __init__(self, name=None):\n"
              "        super().__init__(name=name)\n"
              "        self.k = tf.Variable(2.0)\n"
              "    def __call__(self, x):\n"
              "        return self.k * x\n"
              "a, b = Scale(), Scale(name='second')\n"
              "with tf.GradientTape() as tape:\n"
              "    y = b(a(tf.constant(1.0)))\n"
              "tape.gradient(y, [a.k, b.k])\n")
    assert {n.label for n in g.nodes.values() if n.is_source} == {"scale.k", "second.k"}


def test_json_carries_each_nodes_group():
    data = graph_json(graph(
        "import tensorflow as tf\n"
        "def square(t):\n    return t * t\n"
        "layer = tf.keras.layers.Dense(1, kernel_initializer='ones')\n"
        "x = tf.Variable([[2.0]])\n"
        "with tf.GradientTape() as g:\n    y = tf.reduce_sum(square(layer(x)))\n"
        "g.gradient(y, x)\n"))
    schema = json.loads((Path(__file__).resolve().parents[2] / "adviz/graph/graph.schema.json").read_text())
    jsonschema.validate(data, schema)
    groups = {tuple(n["group"]) for n in data["nodes"] if n["kind"] == "op"}
    assert ("dense",) in groups and ("square",) in groups
    assert all(n["group"] == [] for n in data["nodes"] if n["kind"] != "op")

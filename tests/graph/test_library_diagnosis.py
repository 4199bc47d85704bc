"""A gradient that stops at an op TensorFlow defines no gradient for (tf.floor, tf.round) is
explained as that op, not as tf.stop_gradient; the library's ops draw with their formulas."""
from adviz.graph.model import CAUSES

from .test_diagnosis import TF, cause_of, edge, last_graph, node


def test_floor_and_round_stop_the_gradient_and_say_why():
    for op in ("floor", "round"):
        graph = last_graph(TF + f"x = tf.Variable(2.3)\nwith tf.GradientTape() as tape:\n    r = tf.{op}(x)\n"
                                "    y = r * 3.0\ng = tape.gradient(y, x)\nprint(g)\n")
        cause = cause_of(graph, "x")
        assert cause.code == "no-gradient-defined" and cause.code in CAUSES
        assert f"TensorFlow defines no gradient for `{op}`" in cause.text and "stop_gradient(" not in cause.text[:60]
        assert cause.breaks == (node(graph, "r").id, edge(graph, "x", "r").id)


def test_library_ops_are_drawn_with_their_formulas():
    graph = last_graph(TF + "x = tf.Variable([1.0, 2.0])\nwith tf.GradientTape() as tape:\n"
                            "    s = tf.nn.softmax(x)\n    p = tf.reduce_prod(s)\n    l = tf.math.log1p(p)\n"
                            "g = tape.gradient(l, x)\n")
    assert node(graph, "s").formula == "softmax(x)"
    assert node(graph, "p").formula == "Π s"
    assert node(graph, "l").formula == "ln(1 + p)"
    assert edge(graph, "p", "l").partial_formula == "∂l/∂p = 1/(1 + p)"
    assert "softmax(x)·(" in edge(graph, "x", "s").partial_formula


def test_argmax_is_recorded_and_its_whole_numbers_stop_the_gradient():
    graph = last_graph(TF + "x = tf.Variable([1.0, 3.0, 2.0])\nwith tf.GradientTape() as tape:\n"
                            "    i = tf.math.argmax(x)\n    y = tf.cast(i, tf.float32) * x[0]\n"
                            "g = tape.gradient(y, x)\nprint(g)\n")
    assert node(graph, "i").formula == "argmax(x)"
    # x still reaches y through x[0]: its gradient is i = 1 there, 0 elsewhere.
    assert node(graph, "x").gradient.tolist() == [1.0, 0.0, 0.0]
    lone = last_graph(TF + "x = tf.Variable([1.0, 3.0, 2.0])\nwith tf.GradientTape() as tape:\n"
                           "    i = tf.math.argmax(x)\n    y = tf.cast(i, tf.float32)\ng = tape.gradient(y, x)\n")
    cause = cause_of(lone, "x")
    assert cause.code == "integer-dtype" and cause.text.startswith("i holds int64 values on the path from x to y")

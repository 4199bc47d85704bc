"""The cost view's headless part: the Jacobian of the typed functions by n forward and m reverse
passes, checked against closed forms and central differences, and how the playback stages go."""
import math

import numpy as np
import pytest

from adviz.model import Document, VariableSpec
from adviz.model.cost import MAX_ELEMENTS, CostError, cost_of_document

X, Y, Z = 0.5, -1.5, 2.0
TEXT = "f1 = x*y*z\nf2 = sin(x) + z**2"


def doc(text=TEXT, **values):
    values = values or {"x": X, "y": Y, "z": Z}
    return Document(text=text, variables=[VariableSpec(k, str(v)) for k, v in values.items()])


def closed_form():
    # ∂(x·y·z) = (y·z, x·z, x·y); ∂(sin x + z²) = (cos x, 0, 2z)
    return np.array([[Y * Z, X * Z, X * Y], [math.cos(X), 0.0, 2 * Z]])


def test_both_jacobians_equal_the_closed_form():
    view = cost_of_document(doc())
    assert (view.n, view.m) == (3, 2)
    assert view.inputs == ("x", "y", "z") and view.outputs == ("f1", "f2")
    np.testing.assert_allclose(view.result.forward, closed_form(), rtol=1e-12)
    np.testing.assert_allclose(view.result.reverse, closed_form(), rtol=1e-12)
    assert view.equal and view.difference < 1e-12
    assert view.result.forward_passes == 3 and view.result.reverse_passes == 2
    assert len(view.result.forward_pass_steps) == 3 and len(view.result.reverse_pass_steps) == 2
    assert sum(view.result.forward_pass_steps) == view.result.forward_steps


def test_intermediate_names_are_not_outputs_and_a_gradient_costs_one_reverse_pass():
    view = cost_of_document(doc("u = x*y\nf = sin(u) + x**2 + z", x=X, y=Y, z=Z))
    assert view.outputs == ("f",) and (view.n, view.m) == (3, 1)
    want = [math.cos(X * Y) * Y + 2 * X, math.cos(X * Y) * X, 1.0]
    np.testing.assert_allclose(view.result.reverse[0], want, rtol=1e-12)
    assert view.result.reverse_steps < view.result.forward_steps      # one backward pass against three forward
    assert "reverse mode is cheaper" in view.summary


def test_vector_inputs_match_central_differences():
    view = cost_of_document(doc("f = sum(w*w*v)\ng = w*v", w="[1, -2]", v="[0.5, 3]"))
    assert view.inputs == ("w[0]", "w[1]", "v[0]", "v[1]")
    assert view.outputs == ("f", "g[0]", "g[1]")
    w, v = np.array([1.0, -2.0]), np.array([0.5, 3.0])

    def f(p):
        ww, vv = p[:2], p[2:]
        return np.concatenate([[np.sum(ww * ww * vv)], ww * vv])

    p, h = np.concatenate([w, v]), 1e-6
    fd = np.stack([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(4)], axis=1)
    np.testing.assert_allclose(view.result.forward, fd, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(view.result.reverse, fd, rtol=1e-7, atol=1e-8)


def test_stages_fill_columns_and_rows_with_their_op_counts():
    view = cost_of_document(doc())
    assert view.length == 4
    start = view.stage(0)
    assert (start.columns, start.rows, start.forward_ops, start.reverse_ops) == (0, 0, 0, 0)
    assert "ℝ³ → ℝ²" in start.caption
    one = view.stage(1)
    assert (one.columns, one.rows) == (1, 1)
    assert one.forward_ops == view.result.forward_pass_steps[0]
    assert "seed x\u0307 = 1" in one.caption and "seed ∂f1/∂f1 = 1" in one.caption
    assert "seed y\u0307 = 1" in view.stage(2).caption
    three = view.stage(3)
    assert (three.columns, three.rows) == (3, 2)
    assert "Reverse mode finished after 2 passes" in three.caption
    assert "complete and equal" in three.caption
    assert three.forward_ops == view.result.forward_steps and three.reverse_ops == view.result.reverse_steps
    assert view.stage(99) == three and view.stage(-5) == start


@pytest.mark.parametrize("document, words", [
    (Document(text="import tensorflow as tf\nx = tf.Variable(1.0)\n"), "typed functions"),
    (Document(text="f = x*", variables=[VariableSpec("x", "1")]), "line 1"),
    (Document(text="f = x*y", variables=[VariableSpec("x", "1", source=False), VariableSpec("y", "1", source=False)]),
     "ticked"),
    (Document(text="f = x*2", variables=[VariableSpec("x", "1", kind="constant")]), "watched"),
    (Document(text="f = x*2", variables=[VariableSpec("x", str(list(range(MAX_ELEMENTS + 1))))]), "at most"),
])
def test_what_cannot_be_shown_says_why(document, words):
    with pytest.raises(CostError, match=words):
        cost_of_document(document)

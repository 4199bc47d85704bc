"""The forward-mode schedule of a graph, and the Jacobian built by forward and by reverse passes."""
from __future__ import annotations

import numpy as np
import pytest

import adviz as tf
from adviz.graph import (build_graph, dual_text, fan_in_sum, finite_difference_jacobian,
                         forward_mode_graph, jacobian_by_mode)

X, Y = 0.7, -1.3


def _recorded():
    x, y = tf.constant(X, tf.float64), tf.constant(Y, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        u = x * y
        s = tf.sin(x)
        f = u + s
    tape.keep_steps = True
    tape.gradient(f, [x, y])
    names = {x._id: "x", y._id: "y", u._id: "u", s._id: "s", f._id: "f"}
    return tape, names


def _by_label(graph):
    return {n.label: n for n in graph.nodes.values()}


def test_seeded_on_x_every_tangent_is_the_derivative_along_x() -> None:
    tape, names = _recorded()
    graph = build_graph(tape, tape.calls[-1], names)        # default seed: 1 on x, 0 on y
    nodes = _by_label(graph)
    want = {"x": 1.0, "y": 0.0, "u": Y, "s": np.cos(X), "f": Y + np.cos(X)}   # ∂/∂x of each node
    for label, value in want.items():
        assert float(nodes[label].tangent) == pytest.approx(value), label
    assert nodes["f"].dual_text == dual_text(nodes["f"].value, nodes["f"].tangent)
    assert nodes["f"].dual_text.endswith("·ε")
    # The tangent at the target along x is the gradient's x component: the two modes agree.
    assert float(nodes["f"].tangent) == pytest.approx(float(nodes["x"].gradient))


def test_schedule_runs_from_the_seed_to_the_target_with_fan_in_sums() -> None:
    tape, names = _recorded()
    graph = build_graph(tape, tape.calls[-1], names)
    labels = {n.id: n.label for n in graph.nodes.values()}
    steps = graph.tangent
    assert steps[0].kind == "tangent-seed"
    assert {labels[k]: float(v) for k, v in steps[0].tangents.items()} == {"x": 1.0, "y": 0.0}
    assert [labels[s.node] for s in steps[1:]] == ["u", "s", "f"]
    assert graph.seed == steps[0].tangents
    # f = u + s: two edges arrive, their products add up.
    last = steps[-1]
    assert len(last.edges) == 2
    parts = [float(last.contributions[e]) for e in last.edges]
    assert parts == pytest.approx([Y, np.cos(X)])
    assert float(last.tangents[last.node]) == pytest.approx(sum(parts))
    assert fan_in_sum(last).endswith(f"= {graph.nodes[last.node].tangent_text}")
    assert "add up" in last.chain[-1]
    # Each edge carries local partial × incoming tangent, written out.
    sin_edge = graph.edges[steps[2].edges[0]]
    assert float(sin_edge.tangent_product) == pytest.approx(np.cos(X))
    assert sin_edge.tangent_product_text.startswith("∂s/∂x · x\u0307 = ")


def test_a_seed_per_source_gives_the_directional_derivative() -> None:
    tape, names = _recorded()
    graph = forward_mode_graph(tape, tape.calls[-1], seed=[2.0, 0.5], names=names)
    f = _by_label(graph)["f"]
    assert float(f.tangent) == pytest.approx(2.0 * (Y + np.cos(X)) + 0.5 * X)
    with pytest.raises(ValueError):
        forward_mode_graph(tape, tape.calls[-1], seed=[1.0], names=names)


def test_unwatched_sources_get_no_tangent() -> None:
    x, c = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        f = x * c
    tape.keep_steps = True
    tape.gradient(f, [c, x])
    graph = build_graph(tape, tape.calls[-1], {x._id: "x", c._id: "c", f._id: "f"})
    nodes = _by_label(graph)
    # The default seed is 1 on the first source, c: the tape never watched it, so nothing flows.
    assert nodes["c"].tangent is None and nodes["c"].dual_text.endswith("+ 0·ε")
    assert list(graph.seed) == [nodes["x"].id]
    assert float(nodes["f"].tangent) == 0.0
    graph = forward_mode_graph(tape, tape.calls[-1], seed=[1.0, 1.0], names={x._id: "x", c._id: "c", f._id: "f"})
    assert float(_by_label(graph)["f"].tangent) == 3.0       # only x's tangent: ∂f/∂x = c


def _three_to_two(x, y, z):
    return [x * y + tf.sin(z), tf.exp(x) * z * y]


def test_jacobian_by_n_forward_passes_equals_m_reverse_passes_and_finite_differences() -> None:
    point = [0.5, -1.0, 2.0]
    result = jacobian_by_mode(_three_to_two, point)
    x, y, z = point
    closed = np.array([[y, x, np.cos(z)],
                       [np.exp(x) * z * y, np.exp(x) * z, np.exp(x) * y]])
    np.testing.assert_allclose(result.forward, closed, rtol=1e-12)
    np.testing.assert_allclose(result.reverse, closed, rtol=1e-12)
    np.testing.assert_allclose(result.forward, finite_difference_jacobian(_three_to_two, point), rtol=1e-6)
    assert (result.n, result.m) == (3, 2)
    assert (result.forward_passes, result.reverse_passes) == (3, 2)
    # f records 6 ops (multiply, sin, add; exp, multiply, multiply). Forward: a pass seeded on one
    # input visits the ops it reaches (x: 5, y: 3, z: 4). Reverse: a pass visits its output's ops (3, 3).
    assert result.ops == 6
    assert result.forward_steps == 5 + 3 + 4
    assert result.reverse_steps == 3 + 3
    assert result.reverse_steps < result.forward_steps
    assert "reverse mode is cheaper" in result.summary


def test_a_scalar_loss_needs_one_reverse_pass_for_the_whole_gradient() -> None:
    point = [np.arange(1.0, 6.0)]
    result = jacobian_by_mode(lambda w: tf.reduce_sum(w * w), point)
    assert (result.forward_passes, result.reverse_passes) == (5, 1)
    np.testing.assert_allclose(result.reverse, [2 * point[0]])
    np.testing.assert_allclose(result.forward, result.reverse)
    assert result.reverse_steps * 5 == result.forward_steps

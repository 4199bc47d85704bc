"""The backward pass as steps: the numbers the animation replays are the gradient."""
from __future__ import annotations

import sys

import numpy as np

import adviz as tf
from adviz.engine import BackwardPass, BackwardStep


def contributions_to(bp: BackwardPass, node) -> list[np.ndarray]:
    return [c for s in bp.steps for n, c in zip(s.record.inputs, s.contributions)
            if n is node and c is not None]


def test_steps_sum_to_the_gradient() -> None:
    x = tf.constant(3.0)
    y = tf.constant(4.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = tf.sin(x * y) + x / y
    bp = tape.backward(z, [x, y])
    assert isinstance(bp, BackwardPass) and all(isinstance(s, BackwardStep) for s in bp.steps)
    # newest record first, one step per record on the path
    assert [s.record.op.name for s in bp.steps] == ["add", "divide", "sin", "multiply"]
    assert [s.index for s in bp.steps] == [3, 2, 1, 0]
    for source, grad in zip([x, y], tape.gradient(z, [x, y])):
        total = sum(contributions_to(bp, source))
        np.testing.assert_allclose(total, grad.numpy(), rtol=1e-6)
        np.testing.assert_allclose(bp.adjoints[source._id], grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(bp.gradients[0].numpy(), np.cos(12.0) * 4 + 0.25, rtol=1e-6)


def test_fan_out_two_contributions_one_sum() -> None:
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    bp = tape.backward(y, x)
    (step,) = bp.steps
    assert step.record.inputs == (x, x)
    assert [float(c) for c in step.contributions] == [3.0, 3.0]
    # the adjoint after each contribution: first 3, then 3 + 3
    assert [float(a) for a in step.adjoints] == [3.0, 6.0]
    assert [float(p) for p in step.partials] == [3.0, 3.0]
    assert float(step.upstream) == 1.0
    assert float(bp.gradients[0]) == 6.0
    # backward() does not use up a non-persistent tape
    assert float(tape.gradient(y, x)) == 6.0


def test_fan_out_across_records() -> None:
    x, y = tf.constant(2.0), tf.constant(5.0)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = x * y + x ** 2
    bp = tape.backward(z, x)
    parts = contributions_to(bp, x)
    assert sorted(float(c) for c in parts) == [4.0, 5.0]
    assert float(bp.gradients[0]) == 9.0  # d/dx = y + 2x


def test_steps_undo_broadcasting() -> None:
    x = tf.constant([[1.0], [2.0]])
    b = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch([x, b])
        y = x * b
    bp = tape.backward(y, [x, b])
    (step,) = bp.steps
    assert step.upstream.shape == (2, 3)
    assert step.partials[0].shape == (3,) and step.partials[1].shape == (2, 1)
    assert step.contributions[0].shape == (2, 1) and step.contributions[1].shape == (3,)
    np.testing.assert_array_equal(step.contributions[0], [[6.0], [6.0]])
    np.testing.assert_array_equal(step.contributions[1], [3.0, 3.0, 3.0])


def test_step_partials_of_structural_ops_are_none() -> None:
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x)
    (step,) = tape.backward(y, x).steps
    assert step.partials == (None,)
    np.testing.assert_array_equal(step.contributions[0], [1.0, 1.0])


def test_steps_skip_records_off_the_path() -> None:
    x, c = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        unused = x * 10.0
        y = x * c
    bp = tape.backward(y, x)
    assert [s.record.output for s in bp.steps] == [y]
    assert unused._id not in bp.adjoints


def test_step_inputs_not_leading_to_sources_get_none() -> None:
    x, c = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x, c])
        y = x * c
    (step,) = tape.backward(y, x).steps
    assert step.contributions[1] is None and step.adjoints[1] is None
    assert float(step.contributions[0]) == 3.0


def test_seeds_and_output_gradients() -> None:
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    bp = tape.backward(y, x, output_gradients=tf.constant([1.0, 10.0]))
    np.testing.assert_array_equal(bp.seeds[y._id], [1.0, 10.0])
    np.testing.assert_array_equal(bp.gradients[0].numpy(), [2.0, 40.0])


def test_keep_steps_in_calls() -> None:
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.exp(x)
    tape.keep_steps = True
    g = tape.gradient(y, x)
    bp = tape.calls[0].backward
    assert isinstance(bp, BackwardPass) and len(bp.steps) == 1
    np.testing.assert_allclose(bp.steps[0].contributions[0], g.numpy())


def test_long_chain_at_default_recursion_limit() -> None:
    """100,000 recorded ops: recording and the backward pass are loops, never recursion."""
    assert sys.getrecursionlimit() <= 10_000
    x = tf.constant(1.0, dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(100_000):
            y = y * 1.0000001
    assert len(tape.records) == 100_000
    np.testing.assert_allclose(float(tape.gradient(y, x)), 1.0000001 ** 100_000, rtol=1e-9)

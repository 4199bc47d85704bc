"""Live exploration without Qt: values written back as text, curves and contour maps sampled."""
import math

import numpy as np
import pytest

from adviz.model import Document, VariableSpec
from adviz.model.explore import (array_text, evaluate, number_text, sample_contour, sample_curve, scrub_step,
                                 slider_range, value_array, with_element)


def test_values_are_written_to_the_precision_of_the_step():
    assert number_text(2.0000001, 0.001) == "2"
    assert number_text(-0.00004, 0.001) == "0"      # one decimal finer than the step, and never "-0"
    assert number_text(1.23456, 0.01) == "1.235"
    assert with_element("[1, 2]", 1, 3.14159, 0.01) == "[1, 3.142]"
    assert with_element("[[1, 2], [3, 4]]", 2, -1.5, 0.1) == "[[1, 2], [-1.5, 4]]"
    assert with_element("not a value", 0, 1.0) is None
    assert with_element("[1, 2]", 5, 1.0) is None
    assert array_text(np.array(0.5)) == "0.5"
    assert value_array("pi/4") == pytest.approx(math.pi / 4)


def test_slider_range_and_steps():
    assert slider_range(3.0) == (0.0, 6.0)
    assert slider_range(0.2) == (-0.8, 1.2)
    assert slider_range(-5.0) == (-10.0, 0.0)
    assert scrub_step(-1.0, 3.0) == 0.005
    assert scrub_step(0.0, 2.0) == 0.002


def test_evaluate_builds_the_graph_without_a_layout():
    out = evaluate(Document("f = x**2 * y", [VariableSpec("x", "3"), VariableSpec("y", "2")]))
    assert out.layout is None and out.trace is None and out.error is None
    x = next(n for n in out.graph.nodes.values() if n.label == "x")
    assert float(x.gradient) == 12.0            # d/dx x²y = 2xy


def test_curve_tangent_is_the_gradient_and_the_secant_a_central_difference():
    x0 = 1.3
    curve = sample_curve(Document("f = x**3 - 2*x", [VariableSpec("x", str(x0))]), "x", count=21)
    assert curve.message == ""
    np.testing.assert_allclose(curve.ys, curve.xs ** 3 - 2 * curve.xs, rtol=1e-12, atol=1e-12)
    assert curve.slope == pytest.approx(3 * x0 ** 2 - 2, rel=1e-12)
    h = curve.h
    f = lambda x: x ** 3 - 2 * x   # noqa: E731
    assert curve.secant == pytest.approx((f(x0 + h) - f(x0 - h)) / (2 * h), rel=1e-12)
    assert curve.secant == pytest.approx(3 * x0 ** 2 - 2 + h * h, rel=1e-9)   # the central difference's error
    assert curve.xs[0] == pytest.approx(x0 - 1.3) and curve.xs[-1] == pytest.approx(x0 + 1.3)


def test_a_failed_sample_is_a_gap_not_an_error():
    curve = sample_curve(Document("f = log(x)", [VariableSpec("x", "0.5")]), "x", count=11, span=(-1.0, 1.0))
    assert curve.message == ""
    assert np.all(np.isnan(curve.ys[curve.xs <= 0]))
    positive = curve.xs > 0
    np.testing.assert_allclose(curve.ys[positive], np.log(curve.xs[positive]), rtol=1e-12)
    assert curve.slope == pytest.approx(2.0)          # d/dx log x = 1/x


def test_an_element_of_a_vector_is_sampled_with_the_others_fixed():
    curve = sample_curve(Document("f = sum(w * w)", [VariableSpec("w", "[1, 2, 3]")]), "w", index=2, count=5,
                         span=(0.0, 4.0))
    np.testing.assert_allclose(curve.ys, 1 + 4 + curve.xs ** 2, rtol=1e-12)
    assert curve.slope == pytest.approx(6.0) and curve.label == "w[2]"


def test_contour_map_and_its_gradient():
    doc = Document("f = x*x + 3*x*y", [VariableSpec("x", "1"), VariableSpec("y", "2")])
    c = sample_contour(doc, ("x", 0), ("y", 0), count=5)
    X, Y = np.meshgrid(c.xs, c.ys)
    np.testing.assert_allclose(c.zs, X * X + 3 * X * Y, rtol=1e-12, atol=1e-12)
    assert c.point == (1.0, 2.0)
    assert c.gradient == pytest.approx((2 * 1 + 3 * 2, 3 * 1))       # (2x + 3y, 3x)


def test_bad_requests_say_why():
    assert "not an input" in sample_curve(Document("f = x", [VariableSpec("x", "1")]), "z").message
    script = "import tensorflow as tf\nx = tf.Variable(1.0)\nwith tf.GradientTape() as t:\n    y = x*x\nt.gradient(y, x)\n"
    assert sample_curve(Document(script), "x").message


def test_sampling_stops_when_its_time_is_up(monkeypatch):
    import adviz.model.explore as explore
    monkeypatch.setattr(explore, "SAMPLE_SECONDS", 0.0)        # no time at all: a few samples, and it says so
    curve = sample_curve(Document("f = x**2", [VariableSpec("x", "1")]), "x", count=11)
    assert curve.clipped and curve.message == ""
    assert curve.slope == pytest.approx(2.0)                    # the point and its tangent are still there
    values, missing = explore._sampled(5, float, seconds=10.0)
    assert not missing.any() and list(values) == [0, 1, 2, 3, 4]
    assert sorted(explore._coarse_to_fine(21)) == list(range(21))
    assert explore._coarse_to_fine(21)[:4] == [0, 8, 16, 20]   # the whole range first


def test_a_slow_function_gets_fewer_samples(monkeypatch):
    import adviz.model.explore as explore
    monkeypatch.setattr(explore, "SAMPLE_SECONDS", 1e-9)       # as if one run took far longer than allowed
    curve = sample_curve(Document("f = x**3", [VariableSpec("x", "2")]), "x", count=121)
    assert 2 <= len(curve.xs) <= 9
    np.testing.assert_allclose(curve.ys, curve.xs ** 3, rtol=1e-12)
    c = sample_contour(Document("f = x*y", [VariableSpec("x", "1"), VariableSpec("y", "2")]), ("x", 0), ("y", 0))
    assert c.zs.shape[0] == c.zs.shape[1] == 3

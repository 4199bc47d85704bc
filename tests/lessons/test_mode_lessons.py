"""The two forward-mode lessons: their printed numbers and the numbers in their narration agree
with closed forms and central differences computed here in float64."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from adviz.graph import graph_for_call, jacobian_by_mode
from adviz.lang import run_script

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"


@lru_cache(maxsize=None)
def run(name: str):
    trace = run_script((LESSONS / name).read_text(encoding="utf-8"))
    assert trace.error is None, f"{name}: {trace.error}"
    return trace


def narration(name: str) -> str:
    return "\n".join(c.narration for c in run(name).cells if c.narration)


def numbers(line: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+\.\d+", line)]


def central(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """The m×n Jacobian of f at x by central differences."""
    x = np.asarray(x, dtype=np.float64)
    return np.stack([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)], axis=1)


def test_10_dual_numbers_print_the_derivatives():
    name = "10_forward_mode_dual_numbers.py"
    lines = run(name).output.splitlines()
    x = 3.0
    # y = x³ + 2x: (3 + ε)³ + 2(3 + ε) = 33 + 29ε
    assert numbers(lines[0]) == [x ** 3 + 2 * x, 3 * x ** 2 + 2] == [33.0, 29.0]
    text = narration(name)
    assert "33 + 29 \\varepsilon" in text and "27 + 27 \\varepsilon + 6 + 2 \\varepsilon" in text
    assert 27 + 6 == 33 and 27 + 2 == 29 and 3 * x ** 2 == 27
    # f = x·y + x² at (3, 2) along three seeds: J·v with J = (y + 2x, x)
    y = 2.0
    grad = central(lambda p: np.array([p[0] * p[1] + p[0] ** 2]), [x, y])[0]
    assert np.allclose(grad, [y + 2 * x, x], atol=1e-6)
    for line, seed in zip(lines[1:4], ([1, 0], [0, 1], [1, 1])):
        got = numbers(line)
        assert got[-2] == x * y + x ** 2 == 15.0
        assert np.isclose(got[-1], grad @ np.array(seed, dtype=float))
    assert numbers(lines[4]) == [8.0, 3.0]
    assert "= 8$" in text and "= 3$" in text and "8 + 3 = 11" in text


def test_10_the_picture_shows_the_dual_numbers_the_narration_names():
    name = "10_forward_mode_dual_numbers.py"
    g = graph_for_call(run(name), 0)
    duals = {n.label: n.dual_text for n in g.nodes.values()}
    x, y = 3.0, 2.0      # seeded ẋ = 1, ẏ = 0: tangents are ∂/∂x
    want = {"x": (x, 1), "y": (y, 0), "x·y": (x * y, y), "x²": (x * x, 2 * x), "f": (x * y + x * x, y + 2 * x)}
    text = narration(name)
    for label, (value, tangent) in want.items():
        assert duals[label] == f"{value:g} + {tangent:g}·ε"
        assert f"{value:g} + {tangent:g} \\cdot \\varepsilon" in text


def test_11_both_modes_build_the_closed_form_jacobian():
    name = "11_jacobian_cost.py"
    a, b, c = 1.0, 2.0, 3.0
    jacobian = np.array([[b * c, a * c, a * b], [2 * a, c, b]])
    assert np.allclose(jacobian, central(lambda p: np.array([p[0] * p[1] * p[2], p[0] ** 2 + p[1] * p[2]]),
                                         [a, b, c]), atol=1e-6)
    lines = run(name).output.splitlines()
    columns = [numbers(line)[-2:] for line in lines[:3]]
    assert np.array_equal(np.array(columns).T, jacobian)
    rows = [numbers(line) for line in lines[3:5]]
    assert np.array_equal(np.array(rows), jacobian)
    text = narration(name)
    assert "(6, 3, 2)" in text and "(2, 3, 2)" in text
    assert "first column $(6, 2)$" in text and "second $(3, 3)$" in text and "third $(2, 2)$" in text
    for k, call in enumerate(run(name).calls):       # two backward passes, one row each
        assert np.array_equal([float(r.numpy()) for r in call.result], jacobian[k])


def test_11_the_op_counts_in_the_narration():
    name = "11_jacobian_cost.py"
    # Ops reached by each seed: a → a·b, (a·b)·c, a², sum; b → a·b, (a·b)·c, b·c, sum; c → (a·b)·c, b·c, sum.
    # Backward from f₁: its two products; from f₂: sum, a², b·c.
    reached_forward, reached_reverse = [4, 4, 3], [2, 3]
    result = jacobian_by_mode(lambda a, b, c: [a * b * c, a ** 2 + b * c], [1.0, 2.0, 3.0])
    assert list(result.forward_pass_steps) == reached_forward and list(result.reverse_pass_steps) == reached_reverse
    assert result.ops == 5
    text = narration(name)
    assert "$4 + 4 + 3 = 11$" in text and "$2 + 3 = 5$" in text
    assert sum(reached_forward) == 11 and sum(reached_reverse) == 5

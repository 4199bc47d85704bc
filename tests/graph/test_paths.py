"""The sum over paths (adviz.graph.paths): the products of partials along every path from an input
to an output add up to the derivative, checked against central differences in float64; forward mode's
tangents and reverse mode's adjoints are the two factored forms of that sum."""
import math

import numpy as np
import pytest

from adviz.graph import graph_for_call
from adviz.graph.paths import MAX_PATHS, PathError, path_sum
from adviz.lang import Declaration, run_functions


def graph_of(text, **values):
    trace = run_functions(text, [Declaration(k, v) for k, v in values.items()])
    assert trace.error is None, trace.error
    return graph_for_call(trace, 0)


def node(graph, label):
    return next(n.id for n in graph.nodes.values() if n.label == label)


def central(f, point, name, h=1e-6):
    up, down = dict(point), dict(point)
    up[name] += h
    down[name] -= h
    return (f(**up) - f(**down)) / (2 * h)


CASES = [
    # fan-out of x into two ops, fan-in at f: x*y + x**2 (the sum tinygrad once overwrote)
    ("f = x*y + x**2", lambda x, y: x * y + x ** 2, {"x": 0.7, "y": -1.3}, 2),
    # x used twice by one op: two edges, two paths
    ("u = x*x\nf = sin(u) + x*y", lambda x, y: math.sin(x * x) + x * y, {"x": 1.1, "y": 0.4}, 3),
    # a diamond twice over: 4 paths from x to f
    ("a = sin(x)\nb = cos(x)\nc = a*b\nd = a + b\nf = c*d", lambda x: (math.sin(x) * math.cos(x)) * (math.sin(x) + math.cos(x)),
     {"x": 0.3}, 4),
    ("u = exp(x*y)\nf = u/(1 + u) + log(y)", lambda x, y: math.exp(x * y) / (1 + math.exp(x * y)) + math.log(y),
     {"x": -0.2, "y": 1.7}, 2),
]


@pytest.mark.parametrize("text, f, point, paths_from_x", CASES)
def test_the_path_sum_is_the_derivative(text, f, point, paths_from_x):
    graph = graph_of(text, **point)
    target = graph.targets[0]
    for name in point:
        s = path_sum(graph, node(graph, name), target)
        assert s.total == pytest.approx(central(f, point, name), rel=1e-7, abs=1e-9), name
        assert s.listed_sum == pytest.approx(s.total, rel=1e-12) and not s.truncated
        assert s.count == len(s.paths)
        assert s.gradient == pytest.approx(s.total, rel=1e-12)
        assert "the same" in s.words(graph)
        # The two factored forms: the tangent at the target and the adjoint at the source are the sum.
        assert s.tangents[target] == pytest.approx(s.total, rel=1e-12)
        assert s.adjoints[s.source] == pytest.approx(s.total, rel=1e-12)
    assert path_sum(graph, node(graph, "x"), target).count == paths_from_x


def test_each_path_is_the_product_of_its_partials():
    graph = graph_of("f = x*y + x**2", x=0.7, y=-1.3)
    s = path_sum(graph, node(graph, "x"), graph.targets[0])
    products = sorted(p.product for p in s.paths)
    assert products == pytest.approx(sorted([-1.3, 2 * 0.7]))      # ∂(x·y)/∂x = y, ∂(x²)/∂x = 2x, times ∂f/∂· = 1
    text = next(p.text for p in s.paths if p.product < 0)
    assert text.startswith("x → x·y → f: ∂(x·y)/∂x · ∂f/∂(x·y) = (−1.3) × 1 = −1.3")


def test_tangents_sum_paths_in_and_adjoints_sum_paths_out():
    # a = sin x, b = cos x, c = a·b, d = a + b, f = c·d: at c, two paths come in; from a, two go out.
    x = 0.3
    graph = graph_of("a = sin(x)\nb = cos(x)\nc = a*b\nd = a + b\nf = c*d", x=x)
    s = path_sum(graph, node(graph, "x"), graph.targets[0])
    a, b = math.sin(x), math.cos(x)
    c, d = node(graph, "c"), node(graph, "d")
    assert s.paths_in[c] == 2 and s.tangents[c] == pytest.approx(math.cos(x) * b + a * -math.sin(x))   # ċ = ȧb + aḃ
    assert s.paths_out[node(graph, "a")] == 2
    assert s.adjoints[node(graph, "a")] == pytest.approx(b * (a + b) + a * b)     # ∂f/∂a = b·d + c
    assert s.adjoints[c] == pytest.approx(a + b)                                  # ∂f/∂c = d


def test_beyond_the_limit_the_list_stops_and_the_sum_stays_whole():
    lines = ["a1 = x + x"] + [f"a{k} = a{k - 1} + a{k - 1}" for k in range(2, 16)]   # 2¹⁵ paths, f = 2¹⁵·x
    graph = graph_of("\n".join(lines), x=0.5)
    s = path_sum(graph, node(graph, "x"), graph.targets[0])
    assert s.count == 2 ** 15 and len(s.paths) == MAX_PATHS and s.truncated
    assert s.total == 2 ** 15
    assert "the first 10,000 are listed" in s.words(graph)


def test_no_path_and_tensors_say_why():
    graph = graph_of("u = x*2\nf = y*3", x=1.0, y=2.0)
    s = path_sum(graph, node(graph, "x"), graph.targets[0])
    assert s.count == 0 and s.total == 0 and "No path" in s.words(graph)
    vec = graph_of("f = sum(w*w)", w="[1, 2]")
    with pytest.raises(PathError, match="scalar graphs"):
        path_sum(vec, node(vec, "w"), vec.targets[0])
    with pytest.raises(PathError, match="no node"):
        path_sum(graph, "v:nothing", graph.targets[0])


def test_an_op_with_its_own_rule_says_so():
    graph = graph_of("f = sum(x*y)", x=2.0, y=3.0)
    with pytest.raises(PathError, match="own rule"):
        path_sum(graph, node(graph, "x"), graph.targets[0])

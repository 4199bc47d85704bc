"""The shipped lessons (assets/lessons/*.py): each runs, narrates, draws its gradient calls, and
its numbers agree with closed forms and central finite differences computed here in float64."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from adviz.graph import graph_for_call
from adviz.lang import run_script

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"
FILES = sorted(LESSONS.glob("*.py"))
EXPECTED = [
    "01_tape_basics.py", "02_chain_rule.py", "03_sum_rule_fan_out.py", "04_product_rule.py",
    "05_sigmoid_neuron.py", "06_softmax_cross_entropy.py", "07_two_layer_network.py",
    "08_stop_recording.py", "09_second_derivative.py", "10_forward_mode_dual_numbers.py", "11_jacobian_cost.py",
]
HEADING = re.compile(r"^\s*#{1,3}\s+(.+)$", re.MULTILINE)


@lru_cache(maxsize=None)
def run(name: str):
    trace = run_script((LESSONS / name).read_text(encoding="utf-8"))
    assert trace.error is None, f"{name}: {trace.error}"
    return trace


@lru_cache(maxsize=None)
def graph(name: str, k: int):
    return graph_for_call(run(name), k)


def grads(name: str, k: int) -> list:
    """What gradient call ``k`` returned, as float64 arrays (None stays None)."""
    return [None if r is None else np.asarray(r.numpy(), dtype=np.float64) for r in run(name).calls[k].result]


def source_values(name: str, k: int) -> list[np.ndarray]:
    return [np.asarray(s.numpy(), dtype=np.float64) for s in run(name).calls[k].sources]


def node_value(name: str, k: int, label: str) -> np.ndarray:
    nodes = [n for n in graph(name, k).nodes.values() if n.label == label]
    assert len(nodes) == 1, f"no single node labelled {label!r}"
    return np.asarray(nodes[0].value, dtype=np.float64)


def central_difference(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d x for a scalar function of an array, in float64, one element at a time."""
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        out[i] = (f(up) - f(down)) / (2 * h)
    return out


def close(actual, expected, tol: float = 1e-5) -> bool:
    return np.allclose(np.asarray(actual, dtype=np.float64), expected, rtol=tol, atol=tol)


def printed_numbers(name: str) -> list[float]:
    return [float(m) for m in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", run(name).output)]


# -- every lesson ---------------------------------------------------------------------------------
def test_the_eleven_lessons_are_there():
    assert [p.name for p in FILES] == EXPECTED


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lesson_runs_narrates_and_differentiates(path):
    text = path.read_text(encoding="utf-8")
    trace = run(path.name)
    assert "import adviz as tf" in text
    assert trace.calls, "a lesson makes at least one gradient call"
    assert trace.output.strip(), "a lesson prints its results"
    narrations = [c.narration for c in trace.cells if c.narration]
    assert len(narrations) >= 2
    # The title: the first line of the first cell is a heading (the menu reads the first heading).
    assert trace.cells[0].narration.splitlines()[0].startswith("# ")
    assert HEADING.search(trace.cells[0].narration).group(1).strip()
    for call in trace.calls:
        assert call.error is None and call.result is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_graph_replays_to_the_engine_gradients(path):
    """Running the backward schedule to its last step leaves each source with what
    ``gradient`` returned; a source that got None is never reached."""
    trace = run(path.name)
    for k, call in enumerate(trace.calls):
        g = graph(path.name, k)
        assert g.error == ""
        assert 2 <= len(g.nodes) <= 40, f"call {k} draws {len(g.nodes)} nodes"
        assert len(g.sources) == len(call.result)
        running: dict[str, np.ndarray] = {}
        for step in g.backward:
            running.update(step.adjoints)
        if any(r is not None for r in call.result):
            assert g.backward and g.backward[0].kind == "seed"
        for source, result in zip(g.sources, call.result):
            node = g.nodes[source]
            assert node.is_source
            if result is None:
                assert node.gradient is None and node.gradient_text == "None"
                assert source not in running
            else:
                assert np.array_equal(node.gradient, result.numpy())
                assert source in running, f"call {k}: the schedule never reaches {node.label}"
                assert np.allclose(running[source], result.numpy(), rtol=1e-6, atol=1e-7)


def test_readme_lists_every_lesson_with_its_title():
    readme = (LESSONS / "README.md").read_text(encoding="utf-8")
    for path in FILES:
        title = HEADING.search(run(path.name).cells[0].narration).group(1).strip()
        assert path.name in readme and title in readme


# -- lesson by lesson -------------------------------------------------------------------------------
def test_01_tape_basics():
    name = "01_tape_basics.py"
    g = graph(name, 0)
    (source,) = g.sources
    assert g.nodes[source].gradient_text == "None"
    assert g.nodes[source].kind == "constant"
    kinds = [[graph(name, k).nodes[s].kind for s in graph(name, k).sources] for k in range(len(run(name).calls))]
    assert kinds == [["constant"], ["variable"], ["watched"], ["variable"], ["variable"], ["variable"],
                     ["variable", "variable"], ["variable_untrainable"]]
    w = 3.0
    values = [grads(name, k) for k in range(8)]
    assert values[0] == [None]
    assert close(values[1][0], 2 * w) and close(values[2][0], 2 * w)
    assert close(values[3][0], 2 * w + 3 * w ** 2)              # d(y + z)/dw in one call
    assert close(values[4][0], 2 * w) and close(values[5][0], 3 * w ** 2)
    assert close(values[6][0], 5.0) and values[6][1] is None    # watch_accessed_variables=False
    assert values[7] == [None]                                  # trainable=False
    tapes = run(name).tapes
    assert [t.persistent for t in tapes].count(True) == 1
    assert [t.watch_accessed_variables for t in tapes].count(False) == 1


def test_02_chain_rule_matches_the_analytic_derivative():
    name = "02_chain_rule.py"
    (x,) = source_values(name, 0)

    def f(x):
        return np.exp(np.sin(x ** 2 + 1))

    analytic = np.exp(np.sin(x ** 2 + 1)) * np.cos(x ** 2 + 1) * 2 * x
    (dx,) = grads(name, 0)
    assert close(dx, analytic) and close(dx, central_difference(f, x))
    h = x ** 2 + 1
    dg, dh, dx2 = grads(name, 1)
    assert close(dg, np.exp(np.sin(h))) and close(dh, np.exp(np.sin(h)) * np.cos(h)) and close(dx2, analytic)
    assert len(graph(name, 0).backward) >= 4       # seed, exp, sin, +1, square: one edge at a time


def test_03_sum_rule_adds_the_two_contributions():
    name = "03_sum_rule_fan_out.py"
    x, y = source_values(name, 0)
    dx, dy = grads(name, 0)
    assert close(dx, y + 2 * x) and close(dy, x)
    assert close(dx, central_difference(lambda v: v * y + v ** 2, x))
    assert close(dx, 8.0) and close(dy, 3.0)
    # x fans out: some step adds a contribution to an adjoint x already had.
    g = graph(name, 0)
    x_node = g.sources[0]
    assert any(x_node in step.accumulated for step in g.backward)
    (dg,) = grads(name, 1)
    assert close(dg, 2 * x)


def test_04_product_rule():
    name = "04_product_rule.py"
    (x,) = source_values(name, 1)
    u, v = x ** 2 + 1, 2 * x - 1
    du, dv = grads(name, 0)
    assert close(du, v) and close(dv, u)
    (dx,) = grads(name, 1)
    assert close(dx, 2 * x * v + u * 2) and close(dx, 22.0)
    assert close(dx, central_difference(lambda s: (s ** 2 + 1) * (2 * s - 1), x))


def test_05_sigmoid_neuron_against_finite_differences():
    name = "05_sigmoid_neuron.py"
    x, t = node_value(name, 0, "x"), node_value(name, 0, "t")

    def loss(w, b):
        return (1 / (1 + np.exp(-(w * x + b))) - t) ** 2

    assert [float(v) for v in source_values(name, 0)] == [0.5, -1.0]
    for k in (0, 1):  # before and after the gradient-descent step
        w, b = source_values(name, k)
        # the picture shows the values the call saw
        assert close(node_value(name, k, "w"), w) and close(node_value(name, k, "z"), w * x + b)
        dw, db = grads(name, k)
        assert close(dw, central_difference(lambda v: loss(v, b), w))
        assert close(db, central_difference(lambda v: loss(w, v), b))
        if k == 0:
            assert close(dw, -0.5) and close(db, -0.25)
    # the step lowered the loss
    assert node_value(name, 1, "loss") < node_value(name, 0, "loss")


def test_06_softmax_cross_entropy_gradient_is_softmax_minus_onehot():
    name = "06_softmax_cross_entropy.py"
    onehot = node_value(name, 0, "onehot")
    for k in (0, 1):
        (z,) = source_values(name, k)
        p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        (dz,) = grads(name, k)
        assert close(dz, p - onehot)
        assert close(dz, central_difference(lambda v: -np.log(np.exp(v)[0] / np.exp(v).sum()), z))
    # the lesson prints both vectors, and they agree
    numbers = printed_numbers(name)
    assert any(close(numbers[i:i + 3], p - onehot, 1e-5) for i in range(len(numbers) - 2))


def test_07_two_layer_network_against_finite_differences():
    name = "07_two_layer_network.py"
    X, y = node_value(name, 0, "X"), node_value(name, 0, "y")
    params = source_values(name, 0)
    assert [p.shape for p in params] == [(3, 4), (4,), (4, 1), (1,)]

    def loss(W1, b1, W2, b2):
        H = np.maximum(X @ W1 + b1, 0.0)
        return np.mean((H @ W2 + b2 - y) ** 2)

    Z1 = X @ params[0] + params[1]
    assert np.abs(Z1).min() > 1e-3, "no hidden unit sits on the ReLU's kink"
    for i, grad in enumerate(grads(name, 0)):
        def partial(v, i=i):
            return loss(*[v if j == i else p for j, p in enumerate(params)])
        assert grad.shape == params[i].shape
        assert close(grad, central_difference(partial, params[i]))
    (dZ1,) = grads(name, 1)
    db1 = grads(name, 0)[1]
    assert dZ1.shape == (4, 4) and close(dZ1.sum(axis=0), db1)    # broadcasting: summed over the batch
    assert close(grads(name, 0)[3], 2 * np.mean(np.maximum(Z1, 0) @ params[2] + params[3] - y))


def test_08_stop_recording_cuts_the_path():
    name = "08_stop_recording.py"
    (x,) = source_values(name, 0)
    (dx,) = grads(name, 0)
    assert close(dx, 2 * x) and not close(dx, 2 * x + 3 * x ** 2)
    assert not graph(name, 0).nodes[next(n.id for n in graph(name, 0).nodes.values() if n.label == "z")].recorded
    assert grads(name, 1) == [None]
    assert graph(name, 1).nodes[graph(name, 1).sources[0]].gradient_text == "None"


def test_09_second_derivative_prints_29_then_18_twice():
    name = "09_second_derivative.py"
    x = 3.0
    values = [grads(name, k)[0] for k in range(4)]
    assert close(values, [3 * x ** 2 + 2, 6 * x, 3 * x ** 2 + 2, 6 * x])
    assert close(values, [29.0, 18.0, 29.0, 18.0])
    assert printed_numbers(name) == [29.0, 18.0, 29.0, 18.0]
    for k in (1, 3):    # the second call draws the first one's backward pass
        assert any(n.gradient_op for n in graph(name, k).nodes.values())
    tapes = run(name).tapes
    assert len(tapes) == 3 and tapes[2].persistent

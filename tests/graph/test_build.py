"""The graph of one gradient call: nodes, edges and both schedules (adviz.graph.build).

Every number is checked against a closed form or a central finite difference in float64,
never against the engine itself.
"""
import math
import random

import numpy as np
import pytest

from adviz.graph import SOURCE_KINDS, format_value, graph_for_call
from adviz.graph.formulas import term
from adviz.lang import Declaration, run_functions, run_script

# -- helpers -------------------------------------------------------------------------------------


def function_graph(text, declarations, index=0, **kwargs):
    trace = run_functions(text, declarations, **kwargs)
    assert trace.error is None, trace.error
    return graph_for_call(trace, index)


def script_graph(text, index=0):
    trace = run_script(text)
    assert trace.error is None, trace.error
    return graph_for_call(trace, index)


def variables(**values):
    return [Declaration(name, value) for name, value in values.items()]


def node(graph, label):
    found = [n for n in graph.nodes.values() if n.label == label]
    assert len(found) == 1, f"{len(found)} nodes labelled {label!r}: {[n.label for n in graph.nodes.values()]}"
    return found[0]


def edge(graph, source_label, target_label):
    found = [e for e in graph.edges.values()
             if graph.nodes[e.source].label == source_label and graph.nodes[e.target].label == target_label]
    assert len(found) == 1, f"{len(found)} edges {source_label} → {target_label}"
    return found[0]


def of_kind(graph, kind):
    return [n for n in graph.nodes.values() if n.kind == kind]


def ids(graph):
    return set(graph.nodes), set(graph.edges)


def backward_steps(graph):
    return [s for s in graph.backward if s.kind == "backward"]


def contributions_into(graph, node_id):
    """The sum of what the backward schedule sends into ``node_id`` along its out-edges."""
    total = 0.0
    for step in backward_steps(graph):
        for eid in step.edges:
            if graph.edges[eid].source == node_id:
                total = total + step.contributions[eid]
    return total


def central_difference(f, point, h=1e-6):
    grads = []
    for k in range(len(point)):
        up, down = list(point), list(point)
        up[k] += h
        down[k] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def check_schedule(graph):
    """Invariants of any backward schedule, checked step by step with a running sum."""
    steps = graph.backward
    assert steps[0].kind == "seed" and steps[0].index == 0
    assert [s.index for s in steps] == list(range(len(steps)))
    assert all(s.kind == "backward" for s in steps[1:])
    running = {k: np.asarray(v, dtype=float) for k, v in steps[0].adjoints.items()}
    position = {s.node: k for k, s in enumerate(steps) if s.kind == "backward"}
    for k, step in enumerate(steps[1:], start=1):
        # Reverse topological order: every op that reads this node has already passed its adjoint on.
        for out in graph.out_edges(step.node):
            if out.target in position:
                assert position[out.target] < k, f"{step.node} before its consumer {out.target}"
        # The upstream adjoint is everything the node received before.
        np.testing.assert_allclose(step.upstream, running[step.node], rtol=1e-12)
        np.testing.assert_allclose(step.upstream, graph.nodes[step.node].adjoint, rtol=1e-12)
        for eid in step.edges:
            e = graph.edges[eid]
            assert e.target == step.node
            if e.partial_value is not None:   # elementwise: contribution = upstream × local partial
                np.testing.assert_allclose(step.contributions[eid], step.upstream * e.partial_value, rtol=1e-12)
        for nid, after in step.adjoints.items():
            # "accumulated" is exactly what the node had before this step, present only at fan-out.
            assert (nid in step.accumulated) == (nid in running)
            if nid in running:
                np.testing.assert_allclose(step.accumulated[nid], running[nid], rtol=1e-12)
            added = sum(step.contributions[eid] for eid in step.edges if graph.edges[eid].source == nid)
            np.testing.assert_allclose(after, running.get(nid, 0.0) + added, rtol=1e-12)
            running[nid] = np.asarray(after, dtype=float)
    for nid, total in running.items():
        np.testing.assert_allclose(graph.nodes[nid].adjoint, total, rtol=1e-12)


def check_forward(graph):
    order = [s.node for s in graph.forward]
    assert sorted(order) == sorted(graph.nodes), "each node is computed exactly once"
    assert all(s.kind == "forward" for s in graph.forward)
    assert [s.index for s in graph.forward] == list(range(len(order)))
    where = {nid: k for k, nid in enumerate(order)}
    for e in graph.edges.values():
        assert where[e.source] < where[e.target], f"{e.id}: the input is computed after the op"
    for s in graph.forward:
        assert graph.nodes[s.node].value_text in s.words


# -- nodes from function texts -------------------------------------------------------------------

FOUR_KINDS = [Declaration("x", 2.0, "variable"), Declaration("y", 3.0, "variable_untrainable"),
              Declaration("z", 1.5, "watched"), Declaration("w", 4.0, "constant")]


def test_each_kind_of_source_from_declarations():
    graph = function_graph("u = x*y\nf = u + z*w + 2", FOUR_KINDS)
    x, y, z, w = (node(graph, n) for n in "xyzw")
    assert [x.kind, y.kind, z.kind, w.kind] == list(SOURCE_KINDS)
    assert [n.name for n in (x, y, z, w)] == list("xyzw")
    assert [n.recorded for n in (x, y, z, w)] == [True, False, True, False]
    assert graph.sources == [x.id, y.id, z.id, w.id]
    assert all(n.is_source for n in (x, y, z, w))
    # f = xy + zw + 2: ∂f/∂x = y, ∂f/∂z = w; y and w were never watched, so they get None.
    assert float(x.gradient) == 3.0 and x.gradient_text == "3"
    assert float(z.gradient) == 4.0 and z.gradient_text == "4"
    assert y.gradient is None and y.gradient_text == "None"
    assert w.gradient is None and w.gradient_text == "None"
    assert y.reason == "y is a non-trainable Variable: tapes do not watch those by themselves"
    assert w.reason == "w is a constant that was never watched"
    assert x.reason == "" and z.reason == ""


def test_one_node_per_op_with_the_users_names_and_a_flagged_target():
    graph = function_graph("u = x*y\nf = u + z*w + 2", FOUR_KINDS)
    ops = [n for n in graph.nodes.values() if n.op is not None]
    assert sorted(n.op for n in ops) == ["add", "add", "multiply", "multiply"]
    assert len(graph.nodes) == 4 + 1 + 4       # four sources, one literal, four ops
    assert len(graph.edges) == 8               # two inputs per op
    u = node(graph, "u")
    assert u.kind == "op" and u.name == "u" and u.formula == "x·y" and u.symbol == "×"
    targets = [n for n in graph.nodes.values() if n.is_target]
    assert len(targets) == 1 and targets[0].kind == "target" and targets[0].label == "f"
    assert graph.targets == [targets[0].id]
    assert float(targets[0].value) == 2 * 3 + 1.5 * 4 + 2
    assert node(graph, "z·w").name is None    # an unnamed op is labelled by its formula
    assert not any(n.is_target for n in graph.nodes.values() if n is not targets[0])


def test_literals_are_literal_nodes():
    graph = function_graph("f = 3*x + 0.5", variables(x=2.0))
    literals = of_kind(graph, "literal")
    assert sorted(n.label for n in literals) == ["0.5", "3"]
    assert sorted(float(n.value) for n in literals) == [0.5, 3.0]
    assert not any(n.is_source or n.is_target for n in literals)
    assert node(graph, "3·x").formula == "3·x"
    assert node(graph, "f").formula == "(3·x) + 0.5"
    assert float(node(graph, "x").gradient) == 3.0


def test_all_four_kinds_from_a_tape_script():
    graph = script_graph("""
import tensorflow as tf
x = tf.Variable(2.0)
s = tf.Variable(3.0, trainable=False)
w = tf.constant(1.5)
c = tf.constant(4.0)
with tf.GradientTape() as tape:
    tape.watch(w)
    f = x * s + w * c
g = tape.gradient(f, [x, s, w, c])
""")
    kinds = {label: node(graph, label).kind for label in ("x", "s", "w", "c")}
    assert kinds == {"x": "variable", "s": "variable_untrainable", "w": "watched", "c": "constant"}
    assert [graph.nodes[i].label for i in graph.sources] == ["x", "s", "w", "c"]
    assert node(graph, "f").is_target and node(graph, "f").kind == "target"
    assert sorted(n.op for n in graph.nodes.values() if n.op) == ["add", "multiply", "multiply"]
    assert [node(graph, n).gradient_text for n in ("x", "s", "w", "c")] == ["3", "None", "4", "None"]
    assert graph.title == "gradient(f, [x, s, w, c])"
    assert graph.tape["name"] == "tape" and graph.tape["persistent"] is False


def test_scalar_values_keep_four_significant_digits():
    graph = function_graph("f = sin(x)", [Declaration("x", "pi/4")])
    x, f = node(graph, "x"), node(graph, "f")
    assert float(x.value) == math.pi / 4 and x.value_text == "0.7854"
    assert float(f.value) == pytest.approx(math.sqrt(0.5), rel=1e-15) and f.value_text == "0.7071"
    assert x.gradient_text == "0.7071"                       # cos(pi/4)
    graph = function_graph("f = x*y", variables(x=-1.5, y=1 / 3))
    assert node(graph, "x").value_text == "−1.5"
    assert node(graph, "f").value_text == "−0.5"
    assert node(graph, "y").gradient_text == "−1.5"


def test_arrays_are_summarised_but_kept_whole():
    values = np.arange(1.0, 11.0)
    graph = function_graph("u = x*x\nf = sum(u)", [Declaration("x", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]")])
    x, u, f = node(graph, "x"), node(graph, "u"), node(graph, "f")
    assert x.value_text == "[1, 2, 3, …] (10)"
    np.testing.assert_array_equal(x.value, values)
    np.testing.assert_array_equal(u.value, values ** 2)
    assert u.value_text == "[1, 4, 9, …] (10)"
    assert float(f.value) == 385.0 and f.value_text == "385"
    np.testing.assert_array_equal(x.gradient, 2 * values)    # d/dx Σ x² = 2x
    assert x.gradient_text == "[2, 4, 6, …] (10)"
    graph = function_graph("f = x * 2", [Declaration("x", "[[1, 2], [3, 4]]")])
    assert node(graph, "x").value_text == "[1, 2, 3, …] (2×2)"
    assert node(graph, "f").value.shape == (2, 2)
    graph = function_graph("f = x * 2", [Declaration("x", "[1, -2]")])
    assert node(graph, "f").value_text == "[2, −4]"


# -- what the tape did not record ----------------------------------------------------------------

def test_an_unwatched_constant_is_not_recorded():
    graph = script_graph("""
import tensorflow as tf
x = tf.constant(3.0)
with tf.GradientTape() as tape:
    y = x * x
dy = tape.gradient(y, x)
""")
    x, y = node(graph, "x"), node(graph, "y")
    assert x.kind == "constant" and not x.recorded
    assert x.reason == "x is a constant that was never watched"
    assert x.gradient is None and x.gradient_text == "None"
    assert y.is_target and not y.recorded
    assert "watched" in y.reason and "x" in y.reason and "did not record" in y.reason
    assert float(y.value) == 9.0
    assert len(graph.edges) == 2 and not any(e.recorded for e in graph.edges.values())
    assert all(e.contribution is None for e in graph.edges.values())
    assert [s.kind for s in graph.backward] == ["seed"]
    assert "nothing flows back" in graph.backward[0].words
    check_forward(graph)


def test_stop_recording_and_zero_for_unconnected_gradients():
    graph = script_graph("""
import tensorflow as tf
x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as t:
    x2 = x**2
    with t.stop_recording():
        y2 = y * y
    z = x2 + y2
g = t.gradient(z, [x, y], unconnected_gradients="zero")
""")
    y2 = node(graph, "y2")
    assert not y2.recorded and "stop_recording" in y2.reason
    assert float(y2.value) == 9.0
    y = node(graph, "y")
    assert not y.recorded and "stop_recording" in y.reason
    assert y.gradient_text == "0" and float(y.gradient) == 0.0
    assert node(graph, "x").gradient_text == "4"             # d/dx x² = 2x
    assert node(graph, "z").recorded
    assert edge(graph, "y2", "z").recorded                   # z itself was recorded...
    assert edge(graph, "y2", "z").contribution is None       # ...but nothing flows into y2
    check_schedule(graph)


def test_a_zero_array_gradient_reads_0():
    graph = script_graph("""
import tensorflow as tf
x = tf.Variable(2.0)
v = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as t:
    z = x * 5.0
g = t.gradient(z, [x, v], unconnected_gradients=tf.UnconnectedGradients.ZERO)
""")
    v = node(graph, "v")
    assert v.gradient_text == "0"
    np.testing.assert_array_equal(v.gradient, np.zeros(3))


def test_unconnected_gradients_default_to_none():
    graph = script_graph("""
import tensorflow as tf
x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as t:
    z = x * 5.0
g = t.gradient(z, [x, y])
""")
    y = node(graph, "y")
    assert y.gradient is None and y.gradient_text == "None"
    assert "not read inside" in y.reason
    assert node(graph, "x").gradient_text == "5"


def test_watch_accessed_variables_false_and_non_trainable_reasons():
    graph = script_graph("""
import tensorflow as tf
x = tf.Variable(2.0)
y = tf.Variable(3.0, trainable=False)
with tf.GradientTape(watch_accessed_variables=False) as t:
    z = x * y
g = t.gradient(z, [x, y])
""")
    x, y = node(graph, "x"), node(graph, "y")
    assert "watch_accessed_variables=False" in x.reason and "watch(x)" in x.reason
    assert "non-trainable" in y.reason
    assert x.gradient_text == y.gradient_text == "None"
    assert not node(graph, "z").recorded
    assert graph.tape["watch_accessed_variables"] is False


def test_watch_accessed_variables_false_from_functions():
    trace = run_functions("f = x*y", [Declaration("x", 2.0), Declaration("y", 3.0, "watched")],
                          watch_accessed_variables=False)
    graph = graph_for_call(trace, 0)
    x, y = node(graph, "x"), node(graph, "y")
    assert not x.recorded and "watch_accessed_variables=False" in x.reason
    assert y.recorded and float(y.gradient) == 2.0
    assert x.gradient_text == "None"


# -- edges: partial formulas and values ----------------------------------------------------------

@pytest.mark.parametrize("text, inp, formula, partial", [
    ("f = x*y", "x", "∂f/∂x = y", lambda x, y: y),
    ("f = x*y", "y", "∂f/∂y = x", lambda x, y: x),
    ("f = x**2", "x", "∂f/∂x = 2·x", lambda x, y: 2 * x),
    ("f = x**3", "x", "∂f/∂x = 3·x²", lambda x, y: 3 * x ** 2),
    ("f = x**y", "x", "∂f/∂x = y·x^(y−1)", lambda x, y: y * x ** (y - 1)),
    ("f = x**y", "y", "∂f/∂y = x^y·ln x", lambda x, y: x ** y * math.log(x)),
    ("f = sin(x)", "x", "∂f/∂x = cos(x)", lambda x, y: math.cos(x)),
    ("f = cos(x)", "x", "∂f/∂x = −sin(x)", lambda x, y: -math.sin(x)),
    ("f = exp(x)", "x", "∂f/∂x = exp(x)", lambda x, y: math.exp(x)),
    ("f = log(x)", "x", "∂f/∂x = 1/x", lambda x, y: 1 / x),
    ("f = tanh(x)", "x", "∂f/∂x = 1 − tanh²(x)", lambda x, y: 1 - math.tanh(x) ** 2),
    ("f = x / y", "x", "∂f/∂x = 1/y", lambda x, y: 1 / y),
    ("f = x / y", "y", "∂f/∂y = −x/y²", lambda x, y: -x / y ** 2),
    ("f = x - y", "y", "∂f/∂y = −1", lambda x, y: -1.0),
])
def test_partial_formula_and_value(text, inp, formula, partial):
    x, y = 1.3, 0.7
    names = [n for n in "xy" if n in text.split("=", 1)[1]]
    graph = function_graph(text, variables(**{n: v for n, v in zip("xy", (x, y)) if n in names}))
    e = edge(graph, inp, "f")
    assert e.partial_formula == formula
    assert e.recorded
    np.testing.assert_allclose(e.partial_value, partial(x, y), rtol=1e-14)
    np.testing.assert_allclose(e.contribution, partial(x, y), rtol=1e-14)     # upstream is 1
    assert e.partial_text == format_value(partial(x, y))


def test_partials_in_the_names_of_intermediate_values_and_chain_rule_numbers():
    x, y = 0.7, -1.3
    graph = function_graph("u = x*y\nf = sin(u)", variables(x=x, y=y))
    into_f = edge(graph, "u", "f")
    assert into_f.partial_formula == "∂f/∂u = cos(u)"
    np.testing.assert_allclose(into_f.partial_value, math.cos(x * y), rtol=1e-14)
    ex, ey = edge(graph, "x", "u"), edge(graph, "y", "u")
    assert (ex.partial_formula, ey.partial_formula) == ("∂u/∂x = y", "∂u/∂y = x")
    np.testing.assert_allclose(ex.contribution, math.cos(x * y) * y, rtol=1e-14)
    np.testing.assert_allclose(ey.contribution, math.cos(x * y) * x, rtol=1e-14)
    np.testing.assert_allclose(node(graph, "u").adjoint, math.cos(x * y), rtol=1e-14)
    last = graph.backward[-1]
    assert last.node == node(graph, "u").id
    text = "\n".join(last.chain)
    assert f"∂f/∂x = ∂f/∂u · ∂u/∂x = {format_value(math.cos(x * y))} · {term(format_value(y))} = " \
           f"{format_value(math.cos(x * y) * y)}" in text
    check_schedule(graph)


def test_compound_labels_are_parenthesised_as_operands():
    graph = function_graph("f = (x*y + z) * w", variables(x=2.0, y=3.0, z=1.0, w=4.0))
    f = node(graph, "f")
    assert f.formula == "((x·y) + z)·w"                     # not "(x·y) + z·w"
    assert float(f.value) == (2 * 3 + 1) * 4
    assert edge(graph, "(x·y) + z", "f").partial_formula == "∂f/∂((x·y) + z) = w"
    assert edge(graph, "x·y", "(x·y) + z").partial_formula == "∂((x·y) + z)/∂(x·y) = 1"
    graph = function_graph("f = (x + y) * (z - w)", variables(x=2.0, y=3.0, z=1.0, w=4.0))
    assert node(graph, "f").formula == "(x + y)·(z − w)"


# -- the backward schedule -----------------------------------------------------------------------

def test_backward_starts_with_a_seed_at_the_target_and_follows_the_engine():
    trace = run_functions("u = x*y\nf = sin(u) + x**2", variables(x=2.0, y=3.0))
    graph = graph_for_call(trace, 0)
    seed = graph.backward[0]
    f = node(graph, "f")
    assert seed.kind == "seed" and seed.node == f.id
    assert float(seed.adjoints[f.id]) == 1.0 and float(seed.upstream) == 1.0
    assert seed.chain == ["∂f/∂f = 1"]
    engine = trace.calls[0].tape_call.backward.steps
    steps = backward_steps(graph)
    assert len(steps) == len(engine) == 4                       # add, pow, sin, multiply
    for st, step in zip(engine, steps):                         # one step per engine step, in its order
        assert graph.nodes[step.node].op == st.record.op.name
        assert graph.nodes[step.node].value is st.record.output._value
    assert [graph.nodes[s.node].label for s in steps] == ["f", "x²", "sin(u)", "u"]
    check_schedule(graph)
    check_forward(graph)


def test_fan_out_adds_up():
    x, y = 2.0, 3.0
    graph = function_graph("f = x*y + x**2", variables(x=x, y=y))
    xn = node(graph, "x")
    fan_out = [s for s in graph.backward if xn.id in s.accumulated]
    assert len(fan_out) == 1, "x is used twice: exactly one step adds to what it already had"
    step = fan_out[0]
    assert float(step.adjoints[xn.id]) == y + 2 * x             # d/dx (xy + x²) = y + 2x
    first = float(step.accumulated[xn.id])
    added = sum(float(step.contributions[e]) for e in step.edges if graph.edges[e].source == xn.id)
    assert {first, added} == {y, 2 * x}
    assert f"{format_value(first)} + {format_value(added)} = {format_value(y + 2 * x)}" in "\n".join(step.chain)
    assert float(xn.adjoint) == float(xn.gradient) == y + 2 * x
    assert float(node(graph, "y").gradient) == x
    assert float(edge(graph, "x", "x·y").contribution) == y
    assert float(edge(graph, "x", "x²").contribution) == 2 * x
    check_schedule(graph)


def test_a_node_used_twice_by_one_op():
    # z = (x·x)·x: the step of y = x·x sends two contributions into x, on top of what x had.
    trace = run_script("""
import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape() as t:
    y = x * x
    z = y * x
g = t.gradient(z, x)
""")
    graph = graph_for_call(trace, 0)
    xn = node(graph, "x")
    assert float(xn.gradient) == 27.0                            # 3x²
    step = next(s for s in backward_steps(graph) if s.node == node(graph, "y").id)
    assert float(step.accumulated[xn.id]) == 9.0                 # from z = y·x: y = 9
    assert float(step.adjoints[xn.id]) == 27.0
    assert len(step.edges) == 2
    chain = "\n".join(step.chain)
    assert "9 + 9 = 18" in chain and "18 + 9 = 27" in chain
    check_schedule(graph)
    graph = function_graph("f = x*x", variables(x=3.0))
    assert not any(s.accumulated for s in graph.backward)        # nothing before the one step
    assert "3 + 3 = 6" in "\n".join(graph.backward[1].chain)
    check_schedule(graph)


def test_every_source_adjoint_is_its_gradient_and_the_sum_of_its_contributions():
    x, y, z = 0.4, -1.1, 2.0
    graph = function_graph("u = x*y\nv = sin(u) + u*z\nf = v*x - exp(z*0.1)", variables(x=x, y=y, z=z))

    def f(x, y, z):
        u = x * y
        return (math.sin(u) + u * z) * x - math.exp(z * 0.1)

    expected = central_difference(f, [x, y, z])
    for name, g in zip("xyz", expected):
        n = node(graph, name)
        np.testing.assert_allclose(n.gradient, g, rtol=1e-7)
        np.testing.assert_allclose(n.adjoint, n.gradient, rtol=1e-14)
        np.testing.assert_allclose(contributions_into(graph, n.id), n.gradient, rtol=1e-12)
    check_schedule(graph)


UNARY = [("sin({})", math.sin), ("cos({})", math.cos), ("tanh({})", math.tanh),
         ("{}**2", lambda a: a ** 2), ("exp(0.3*{})", lambda a: math.exp(0.3 * a))]
BINARY = [("{} + {}", lambda a, b: a + b), ("{} - {}", lambda a, b: a - b), ("{} * {}", lambda a, b: a * b)]


def random_program(seed, n_ops=9):
    """Function text over a, b, c with fan-out, and the same function in plain Python."""
    rng = random.Random(seed)
    names = ["a", "b", "c"]
    lines, steps = [], []
    for k in range(n_ops):
        name = f"t{k}"
        if rng.random() < 0.4:
            template, fn = rng.choice(UNARY)
            arg = rng.choice(names)
            lines.append(f"{name} = {template.format(arg)}")
            steps.append((name, fn, (arg,)))
        else:
            template, fn = rng.choice(BINARY)
            args = (rng.choice(names), rng.choice(names))   # may be the same name twice
            lines.append(f"{name} = {template.format(*args)}")
            steps.append((name, fn, args))
        names.append(name)
    lines.append(f"f = {names[-1]} + {names[-2]} * a*b*c")
    steps.append(("f", lambda p, q, a, b, c: p + q * a * b * c, (names[-1], names[-2], "a", "b", "c")))

    def f(a, b, c, everything=False):
        env = {"a": a, "b": b, "c": c}
        for name, fn, args in steps:
            env[name] = fn(*(env[x] for x in args))
        return env if everything else env["f"]

    return "\n".join(lines), f


@pytest.mark.parametrize("seed", range(6))
def test_random_dag_against_finite_differences(seed):
    text, f = random_program(seed)
    rng = np.random.default_rng(seed)
    point = [float(v) for v in rng.uniform(-1.2, 1.2, 3)]
    kinds = ["variable", "watched", "variable"]
    graph = function_graph(text, [Declaration(n, v, k) for n, v, k in zip("abc", point, kinds)])
    assert float(node(graph, "f").value) == pytest.approx(f(*point), rel=1e-12)
    expected = central_difference(f, point)
    for name, g in zip("abc", expected):
        n = node(graph, name)
        np.testing.assert_allclose(n.gradient, g, rtol=1e-6, atol=1e-8, err_msg=f"{text}\n∂f/∂{name}")
        np.testing.assert_allclose(n.adjoint, n.gradient, rtol=1e-14)
        np.testing.assert_allclose(contributions_into(graph, n.id), g, rtol=1e-6, atol=1e-8)
    # Every named value on the path to f, computed independently.
    env = f(*point, everything=True)
    named = [n for n in graph.nodes.values() if n.name in env]
    assert len(named) >= 4
    for n in named:
        np.testing.assert_allclose(n.value, env[n.name], rtol=1e-12, err_msg=n.name)
    check_schedule(graph)
    check_forward(graph)


# -- the forward schedule ------------------------------------------------------------------------

def test_forward_schedule_computes_inputs_first():
    graph = function_graph("u = x*y\nv = u + 1\nf = sin(v) * u + x", variables(x=2.0, y=3.0))
    check_forward(graph)
    order = [graph.nodes[s.node].label for s in graph.forward]
    assert order.index("u") < order.index("v") < order.index("sin(v)") < order.index("f")
    assert graph.forward[-1].node == node(graph, "f").id
    assert graph.forward[order.index("u")].words == "compute u = 6"


# -- second order --------------------------------------------------------------------------------

NESTED = """
import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = x**3 + 2*x
    dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
"""


def test_second_order_marks_the_inner_gradients_ops():
    trace = run_script(NESTED)
    assert trace.error is None and len(trace.calls) == 2
    inner, outer = graph_for_call(trace, 0), graph_for_call(trace, 1)
    assert float(node(inner, "x").gradient) == 3 * 3.0 ** 2 + 2      # dy/dx = 3x² + 2 = 29
    assert not any(n.gradient_op for n in inner.nodes.values())
    gradient_ops = [n for n in outer.nodes.values() if n.gradient_op]
    assert gradient_ops and all(n.op for n in gradient_ops)
    target = node(outer, "dy_dx")
    assert target.is_target and target.gradient_op and float(target.value) == 29.0
    x = node(outer, "x")
    assert not x.gradient_op
    assert float(x.gradient) == 18.0 and x.gradient_text == "18"     # d²y/dx² = 6x
    np.testing.assert_allclose(contributions_into(outer, x.id), 18.0)
    assert outer.title == "gradient(dy_dx, x)" and outer.tape["name"] == "t2"
    check_schedule(outer)
    check_forward(outer)


# -- stable ids ----------------------------------------------------------------------------------

TEXT = "u = x*y\nf = sin(u) + x**2"


def test_ids_do_not_depend_on_values():
    a = function_graph(TEXT, variables(x=2.0, y=3.0))
    b = function_graph(TEXT, variables(x=-5.0, y=0.25))
    assert ids(a) == ids(b)
    assert {i: n.label for i, n in a.nodes.items()} == {i: n.label for i, n in b.nodes.items()}
    assert [s.node for s in a.backward] == [s.node for s in b.backward]
    assert not np.allclose(a.nodes[a.targets[0]].value, b.nodes[b.targets[0]].value)


def test_ids_survive_an_appended_line():
    a = function_graph(TEXT, variables(x=2.0, y=3.0))
    b = function_graph(TEXT + "\ng = f * 2", variables(x=2.0, y=3.0), targets=["f"])
    assert ids(a) == ids(b)
    c = function_graph(TEXT + "\ng = f * 2", variables(x=2.0, y=3.0))    # now differentiate g
    assert set(a.nodes) < set(c.nodes) and set(a.edges) < set(c.edges)
    assert len(c.nodes) == len(a.nodes) + 2                              # the literal 2 and g
    assert float(node(c, "x").gradient) == pytest.approx(2 * float(node(a, "x").gradient), rel=1e-15)


def test_ids_are_the_same_across_runs():
    a = function_graph(TEXT, variables(x=2.0, y=3.0))
    b = function_graph(TEXT, variables(x=2.0, y=3.0))
    assert list(a.nodes) == list(b.nodes) and list(a.edges) == list(b.edges)
    assert len(set(a.nodes)) == len(a.nodes)
    s1, s2 = script_graph(NESTED, 1), script_graph(NESTED, 1)     # fresh engine ids, same graph ids
    assert list(s1.nodes) == list(s2.nodes) and list(s1.edges) == list(s2.edges)


def test_edges_reference_nodes():
    graph = function_graph(TEXT, variables(x=2.0, y=3.0))
    for e in graph.edges.values():
        assert e.source in graph.nodes and e.target in graph.nodes
        assert graph.nodes[e.target].op is not None
    nx_graph = graph.to_networkx()
    assert set(nx_graph.nodes) == set(graph.nodes)
    assert set(nx_graph.edges) == {(e.source, e.target) for e in graph.edges.values()}


# -- a failing call ------------------------------------------------------------------------------

def test_a_failing_call_still_has_a_graph():
    trace = run_script("""
import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape() as t:
    y = x * x
    z = y * x
a = t.gradient(z, x)
b = t.gradient(y, x)
""")
    assert trace.error is not None and len(trace.calls) == 2
    graph = graph_for_call(trace, 1)
    assert "non-persistent" in graph.error
    y = node(graph, "y")
    assert y.is_target and float(y.value) == 9.0
    assert node(graph, "x").gradient_text == "None"
    assert "z" not in {n.label for n in graph.nodes.values()}        # only what y depends on
    check_forward(graph)
    first = graph_for_call(trace, 0)
    assert first.error == "" and float(node(first, "x").gradient) == 27.0


def test_a_variable_shows_the_value_the_call_used_even_after_assign():
    from adviz.lang import run_script
    from adviz.graph import graph_for_call
    trace = run_script(
        "import adviz as tf\n"
        "w = tf.Variable(1.0)\n"
        "x = tf.constant(2.0)\n"
        "with tf.GradientTape() as t:\n"
        "    y = w * x\n"
        "g = t.gradient(y, w)\n"
        "w.assign_sub(0.5)\n")
    assert trace.error is None
    graph = graph_for_call(trace, 0)
    w = next(n for n in graph.nodes.values() if n.label == "w")
    y = next(n for n in graph.nodes.values() if n.label == "y")
    assert float(w.value) == 1.0 and float(y.value) == 2.0


def test_deep_unnamed_results_keep_short_labels_and_build_fast():
    import time
    from adviz.lang import run_script
    from adviz.graph import graph_for_call
    src = ("import adviz as tf\nx = tf.Variable(1.0)\nwith tf.GradientTape() as g:\n    ys = [x]\n"
           "    for i in range(300):\n        ys = ys + [ys[-1] * 0.5 + ys[i // 2]]\nd = g.gradient(ys[-1], x)\n")
    trace = run_script(src)
    assert trace.error is None
    start = time.perf_counter()
    graph = graph_for_call(trace, 0)
    assert time.perf_counter() - start < 10
    assert len(graph.nodes) > 600
    assert max(len(n.label) for n in graph.nodes.values()) <= 32
    assert any(n.label.startswith("add") and n.label[3:].strip("₀₁₂₃₄₅₆₇₈₉") == "" for n in graph.nodes.values())

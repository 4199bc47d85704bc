"""The texts of the picture are true as written: parentheses, named factors, powers, broadcast
sums, named partials, the forward pass, messages in sizes, symbols and non-finite values explained.

Numbers are checked against closed forms, never against the engine itself.
"""
import re
from pathlib import Path

import numpy as np
import pytest

from adviz.engine import OPS
from adviz.graph import (SYMBOLS, explain_edge, explain_node, explain_value, graph_for_call, graph_symbols,
                         symbols_in)
from adviz.graph.symbols import graph_texts
from adviz.graph.texts import product_text
from adviz.lang import Declaration, run_functions, run_script

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"


def function_graph(text, **values):
    trace = run_functions(text, [Declaration(k, v) for k, v in values.items()])
    assert trace.error is None, trace.error
    return graph_for_call(trace, 0)


def by_label(graph, label):
    found = [n for n in graph.nodes.values() if n.label == label]
    assert len(found) == 1, [n.label for n in graph.nodes.values()]
    return found[0]


def edges_into(graph, label):
    target = by_label(graph, label).id
    return sorted((e for e in graph.edges.values() if e.target == target), key=lambda e: e.index)


def steps(graph):
    return [s for s in graph.backward if s.kind == "backward"]


def all_chain(graph):
    return [line for s in graph.backward for line in s.chain]


# -- 1. parentheses ------------------------------------------------------------------------------

def test_a_list_of_targets_is_differentiated_as_a_parenthesised_sum():
    trace = run_script((LESSONS / "01_tape_basics.py").read_text(encoding="utf-8"))
    graph = graph_for_call(trace, 3)       # tape.gradient([y, z], w)
    seed = graph.backward[0]
    assert seed.chain == ["∂(y + z)/∂(y + z) = 1"]
    assert seed.words == "Start at the target: ∂(y + z)/∂(y + z) = 1"
    assert "∂y + z" not in "\n".join(s.words for s in graph.backward)
    assert "(∂(y + z)/∂z = 1)" in steps(graph)[0].words
    assert float(by_label(graph, "w").gradient) == 2 * 3 + 3 * 3 ** 2      # 2w + 3w² at w = 3


def test_compound_parts_of_a_derivative_are_parenthesised_and_calls_are_not():
    graph = function_graph("f = sin(x + y) * z", x="0.5", y="0.25", z="2")
    formulas = {e.partial_formula for e in graph.edges.values()}
    assert "∂(x + y)/∂x = 1" in formulas
    assert "∂sin(x + y)/∂(x + y) = cos(x + y)" in formulas                 # not sin((x + y))
    assert "∂f/∂sin(x + y) = z" in formulas
    squared = function_graph("f = x**2 * y", x="3", y="2")
    assert "∂(x²)/∂x = 2·x" in {e.partial_formula for e in squared.edges.values()}
    assert "∂f/∂(x²) = y" in {e.partial_formula for e in squared.edges.values()}


def test_negative_factors_in_products_are_parenthesised():
    graph = function_graph("f = sin(x) * cos(x)", x="2")
    cos2, sin2 = np.cos(np.float32(2)), np.sin(np.float32(2))
    first = steps(graph)[0]
    into_sin = next(e for e in first.edges if graph.nodes[graph.edges[e].source].label == "sin(x)")
    assert product_text(graph, first, into_sin) == "1 × (−0.4161) = −0.4161"
    assert float(graph.edges[into_sin].contribution) == pytest.approx(cos2)
    lines = all_chain(graph)
    assert "∂f/∂x = ∂f/∂cos(x) · ∂cos(x)/∂x = 0.9093 · (−0.9093) = −0.8268" in lines
    assert "∂f/∂x += ∂f/∂sin(x) · ∂sin(x)/∂x = −0.4161 · (−0.4161) = 0.1732" in lines
    assert float(by_label(graph, "x").gradient) == pytest.approx(cos2 ** 2 - sin2 ** 2, rel=1e-6)
    assert not any(re.search(r"[·×] −", line) for line in graph_texts(graph) if line)


# -- 2. a value multiplied by itself ---------------------------------------------------------------

def test_each_edge_of_x_times_x_names_its_factor():
    graph = function_graph("f = x * x", x="2")
    first, second = edges_into(graph, "f")
    assert (first.partial_formula, second.partial_formula) == ("∂f/∂x₁ = x", "∂f/∂x₂ = x")
    step = steps(graph)[0]
    assert step.words == "Step 1: the adjoint of f (∂f/∂f = 1) flows back into x (twice)."
    assert step.chain == ["∂f/∂x = ∂f/∂f · ∂f/∂x₁ = 1 · 2 = 2",
                          "∂f/∂x += ∂f/∂f · ∂f/∂x₂ = 1 · 2 = 2",
                          "∂f/∂x = 2 + 2 = 4   (x is used more than once: the contributions add up)"]
    assert float(by_label(graph, "x").gradient) == 4.0              # 2x: the two edges' x + x
    unnamed = function_graph("f = x * x + 1", x="3")
    assert {e.partial_formula for e in edges_into(unnamed, "x·x")} == {"∂(x·x)/∂x₁ = x", "∂(x·x)/∂x₂ = x"}
    assert "x₁" in graph_symbols(graph)


# -- 3. powers -----------------------------------------------------------------------------------

def test_the_power_rule_lowers_the_exponent_and_writes_whole_numbers_in_full():
    graph = function_graph("f = x**1000000", x="1")
    assert by_label(graph, "1000000").kind == "literal"
    assert by_label(graph, "f").formula == "x^1000000"
    (into_f, _exponent) = edges_into(graph, "f")
    assert into_f.partial_formula == "∂f/∂x = 1000000·x^999999"
    assert float(by_label(graph, "x").gradient) == 1e6            # n·x^(n−1) at x = 1
    assert "1e6" not in "\n".join(t for t in graph_texts(graph) if t)


@pytest.mark.parametrize("text, formula, partial", [
    ("f = x**3", "x³", "∂f/∂x = 3·x²"),
    ("f = x**2", "x²", "∂f/∂x = 2·x"),
    ("f = x**-1", "x⁻¹", "∂f/∂x = −1·x⁻²"),
    ("f = x**0.5", "x^0.5", "∂f/∂x = 0.5·x^(−0.5)"),
    ("f = square(x)", "x²", "∂f/∂x = 2·x"),
])
def test_powers_are_written_one_way_on_nodes_edges_and_in_the_caption(text, formula, partial):
    graph = function_graph(text, x="2")
    assert by_label(graph, "f").formula == formula
    assert edges_into(graph, "f")[0].partial_formula == partial
    texts = [t for t in graph_texts(graph) if t]
    assert not any(re.search(r"\^\d{1,2}(?!\d|\.)", t) for t in texts), texts   # never x^2 beside x²


def test_the_exponent_partial_uses_the_same_power_notation():
    graph = function_graph("f = x**3 + x**2", x="2")
    formulas = {e.partial_formula for e in graph.edges.values()}
    assert {"∂(x³)/∂x = 3·x²", "∂(x³)/∂3 = x³·ln x", "∂(x²)/∂2 = x²·ln x", "∂f/∂(x³) = 1"} <= formulas
    assert float(by_label(graph, "x").gradient) == 3 * 4 + 2 * 2


# -- 4. broadcasting -----------------------------------------------------------------------------

def test_a_contribution_summed_over_the_batch_says_so():
    w = np.arange(16, dtype=np.float32).reshape(4, 4) / 8 - 1
    graph = function_graph("f = reduce_sum(w * b)", w=str(w.tolist()), b="[1, 2, 3, 4]")
    step = steps(graph)[-1]
    into_b = next(e for e in step.edges if graph.nodes[graph.edges[e].source].label == "b")
    into_w = next(e for e in step.edges if graph.nodes[graph.edges[e].source].label == "w")
    np.testing.assert_allclose(graph.edges[into_b].contribution, w.sum(axis=0))     # ∂f/∂b = Σ_i w[i, :]
    text = product_text(graph, step, into_b)
    assert text == "[1, 1, …] × [−1, −0.875, …], Σ over axis 0: 4×4 → 4 = [−1, −0.5, …]"
    b_line = next(line for line in step.chain if line.startswith("∂f/∂b"))
    assert b_line.endswith(", Σ over axis 0: 4×4 → 4 = [−1, −0.5, 0, …] (4)"), b_line
    assert "Σ over" not in product_text(graph, step, into_w)          # w was not broadcast
    assert not any("Σ over" in line for line in step.chain if line.startswith("∂f/∂w"))


def test_a_scalar_broadcast_against_a_vector_is_summed_to_a_scalar():
    graph = function_graph("f = reduce_sum(a * v)", a="2", v="[1, 2, 3]")
    step = steps(graph)[-1]
    into_a = next(e for e in step.edges if graph.nodes[graph.edges[e].source].label == "a")
    assert product_text(graph, step, into_a) == "[1, 1, …] × [1, 2, …], Σ over axis 0: 3 → scalar = 6"
    assert float(by_label(graph, "a").gradient) == 6.0


# -- 5. symbols explained, partials named -------------------------------------------------------------

def test_the_mean_partial_names_n():
    graph = function_graph("f = reduce_mean(x)", x="[1, 2, 3, 4]")
    assert edges_into(graph, "f")[0].partial_formula == "∂f/∂x = 1/n (mean of n = 4)"
    np.testing.assert_allclose(by_label(graph, "x").gradient, [0.25] * 4)
    by_axis = function_graph("f = reduce_sum(reduce_mean(x, 0))", x="[[1, 2, 3], [4, 5, 6]]")
    assert edges_into(by_axis, "mean(x)")[0].partial_formula == "∂mean(x)/∂x = 1/n (mean of n = 2)"
    np.testing.assert_allclose(by_label(by_axis, "x").gradient, np.full((2, 3), 0.5))


def test_every_op_symbol_and_mark_has_an_explanation():
    assert {"(·)", "→", "∂", "Σ", "x₁", "x²", "…", "inf", "nan"} <= set(SYMBOLS)
    assert all(op.symbol in SYMBOLS for op in OPS.values()), [op.symbol for op in OPS.values() if op.symbol not in SYMBOLS]
    assert all(isinstance(text, str) and len(text) > 10 for text in SYMBOLS.values())
    assert set(symbols_in("∂(a @ b)/∂a = (·) @ bᵀ")) >= {"∂", "@", "(·)", "ᵀ"}
    assert "sin" not in symbols_in("using a tape")                   # words are matched whole


GRAPHS = [
    ("f = reduce_mean(x @ w + b) + x[0, 0]**1000000 + abs(x[0, 1]) * x[0, 1]",
     dict(x="[[1, -2]]", w="[[1, 2], [3, 4]]", b="[1, 2]")),
    ("u = x*y\nf = sin(u) + x**2 - x / y + sqrt(y) * exp(-x)", dict(x="0.5", y="2")),
    ("f = reduce_sum(sigmoid(w * b) + tanh(b) + maximum(b, 0.5) + log(b))", dict(w="[[1, 2], [3, 4]]", b="[1, 2]")),
    ("f = reduce_max(transpose(x) @ x) + reduce_sum(reshape(x, [4]) * x[1, 0])", dict(x="[[1, 2], [3, 4]]")),
]


@pytest.mark.parametrize("text, values", GRAPHS)
def test_nothing_on_screen_is_unexplained(text, values):
    graph = function_graph(text, **values)
    used = graph_symbols(graph)
    assert "∂" in used and "=" in used
    ordered = sorted(SYMBOLS, key=len, reverse=True)
    from adviz.graph.symbols import _COMPILED
    for t in graph_texts(graph):
        rest = t or ""
        for symbol in ordered:
            rest = _COMPILED[symbol].sub(" ", rest)
        rest = re.sub(r"[A-Za-z0-9\s,.:;'()!?]", "", rest)
        assert not rest, f"{rest!r} in {t!r} is not explained"


# -- 6. the forward pass ------------------------------------------------------------------------

def test_a_literal_is_not_computed_in_the_forward_pass():
    graph = function_graph("f = x**2 + 3", x="2")
    words = {graph.nodes[s.node].label: s.words for s in graph.forward}
    assert words["2"] == "2 is a constant written in the expression: nothing to compute"
    assert words["3"] == "3 is a constant written in the expression: nothing to compute"
    assert words["x"] == "x = 2 is given (Variable): nothing to compute"
    assert words["f"] == "compute f = 7"
    assert not any(w.startswith("compute 2") or w.startswith("compute 3") for w in words.values())


# -- 7. messages in the user's terms --------------------------------------------------------------

def test_a_matrix_product_of_mismatched_shapes_names_the_inner_sizes():
    trace = run_functions("f = x @ y", [Declaration("x", "[[1, 2, 3], [4, 5, 6]]"),
                                        Declaration("y", "[[1, 2, 3], [4, 5, 6]]")])
    message = trace.error.message
    assert "(2, 3) @ (2, 3): inner sizes 3 and 2 differ" in message
    assert "gufunc" not in message and "signature" not in message
    script = run_script("import adviz as tf\nx = tf.constant([[1.0, 2.0]]) @ tf.constant([1.0, 2.0, 3.0])\n")
    assert "(1, 2) @ (3,): inner sizes 2 and 3 differ" in script.error.message
    assert (script.error.line, script.error.col) == (2, 5)


def test_shapes_that_do_not_broadcast_are_named_in_sizes():
    trace = run_functions("f = x + y", [Declaration("x", "[[1, 2, 3], [4, 5, 6]]"), Declaration("y", "[1, 2]")])
    assert "(2, 3) and (2,) do not broadcast: sizes 3 and 2 differ in the last axis" in trace.error.message


def test_a_ragged_list_says_which_rows_differ():
    trace = run_functions("f = x", [Declaration("x", "[[1, 2], [1, 2, 3]]")])
    assert trace.error.message == "the value of 'x': a ragged list: rows of different lengths (2 and 3)"
    assert "inhomogeneous" not in str(trace.error)
    script = run_script("import adviz as tf\nx = tf.constant([[1.0, 2.0], [1.0, 2.0, 3.0]])\n")
    assert "a ragged list: rows of different lengths (2 and 3)" in script.error.message
    assert "inhomogeneous" not in script.error.message
    inline = run_functions("f = x + [[1, 2], [3]]", [Declaration("x", "1")])
    assert "a ragged list: rows of different lengths (2 and 1)" in inline.error.message


def test_log_of_zero_and_zero_over_zero_are_explained():
    graph = function_graph("f = log(x)", x="0")
    assert explain_node(graph, by_label(graph, "f").id) == \
        "ln(0) = −inf: the logarithm falls without bound as its input approaches 0"
    assert explain_node(graph, by_label(graph, "x").id) == ""
    assert "1/x is inf where x = 0" in explain_edge(graph, edges_into(graph, "f")[0].id)
    quotient = function_graph("f = x / y", x="0", y="0")
    assert explain_node(quotient, by_label(quotient, "f").id) == "0 / 0 = nan: zero divided by zero has no value"
    with np.errstate(all="ignore"):
        logs, big = np.log(np.array([1.0, -1.0])), np.exp(np.array(100.0, np.float32))
    assert explain_value(OPS["log"], [np.array([1.0, -1.0])], logs) == \
        "ln(−1) = nan (at index 1): a negative number has no real logarithm"
    assert explain_value(OPS["exp"], [np.array(100.0, np.float32)], big).startswith(
        "exp(100) = inf: the result is larger than the largest float32 number")
    assert explain_value(OPS["sin"], [np.array(np.inf)], np.array(np.nan), ["x"]) == \
        "sin(inf) = nan: x is already inf, and it carries through"
    assert explain_value(OPS["sin"], [np.array(1.0)], np.sin(np.array(1.0))) == ""


def test_a_matrix_products_chain_line_writes_its_rule_and_shapes():
    from adviz.model import Document, VariableSpec, compute
    graph = compute(Document("f = reduce_sum(W @ x)", [VariableSpec("W", "[[1, 2], [3, 4]]"),
                                                        VariableSpec("x", "[[0.5], [-1]]")])).graph
    lines = [line for step in graph.backward for line in step.chain]
    assert "∂f/∂W = ∂f/∂(W @ x) @ xᵀ = [1, 1] (2×1) @ [0.5, −1] (1×2) = [0.5, −1, 0.5, …] (2×2)" in lines
    assert any(line.startswith("∂f/∂x = Wᵀ @ ∂f/∂(W @ x)") and line.endswith("= [4, 6] (2×1)") for line in lines)

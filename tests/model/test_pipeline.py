"""The model layer without Qt: the pipeline, the live layout, what counts as an edit, typed problems."""
from __future__ import annotations

import subprocess
import sys

import numpy as np

from adviz.lang import LangError
from adviz.model import Document, VariableSpec, compute, lay_out
from adviz.model.document import content_key
from adviz.model.pipeline import with_moved
from adviz.model.problems import describe

DOC = Document("u = x*y\nf = sin(u) + x**2", [VariableSpec("x", "2"), VariableSpec("y", "3")])


def test_compute_gives_the_gradient_of_the_closed_form():
    outcome = compute(DOC)
    assert outcome.error is None and outcome.outputs == ["u", "f"]
    x = next(n for n in outcome.graph.nodes.values() if n.label == "x")
    # d/dx (sin(xy) + x²) = y·cos(xy) + 2x
    assert np.isclose(float(x.adjoint), 3 * np.cos(6.0) + 4.0, rtol=1e-6)
    assert set(outcome.layout.positions) == set(outcome.graph.nodes)


def test_lay_out_is_the_one_layout_call_and_keeps_room_for_labels():
    graph = compute(DOC).graph
    lr, tb = lay_out(graph, "layered", "LR"), lay_out(graph, "layered", "TB")
    xs = sorted({round(p[0]) for p in lr.positions.values()})
    assert min(b - a for a, b in zip(xs, xs[1:])) >= 200, "a layer gap holds an edge label"
    assert lr.direction == "LR" and tb.direction == "TB"


def test_moved_nodes_are_where_the_user_put_them_and_their_edges_run_straight():
    outcome = compute(DOC)
    x = next(n.id for n in outcome.graph.nodes.values() if n.label == "x")
    live = with_moved(outcome.layout, {x: (-500.0, 12.0)})
    assert live.positions[x] == (-500.0, 12.0)
    for (u, v), route in live.routes.items():
        if x in (u, v):
            assert route == (live.positions[u], live.positions[v])
        else:
            assert route == outcome.layout.routes[(u, v)]
    assert with_moved(outcome.layout, {}) is outcome.layout


def test_the_chosen_call_is_not_part_of_the_content():
    a = Document("f = x", [VariableSpec("x")], call=0)
    b = Document("f = x", [VariableSpec("x")], call=3)
    assert content_key(a) == content_key(b)
    assert content_key(a) != content_key(Document("f = x", [VariableSpec("x", "2")]))


def test_a_bad_value_is_a_problem_of_its_input_not_of_the_text():
    outcome = compute(Document("f = x*y", [VariableSpec("x", "[1, 2"), VariableSpec("y", "3")]))
    problem = describe(outcome.error)
    assert problem.variable == "x" and problem.kind == "value"
    assert problem.text.startswith("x: ") and "the value of" not in problem.text
    located = describe(LangError("unknown name 'z'", 2, 5))
    assert located.variable is None and located.text == "line 2, col 5: unknown name 'z'"
    assert describe(None) is None


def test_the_model_layer_never_loads_qt():
    probe = ("import sys, adviz.model, adviz.model.session, adviz.model.check, adviz.model.problems; "
             "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

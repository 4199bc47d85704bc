"""Forward mode in the graph JSON (version 3): node tangents and dual numbers, edge tangent
products and the tangent schedule, checked against closed forms and the schema; version 2 still reads."""
from __future__ import annotations

import copy
import json
import math

import jsonschema
import numpy as np
import pytest

import adviz as tf
from adviz.graph import GraphJsonError, dumps, forward_mode_graph, graph_for_call, graph_json, layout, loads
from adviz.graph.jsonio import SCHEMA_PATH
from adviz.lang import Declaration, run_functions

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
X, Y = 2.0, 3.0


def _graph():
    # u = x·y, f = sin(u) + x²; the default seed is ẋ = 1, ẏ = 0.
    trace = run_functions("u = x*y\nf = sin(u) + x**2", [Declaration("x", X), Declaration("y", Y)])
    assert trace.error is None, trace.error
    return graph_for_call(trace, 0)


def _by_label(data):
    return {n["label"]: n for n in data["nodes"]}


def test_nodes_carry_tangents_equal_to_the_derivative_along_x():
    data = json.loads(dumps(_graph()))
    VALIDATOR.validate(data)
    nodes = _by_label(data)
    # ∂/∂x of each node: x → 1, y → 0, u = x·y → y, f → cos(x·y)·y + 2x.
    want = {"x": 1.0, "y": 0.0, "u": Y, "f": math.cos(X * Y) * Y + 2 * X}
    f = next(n for n in data["nodes"] if n["is_target"])
    got = {"x": nodes["x"]["tangent"], "y": nodes["y"]["tangent"], "u": nodes["u"]["tangent"], "f": f["tangent"]}
    for label, value in want.items():
        assert got[label] == pytest.approx(value, rel=1e-6), label
    assert f["dual_text"].endswith("·ε") and f["tangent_text"]
    assert data["seed"] == {n["id"]: 1.0 for n in data["nodes"] if n["label"] == "x"} | \
        {n["id"]: 0.0 for n in data["nodes"] if n["label"] == "y"}


def test_edges_carry_partial_times_incoming_tangent():
    graph = _graph()
    data = graph_json(graph)
    nodes = {n["id"]: n for n in data["nodes"]}
    by_pair = {(nodes[e["source"]]["label"], nodes[e["target"]]["label"]): e for e in data["edges"]}
    # into u = x·y from x: ∂u/∂x · ẋ = y · 1; from y: x · 0.
    assert by_pair[("x", "u")]["tangent_product"] == pytest.approx(Y)
    assert by_pair[("y", "u")]["tangent_product"] == pytest.approx(0.0)
    assert " × " in by_pair[("x", "u")]["tangent_product_text"]
    # into sin(u): cos(u) · u̇ = cos(6) · 3.
    sin_u = next(e for (s, t), e in by_pair.items() if s == "u")
    assert sin_u["tangent_product"] == pytest.approx(math.cos(X * Y) * Y, rel=1e-6)


def test_the_tangent_schedule_round_trips():
    graph = _graph()
    data = json.loads(dumps(graph, layout(graph.to_networkx())))
    steps = data["schedules"]["tangent"]
    assert len(steps) == len(graph.tangent)
    assert steps[0]["kind"] == "tangent-seed" and {s["kind"] for s in steps[1:]} == {"tangent"}
    for item, step in zip(steps, graph.tangent):
        assert (item["index"], item["node"], item["edges"], item["words"], item["chain"]) == \
               (step.index, step.node, step.edges, step.words, step.chain)
        assert set(item["tangents"]) == set(step.tangents)
        for k, v in step.tangents.items():
            np.testing.assert_allclose(item["tangents"][k], np.asarray(v, dtype=float))
        for k, v in step.contributions.items():
            np.testing.assert_allclose(item["contributions"][k], np.asarray(v, dtype=float))
    # The last step's tangent is the target's: ∂f/∂x in closed form.
    last = steps[-1]
    assert last["tangents"][last["node"]] == pytest.approx(math.cos(X * Y) * Y + 2 * X, rel=1e-6)
    assert "tangents" not in data["schedules"]["backward"][0]
    assert loads(dumps(graph)) == graph_json(graph)


def test_a_seed_per_source_is_written():
    x, y = tf.constant(X, tf.float64), tf.constant(Y, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        f = x * y
    tape.keep_steps = True
    tape.gradient(f, [x, y])
    graph = forward_mode_graph(tape, tape.calls[-1], seed=[2.0, 0.5], names={x._id: "x", y._id: "y", f._id: "f"})
    data = graph_json(graph)
    VALIDATOR.validate(data)
    f_node = next(n for n in data["nodes"] if n["label"] == "f")
    assert f_node["tangent"] == pytest.approx(2.0 * Y + 0.5 * X)     # ḟ = y·ẋ + x·ẏ
    assert sorted(data["seed"].values()) == [0.5, 2.0]


def test_version_2_files_still_read_and_validate():
    data = graph_json(_graph())
    old = copy.deepcopy(data)
    old["version"] = 2
    del old["seed"], old["schedules"]["tangent"]
    for node in old["nodes"]:
        for key in ("tangent", "tangent_text", "dual_text"):
            node.pop(key)
    for edge in old["edges"]:
        edge.pop("tangent_product"), edge.pop("tangent_product_text")
    VALIDATOR.validate(old)
    assert loads(json.dumps(old)) == old


@pytest.mark.parametrize("text, words", [
    ("{", "not JSON"), ("[]", "not an adviz.graph"), ('{"schema": "other", "version": 3}', "not an adviz.graph"),
    ('{"schema": "adviz.graph", "version": 4}', "newer"), ('{"schema": "adviz.graph", "version": 1}', "reads versions 2, 3"),
])
def test_what_is_not_a_readable_graph_says_why(text, words):
    with pytest.raises(GraphJsonError, match=words):
        loads(text)


def test_the_schema_checks_the_tangent_fields():
    data = graph_json(_graph())
    for mutate in (
        lambda d: d["nodes"][0].update(tangent="NaN"),
        lambda d: d["edges"][0].update(tangent_product=[1, "x"]),
        lambda d: d["schedules"]["tangent"][0].update(kind="sideways"),
        lambda d: d["schedules"]["tangent"][1].update(tangents={"n": "bad"}),
        lambda d: d.update(version=4),
    ):
        bad = copy.deepcopy(data)
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            VALIDATOR.validate(bad)

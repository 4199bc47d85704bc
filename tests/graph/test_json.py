"""The graph as JSON (adviz.graph.jsonio), checked against adviz/graph/graph.schema.json."""
import copy
import json
import math

import jsonschema
import numpy as np
import pytest

from adviz.graph import SCHEMA, VERSION, dumps, graph_for_call, graph_json, layout
from adviz.graph.jsonio import SCHEMA_PATH, array_json
from adviz.lang import Declaration, run_functions, run_script

SCHEMA_DOC = json.loads(SCHEMA_PATH.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA_DOC)


def functions(text, **values):
    trace = run_functions(text, [Declaration(k, v) for k, v in values.items()])
    assert trace.error is None, trace.error
    return graph_for_call(trace, 0)


def script(text, index=0):
    return graph_for_call(run_script(text), index)


UNWATCHED = """
import tensorflow as tf
x = tf.constant(3.0)
v = tf.Variable([1.0, 2.0], trainable=False)
with tf.GradientTape() as tape:
    y = x * x
    with tape.stop_recording():
        w = v * 2.0
g = tape.gradient(y, [x, v])
"""
NESTED = """
import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = x**3 + 2*x
    dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
"""
FAILING = """
import tensorflow as tf
x = tf.Variable(3.0)
with tf.GradientTape() as t:
    y = x * x
a = t.gradient(y, x)
b = t.gradient(y, x)
"""

GRAPHS = {
    "functions": lambda: functions("u = x*y\nf = sin(u) + x**2", x=2.0, y=3.0),
    "nan and inf": lambda: functions("f = log(x) + 1/y + sqrt(x)", x=-1.0, y=0.0),
    "arrays": lambda: functions("u = x*x\nf = sum(u) + sum(m*2)", x="[1, 2, 3, 4, 5]", m="[[1, 2], [3, 4]]"),
    "unwatched": lambda: script(UNWATCHED),
    "second order": lambda: script(NESTED, 1),
    "failing call": lambda: script(FAILING, 1),
}


def decode(value):
    """JSON back to numbers: the strings "nan", "inf", "-inf" are the floats they name."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[value]
    return value


def assert_same(json_value, array):
    if array is None:
        assert json_value is None
        return
    np.testing.assert_array_equal(np.asarray(decode(json_value), dtype=float), np.asarray(array, dtype=float))


@pytest.fixture(params=list(GRAPHS))
def drawn(request):
    graph = GRAPHS[request.param]()
    return graph, layout(graph.to_networkx())


def test_valid_against_the_schema_and_strict_json(drawn):
    graph, lay = drawn
    data = graph_json(graph, lay)
    VALIDATOR.validate(data)
    text = json.dumps(data, allow_nan=False)                # no NaN or Infinity tokens
    assert json.loads(text) == data
    assert json.loads(dumps(graph, lay)) == data
    VALIDATOR.validate(graph_json(graph))                   # without a layout too
    assert "layout" not in graph_json(graph)


def test_header(drawn):
    graph, lay = drawn
    data = graph_json(graph, lay)
    assert data["schema"] == SCHEMA == "adviz.graph"
    assert data["version"] == VERSION == 3
    assert data["title"] == graph.title
    assert data["targets"] == graph.targets and data["sources"] == graph.sources
    assert data["tape"]["persistent"] == graph.tape["persistent"]


def test_positions_for_every_node_and_routes_for_every_edge(drawn):
    graph, lay = drawn
    data = graph_json(graph, lay)
    positions = data["layout"]["positions"]
    assert set(positions) == set(graph.nodes)
    assert all(len(p) == 2 and all(math.isfinite(c) for c in p) for p in positions.values())
    routes = {(r["source"], r["target"]): r["points"] for r in data["layout"]["routes"]}
    assert set(routes) == {(e.source, e.target) for e in graph.edges.values()}
    for (u, v), points in routes.items():
        assert points[0] == positions[u] and points[-1] == positions[v]
    assert data["layout"]["method"] == "layered" and data["layout"]["direction"] == "LR"


def test_nodes_and_edges_round_trip(drawn):
    graph, lay = drawn
    data = json.loads(dumps(graph, lay))
    assert [n["id"] for n in data["nodes"]] == [n.id for n in sorted(graph.nodes.values(), key=lambda n: n.order)]
    for item in data["nodes"]:
        n = graph.nodes[item["id"]]
        assert (item["kind"], item["label"], item["recorded"], item["reason"]) == (n.kind, n.label, n.recorded, n.reason)
        assert (item["is_source"], item["is_target"], item["gradient_op"]) == (n.is_source, n.is_target, n.gradient_op)
        assert item["value_text"] == n.value_text
        assert tuple(item["shape"]) == np.shape(n.value)
        assert item["dtype"] == str(np.asarray(n.value).dtype)
        assert_same(item["value"], n.value)
        assert_same(item["adjoint"], n.adjoint)
        assert_same(item["gradient"], n.gradient)
        assert item["gradient_text"] == (n.gradient_text if n.is_source else None)
    assert [e["id"] for e in data["edges"]] == list(graph.edges)
    for item in data["edges"]:
        e = graph.edges[item["id"]]
        assert (item["source"], item["target"], item["index"]) == (e.source, e.target, e.index)
        assert item["source"] in graph.nodes and item["target"] in graph.nodes
        assert item["partial_formula"] == e.partial_formula
        assert_same(item["partial"], e.partial_value)
        assert_same(item["contribution"], e.contribution)


def test_schedules_round_trip(drawn):
    graph, lay = drawn
    data = json.loads(dumps(graph, lay))
    for name, steps in (("backward", graph.backward), ("forward", graph.forward)):
        assert len(data["schedules"][name]) == len(steps)
        for item, step in zip(data["schedules"][name], steps):
            assert (item["index"], item["kind"], item["node"], item["edges"]) == \
                   (step.index, step.kind, step.node, step.edges)
            assert item["words"] == step.words and item["chain"] == step.chain
            assert_same(item["upstream"], step.upstream)
            for key in ("contributions", "adjoints", "accumulated"):
                mapping = getattr(step, key)
                assert set(item[key]) == set(mapping)
                for k, v in mapping.items():
                    assert_same(item[key][k], v)


def test_nan_and_infinity_are_strings():
    graph = GRAPHS["nan and inf"]()
    data = json.loads(dumps(graph))
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["ln(x)"]["value"] == "nan" and nodes["ln(x)"]["value_text"] == "nan"
    assert nodes["1 / y"]["value"] == "inf"
    x = nodes["x"]
    assert x["value"] == -1.0
    # d/dy 1/y = −1/y² at y = 0; d/dx (ln x + √x) = 1/x + 1/(2√x) at x = −1 is nan.
    assert nodes["y"]["gradient"] == "-inf"
    assert x["gradient"] == "nan"


def test_arrays_are_nested_lists():
    graph = GRAPHS["arrays"]()
    data = graph_json(graph)
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["x"]["value"] == [1.0, 2.0, 3.0, 4.0, 5.0] and nodes["x"]["shape"] == [5]
    assert nodes["m"]["value"] == [[1.0, 2.0], [3.0, 4.0]] and nodes["m"]["shape"] == [2, 2]
    assert nodes["x"]["gradient"] == [2.0, 4.0, 6.0, 8.0, 10.0]          # d/dx Σ x² = 2x
    assert nodes["m"]["gradient"] == [[2.0, 2.0], [2.0, 2.0]]
    assert nodes["x"]["value_text"] == "[1, 2, 3, …] (5)"


def test_array_json():
    assert array_json(None) is None
    assert array_json(np.float32(1.5)) == 1.5
    assert array_json(np.array([[1, 2], [3, 4]])) == [[1.0, 2.0], [3.0, 4.0]]
    assert array_json(np.array([np.nan, np.inf, -np.inf])) == ["nan", "inf", "-inf"]
    assert array_json(np.array(True)) is True
    assert array_json(np.array([True, False])) == [True, False]
    assert array_json(np.zeros((0, 2))) == []


def test_the_schema_is_not_vacuous():
    data = graph_json(*(lambda g: (g, layout(g.to_networkx())))(GRAPHS["functions"]()))
    VALIDATOR.validate(data)
    for mutate in (
        lambda d: d.update(version=1),
        lambda d: d.update(schema="something else"),
        lambda d: d["nodes"][0].update(kind="bogus"),
        lambda d: d["nodes"][0].update(value="NaN"),
        lambda d: d["nodes"][0].pop("recorded"),
        lambda d: d["edges"][0].update(index="0"),
        lambda d: d["schedules"]["backward"][0].update(kind="sideways"),
        lambda d: d["layout"]["positions"].update({"v:x": [1.0]}),
        lambda d: d.pop("schedules"),
    ):
        bad = copy.deepcopy(data)
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            VALIDATOR.validate(bad)

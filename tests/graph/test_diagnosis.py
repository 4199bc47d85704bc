"""Why a gradient is None (adviz.graph.diagnosis): one tape script per cause, the failed call,
the tape as each call found it, and the JSON of every case against the schema."""
import json
import re

import jsonschema
import pytest

from adviz.graph import graph_for_call, graph_json, layout
from adviz.graph.jsonio import SCHEMA_PATH
from adviz.graph.model import CAUSES, FAILURES, Cause, TapeState
from adviz.lang import Declaration, Limits, run_functions, run_script

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
TF = "import tensorflow as tf\nimport numpy as np\n"          # two lines: scripts below start on line 3


DRAWN = []     # every graph the case tests build, for the JSON test


def last_graph(text):
    trace = run_script(text)
    assert trace.calls, trace.error
    DRAWN.append(graph_for_call(trace, len(trace.calls) - 1))
    return DRAWN[-1]


def node(graph, label):
    found = [n for n in graph.nodes.values() if n.label == label]
    assert len(found) == 1, f"{len(found)} nodes labelled {label!r}"
    return found[0]


def edge(graph, source_label, target_label):
    found = [e for e in graph.edges.values()
             if graph.nodes[e.source].label == source_label and graph.nodes[e.target].label == target_label]
    assert len(found) == 1
    return found[0]


def cause_of(graph, label):
    n = node(graph, label)
    assert n.is_source and isinstance(n.cause, Cause), n
    assert n.cause.code in CAUSES
    assert re.search(rf"\b{re.escape(label)}\b", n.cause.text), n.cause.text      # in the user's names
    assert n.cause.fix and n.cause.fix.endswith(".")
    assert all(b in graph.nodes or b in graph.edges for b in n.cause.breaks), n.cause.breaks
    return n.cause


# -- one script per cause ---------------------------------------------------------------------------

def test_constant_not_watched():
    graph = last_graph(TF + "x = tf.constant(2.0)\nwith tf.GradientTape() as tape:\n    y = x * x\n"
                            "g = tape.gradient(y, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "constant-not-watched"
    assert cause.text == "x is a constant the tape was never told to watch, so the tape recorded nothing that depends on it."
    assert cause.fix == "Call `tape.watch(x)` inside the `with` block, or make x a `tf.Variable`."
    assert cause.fix_action == "watch:x"
    x = node(graph, "x")
    assert cause.breaks == (x.id, *(e.id for e in graph.out_edges(x.id)))     # x and its unrecorded edges


def test_variable_not_trainable():
    graph = last_graph(TF + "v = tf.Variable(2.0, trainable=False)\nwith tf.GradientTape() as tape:\n"
                            "    y = v * 3.0\ng = tape.gradient(y, v)\n")
    cause = cause_of(graph, "v")
    assert cause.code == "variable-not-trainable" and "trainable=False" in cause.text
    assert cause.fix_action == "trainable:v"
    assert cause.breaks == (node(graph, "v").id, edge(graph, "v", "y").id)


def test_variable_not_watched():
    graph = last_graph(TF + "w = tf.Variable(2.0)\nwith tf.GradientTape(watch_accessed_variables=False) as tape:\n"
                            "    y = w * 3.0\ng = tape.gradient(y, w)\n")
    cause = cause_of(graph, "w")
    assert cause.code == "variable-not-watched" and "watch_accessed_variables=False" in cause.text
    assert "`tape.watch(w)`" in cause.fix and cause.fix_action == "watch_accessed"
    assert cause.breaks[0] == node(graph, "w").id


def test_computed_before_the_tape():
    graph = last_graph(TF + "x = tf.Variable(2.0)\ny = x * x\nwith tf.GradientTape() as tape:\n"
                            "    z = y + 1.0\ng = tape.gradient(z, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "computed-before-tape"
    assert "y was computed before the tape's `with` block (line 4)" in cause.text
    assert cause.breaks == (node(graph, "y").id,)


def test_computed_after_the_tape():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape(persistent=True) as tape:\n"
                            "    y = x * x\nz = y * 2.0\ng = tape.gradient(z, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "computed-before-tape" and "after the tape's `with` block (line 6)" in cause.text
    assert cause.breaks == (node(graph, "z").id,)                 # the target itself was made outside


def test_recording_stopped():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    a = x * 1.0\n"
                            "    with tape.stop_recording():\n        b = a * a\n    y = b + 1.0\n"
                            "g = tape.gradient(y, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "recording-stopped" and "b was computed inside `tape.stop_recording()`" in cause.text
    b = node(graph, "b")
    assert cause.breaks[0] == b.id and graph.edges[cause.breaks[1]].target == b.id   # b and an edge a → b


def test_integer_source():
    graph = last_graph(TF + "n = tf.constant(3)\nwith tf.GradientTape() as tape:\n    tape.watch(n)\n"
                            "    y = n * n\ng = tape.gradient(y, n)\n")
    cause = cause_of(graph, "n")
    assert cause.code == "integer-dtype" and "int32" in cause.text
    assert cause.breaks[0] == node(graph, "n").id


def test_integer_on_the_path():
    graph = last_graph(TF + "x = tf.Variable(2.5)\nwith tf.GradientTape() as tape:\n    k = tf.cast(x, tf.int32)\n"
                            "    y = tf.cast(k, tf.float32) * 2.0\ng = tape.gradient(y, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "integer-dtype" and cause.text.startswith("k holds int32 values")
    assert cause.breaks == (node(graph, "k").id,)


def test_not_connected():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nz = tf.Variable(1.0)\nwith tf.GradientTape() as tape:\n"
                            "    y = z * 3.0\ng = tape.gradient(y, [x, z])\n")
    cause = cause_of(graph, "x")
    assert cause.code == "not-connected" and cause.text.startswith("y does not use x")
    assert cause.breaks == ()
    assert node(graph, "z").cause is None and float(node(graph, "z").gradient) == 3.0


@pytest.mark.parametrize("line, how", [
    ("    loss = tf.constant(np.mean(y)) * 2.0\n", "np.mean(y)"),
    ("    loss = y.numpy() * tf.constant(2.0)\n", "y.numpy()"),
    ("    loss = tf.sin(float(tf.reduce_sum(y)))\n", "float(tf.reduce_sum(y))"),
    ("    m = y.numpy()[0]\n    loss = tf.constant(2.0) * m\n", "y.numpy()"),
])
def test_left_the_tape(line, how):
    graph = last_graph(TF + "x = tf.Variable([1.0, 2.0])\nwith tf.GradientTape() as tape:\n    y = x * x\n"
                       + line + "g = tape.gradient(loss, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "left-the-tape"
    assert f"leaves TensorFlow at `{how}` (line 6)" in cause.text
    (at,) = cause.breaks
    assert graph.nodes[at].kind == "literal" and any(e.source == at for e in graph.edges.values())


def test_variable_replaced():
    graph = last_graph(TF + "x = tf.Variable(3.0)\nx = x + 1\nwith tf.GradientTape() as tape:\n"
                            "    y = x * x\ng = tape.gradient(y, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "variable-replaced" and "line 4 rebound x" in cause.text
    assert "`x.assign_add(...)`" in cause.fix
    assert cause.breaks[0] == node(graph, "x").id


def test_state_update():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nv = tf.Variable(0.0)\nwith tf.GradientTape() as tape:\n"
                            "    v.assign(x * x)\n    y = v * 3.0\ng = tape.gradient(y, [x, v])\n")
    cause = cause_of(graph, "x")
    assert cause.code == "state-update" and "`v.assign(x * x)` (line 6)" in cause.text
    assert cause.breaks == (node(graph, "v").id,)
    assert node(graph, "v").cause is None                       # v itself gets its gradient, 3


def test_stop_gradient():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    s = tf.stop_gradient(x)\n"
                            "    y = s * 3.0\ng = tape.gradient(y, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "stop-gradient" and "tf.stop_gradient" in cause.text
    assert cause.breaks == (node(graph, "s").id, edge(graph, "x", "s").id)


def test_stop_gradient_in_the_function_box():
    trace = run_functions("f = stop_gradient(x) * x", [Declaration("x", 2.0)])
    graph = graph_for_call(trace, 0)
    assert float(node(graph, "x").gradient) == 2.0 and node(graph, "x").cause is None


def test_no_gradient_defined():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    mask = x > 1.0\n"
                            "    y = tf.cast(mask, tf.float32) * 3.0\ng = tape.gradient(y, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "no-gradient-defined" and "`x > 1.0` (line 5), a comparison" in cause.text
    assert cause.breaks == (node(graph, "mask").id,)


def test_tape_reset():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    y = x * x\n"
                            "    tape.reset()\n    z = y + 1.0\ng = tape.gradient(z, x)\n")
    cause = cause_of(graph, "x")
    assert cause.code == "tape-reset" and "`tape.reset()` on line 6" in cause.text
    assert cause.breaks == (node(graph, "y").id,)


def test_zero_under_unconnected_gradients_zero_has_a_cause():
    graph = last_graph(TF + "x = tf.constant(2.0)\nwith tf.GradientTape() as tape:\n    y = x * x\n"
                            "g = tape.gradient(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)\n")
    x = node(graph, "x")
    assert x.gradient_text == "0" and cause_of(graph, "x").code == "constant-not-watched"


def test_a_real_zero_has_no_cause():
    graph = last_graph(TF + "x = tf.Variable(-1.0)\nwith tf.GradientTape() as tape:\n    y = tf.nn.relu(x)\n"
                            "g = tape.gradient(y, x)\n")
    assert node(graph, "x").gradient_text == "0" and node(graph, "x").cause is None


def test_jacobian_of_an_unconnected_source():
    graph = last_graph(TF + "x = tf.Variable([1.0, 2.0])\nz = tf.Variable(1.0)\nwith tf.GradientTape() as tape:\n"
                            "    y = x * x\nj = tape.jacobian(y, [x, z])\n")
    assert node(graph, "x").cause is None
    assert cause_of(graph, "z").code == "not-connected"


def test_nothing_flows_back_says_why():
    graph = last_graph(TF + "x = tf.constant(2.0)\nwith tf.GradientTape() as tape:\n    y = x * x\n"
                            "g = tape.gradient(y, x)\n")
    assert "nothing flows back" in graph.backward[0].words and "never told to watch" in graph.backward[0].words


# -- function mode: the fix actions ------------------------------------------------------------------

@pytest.mark.parametrize("kind, code, action", [
    ("constant", "constant-not-watched", "watch:c"),
    ("variable_untrainable", "variable-not-trainable", "trainable:c"),
])
def test_function_mode_fix_actions(kind, code, action):
    trace = run_functions("f = c * x", [Declaration("c", 2.0, kind), Declaration("x", 3.0)])
    graph = graph_for_call(trace, 0)
    cause = cause_of(graph, "c")
    assert (cause.code, cause.fix_action) == (code, action)
    assert graph.tape_state.status == "finished" and graph.tape_state.asked == 1


def test_function_mode_watch_accessed():
    trace = run_functions("f = x * x", [Declaration("x", 3.0)], watch_accessed_variables=False)
    assert cause_of(graph_for_call(trace, 0), "x").fix_action == "watch_accessed"


def test_function_mode_second_target_on_a_non_persistent_tape():
    trace = run_functions("f = x * x\ng = x * 3", [Declaration("x", 3.0)], targets=["f", "g"])
    graph = graph_for_call(trace, 1)
    assert graph.failure.code == "tape-already-used" and graph.failure.fix_action == "persistent"
    assert graph.tape_state.status == "released" and graph.tape_state.asked == 2


# -- the tutorial ------------------------------------------------------------------------------------

@pytest.fixture
def tutorial_text(seeds_dir):
    return (seeds_dir / "automatic_differentiation.py").read_text()


def test_the_tutorial_with_a_non_persistent_last_tape(tutorial_text):
    text = tutorial_text.replace("persistent=True", "persistent=False")
    trace = run_script(text)
    assert len(trace.calls) == 5 and trace.error is not None
    graph = graph_for_call(trace, 4)
    failure = graph.failure
    assert failure.code == "tape-already-used"
    assert failure.text.startswith("A non-persistent GradientTape can only be used to compute one set of "
                                   "gradients (or jacobians)")
    assert "line 59" in failure.text and failure.line == 60
    assert failure.fix_action == "persistent" and "persistent=True" in failure.fix
    assert graph.error == "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
    assert all(n.cause is None for n in graph.nodes.values())       # the failure is the reason
    assert graph.backward and graph.backward[0].words.startswith("This call failed")
    assert graph.tape_state.status == "released" and graph.tape_state.asked == 2


def test_the_tutorial_tape_states(tutorial_text):
    trace = run_script(tutorial_text)
    automatic = ("x", "trainable Variable read inside the tape: watched automatically")
    expected = [
        TapeState(False, True, "finished", 1, ()),
        TapeState(False, True, "finished", 1, (automatic,)),
        TapeState(False, True, "finished", 1, (("x", "grad.watch(x) on line 37"),)),
        TapeState(True, True, "finished", 1, (automatic,)),
        TapeState(True, True, "finished", 2, (automatic,)),
    ]
    graphs = [graph_for_call(trace, k) for k in range(5)]
    assert [g.tape_state for g in graphs] == expected
    assert [g.notes for g in graphs] == [[]] * 5 and all(g.failure is None for g in graphs)
    assert [bool(node(g, "x").cause) for g in graphs] == [True, False, False, False, False]


def test_a_call_inside_its_own_block_gets_tensorflows_warning():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape(persistent=True) as tape:\n"
                            "    y = x * x\n    g = tape.gradient(y, x)\n")
    assert graph.tape_state.status == "recording"
    assert graph.notes == ["Calling GradientTape.gradient on a persistent tape inside its context is significantly "
                           "less efficient than calling it outside the context (it causes the gradient ops to be "
                           "recorded on the tape, leading to increased CPU and memory usage). Only call "
                           "GradientTape.gradient inside the context if you actually want to trace the gradient "
                           "in order to compute higher order derivatives."]
    plain = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    y = x * x\n"
                            "    g = tape.gradient(y, x)\n")
    assert len(plain.notes) == 1 and "non-persistent" in plain.notes[0]
    stopped = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape(persistent=True) as tape:\n"
                              "    y = x * x\n    with tape.stop_recording():\n        g = tape.gradient(y, x)\n")
    assert stopped.tape_state.status == "stopped" and stopped.notes == []


def test_a_target_that_is_not_a_tensor():
    graph = last_graph(TF + "x = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    y = x * x\n"
                            "g = tape.gradient(3.0, x)\n")
    assert graph.failure.code == "target-not-tensor" and graph.failure.line == 6
    assert all(n.cause is None for n in graph.nodes.values())


def test_nothing_is_remembered_when_no_call_is_pictured():
    text = TF + "x = tf.Variable(2.0)\nwith tf.GradientTape() as tape:\n    y = x * x\ng = tape.gradient(y, x)\n"
    assert run_script(text, limits=Limits(max_pictured_calls=0)).history is None
    trace = run_script(TF + "x = tf.Variable(2.0)\nfor i in range(3):\n    with tf.GradientTape() as tape:\n"
                            "        y = x * x\n    g = tape.gradient(y, x)\n    z = x * 2.0\n",
                       limits=Limits(max_pictured_calls=1))
    ops = {entry[0] for entry in trace.history.ops.values()}
    assert len(trace.calls) == 1 and len(trace.history.ops) <= 3, ops    # the witness left after the first call


# -- JSON ----------------------------------------------------------------------------------------------

CASE_TESTS = [test_constant_not_watched, test_variable_not_trainable, test_variable_not_watched,
              test_computed_before_the_tape, test_computed_after_the_tape, test_recording_stopped,
              test_integer_source, test_integer_on_the_path, test_not_connected, test_variable_replaced,
              test_state_update, test_stop_gradient, test_no_gradient_defined, test_tape_reset,
              test_zero_under_unconnected_gradients_zero_has_a_cause, test_a_target_that_is_not_a_tensor,
              test_a_call_inside_its_own_block_gets_tensorflows_warning]


@pytest.mark.parametrize("case", CASE_TESTS, ids=lambda f: f.__name__[5:])
def test_every_case_validates_against_the_schema(case):
    DRAWN.clear()
    case()
    assert DRAWN
    for graph in DRAWN:
        data = graph_json(graph, layout(graph.to_networkx()))
        VALIDATOR.validate(data)
        assert data["tape"]["status"] == graph.tape_state.status and data["tape"]["asked"] == graph.tape_state.asked
        for item in data["nodes"]:
            n = graph.nodes[item["id"]]
            if n.cause is None:
                assert item["cause"] is None and item["break"] is None
            else:
                assert (item["cause"], item["cause_text"], item["fix_text"]) == (n.cause.code, n.cause.text, n.cause.fix)
                assert item["break"] == list(n.cause.breaks)
        if graph.failure is not None:
            assert data["error"] == {"cause": graph.failure.code, "message": graph.error, "line": graph.failure.line,
                                     "text": graph.failure.text, "fix_text": graph.failure.fix,
                                     "fix_action": graph.failure.fix_action or None}
        else:
            assert data["error"] is None
        assert data["notes"] == graph.notes


def test_the_failed_tutorial_call_as_json(tutorial_text):
    trace = run_script(tutorial_text.replace("persistent=True", "persistent=False"))
    data = graph_json(graph_for_call(trace, 4))
    VALIDATOR.validate(data)
    assert data["error"]["cause"] == "tape-already-used" and data["error"]["line"] == 60
    assert data["tape"]["watched"] == [{"label": "x", "how": "trainable Variable read inside the tape: watched automatically"}]
    assert all(n["cause"] is None for n in data["nodes"])


def test_the_schema_knows_every_code():
    schema = json.loads(SCHEMA_PATH.read_text())
    assert tuple(schema["$defs"]["cause"]["enum"]) == CAUSES
    assert tuple(schema["$defs"]["failure"]["enum"]) == FAILURES

"""The function box: parsing ``name = expression`` lines and running them on one tape."""
import math

import numpy as np
import pytest

from adviz.engine import OP_NAMES, OPS, Tensor, Variable
from adviz.lang import (CONSTANTS, FUNCTION_NAMES, KNOWN_NAMES, Declaration, FunctionProgram, LangError,
                        parse_functions, run_functions)


def grads(trace, call=0):
    """The gradients of one call as plain floats / lists (None stays None)."""
    assert trace.error is None, trace.error
    return [None if r is None else np.asarray(r.numpy()).tolist() for r in trace.calls[call].result]


def run(text, **values):
    return run_functions(text, [Declaration(k, v) for k, v in values.items()])


# -- parsing -----------------------------------------------------------------------------------
def test_chained_definitions_outputs_and_free_names():
    p = parse_functions("# comment\n\nu = x*y   # product\nf = sin(u) + x**2\n")
    assert isinstance(p, FunctionProgram)
    assert p.outputs == ["u", "f"]
    assert p.free_names == ["x", "y"]
    assert [(name, line) for name, _, line in p.definitions] == [("u", 3), ("f", 4)]


def test_free_names_in_first_use_order_without_functions_or_constants():
    p = parse_functions("g = exp(b) * a + pi * e + c")
    assert p.free_names == ["b", "a", "c"]


def test_bare_expressions_are_named_f_then_f2_skipping_used_names():
    assert parse_functions("x**2\nsin(x)").outputs == ["f", "f2"]
    assert parse_functions("f*2").outputs == ["f2"]
    assert parse_functions("u = x\nu + 1").outputs == ["u", "f"]


@pytest.mark.parametrize("text, message, line, col", [
    ("f = x +", "invalid syntax", 1, 8),
    ("u = x\nu = 2*x", "already defined on line 1", 2, 1),
    ("f = u * 2\nu = x", "used before its definition on line 2", 1, 5),
    ("f = foo(x)", "unknown function 'foo'", 1, 5),
    ("f = tf.sin(x)", "call a function by its plain name", 1, 5),
    ("f = x.T", "attributes are not used here", 1, 5),
    ("f = x if x else 1", "IfExp", 1, 5),
    ("f = 'text'", "only numbers", 1, 5),
    ("for i in x: pass", "name = expression", 1, 1),
    ("f = x << 2", "operator << is not supported", 1, 5),
    ("sin = x", "function name", 1, 1),
    ("f = f + 1", "used in its own definition", 1, 5),
    ("f = x.__class__", "attributes are not used here", 1, 5),
])
def test_parse_errors_are_located(text, message, line, col):
    with pytest.raises(LangError) as info:
        parse_functions(text)
    assert message in info.value.message
    assert (info.value.line, info.value.col) == (line, col)
    assert str(info.value).startswith(f"line {line}, col {col}: ")


def test_function_names_come_from_the_op_table():
    assert set(FUNCTION_NAMES) == {name for name, op in OP_NAMES.items() if not op.internal}
    for name in ("sin", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "maximum", "minimum",
                 "matmul", "sum", "mean", "max", "square", "pow", "transpose", "reshape"):
        assert name in FUNCTION_NAMES
    assert CONSTANTS == {"pi": math.pi, "e": math.e}


def test_known_names_are_the_functions_and_the_constants():
    assert KNOWN_NAMES == FUNCTION_NAMES + ("pi", "e")


# -- declarations and the tape's rules ------------------------------------------------------------
@pytest.mark.parametrize("kind, expected", [
    ("variable", 7.0), ("watched", 7.0), ("constant", None), ("variable_untrainable", None),
])
def test_each_kind_of_declaration(kind, expected):
    # d/dx (x*y + x**2) = y + 2x: x*y + x**2 is the fan-out case that must sum, not overwrite.
    trace = run_functions("f = x*y + x**2", [Declaration("x", 2.0, kind), Declaration("y", 3.0)])
    assert grads(trace) == [expected, 2.0]
    x = trace.calls[0].sources[0]
    assert isinstance(x, Variable if kind.startswith("variable") else Tensor)


def test_closed_forms():
    assert grads(run("u = x*y\nf = sin(u) + x**2", x=2.0, y=3.0)) == pytest.approx([3 * math.cos(6) + 4, 2 * math.cos(6)])
    assert grads(run("f = exp(x) / x", x=2.0)) == pytest.approx([math.exp(2) / 2 - math.exp(2) / 4])
    assert grads(run("f = sum(x * x)", x=[1.0, 2.0, 3.0])) == [[2.0, 4.0, 6.0]]


def test_watch_accessed_variables_false_leaves_variables_unwatched():
    trace = run_functions("f = x*y", [Declaration("x", 2.0), Declaration("y", 3.0, "watched")],
                          watch_accessed_variables=False)
    assert grads(trace) == [None, 2.0]


def test_two_targets_need_a_persistent_tape():
    decls = [Declaration("x", 2.0), Declaration("y", 3.0)]
    ok = run_functions("f = x*y\ng = x + y", decls, targets=["f", "g"], persistent=True)
    assert grads(ok, 0) == [3.0, 2.0] and grads(ok, 1) == [1.0, 1.0]
    bad = run_functions("f = x*y\n\ng = x + y", decls, targets=["f", "g"])
    assert bad.calls[0].error is None and bad.calls[0].result is not None
    assert bad.calls[1].error is bad.error
    assert "non-persistent" in bad.error.message and bad.error.line == 3
    assert bad.calls[1].tape_call is None


def test_sources_and_targets_by_name():
    trace = run_functions("u = x*y\nf = u*u", [Declaration("x", 2.0), Declaration("y", 3.0)], sources=["u", "x"])
    assert grads(trace) == [12.0, 36.0 * 2 / 2]
    assert trace.calls[0].source_names == ["u", "x"]
    assert trace.calls[0].target_text == "f"


def test_numeric_problems_are_values_not_errors():
    trace = run("a = log(x)\nb = 1/0 + x\nf = sqrt(x) + 9**9**9**9", x=-1.0)
    assert trace.error is None
    outputs = [r.output for r in trace.tapes[0].tape.records]
    values = {trace.names[o._id]: float(o) for o in outputs if o._id in trace.names}
    assert math.isnan(values["a"]) and math.isinf(values["b"]) and math.isnan(values["f"])


def test_shape_mismatch_is_located():
    trace = run("u = x * 2\nf = u + y", x=[1.0, 2.0], y=[1.0, 2.0, 3.0])
    assert trace.error is not None
    assert (trace.error.line, trace.error.col) == (2, 5)
    assert "(2,)" in trace.error.message and "(3,)" in trace.error.message
    assert trace.calls == []


def test_undeclared_name_is_reported_where_it_is_used():
    trace = run("u = x\nf = u * q", x=1.0)
    assert trace.error.message == "name 'q' is not defined"
    assert (trace.error.line, trace.error.col) == (2, 9)


def test_vectors_matrices_indexing_and_attrs():
    trace = run_functions("f = sum([[1, 2], [3, 4]] @ x) + x[0] * x[1] + sum(A[:, 1]) + mean(A, axis=0)[1]",
                          [Declaration("x", "[1, 2]"), Declaration("A", [[1.0, 2.0], [3.0, 4.0]])])
    gx, ga = grads(trace)
    assert gx == [4 + 2, 6 + 1]
    assert ga == [[0.0, 1.5], [0.0, 1.5]]


def test_declaration_values_text_and_dtype():
    trace = run_functions("f = sin(x) * pi", [Declaration("x", "pi/2", dtype="float32")])
    assert trace.calls[0].result[0].dtype == np.float32
    assert grads(trace)[0] == pytest.approx(0.0, abs=1e-5)
    assert run_functions("f = x", [Declaration("x", "[1, y]")]).error.message.startswith("the value of 'x'")
    assert "unknown kind" in run_functions("f = x", [Declaration("x", 1.0, "bogus")]).error.message
    assert "declared twice" in run_functions("f = x", [Declaration("x", 1.0), Declaration("x", 2.0)]).error.message


def test_a_constant_function_has_no_gradient():
    assert grads(run("f = 2*3 + pi", x=1.0)) == [None]


def test_trace_shape_for_functions():
    trace = run("u = x*x\nf = u + 1", x=3.0)
    assert len(trace.tapes) == 1 and trace.tapes[0].tape.keep_steps
    call = trace.calls[0]
    assert call.kind == "gradient" and call.tape_index == 0 and call.line == 2
    assert call.tape_call is trace.tapes[0].tape.calls[0]
    assert call.tape_call.backward is not None and call.tape_call.backward.steps
    assert set(call.names.values()) == {"x", "u", "f"}
    assert trace.printed == [] and trace.cells == []


def test_run_functions_reports_parse_errors_in_the_trace():
    trace = run_functions("f = (x", [Declaration("x", 1.0)])
    assert isinstance(trace.error, LangError) and trace.error.line == 1


UNARY = sorted(name for name in FUNCTION_NAMES if OP_NAMES[name].arity == 1 and OP_NAMES[name].elementwise
               and not OP_NAMES[name].stops_gradient and name in OPS)


@pytest.mark.parametrize("name", UNARY)
def test_every_unary_row_against_finite_differences(name):
    x0, h = 0.7, 1e-6
    value = lambda x: float(run(f"f = {name}(x)", x=x).calls[0].target)
    expected = (value(x0 + h) - value(x0 - h)) / (2 * h)
    assert grads(run(f"f = {name}(x)", x=x0))[0] == pytest.approx(expected, rel=1e-5, abs=1e-6)

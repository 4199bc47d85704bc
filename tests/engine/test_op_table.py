"""Every row of the op table is complete and consistent: what callers read from it is there."""
from __future__ import annotations

import numpy as np
import pytest

import adviz as tf
from adviz.engine import FUNCTIONS, OP_NAMES, OPS
from adviz.engine.notation import pow_partial, power_text
from adviz.engine.ops import SIZE_CHECKS, exported


@pytest.mark.parametrize("name", sorted(OPS))
def test_row_fields_agree(name: str) -> None:
    op = OPS[name]
    assert len(op.partial_formulas) == op.arity
    assert len(op.partials if op.elementwise else op.vjps) == op.arity
    assert len(op.defaults) == len(op.attrs) == len(op.converters)
    assert all(c is None or callable(c) for c in op.converters)
    assert len(op.keywords) == op.arity and len(set(op.keywords)) == op.arity
    assert not set(op.keywords) & set(op.attrs)
    assert op.size_check in SIZE_CHECKS
    assert op.size_check != "matmul" or op.arity == 2
    assert op.size_check != "allocate" or "shape" in op.attrs
    assert op.formula_text is None or callable(op.formula_text)
    assert op.partial_text is None or callable(op.partial_text)
    assert op.names[0] == name and all(OP_NAMES[n] is op for n in op.names)


def test_exported_names_are_the_public_rows() -> None:
    top = exported("")
    assert "add" in top and "truediv" in top and "relu" not in top and "index_grad" not in top
    assert set(exported("nn")) == {"tanh", "sigmoid", "relu", "softplus", "elu", "relu6", "leaky_relu",
                                   "softmax", "log_softmax"}
    assert "concat" not in top and "gather_grad" not in top    # reached through adviz.engine.library
    assert all(not op.internal for ns in ("", "math", "nn", "linalg") for op in exported(ns).values())


def test_converters_turn_user_arguments_into_forward_arguments() -> None:
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert OPS["reduce_sum"].convert({"axis": [0], "keepdims": 1}) == {"axis": (0,), "keepdims": True}
    assert OPS["reshape"].convert({"shape": tf.constant([4])}) == {"shape": (4,)}
    assert OPS["transpose"].convert({"perm": None}) == {"perm": None}
    assert OPS["cast"].convert({"dtype": "float64"}) == {"dtype": np.dtype("float64")}
    assert FUNCTIONS["reduce_sum"](x, axis=[1]).shape == (2,)


def test_keyword_inputs() -> None:
    assert float(FUNCTIONS["sin"](x=tf.constant(0.0))) == 0.0
    assert float(FUNCTIONS["maximum"](x=tf.constant(1.0), y=tf.constant(2.0))) == 2.0


def test_pow_formula_hooks() -> None:
    assert power_text("x", "2") == "x²" and power_text("x", "−1") == "x⁻¹" and power_text("x", "y") is None
    assert OPS["pow"].formula_text(["x", "2"], ["x", "2"]) == "x²"
    number = lambda n: f"{n:g}".replace("-", "−")  # noqa: E731
    two, three = np.array(2.0), np.array(3.0)
    assert pow_partial(0, ["x", "3"], ["x", "3"], [two, three], number) == "3·x²"     # one power notation
    assert pow_partial(0, ["x", "2"], ["x", "2"], [two, two], number) == "2·x"
    assert pow_partial(0, ["x", "y"], ["x", "y"], [two, three], number) is None   # y is not a literal
    assert pow_partial(1, ["x", "3"], ["x", "3"], [two, three], number) == "x³·ln x"   # ∂/∂exponent
    assert pow_partial(1, ["x", "y"], ["x", "y"], [two, three], number) is None      # y: the template
    million = np.array(1e6)
    assert pow_partial(0, ["x", "1000000"], ["x", "1000000"], [two, million], number) == "1000000·x^999999"
    huge = np.array(1e17)   # n−1 cannot be written exactly in a few digits: it stays n−1
    assert pow_partial(0, ["x", "1e17"], ["x", "1e17"], [two, huge], number) == "1e17·x^(1e17−1)"
    half = np.array(0.5)
    assert pow_partial(0, ["x", "0.5"], ["x", "0.5"], [two, half], number) == "0.5·x^(−0.5)"

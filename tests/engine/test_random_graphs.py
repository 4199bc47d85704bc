"""Random expression graphs over the op table's elementwise rows, against finite differences."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import adviz as tf
from adviz.engine import FUNCTIONS, OPS

from .gradcheck import numeric_gradient, tape_gradient

# stop_gradient has no partial: finite differences see the identity, the tape sees nothing.
ELEMENTWISE = sorted(name for name, op in OPS.items()
                     if op.elementwise and not op.internal and not op.stops_gradient)
UNARY = [n for n in ELEMENTWISE if OPS[n].arity == 1]
BINARY = [n for n in ELEMENTWISE if OPS[n].arity == 2]


def _positive(t: Any) -> Any:
    return tf.square(t) + 1.0


# Arguments moved into each op's domain: log, sqrt and pow's base need positive values, tan
# stays inside (−π/2, π/2). Any other row (including a new one) takes its arguments as they are.
DOMAIN: dict[str, Callable[..., tuple[Any, ...]]] = {
    "log": lambda x: (_positive(x),),
    "sqrt": lambda x: (_positive(x),),
    "tan": lambda x: (tf.tanh(x),),
    "divide": lambda a, b: (a, _positive(b)),
    "pow": lambda a, b: (_positive(a), tf.tanh(b) * 2.0),
    "log1p": lambda x: (_positive(x),),
    "rsqrt": lambda x: (_positive(x),),
    "reciprocal": lambda x: (_positive(x),),
    "asin": lambda x: (tf.tanh(x) * 0.9,),
    "acos": lambda x: (tf.tanh(x) * 0.9,),
    "divide_no_nan": lambda a, b: (a, _positive(b)),
}

# How far each op's arguments are from a point where it is not differentiable.
KINK: dict[str, Callable[..., np.ndarray]] = {
    "relu": lambda x: np.abs(x),
    "abs": lambda x: np.abs(x),
    "maximum": lambda a, b: np.abs(a - b),
    "minimum": lambda a, b: np.abs(a - b),
    "leaky_relu": lambda x: np.abs(x),
    "sign": lambda x: np.abs(x),
    "relu6": lambda x: np.minimum(np.abs(x), np.abs(x - 6)),
}


@st.composite
def programs(draw):
    n_inputs = draw(st.integers(1, 3))
    shapes = [draw(st.sampled_from([(), (2,)])) for _ in range(n_inputs)]
    values = [np.array(draw(st.lists(st.floats(-2.0, 2.0), min_size=int(np.prod(s)), max_size=int(np.prod(s)))),
                       dtype=np.float64).reshape(s) for s in shapes]
    steps = []
    for k in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from(UNARY + BINARY))
        # operands are any earlier nodes, so inputs and intermediates are reused (a DAG)
        args = [draw(st.integers(0, n_inputs + k - 1)) for _ in range(OPS[name].arity)]
        steps.append((name, args))
    return values, steps


def build(steps, kinks: list[float] | None = None):
    """The program as a function of its inputs; ``kinks`` collects distances to non-smooth points."""

    def f(*xs):
        nodes = list(xs)
        for name, args in steps:
            operands = [nodes[i] for i in args]
            operands = DOMAIN.get(name, lambda *a: a)(*operands)
            if kinks is not None and name in KINK:
                kinks.append(float(np.min(KINK[name](*[np.asarray(o.numpy()) for o in operands]))))
            nodes.append(FUNCTIONS[name](*operands))
        # every node feeds the output, so unused branches still count
        return sum(tf.reduce_sum(tf.tanh(n) * (i + 1.0)) for i, n in enumerate(nodes[len(xs):])) + \
            tf.reduce_sum(nodes[-1])

    return f


@settings(max_examples=200)
@given(programs())
def test_random_graph_gradients(program) -> None:
    values, steps = program
    kinks: list[float] = []
    f = build(steps, kinks)
    with np.errstate(all="ignore"):
        y = f(*[tf.constant(v) for v in values]).numpy()
    assume(np.isfinite(y) and abs(y) < 1e6)
    assume(all(k > 1e-3 for k in kinks))
    f = build(steps)
    got = tape_gradient(f, values)
    want = numeric_gradient(f, values, h=1e-6)
    assume(all(np.all(np.isfinite(w)) and np.all(np.abs(w) < 1e4) for w in want))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


def test_every_elementwise_row_is_in_the_random_graphs() -> None:
    assert set(UNARY + BINARY) == {n for n, op in OPS.items()
                                   if op.elementwise and not op.internal and not op.stops_gradient}
    assert {"add", "multiply", "log", "pow", "relu", "maximum"} <= set(ELEMENTWISE)

"""Benchmark adviz's engine against micrograd on random scalar expression graphs.

Usage::

    pip install micrograd      # optional: without it only adviz is measured
    python benchmarks/engine.py [--sizes 100 1000 10000 100000] [--chain 1000000] [--repeat 3]
                                [--tangent-sizes 30 1000 10000]

Each graph is a seeded random DAG of scalar ops (add, mul, sin, exp, tanh, square): every op
takes the previous node and, for binary ops, one of the last few nodes (so the graph is deep and
nodes are reused). Values stay bounded: an op whose result would be large is replaced by tanh.
Both engines build the same graph with the same math; micrograd's ``Value`` has no sin, exp or
tanh, so they are added here in micrograd's own style (an output Value with a ``_backward``
closure). Times are the best of ``--repeat`` runs, the two engines taking turns:

- record: adviz runs the forward pass inside a ``GradientTape`` (inputs are watched Variables
  and constants); micrograd builds its ``Value`` graph;
- backward: ``tape.gradient`` for adviz, ``Value.backward()`` for micrograd.

micrograd sorts the graph with a recursive function, so a deep graph needs
``sys.setrecursionlimit`` raised; the table says where it fails at the default limit.
A second table times recording the same programs inside a ``tf.autodiff.ForwardAccumulator``
(forward mode carrying one tangent) against recording without it, and checks the tangent of the
output against the reverse-mode gradient. adviz's recording and backward pass are loops, so they run at the default limit (the last
line times a chain of ``--chain`` ops).
"""
from __future__ import annotations

import argparse
import gc
import math
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import adviz as tf  # noqa: E402

try:
    from micrograd.engine import Value
except ImportError:  # pragma: no cover - reported in the output
    Value = None

OPS = ("add", "mul", "sin", "exp", "tanh", "square")
UNARY = {"sin": math.sin, "exp": math.exp, "tanh": math.tanh, "square": lambda a: a * a}
BINARY = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
N_INPUTS = 4
WINDOW = 8
BOUND = 4.0


def plan(n_ops: int, seed: int = 0) -> tuple[list[float], list[tuple[str, int, int]]]:
    """Inputs and a list of (op, operand index, operand index) with every value bounded."""
    rng = np.random.default_rng(seed)
    values = [float(v) for v in rng.uniform(-1.0, 1.0, N_INPUTS)]
    inputs = list(values)
    steps = []
    choices = rng.integers(0, len(OPS), n_ops)
    picks = rng.integers(1, WINDOW + 1, n_ops)
    for k in range(n_ops):
        op = OPS[choices[k]]
        a = len(values) - 1
        b = max(0, len(values) - picks[k])
        if op in BINARY:
            value = BINARY[op](values[a], values[b])
        elif op == "exp" and abs(values[a]) > 1.0:
            op, value = "tanh", math.tanh(values[a])
        else:
            value = UNARY[op](values[a])
        if abs(value) > BOUND:
            op, b, value = "tanh", a, math.tanh(values[a])
        steps.append((op, a, b))
        values.append(value)
    return inputs, steps


# -- adviz ------------------------------------------------------------------------------------
ADVIZ_OPS: dict[str, Callable[..., Any]] = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sin": lambda a, b: tf.sin(a),
    "exp": lambda a, b: tf.exp(a), "tanh": lambda a, b: tf.tanh(a), "square": lambda a, b: tf.square(a),
}


def run_adviz(inputs: list[float], steps: list[tuple[str, int, int]]) -> tuple[float, float, list[float]]:
    variables = [tf.Variable(v, dtype="float64") for v in inputs[:2]]
    constants = [tf.constant(v, dtype="float64") for v in inputs[2:]]
    sources = variables + constants
    gc.collect()
    start = time.perf_counter()
    with tf.GradientTape() as tape:
        tape.watch(constants)
        nodes: list[Any] = list(sources)
        for op, a, b in steps:
            nodes.append(ADVIZ_OPS[op](nodes[a], nodes[b]))
    recorded = time.perf_counter()
    grads = tape.gradient(nodes[-1], sources, unconnected_gradients="zero")
    done = time.perf_counter()
    return recorded - start, done - recorded, [float(g) for g in grads]


def run_adviz_tangents(inputs: list[float], steps: list[tuple[str, int, int]]) -> tuple[float, float]:
    """Recording the same program inside a ``ForwardAccumulator`` (tangent 1 on every input):
    the seconds it took and the tangent of the output, the sum of its partials by the inputs."""
    variables = [tf.Variable(v, dtype="float64") for v in inputs[:2]]
    constants = [tf.constant(v, dtype="float64") for v in inputs[2:]]
    ones = [tf.constant(1.0, dtype="float64") for _ in inputs]
    gc.collect()
    start = time.perf_counter()
    with tf.autodiff.ForwardAccumulator(variables + constants, ones) as acc:
        with tf.GradientTape() as tape:
            tape.watch(constants)
            nodes: list[Any] = variables + constants
            for op, a, b in steps:
                nodes.append(ADVIZ_OPS[op](nodes[a], nodes[b]))
    recorded = time.perf_counter()
    return recorded - start, float(acc.jvp(nodes[-1], unconnected_gradients="zero"))


def tangent_table(sizes: list[int], repeat: int) -> int:
    """Recording with tangents against recording without, on the same programs, taking turns."""
    print(f"\n{'ops':>8} | {'record':>10} | {'+ tangents':>10} | {'ratio':>6} | tangent = sum of the gradient")
    for n in sizes:
        inputs, steps = plan(n)
        plain, with_tangents = [], []
        for _ in range(repeat):
            plain.append(run_adviz(inputs, steps))
            with_tangents.append(run_adviz_tangents(inputs, steps))
        rec, _, grads = best(plain)
        t_rec = min(t for t, _ in with_tangents)
        tangent = with_tangents[0][1]
        total = sum(grads)
        agree = abs(tangent - total) <= 1e-9 * max(1.0, abs(total))
        print(f"{n:>8} | {fmt(rec):>10} | {fmt(t_rec):>10} | {t_rec / rec:6.2f} | {'yes' if agree else 'NO'} ({tangent:.6g})")
        if not agree:
            return 1
    return 0


# -- micrograd, with sin/exp/tanh written the way micrograd writes its own ops --------------------
def _unary(x: Any, f: Callable[[float], float], df: Callable[[float, float], float], name: str) -> Any:
    out = Value(f(x.data), (x,), name)

    def _backward():
        x.grad += df(x.data, out.data) * out.grad
    out._backward = _backward
    return out


MICROGRAD_OPS: dict[str, Callable[..., Any]] = {
    "add": lambda a, b: a + b, "mul": lambda a, b: a * b,
    "sin": lambda a, b: _unary(a, math.sin, lambda x, y: math.cos(x), "sin"),
    "exp": lambda a, b: _unary(a, math.exp, lambda x, y: y, "exp"),
    "tanh": lambda a, b: _unary(a, math.tanh, lambda x, y: 1 - y * y, "tanh"),
    "square": lambda a, b: a ** 2,
}


def run_micrograd(inputs: list[float], steps: list[tuple[str, int, int]]) -> tuple[float, float, list[float]]:
    gc.collect()
    start = time.perf_counter()
    sources = [Value(v) for v in inputs]
    nodes = list(sources)
    for op, a, b in steps:
        nodes.append(MICROGRAD_OPS[op](nodes[a], nodes[b]))
    recorded = time.perf_counter()
    nodes[-1].backward()
    done = time.perf_counter()
    return recorded - start, done - recorded, [s.grad for s in sources]


def in_big_stack(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread with a large C stack and a high recursion limit (micrograd's sort)."""
    result: list[Any] = []
    old_size = threading.stack_size(512 * 1024 * 1024)
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10 ** 7)
    try:
        thread = threading.Thread(target=lambda: result.append(fn()))
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    return result[0] if result else None


def best(runs: list[tuple[float, float, list[float]]]) -> tuple[float, float, list[float]]:
    """The fastest record and backward times of several runs, and the gradients."""
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2]


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1e3:9.1f} ms" if seconds < 10 else f"{seconds:9.2f} s "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000, 100_000])
    parser.add_argument("--chain", type=int, default=1_000_000, help="length of the adviz-only chain (0: skip)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--tangent-sizes", type=int, nargs="*", default=[30, 1000, 10_000],
                        help="also time recording with forward-mode tangents at these sizes")
    args = parser.parse_args(argv)
    default_limit = sys.getrecursionlimit()

    if Value is None:
        print("micrograd is not installed (pip install micrograd): measuring adviz only\n")
    header = (f"{'ops':>8} | {'adviz record':>12} | {'adviz bwd':>12} | {'adviz total':>12} | "
              f"{'micrograd fwd':>13} | {'micrograd bwd':>12} | {'micro total':>12} | {'ratio':>6} | "
              f"micrograd at limit {default_limit}")
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        inputs, steps = plan(n)
        repeat = args.repeat if n <= 10_000 else 1
        adviz_runs, micrograd_runs = [], []
        at_limit = "not installed"
        if Value is not None:
            try:
                run_micrograd(inputs, steps)
                at_limit = "ok"
            except RecursionError:
                at_limit = "RecursionError"
        # Interleaved, so that both engines meet the same machine load.
        for _ in range(repeat):
            adviz_runs.append(run_adviz(inputs, steps))
            if Value is not None:
                micrograd_runs.append(in_big_stack(lambda: run_micrograd(inputs, steps)))
        a_rec, a_bwd, a_grads = best(adviz_runs)
        m_rec = m_bwd = None
        if micrograd_runs:
            m_rec, m_bwd, m_grads = best(micrograd_runs)
            if not np.allclose(a_grads, m_grads, rtol=1e-9, atol=1e-12):
                print(f"gradients differ at {n} ops: adviz {a_grads}, micrograd {m_grads}")
                return 1
        ratio = f"{(a_rec + a_bwd) / (m_rec + m_bwd):6.2f}" if m_rec is not None else "     —"
        print(f"{n:>8} | {fmt(a_rec):>12} | {fmt(a_bwd):>12} | {fmt(a_rec + a_bwd):>12} | "
              f"{fmt(m_rec):>13} | {fmt(m_bwd):>12} | "
              f"{fmt(None if m_rec is None else m_rec + m_bwd):>12} | {ratio} | {at_limit}")

    if args.tangent_sizes and tangent_table(args.tangent_sizes, args.repeat):
        return 1

    if args.chain:
        x = tf.Variable(1.0, dtype="float64")
        gc.collect()
        start = time.perf_counter()
        with tf.GradientTape() as tape:
            y = x
            for _ in range(args.chain):
                y = y * 1.0000001
        recorded = time.perf_counter()
        g = float(tape.gradient(y, x))
        done = time.perf_counter()
        assert abs(g - 1.0000001 ** args.chain) < 1e-6 * g
        print(f"\nadviz chain of {args.chain:,} ops at recursion limit {sys.getrecursionlimit()}: "
              f"record {fmt(recorded - start).strip()}, backward {fmt(done - recorded).strip()}, "
              f"gradient {g:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

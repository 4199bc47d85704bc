"""Hostile scripts, each run as ``adviz run FILE`` in a child process capped at 1.5 GB of
address space: every one ends within 10 s with a located message on stderr and a non-zero exit,
or with the correct output. One case per way a limit was once slipped past, and variants of it.

The children run two at a time; each test then checks its own child's outcome.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from adviz.lang import Limits, limits, run_script

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 1_500_000_000
TIME_LIMIT = 10.0
TF = "import tensorflow as tf\n"
NP = "import numpy as np\n"
BIG = "a = tf.ones((1000, 1))\nb = tf.ones((1, 1000000))\n"          # broadcast to 10**9 elements
NBIG = "a = np.ones((1000, 1))\nb = np.ones((1, 1000000))\n"
DEEP9 = "t = ()\nfor i in range(99000):\n    t = (t, 0, 0, 0, 0, 0, 0, 0, 0)\n"   # cached by identity


def error(line: int, words: str = "") -> tuple[str, int, str]:
    return ("error", line, words)


def output(text: str) -> tuple[str, str]:
    return ("output", text)


CASES: dict[str, tuple[str, tuple]] = {
    # -- values nested so deep that hashing, comparing or printing them would overflow the stack
    "deep tuple of nine, hashed": (DEEP9 + "d = {t: 1}\n", error(3, "nested too deeply")),
    "deep tuple of nine, looked up": (DEEP9 + "print(t in {1: 2})\n", error(3, "nested too deeply")),
    "deep tuple of one": ("t = ()\nfor i in range(99000):\n    t = (t,)\nd = {t: 1}\n", error(3, "nested too deeply")),
    "deep lists compared": ("x = []\ny = []\nfor i in range(99000):\n    x = [x]\n    y = [y]\nprint(x == y)\n",
                            error(4, "nested too deeply")),
    "deep dict": ("d = {}\nfor i in range(99000):\n    d = {'a': d, 'b': 0}\nprint(d)\n", error(3, "nested too deeply")),
    "deep through zip": ("t = [[1]]\nfor i in range(99000):\n    t = zip(t)\nprint({t[0]: 1})\n",
                         error(3, "nested too deeply")),
    "deep through enumerate": ("t = [1]\nfor i in range(99000):\n    t = enumerate(t)\nprint(t)\n",
                               error(3, "nested too deeply")),
    "deep through a comprehension": ("t = 1\nfor i in range(99000):\n    t = [t for j in range(1)]\nprint(t)\n",
                                     error(3, "nested too deeply")),
    "deep through repetition": ("t = ()\nfor i in range(99000):\n    t = (t, 0) * 1\n", error(3, "nested too deeply")),
    # -- single calls that once ran for minutes without reading the clock
    "round to -10**9 digits": ("print(round(1, -10**9), round(123.5, -10**9), round(2.5, 10**9))\n",
                               output("0 0.0 2.5\n")),
    "round with a numpy integer": (NP + "print(round(123456, np.int64(-10**9)), round(1234.5, np.int64(-2)))\n",
                                   output("0 1200.0\n")),
    "float in a huge range": ("print(1.5 in range(10**18), 7.0 in range(10**18), 'a' in range(10**18))\n",
                              output("False True False\n")),
    "numbers in a huge range": (NP + "print(np.float64(3.0) in range(1, 10**18, 2), 2.0 not in range(10**18), "
                                "np.int64(4) in range(10**18))\n", output("True False True\n")),
    "dicts with million-item keys in a list": ("k = tuple(range(500000))\nd = {k: 1}\nL = [d] * 1000\nprint(L == L)\n",
                                               error(3, "the list")),
    "dicts with million-item keys compared": ("k = tuple(range(1000000))\nL = [{k: 1}, {k: 2}]\nprint(L[0] == L[1])\n",
                                              error(2, "items")),
    "backward steps of a million elements": (
        TF + "x = tf.ones((1000000,))\nwith tf.GradientTape() as g:\n    g.watch(x)\n    y = x\n"
        "    for i in range(8):\n        y = y * 1.0001\n    s = tf.reduce_sum(y)\nprint(g.gradient(s, x).shape)\n",
        error(9, "computes too much")),
    "jacobian of many steps": (
        TF + "x = tf.ones((1000,))\nwith tf.GradientTape() as g:\n    g.watch(x)\n    y = x\n"
        "    for i in range(150):\n        y = y * 1.0001\nj = g.jacobian(y, x)\n", error(8, "computes too much")),
    "str of 200,000 tensors": (TF + "ts = [tf.constant(1.0)] * 200000\ns = str(ts)\n", error(3, "characters")),
    "print of 200,000 tensors": (TF + "ts = [tf.constant(1.0)] * 200000\nprint(ts)\n", error(3, "printed too much")),
    "f-string of 200,000 tensors": (TF + "ts = [tf.constant(1.0)] * 200000\ns = f'{ts!r}'\n", error(3, "characters")),
    "repr of a million numbers": ("s = repr(list(range(1000000)))\n", error(1, "characters")),
    "missing key of a million items": ("d = {1: 2}\nk = tuple(range(1000000))\nprint(d[k])\n", error(3, "no entry")),
    "missing key of a long text": ("d = {1: 2}\nprint(d['x' * 1000000])\n", error(2, "no entry")),
    "gradient of 20,000 big targets": (
        TF + "x = tf.Variable(tf.ones((1000000,)))\nwith tf.GradientTape() as g:\n    y = x * 2.0\n"
        "r = g.gradient([y] * 20000, x)\n", error(5, "computes too much")),
    "gradient of 20,000 small targets": (
        TF + "x = tf.Variable(1.0)\nwith tf.GradientTape() as g:\n    ys = [x * 1.0 for i in range(20000)]\n"
        "print(float(g.gradient(ys, x)))\n", output("20000.0\n")),
    # -- values that once grew past 2 GB
    "tensor < broadcast": (TF + BIG + "c = a < b\n", error(4, "elements")),
    "tensor >= broadcast": (TF + BIG + "c = a >= b\n", error(4, "elements")),
    "array == broadcast": (NP + NBIG + "c = a == b\n", error(4, "elements")),
    "array in a list of arrays": (NP + NBIG + "c = a in [b]\n", error(4, "elements")),
    "tensors compared in lists": (TF + BIG + "c = [a] < [b]\n", error(4, "elements")),
    "sum broadcasts": (TF + BIG + "c = sum([a, b])\n", error(4, "elements")),
    "min broadcasts": (TF + BIG + "c = min(a, b)\n", error(4, "elements")),
    "max of a list broadcasts": (NP + NBIG + "c = max([a, b])\n", error(4, "elements")),
    "text times a numpy integer": (NP + "s = 'x' * np.int64(10**10)\n", error(2, "characters")),
    "numpy integer times text": (NP + "s = np.int64(10**10) * 'x'\n", error(2, "characters")),
    "list times a numpy integer": (NP + "s = [0] * np.int64(10**9)\n", error(2, "elements")),
    "list times an integer tensor": (TF + "s = [0] * tf.constant(2000000000)\n", error(2, "elements")),
    "shape of floats": (TF + "x = tf.ones((1e5, 1e5))\n", error(2, "elements")),
    "numpy shape of floats": (NP + "x = np.zeros((1e5, 1e5))\n", error(2, "elements")),
    "shape as a range": (TF + "x = tf.zeros(range(100000, 100002))\n", error(2, "elements")),
    "shape as a tensor of floats": (TF + "x = tf.ones(tf.constant([1e5, 1e5]))\n", error(2, "elements")),
    "range as a tensor operand": (TF + "x = tf.ones((1,)) + range(10**9)\n", error(2, "elements")),
    "range broadcast with a tensor": (TF + "x = tf.ones((1000, 1)) * range(1000000)\n", error(2, "elements")),
    "range compared with a tensor": (TF + "x = tf.ones((1,)) < range(10**9)\n", error(2, "elements")),
    "empty tensor with a huge axis": (TF + "x = tf.zeros((0, 10**9))\ny = tf.reduce_sum(x, axis=0)\n", error(2, "dimension")),
    "empty tensor reshaped to a huge axis": (TF + "x = tf.reshape(tf.zeros((0,)), (0, 10**9))\n", error(2, "dimension")),
    # (complex literals are refused, but a negative number to a fractional power is complex)
    "arange of a complex number": (NP + "c = (-1) ** 0.5\nx = np.arange(c * 1e9)\n", error(3, "real numbers")),
    "arange of a complex stop": (NP + "c = (-1.0) ** 0.5\nx = np.arange(0, 10**9 + c)\n", error(3, "real numbers")),
    "linspace of complex ends": (NP + "c = (-1.0) ** 0.5\nx = np.linspace(0, c * 1e9, 5)\n",
                                 error(3, "numbers only")),
    "print with a long separator": ("s = 'x' * 1000000\nprint(" + "1, " * 2000 + "sep=s)\n",
                                    error(2, "printed too much")),
    "print of long pieces": ("s = 'x' * 900000\nprint(" + "s, " * 2000 + ")\n", error(2, "printed too much")),
    "f-string of long pieces": ("s = 'x' * 900000\nt = f'" + "{s}" * 2000 + "'\n", error(2, "characters")),
    "f-string of long reprs": ("s = 'x' * 900000\nt = f'" + "{s!r}" * 2000 + "'\n", error(2, "characters")),
    "gradient per repeated source": (
        TF + "x = tf.Variable(tf.ones((1000000,)))\nwith tf.GradientTape() as g:\n    y = tf.reduce_sum(x)\n"
        "r = g.gradient(y, [x] * 1000)\n", error(5, "computes too much")),
    "linspace counted": (NP + "xs = [np.linspace(0, 1, 1000000) for i in range(100)]\n", error(2, "computes too much")),
    "arange counted": (NP + "xs = [np.arange(1000000) for i in range(100)]\n", error(2, "computes too much")),
    "matmul counted": (TF + "a = tf.ones((1000, 10))\nb = tf.ones((10, 1000))\nys = [a @ b for i in range(100)]\n",
                       error(4, "computes too much")),
    "comparisons counted": (TF + "a = tf.ones((1000000,))\nys = [a < 1.0 for i in range(100)]\n",
                            error(3, "computes too much")),
    "copies counted": (NP + "x = np.ones(1000000)\nys = [np.array(x) for i in range(100)]\n", error(3, "computes too much")),
    "ones_like counted": (TF + "x = tf.ones((1000000,))\nys = [tf.ones_like(x) for i in range(100)]\n",
                          error(3, "computes too much")),
    "numpy functions counted": (NP + "x = np.ones(1000000)\nys = [np.sin(x) for i in range(100)]\n",
                                error(3, "computes too much")),
    "negations counted": (TF + "x = tf.ones((1000000,))\nys = [-x for i in range(100)]\n", error(3, "computes too much")),
    "abs counted": (TF + "x = tf.ones((1000000,))\nys = [abs(x) for i in range(100)]\n", error(3, "computes too much")),
    "backward passes counted": (
        TF + "x = tf.Variable(tf.ones((1000000,)))\nfor i in range(100):\n    with tf.GradientTape() as g:\n"
        "        y = tf.reduce_sum(x * x)\n    d = g.gradient(y, x)\n", error(6, "computes too much")),
    # -- ordinary work that must run to the end
    "8,000 steps of gradient descent": (
        TF + "x = tf.Variable(5.0)\nfor step in range(8000):\n    with tf.GradientTape() as g:\n"
        "        loss = (x - 3.0) ** 2\n    x.assign_sub(0.1 * g.gradient(loss, x))\nprint(f'{float(x):.4f}')\n",
        output("3.0000\n")),
    "a small jacobian": (TF + "x = tf.constant([1.0, 2.0, 3.0])\nwith tf.GradientTape() as g:\n    g.watch(x)\n"
                         "    y = x * x\nj = g.jacobian(y, x)\nprint(float(j[1][1]), float(j[1][0]))\n",
                         output("4.0 0.0\n")),
    "text of ordinary values": (TF + "print([1, 2.5, 'a', (1,), {1: (2, 3)}, None, True], str((1, 2)), repr('x'))\n"
                                "print(f'{[1.5, tf.constant(2.0)]!r}')\n",
                                output("[1, 2.5, 'a', (1,), {1: (2, 3)}, None, True] (1, 2) 'x'\n"
                                       "[1.5, <tf.Tensor: shape=(), dtype=float32, numpy=2.0>]\n")),
}


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    peak_bytes: int


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_file(path: Path) -> Outcome:
    """``adviz run path`` in a child capped at 1.5 GB, killed after twice the time limit."""
    out_path, err_path = path.with_suffix(".out"), path.with_suffix(".err")
    start = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        child = subprocess.Popen([sys.executable, "-m", "adviz", "run", str(path)], stdout=out, stderr=err,
                                 cwd=ROOT, preexec_fn=_cap_memory)
        deadline = start + 2 * TIME_LIMIT
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return Outcome(child.returncode, out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"),
                   seconds, usage.ru_maxrss * 1024)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for k, (name, (text, _)) in enumerate(CASES.items()):
        paths[name] = folder / f"case{k}.py"
        paths[name].write_text(text, encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(paths, pool.map(run_file, paths.values())))
    return results


@pytest.mark.parametrize("name", CASES)
def test_hostile_script_ends_promptly_with_a_located_message_or_the_right_result(name, outcomes):
    text, expected = CASES[name]
    got = outcomes[name]
    assert got.seconds < TIME_LIMIT, f"took {got.seconds:.1f} s"
    assert got.peak_bytes < MEMORY_CAP, f"peak {got.peak_bytes / 1e9:.2f} GB"
    assert len(got.err) < 3_000, "the message quotes too much"
    if expected[0] == "output":
        assert (got.code, got.err, got.out) == (0, "", expected[1])
        return
    _, line, words = expected
    assert got.code == 1, (got.code, got.err[-500:])
    first = got.err.splitlines()[0] if got.err else ""
    parts = first.split(":", 3)
    assert len(parts) == 4 and parts[0].endswith(".py"), first
    assert (int(parts[1]), int(parts[2]) >= 1) == (line, True), first
    assert words in parts[3], first


# -- honest long runs ------------------------------------------------------------------------------
XS = [0.0, 1.0, 2.0, 3.0, 4.0]
YS = [1.1, 2.9, 5.2, 7.1, 8.8]
TRAINING = TF + f"""xs = tf.constant({XS})
ys = tf.constant({YS})
w = tf.Variable(0.0)
b = tf.Variable(0.0)
for step in range(STEPS):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((w * xs + b - ys) ** 2)
    dw, db = tape.gradient(loss, [w, b])
    w.assign_sub(0.05 * dw)
    b.assign_sub(0.05 * db)
print(float(w), float(b), float(loss))
"""


def test_a_training_loop_runs_to_the_end_within_the_limits():
    """Linear regression by gradient descent, a non-persistent tape per step: every call costs
    the same however many came before, and the loop ends at the least-squares line."""
    # 3,000 steps take about 1.3 s here; about 10,000 fit in the 5 s deadline (100,000 would
    # take about a minute: the interpreter spends some 0.4 ms on each step).
    steps = 3_000
    trace = run_script(TRAINING.replace("STEPS", str(steps)), limits=Limits())
    assert trace.error is None, trace.error
    assert len(trace.calls) + trace.unpictured == steps, "every call computed (the first ones pictured)"
    w, b, _ = map(float, trace.output.split())
    # The closed form: the least-squares line through the points.
    n, sx, sy = len(XS), sum(XS), sum(YS)
    sxx, sxy = sum(x * x for x in XS), sum(x * y for x, y in zip(XS, YS))
    w_star = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    b_star = (sy - w_star * sx) / n
    assert w == pytest.approx(w_star, abs=1e-4) and b == pytest.approx(b_star, abs=1e-4)


def test_gradient_descent_on_a_scalar_follows_its_closed_form():
    """x ← x − 0.1·2(x − 3) is x_n = 3 + 2·0.8ⁿ from x_0 = 5."""
    steps = 40
    src = (TF + f"x = tf.Variable(tf.constant(5.0, dtype=tf.float64))\nfor step in range({steps}):\n"
           "    with tf.GradientTape() as g:\n        loss = (x - 3.0) ** 2\n"
           "    x.assign_sub(0.1 * g.gradient(loss, x))\nprint(float(x))\n")
    trace = run_script(src)
    assert trace.error is None, trace.error
    assert float(trace.output) == pytest.approx(3 + 2 * 0.8 ** steps, rel=1e-12)


def test_a_gradient_call_costs_the_same_however_many_came_before():
    """The names each call sees are a view of one table, not a copy of it."""
    trace = run_script(TRAINING.replace("STEPS", "300"))
    first, last = trace.calls[0], trace.calls[-1]
    assert first.names is not last.names
    assert first.names._names is last.names._names  # type: ignore[attr-defined]
    assert set(first.names.values()) <= {"xs", "ys", "w", "b", "loss"}
    assert first.names[first.target._id] == "loss" and last.names[last.target._id] == "loss"
    assert first.target._id not in last.names or last.names[first.target._id] == "loss"


def test_the_memory_backstop_is_read_as_fast_as_memory_is_made(monkeypatch):
    """Memory is read after every million elements made, not only every few dozen checks, so a
    fast grower is caught within a few megabytes of the limit."""
    reads = []
    monkeypatch.setattr(limits, "memory_in_use", lambda: reads.append(1) or 0)
    budget = limits.Budget(Limits())
    reads.clear()
    for _ in range(10):
        budget.add_work(1_000_001)
    assert len(reads) >= 10
    src = NP + "xs = []\nfor i in range(100):\n    xs = xs + [np.ones(1000000)]\n"
    monkeypatch.undo()
    trace = run_script(src, limits=Limits(max_work=10**12, max_memory=40_000_000))
    assert trace.error is not None and "too much memory" in trace.error.message

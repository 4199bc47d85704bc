"""User code in the worker process: answers as in-process, and a stopped run located with its output kept."""
from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from adviz.lang.limits import Limits
from adviz.model import Document, VariableSpec
from adviz.model.isolation import Isolated

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and address-space limits are POSIX")

SLOW = """import adviz as tf
x = tf.constant(1.0)
print("before")
for i in range(90000):
    y = x * 2.0
print("after")
"""


@pytest.fixture(scope="module")
def worker():
    with Isolated() as isolated:
        yield isolated


def test_a_document_computed_in_the_worker_has_the_closed_form_gradient(worker):
    outcome = worker.compute(Document("f = sin(x) * y", [VariableSpec("x", "0.5"), VariableSpec("y", "3")]))
    assert outcome.error is None
    x = next(n for n in outcome.graph.nodes.values() if n.label == "x")
    assert np.isclose(float(x.adjoint), 3 * np.cos(0.5), rtol=1e-6)      # ∂(sin x · y)/∂x = y cos x
    assert set(outcome.layout.positions) == set(outcome.graph.nodes)


def test_a_scripts_lines_arrive_as_they_are_printed_and_its_trace_is_plain_data(worker):
    seen: list[str] = []
    trace = worker.run_script("import adviz as tf\nprint('one')\nx = tf.Variable(3.0)\n"
                              "with tf.GradientTape() as t:\n    y = x * x\nprint(t.gradient(y, x).numpy())\n",
                              on_print=lambda line: seen.append(line.text))
    assert trace.error is None and seen == ["one", "6.0"]
    assert [c.line for c in trace.calls] == [6] and trace.tapes[0].tape is None


def test_a_run_past_the_deadline_is_stopped_located_and_the_worker_comes_back():
    with Isolated(timeout=0.3) as isolated:
        restarts = isolated.restarts
        trace = isolated.run_script(SLOW, Limits(timeout=60))
        assert "took longer than 0.3 s" in trace.error.message
        assert (trace.error.line, trace.error.col) == (5, 5), "the statement that was running"
        assert [p.text for p in trace.printed] == ["before"], "what was printed before is kept"
        assert isolated.restarts == restarts + 1
        isolated.timeout = 30
        again = isolated.run_script("print(6 * 7)")
        assert again.error is None and [p.text for p in again.printed] == ["42"]


def test_a_worker_that_dies_becomes_a_located_message_and_keeps_the_output(worker):
    def crash(_line) -> None:
        os.kill(worker.pid, signal.SIGSEGV)
    trace = worker.run_script(SLOW, on_print=crash)
    assert trace.error.message.startswith("the run was stopped: it crashed")
    assert trace.error.line in (3, 4, 5), "the statement running when the signal came"
    assert [p.text for p in trace.printed] == ["before"]
    assert worker.run_script("print('alive')").printed[0].text == "alive"


def test_memory_past_the_workers_limit_is_an_error_not_a_dead_app():
    with Isolated(memory=96 * 1024 * 1024) as isolated:
        trace = isolated.run_script("import adviz as tf\nprint('start')\n"
                                    "big = [tf.ones([500, 500]) * float(i) for i in range(400)]\nprint('end')\n",
                                    Limits(max_memory=10**12, max_work=10**9))
        assert trace.error is not None and trace.error.line == 3
        assert "memory" in trace.error.message or "stopped" in trace.error.message
        assert [p.text for p in trace.printed] == ["start"]
        assert isolated.run_script("print(1)").error is None


def test_a_finite_difference_check_runs_in_the_worker(worker):
    result = worker.check(Document("f = x**3", [VariableSpec("x", "2")]), "x")
    assert result.ok and np.isclose(float(np.asarray(result.numeric)), 12.0, rtol=1e-5)


def test_a_100000_step_training_loop_runs_to_the_end_in_flat_memory():
    from adviz.lang.limits import RUN_LIMITS
    script = ("import adviz as tf\nw = tf.Variable(0.0)\nfor step in range(100000):\n"
              "    with tf.GradientTape() as tape:\n        loss = (w * 3.0 - 6.0) ** 2\n"
              "    w.assign_sub(0.01 * tape.gradient(loss, w))\nprint(float(w.numpy()))\n")
    with Isolated() as isolated:
        trace = isolated.run_script(script, RUN_LIMITS)
        with open(f"/proc/{isolated.pid}/status", encoding="ascii") as status:
            peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    assert trace.error is None, trace.error
    # w ← w − 0.01·6(3w − 6) converges to the minimum of (3w − 6)², w = 2
    assert abs(float(trace.printed[0].text) - 2.0) < 1e-4
    assert trace.calls == [] and trace.unpictured == 100_000, "nothing is kept for pictures"
    assert peak_kb < 400_000, f"the worker grew to {peak_kb / 1024:.0f} MB"


def test_a_scripts_gradient_is_checked_by_replaying_what_the_tape_recorded(worker):
    script = ("import adviz as tf\nx = tf.Variable([1.0, 2.0])\nw = tf.constant(3.0)\n"
              "with tf.GradientTape() as t:\n    y = tf.reduce_sum(tf.sin(x) * w + x ** 3)\n"
              "g = t.gradient(y, [x, w])\n")
    result = worker.check_call(script, 0, "x")
    assert result.ok and result.rel_error < 1e-4
    # d/dx Σ (3 sin x + x³) = 3 cos x + 3x²
    assert np.allclose(result.numeric, 3 * np.cos([1.0, 2.0]) + 3 * np.array([1.0, 2.0]) ** 2, rtol=1e-5)
    unwatched = worker.check_call(script, 0, "w")
    assert unwatched.analytic is None and "returns None" in unwatched.message

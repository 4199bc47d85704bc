"""User code runs in a worker process that can always be stopped.

The language bounds every run from the inside (a work budget, a clock, a memory backstop); this
module is the line behind it. A warm worker process runs documents and scripts under hard limits
of the operating system (address space and CPU time, where ``resource`` exists) and is killed at a
wall-clock deadline and started again. What comes back is plain data: an :class:`Outcome` whose
trace holds no engine objects, printed lines as they are printed, and, when the worker dies, a
message placed at the statement that was running, with everything printed before it kept.

Example::

    >>> with Isolated() as worker:                                  # doctest: +SKIP
    ...     outcome = worker.compute(Document("f = x**2", [VariableSpec("x", "3")]))
"""
from __future__ import annotations

import atexit
import io
import mmap
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, BinaryIO, Callable

import numpy as np

from ..lang import LangError
from ..lang.limits import Limits
from ..lang.trace import PrintedLine, Trace
from .check import CheckResult
from .document import Document, is_script
from .explore import array_from_bytes
from .pipeline import Outcome

MEMORY = 1536 * 1024 * 1024        # bytes the worker may add to its address space for one run
GRACE = 5.0                        # seconds past the language's own clock before the worker is killed
CPU_SLACK = 10                     # CPU seconds past the deadline before the system stops the worker
START_TIMEOUT = 60.0               # seconds a new worker may take to start


@dataclass(frozen=True)
class Stopped:
    """Why a run ended without an answer: the worker was killed or died."""

    message: str
    line: int = 0
    col: int = 0


def plain_trace(trace: Trace) -> Trace:
    """``trace`` without engine objects (tapes, tensors, backward passes): safe to send between processes."""
    return Trace(tapes=[replace(t, tape=None) for t in trace.tapes],
                 calls=[replace(c, target=None, sources=[], result=None, tape_call=None) for c in trace.calls],
                 printed=list(trace.printed), cells=list(trace.cells), error=trace.error, names={},
                 unpictured=trace.unpictured)


# -- the worker's side ----------------------------------------------------------------------
class _StreamedLines(list):
    """The trace's printed lines, each also sent to the parent the moment it is printed."""

    def __init__(self, conn: "_Channel") -> None:
        super().__init__()
        self.conn = conn

    def append(self, line: PrintedLine) -> None:
        super().append(line)
        self.conn.send(("print", line))


def _job_compute(conn: "_Channel", where, doc: Document, method: str, direction: str) -> Outcome:
    from .pipeline import compute
    outcome = compute(doc, method, direction, on_statement=_marker(where), trace=Trace(printed=_StreamedLines(conn)))
    if outcome.trace is not None:
        outcome.trace = plain_trace(outcome.trace)
    return outcome


def _job_check(conn: "_Channel", where, doc: Document, name: str) -> CheckResult:
    from .check import finite_difference_check
    return finite_difference_check(doc, name)


def _job_script(conn: "_Channel", where, text: str, limits: Limits) -> Trace:
    from ..lang import run_script
    trace = Trace(printed=_StreamedLines(conn))
    run_script(text, limits=limits, trace=trace, on_statement=_marker(where))
    trace.printed = list(trace.printed)
    return plain_trace(trace)


def _job_check_call(conn: "_Channel", where, text: str, call: int, name: str) -> CheckResult:
    from ..lang import run_script
    from .replay import replay_check
    trace = run_script(text, on_statement=_marker(where))
    if call >= len(trace.calls):
        return CheckResult(name, None, None, message="cannot check: the script did not reach this call")
    return replay_check(trace, call, name)


def _job_explore(conn: "_Channel", where, kind: str, args: tuple) -> Any:
    from . import explore
    return {"evaluate": explore.evaluate, "curve": explore.sample_curve, "contour": explore.sample_contour}[kind](*args)


def _job_cost(conn: "_Channel", where, doc: Document) -> Any:
    from .cost import CostError, cost_of_document
    try:
        return cost_of_document(doc)
    except CostError as exc:
        return str(exc)


JOBS: dict[str, Callable[..., Any]] = {"compute": _job_compute, "check": _job_check, "script": _job_script,
                                       "check_call": _job_check_call, "explore": _job_explore, "cost": _job_cost}


def _marker(where: "_Where") -> Callable[[int, int], None]:
    return where.mark


def _limit_memory(extra: int) -> None:
    try:
        import resource
    except ImportError:        # no such limits here: the deadline still stops the worker
        return
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        size = 1024 * 1024 * 1024
    limit = size + extra
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _limit_cpu(seconds: float) -> None:
    try:
        import resource
    except ImportError:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


class _Pickler(pickle.Pickler):
    """Small numeric arrays (a graph holds thousands) pickled as their bytes: twice as fast."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is np.ndarray and obj.dtype.kind in "fiucb" and obj.size <= 64:
            return array_from_bytes, (obj.tobytes(), obj.dtype.str, obj.shape)
        return NotImplemented


class _Channel:
    """Pickled messages with a length in front, over a pair of byte streams."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO) -> None:
        self.reader, self.writer = reader, writer

    def send(self, message: Any) -> None:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(message)
        data = buffer.getvalue()
        self.writer.write(struct.pack("<Q", len(data)) + data)
        self.writer.flush()

    def recv(self) -> Any:
        head = self.reader.read(8)
        if len(head) < 8:
            raise EOFError
        (size,) = struct.unpack("<Q", head)
        data = self.reader.read(size)
        if len(data) < size:
            raise EOFError
        return pickle.loads(data)


def serve(where_path: str, memory: int) -> None:
    """The worker's loop (``python -m adviz.model.isolation``): one job at a time, each answered
    with ("done", result); printed lines go out as ("print", line) while the job runs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl+C in a terminal belongs to the parent
    channel = _Channel(sys.stdin.buffer, sys.stdout.buffer)
    sys.stdout = sys.stderr                           # nothing else may write into the channel
    with open(where_path, "r+b") as handle:
        where = _Where(mmap.mmap(handle.fileno(), _Where.SIZE))
    from . import check, explore, pipeline  # noqa: F401 - every job's code is imported before the limits apply
    _limit_memory(memory)
    channel.send(("ready", os.getpid()))
    while True:
        try:
            job = channel.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        kind, args, cpu = job
        where.mark(0, 0)
        _limit_cpu(cpu)
        try:
            result = JOBS[kind](channel, where, *args)
        except MemoryError:
            result = Stopped("out of memory: the run needed more than the worker may use", *where.read())
        except Exception as exc:  # noqa: BLE001 - a job's failure is an answer, never a dead worker
            result = Stopped(f"internal error: {type(exc).__name__}: {exc}", *where.read())
        channel.send(("done", result))


class _Where:
    """The statement running in the worker, in memory both processes see (it outlives a crash)."""

    SIZE = 8

    def __init__(self, memory: mmap.mmap) -> None:
        self.memory = memory

    def mark(self, line: int, col: int) -> None:
        struct.pack_into("<ii", self.memory, 0, line, col)

    def read(self) -> tuple[int, int]:
        line, col = struct.unpack_from("<ii", self.memory, 0)
        return line, col


# -- the parent's side ----------------------------------------------------------------------
class Isolated:
    """One warm worker process; :meth:`compute`, :meth:`check` and :meth:`run_script` run in it.

    ``timeout`` is the wall-clock deadline of one job (by default the run's own clock plus a grace:
    the language stops a run first, with its own message, and the worker is killed only past it);
    ``memory`` the address space a job may add. Calls from several threads take turns.
    """

    def __init__(self, timeout: float | None = None, memory: int = MEMORY) -> None:
        self.timeout = timeout          # None: each run's own clock plus a grace
        self.memory = memory
        self.restarts = 0
        self._process: subprocess.Popen | None = None
        self._channel: _Channel | None = None
        self._messages: queue.Queue = queue.Queue()
        self._where: _Where | None = None
        self._lock = threading.Lock()

    # -- lifetime -----------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker now (it starts by itself on the first job otherwise)."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        where_file = tempfile.NamedTemporaryFile(prefix="adviz-where-", delete=False)
        where_file.write(bytes(_Where.SIZE))
        where_file.close()
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        process = subprocess.Popen(
            [sys.executable, "-m", "adviz.model.isolation", where_file.name, str(self.memory)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        assert process.stdin is not None and process.stdout is not None
        messages: queue.Queue = queue.Queue()
        channel = _Channel(process.stdout, process.stdin)
        threading.Thread(target=_read_all, args=(channel, messages), name="adviz-worker-reader",
                         daemon=True).start()
        with open(where_file.name, "r+b") as handle:
            where = _Where(mmap.mmap(handle.fileno(), _Where.SIZE))
        try:
            tag, _pid = messages.get(timeout=START_TIMEOUT)
        except queue.Empty:
            tag = None
        finally:
            os.unlink(where_file.name)      # both processes hold it mapped now; nothing is left behind
        if tag != "ready":
            process.kill()
            raise RuntimeError("the worker process did not start")
        self._process, self._channel, self._messages, self._where = process, channel, messages, where

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(5)
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
        self._process = None
        self.restarts += 1

    def close(self) -> None:
        """Stop the worker."""
        with self._lock:
            process = self._process
            if process is None:
                return
            try:
                self._channel.send(None)
                process.wait(1)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                process.kill()
                process.wait(5)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            self._process = None

    def terminate(self) -> None:
        """Kill the worker at once, even while a job runs (the app is quitting)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def __enter__(self) -> "Isolated":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        process = getattr(self, "_process", None)
        if process is not None and process.poll() is None:
            process.kill()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # -- jobs ---------------------------------------------------------------------------
    def _call(self, kind: str, args: tuple, on_print: Callable[[PrintedLine], None] | None = None,
              timeout: float | None = None) -> Any:
        """Run one job; its result, or a :class:`Stopped` when the worker had to be killed or died."""
        timeout = self._deadline(Limits().timeout) if timeout is None else timeout
        with self._lock:
            self._ensure()
            assert self._process is not None
            try:
                self._channel.send((kind, args, timeout + CPU_SLACK))
            except (OSError, ValueError):
                return self._stopped(self._late_or_dead(1.0, timeout))
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic()
                try:
                    tag, value = self._messages.get(timeout=max(0.0, left)) if left > 0 else (None, None)
                except queue.Empty:
                    tag, value = None, None
                if tag is None or tag == "eof":
                    return self._stopped(self._late_or_dead(deadline - time.monotonic(), timeout))
                if tag == "print":
                    if on_print is not None:
                        on_print(value)
                elif tag == "done":
                    return value

    def _deadline(self, clock: float) -> float:
        """Seconds one job may take: ours when set, else the run's own clock plus a grace."""
        return self.timeout if self.timeout is not None else clock + GRACE

    def _late_or_dead(self, left: float, timeout: float) -> str:
        process = self._process
        if left <= 0 and process is not None and process.poll() is None:
            return f"the run took longer than {timeout:g} s and was stopped"
        code = None
        if process is not None:
            try:
                code = process.wait(1)
            except subprocess.TimeoutExpired:
                code = None
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            reasons = {"SIGXCPU": "it used more CPU time than a run may",
                       "SIGSEGV": "it crashed (a value nested too deeply, or a bug)",
                       "SIGKILL": "it was killed (out of memory?)"}
            return f"the run was stopped: {reasons.get(name, 'the system ended it with ' + name)}"
        return "the run was stopped: the worker process ended unexpectedly"

    def _stopped(self, message: str) -> Stopped:
        line, col = self._where.read() if self._where is not None else (0, 0)
        self._kill()
        return Stopped(message, line, col)

    def compute(self, doc: Document, method: str = "layered", direction: str = "LR") -> Outcome:
        """:func:`~adviz.model.pipeline.compute` in the worker; a stopped run is an Outcome with its error."""
        printed: list[PrintedLine] = []
        result = self._call("compute", (doc, method, direction), printed.append)
        if isinstance(result, Stopped):
            script = is_script(doc.text)
            trace = Trace(printed=printed, cells=_cells(doc.text)) if script else None
            return Outcome(error=_error(result), script=script, trace=trace)
        return result

    def explore(self, kind: str, *args: Any) -> Any:
        """One of :mod:`adviz.model.explore`'s functions in the worker: ``"evaluate"`` (an Outcome
        with a graph and no layout), ``"curve"`` or ``"contour"``; a stopped run gives its message."""
        result = self._call("explore", (kind, args))
        if isinstance(result, Stopped):
            return Outcome(error=_error(result)) if kind == "evaluate" else result.message
        return result

    def check(self, doc: Document, name: str) -> CheckResult:
        """:func:`~adviz.model.check.finite_difference_check` in the worker."""
        # A check runs the functions once per element and direction, each run on its own clock.
        result = self._call("check", (doc, name), timeout=self._deadline(4 * Limits().timeout))
        if isinstance(result, Stopped):
            return CheckResult(name, None, None, message=f"cannot check: {result.message}")
        return result

    def cost(self, doc: Document) -> Any:
        """:func:`~adviz.model.cost.cost_of_document` in the worker: the CostView, or raises CostError."""
        from .cost import CostError
        # n forward and m reverse passes over one recording, each as short as the run itself.
        result = self._call("cost", (doc,), timeout=self._deadline(4 * Limits().timeout))
        if isinstance(result, Stopped):
            raise CostError(f"The Jacobians could not be built: {result.message}")
        if isinstance(result, str):
            raise CostError(result)
        return result

    def check_call(self, text: str, call: int, name: str) -> CheckResult:
        """A script's gradient call checked in the worker: its records replayed with ``name`` nudged."""
        result = self._call("check_call", (text, call, name), timeout=self._deadline(2 * Limits().timeout))
        if isinstance(result, Stopped):
            return CheckResult(name, None, None, message=f"cannot check: {result.message}")
        return result

    def run_script(self, text: str, limits: Limits = Limits(),
                   on_print: Callable[[PrintedLine], None] | None = None) -> Trace:
        """Run a tape script in the worker; ``on_print`` sees each printed line as it is printed.

        A run that had to be stopped keeps the lines printed before, and its error says where.
        """
        printed: list[PrintedLine] = []

        def seen(line: PrintedLine) -> None:
            printed.append(line)
            if on_print is not None:
                on_print(line)

        result = self._call("script", (text, limits), seen, timeout=self._deadline(limits.timeout))
        if isinstance(result, Stopped):
            return Trace(printed=printed, error=_error(result))
        return result


def _cells(text: str) -> list:
    """The narration cells of a script whose run was stopped (parsing alone is safe and bounded)."""
    from ..lang import LangError as Refused, parse_script
    try:
        return list(parse_script(text).cells)
    except Refused:
        return []


def _error(stopped: Stopped) -> LangError:
    return LangError(stopped.message, stopped.line, stopped.col, kind="limit")


_SHARED: Isolated | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> Isolated:
    """The process's one worker, started on first use and stopped when the process exits."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = Isolated()
            atexit.register(_SHARED.terminate)
        return _SHARED


def _read_all(channel: _Channel, messages: queue.Queue) -> None:
    """The parent's reader thread: every message of the worker, then ("eof", None) when it ends."""
    while True:
        try:
            messages.put(channel.recv())
        except Exception:  # noqa: BLE001 - a dead worker, a closed pipe, a torn message: all end it
            messages.put(("eof", None))
            return


__all__ = ["Isolated", "Stopped", "plain_trace", "shared", "MEMORY", "GRACE"]

if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))

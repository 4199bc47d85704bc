"""One background thread that runs the engine, the language and layouts, one job at a time.

The engine's tape stack is global, so all engine work happens on this one thread. The thread
is a daemon: closing the window never waits for a long computation to finish.
"""
from __future__ import annotations

import queue
import threading
from typing import Callable


class Worker:
    """A queue of jobs served in order by a daemon thread."""

    def __init__(self, name: str = "adviz-compute") -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        """Run ``job`` after the jobs already queued."""
        self._jobs.put(job)

    def stop(self) -> None:
        """Finish the current job and then stop; queued jobs are dropped."""
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        self._jobs.put(None)

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except Exception:  # noqa: BLE001 - a job reports its own errors; the thread must live on
                pass

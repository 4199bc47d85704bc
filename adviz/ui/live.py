"""The document model's live values: an input dragged, the numbers following on the same picture.

While a value is dragged the model runs only the newest value: a run in progress finishes, the
values asked for meanwhile are dropped except the last, which runs next. Each finished run puts
its numbers on the graph that is shown, at the positions it has (no new layout). The drag ends as
one undoable edit, however many values it passed through. A plot's samples are asked for the same
way: only the newest request waits while one runs.
"""
from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QTimer

from ..model import Document, Notice, Outcome
from ..model.document import content_key

KEY_COMMIT_MS = 600      # keyboard steps close to each other make one edit


class LiveValues:
    """Part of :class:`~adviz.ui.model.DocumentModel`: the intents of a dragged value."""

    def _init_live(self) -> None:
        self._live_want: Document | None = None     # the newest value asked for, not yet running
        self._live_busy = False
        self._live_held = False                     # a drag is in progress: no edit until it ends
        self._live_base: tuple | None = None        # (nodes, edges, layout) of the graph drawn
        self.live_runs = 0                          # runs finished while dragging (for measuring)
        self._live_commit = QTimer(self)
        self._live_commit.setSingleShot(True)
        self._live_commit.setInterval(KEY_COMMIT_MS)
        self._live_commit.timeout.connect(self.commit_scrub)
        self._live_done.connect(self._on_live)
        self._sample_want: tuple | None = None
        self._sample_busy = False
        self._sample_done.connect(self._on_sampled)
        self.outcomeChanged.connect(self._remember_base)
        self.layoutChanged.connect(self._relaid)

    def begin_scrub(self) -> None:
        """A drag starts: the values it passes through make no undo entries until it ends."""
        self._live_held = True
        self._live_commit.stop()

    def scrub(self, name: str, text: str) -> None:
        """Input ``name`` takes the value ``text`` now; the numbers follow on the same picture."""
        variables = [replace(v, value=text) if v.name == name else v for v in self.document.variables]
        if variables == self.document.variables or not any(v.name == name for v in variables):
            return
        self._debounce.stop()
        self.document = replace(self.document, variables=variables)
        self.revision += 1
        self.documentChanged.emit(self.document)
        self._update_modified()
        self._live_want = self.document.copy()
        self._live_next()
        if not self._live_held:            # a key step: the edit closes after a short pause
            self._live_commit.start()

    def end_scrub(self) -> None:
        """The drag ended: everything it changed is one undoable edit."""
        self._live_held = False
        self._live_commit.stop()
        self.commit_scrub()

    def commit_scrub(self) -> None:
        """Close the values dragged so far into one edit on the undo stack."""
        doc = self.document.copy()
        if self._committed is not None and content_key(doc) != content_key(self._committed):
            self.undo_stack.push(self._edit_class(self, self._committed.copy(), doc.copy()))
        self._committed = doc

    def scrubbing(self) -> bool:
        """Whether a dragged value's run is running or waiting."""
        return self._live_busy or self._live_want is not None

    def _live_next(self) -> None:
        if self._live_busy or self._live_want is None:
            return
        doc, self._live_want = self._live_want, None
        self._live_busy = True
        self.requests += 1
        request, started = self.requests, time.perf_counter()

        def work() -> None:
            try:
                outcome = self._isolated.explore("evaluate", doc)     # user code: in the worker process
            except Exception as exc:  # noqa: BLE001 - shown in the window, never a crash
                outcome = Outcome(error=Notice(f"internal error: {exc}"))
            self._live_done.emit(request, outcome, time.perf_counter() - started)

        self._worker.submit(work)

    def _on_live(self, request: int, outcome: Outcome, elapsed: float) -> None:
        self._live_busy = False
        if request != self.requests:       # an edit or a load came meanwhile: its run wins
            self._live_next()
            return
        self._live_next()                  # the next value runs while this one is drawn
        self.live_runs += 1
        self.last_compute_ms = elapsed * 1000
        self._show_values(outcome)

    def _show_values(self, outcome: Outcome) -> None:
        """New numbers on the graph drawn; a changed structure (or none drawn) is laid out anew."""
        base, graph = self._live_base, outcome.graph
        if graph is not None and (base is None or (graph.nodes.keys(), graph.edges.keys()) != base[:2]):
            self.recompute()
            return
        if graph is not None:
            outcome.layout = base[2]
            self.step = max(0, min(self.step, self.length(outcome=outcome) - 1))
        self.outcome = outcome
        self.outcomeChanged.emit(outcome)

    def _remember_base(self, outcome: Outcome) -> None:
        if outcome.graph is not None and outcome.layout is not None:
            self._live_base = (outcome.graph.nodes.keys(), outcome.graph.edges.keys(), outcome.layout)
        elif outcome.graph is None and outcome.error is None:
            self._live_base = None          # a blank page

    # -- a plot's samples ----------------------------------------------------------------
    def sample(self, kind: str, *args) -> None:
        """Compute :mod:`adviz.model.explore`'s ``kind`` (``"curve"`` or ``"contour"``) of ``args``
        in the worker process; ``sampled`` brings it. Asked again meanwhile, only the newest runs."""
        self._sample_want = (kind, args)
        self._sample_next()

    def _sample_next(self) -> None:
        if self._sample_busy or self._sample_want is None:
            return
        (kind, args), self._sample_want = self._sample_want, None
        self._sample_busy = True

        def work() -> None:
            try:
                result = self._isolated.explore(kind, *args)
            except Exception as exc:  # noqa: BLE001 - the plot says why, never a crash
                result = f"cannot plot: {exc}"
            self._sample_done.emit(result)

        self._worker.submit(work)

    def _on_sampled(self, result) -> None:
        self._sample_busy = False
        self._sample_next()
        self.sampled.emit(result)

    def _relaid(self, layout) -> None:
        if self._live_base is not None:
            self._live_base = (*self._live_base[:2], layout)

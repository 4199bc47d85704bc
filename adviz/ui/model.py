"""The app's one observable state: the document, its outcome, the step and pass, moved nodes, undo.

Views never change each other. They subscribe to :class:`DocumentModel`'s signals and send it
intents (``set_text``, ``choose_call``, ``set_step`` …); the model runs the pipeline on the worker
thread and announces what changed. Intents are idempotent: asking for what is already there
does nothing and emits nothing, so a view that reflects the model can never start a loop.
"""
from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..graph import Layout
from ..model import Document, Notice, Outcome, VariableSpec, is_script, lay_out, sync_variables
from ..model.pipeline import with_moved
from ..model.check import CheckResult
from ..model.isolation import shared
from ..model.document import content_key
from ..model.session import Session
from .live import LiveValues
from .worker import Worker

DEBOUNCE_MS = 250
BACKWARD, FORWARD = "backward", "forward"


class _Edit(QUndoCommand):
    """One edit of the document's content, already made when it is pushed (its first redo does
    nothing), undone by putting the previous content back."""

    def __init__(self, model: "DocumentModel", before: Document, after: Document) -> None:
        super().__init__("edit")
        self.model, self.before, self.after = model, before, after
        self._made = True

    def redo(self) -> None:
        if not self._made:
            self.model._restore(self.after)
        self._made = False

    def undo(self) -> None:
        self.model._restore(self.before)


class DocumentModel(QObject, LiveValues):
    """What the window shows, in one place. Every signal carries the new value."""

    loaded = Signal()                      # a new document replaced the old one: nothing of it stays
    documentChanged = Signal(object)       # Document: text, inputs, options, target or call changed
    outcomeChanged = Signal(object)        # Outcome: a run finished (its graph may be None)
    layoutChanged = Signal(object)         # Layout: the same graph laid out anew (nodes glide there)
    methodChanged = Signal(str, str)       # layout method and direction
    stepChanged = Signal(int, bool)        # step index, and whether to animate into it
    modeChanged = Signal(str)              # "backward" or "forward"
    movedChanged = Signal()                # the user's node positions changed
    modifiedChanged = Signal(bool)
    titleChanged = Signal(str)
    checked = Signal(object)               # CheckResult of a finite-difference check
    layoutFailed = Signal(str)
    callComputed = Signal(int, object)     # another call of the script, computed for a comparison
    _computed = Signal(int, object, float)
    _laid_out = Signal(int, object, object)
    _check_done = Signal(object)
    sampled = Signal(object)               # a plot's samples (a Curve or a Contour), the newest asked
    _live_done = Signal(int, object, float)
    _sample_done = Signal(object)
    _edit_class = _Edit

    def __init__(self, method: str = "layered", direction: str = "LR", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = Document(text="")
        self.outcome: Outcome | None = None
        self.method, self.direction = method, direction
        self.step, self.mode = 0, BACKWARD
        self.moved: dict[str, tuple[float, float]] = {}
        self.path = None                      # the session file Save writes to
        self.display_name = "Untitled"
        self.undo_stack = QUndoStack(self)
        self.requests = 0                     # runs started; the newest wins
        self.last_compute_ms = 0.0
        self.revision = 0                     # grows with every change a save would keep
        self._remembered: dict[str, VariableSpec] = {}
        self._committed: Document | None = None    # the content of the last run (undo's "before")
        self._clean = self._saved_key()
        self._structure: tuple | None = ()
        self._layout_requests = 0
        self._worker = Worker()
        self._isolated = shared()
        self._worker.submit(self._isolated.start)      # warm before the first run asks for it
        self._computed.connect(self._on_computed)
        self._laid_out.connect(self._on_laid_out)
        self._check_done.connect(self.checked)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.recompute)
        self._init_live()

    # -- intents: the document ------------------------------------------------------
    def set_text(self, text: str) -> None:
        """The editor's text changed: the picture follows after a short pause."""
        if text != self.document.text:
            self._change(replace(self.document, text=text, variables=self.document.variables), debounce=True)

    def set_variables(self, variables: list[VariableSpec]) -> None:
        if list(variables) != self.document.variables:
            self._change(replace(self.document, variables=[replace(v) for v in variables]))

    def set_options(self, persistent: bool | None = None, watch_accessed_variables: bool | None = None) -> None:
        doc = self.document
        new = replace(doc, persistent=doc.persistent if persistent is None else bool(persistent),
                      watch_accessed_variables=(doc.watch_accessed_variables if watch_accessed_variables is None
                                                else bool(watch_accessed_variables)))
        if new != doc:
            self._change(new)

    def set_target(self, target: str | None) -> None:
        if target and target != self.document.target:
            self._change(replace(self.document, target=target))

    def apply_fix(self, action: str) -> bool:
        """Apply a diagnosis's fix to the functions' inputs ("watch:x", "trainable:x", "variable:x",
        "watch_accessed", "persistent"); False when it does not apply here (a script is never edited)."""
        kind, _, name = action.partition(":")
        if is_script(self.document.text) or not action:
            return False
        if kind == "persistent":
            self.set_options(persistent=True)
        elif kind == "watch_accessed":
            self.set_options(watch_accessed_variables=True)
        elif kind in ("watch", "trainable", "variable") and any(v.name == name for v in self.document.variables):
            new_kind = "watched" if kind == "watch" else "variable"
            self.set_variables([replace(v, kind=new_kind, source=True) if v.name == name else v
                                for v in self.document.variables])
        else:
            return False
        return True

    def choose_call(self, index: int) -> None:
        """Draw gradient call ``index`` of the script: a way of looking, not an edit."""
        if index >= 0 and index != self.document.call:
            self.document = replace(self.document, call=index, variables=self.document.variables)
            if self._committed is not None:
                self._committed = replace(self._committed, call=index)
            self.documentChanged.emit(self.document)
            self.recompute()

    def _change(self, doc: Document, debounce: bool = False) -> None:
        self.document = doc
        self.revision += 1
        self.documentChanged.emit(doc)
        self._update_modified()
        if debounce:
            self._debounce.start()
        else:
            self.recompute()

    def _restore(self, doc: Document) -> None:
        """Undo and redo: put ``doc``'s content back, keeping the chosen call."""
        doc = replace(doc.copy(), call=self.document.call)
        self._committed = doc.copy()
        if content_key(doc) != content_key(self.document):
            self.document = doc
            self.revision += 1
            self.documentChanged.emit(doc)
            self._update_modified()
        self.recompute()

    # -- intents: opening, the view -------------------------------------------------
    def load(self, doc: Document, path=None, display: str | None = None, session: Session | None = None) -> None:
        """A new document (a session, a script, a lesson, New): nothing of the old one stays."""
        self._debounce.stop()
        self.document = doc.copy()
        self._committed = doc.copy()
        self._remembered = {}
        self.undo_stack.clear()
        self.outcome = None
        self._structure = None              # the first picture keeps the loaded step
        if session is not None:
            self.method, self.direction = session.layout, session.direction
            self.moved = dict(session.positions)
            self.step, self.mode = max(0, session.step), session.mode
            self.methodChanged.emit(self.method, self.direction)
        else:
            self.moved, self.step = {}, 0
        self.modeChanged.emit(self.mode)
        self.path = path
        self.display_name = display or (path.name if path is not None else "Untitled")
        self.revision += 1
        self.loaded.emit()
        self.documentChanged.emit(self.document)
        self.mark_clean()
        self.titleChanged.emit(self.display_name)
        self.recompute()

    def session(self, theme: str = "system") -> Session:
        """The document and the way it is looked at, as a session file stores them."""
        return Session(document=self.document.copy(), layout=self.method, direction=self.direction,
                       positions=dict(self.moved), step=self.step, mode=self.mode, theme=theme)

    def saved_as(self, path) -> None:
        """The session was written to ``path``: it becomes the document's file."""
        self.path = path
        self.display_name = path.name
        self.mark_clean()
        self.titleChanged.emit(self.display_name)

    def set_layout(self, method: str, direction: str | None = None) -> None:
        """Lay the graph out again; dragged nodes lose their pins and every node glides."""
        self.method, self.direction = method, direction or self.direction
        self.methodChanged.emit(self.method, self.direction)
        self.moved = {}
        self.movedChanged.emit()
        self._update_modified()
        graph = self.outcome.graph if self.outcome else None
        if graph is None:
            return
        self._layout_requests += 1
        request, direction = self._layout_requests, self.direction

        def work() -> None:       # a large graph's layout takes a while
            try:
                result: Layout | Exception = lay_out(graph, method, direction)
            except ValueError as exc:
                result = exc
            self._laid_out.emit(request, graph, result)

        self._worker.submit(work)

    def move_node(self, node_id: str, x: float, y: float) -> None:
        """The user dragged a node to (``x``, ``y``): it stays there across edits."""
        if self.moved.get(node_id) != (x, y):
            self.moved[node_id] = (x, y)
            self.revision += 1
            self.movedChanged.emit()
            self._update_modified()

    def live_layout(self) -> Layout | None:
        """The layout as it is drawn: moved nodes where the user put them, their edges straight."""
        if self.outcome is None or self.outcome.layout is None:
            return None
        return with_moved(self.outcome.layout, self.moved)

    def length(self, mode: str | None = None, outcome: Outcome | None = None) -> int:
        """Steps of the pass ``mode`` (the current one by default) of ``outcome``'s graph (the current one's)."""
        outcome = outcome or self.outcome
        graph = outcome.graph if outcome else None
        return 0 if graph is None else len(graph.schedule(mode or self.mode))

    def set_step(self, index: int, animate: bool = False) -> None:
        n = self.length()
        if n == 0:
            return
        index = max(0, min(int(index), n - 1))
        if index != self.step or animate:
            self.step = index
            self.stepChanged.emit(index, animate)

    def set_mode(self, mode: str) -> None:
        """Play the backward or the forward pass, from its first step."""
        if mode != self.mode:
            self.mode = mode
            self.step = 0
            self.modeChanged.emit(mode)
            self.stepChanged.emit(0, False)

    # -- the modified flag ----------------------------------------------------------
    def _saved_key(self) -> tuple:
        moved = tuple(sorted((k, round(x, 2), round(y, 2)) for k, (x, y) in self.moved.items()))
        return content_key(self.document), self.method, self.direction, moved

    @property
    def modified(self) -> bool:
        return self._saved_key() != self._clean

    def mark_clean(self) -> None:
        """What is shown now is what was last saved or opened."""
        self._clean = self._saved_key()
        self.modifiedChanged.emit(False)

    def mark_modified(self) -> None:
        """Restored work that is saved nowhere but an autosave."""
        self._clean = None
        self.modifiedChanged.emit(True)

    def _update_modified(self) -> None:
        self.modifiedChanged.emit(self.modified)

    # -- running --------------------------------------------------------------------
    def recompute(self) -> None:
        """Run the document in the background; the newest request wins."""
        self._debounce.stop()
        self._live_want = None              # a dragged value waiting to run is older than this
        variables = sync_variables(self.document.text, self.document.variables, self._remembered)
        if variables != self.document.variables:        # the names the functions use now
            self.document = replace(self.document, variables=variables)
            self.documentChanged.emit(self.document)
        doc = self.document.copy()
        if self._committed is not None and content_key(doc) != content_key(self._committed):
            self.undo_stack.push(_Edit(self, self._committed.copy(), doc.copy()))
        self._committed = doc.copy()
        self.requests += 1
        request, method, direction = self.requests, self.method, self.direction
        started = time.perf_counter()
        if not doc.text.strip():            # an empty editor is a blank page, not an error
            self._computed.emit(request, Outcome(), 0.0)
            return

        def work() -> None:
            if request != self.requests:
                return      # a newer edit came while this one waited
            try:
                outcome = self._isolated.compute(doc, method, direction)   # user code: in the worker process
            except Exception as exc:  # noqa: BLE001 - shown in the window, never a crash
                outcome = Outcome(error=Notice(f"internal error: {exc}"))
            self._computed.emit(request, outcome, time.perf_counter() - started)

        self._worker.submit(work)

    def pending(self) -> bool:
        """Whether an edit waits for its run."""
        return self._debounce.isActive()

    def _on_computed(self, request: int, outcome: Outcome, elapsed: float) -> None:
        if request != self.requests:
            return      # an older edit; a newer result is on its way
        self.last_compute_ms = elapsed * 1000
        if outcome.graph is not None:
            structure = tuple(sorted(outcome.graph.nodes))
            if self._structure is not None and structure != self._structure:
                self.step = 0
            self._structure = structure
            self.moved = {k: p for k, p in self.moved.items() if k in outcome.graph.nodes}
            self.step = max(0, min(self.step, self.length(outcome=outcome) - 1))
        self.outcome = outcome
        self.outcomeChanged.emit(outcome)

    def _on_laid_out(self, request: int, graph, result) -> None:
        if request != self._layout_requests or self.outcome is None or self.outcome.graph is not graph:
            return
        if isinstance(result, Exception):
            self.layoutFailed.emit(str(result))
            return
        self.outcome.layout = result
        self.layoutChanged.emit(result)

    def compute_call(self, index: int) -> None:
        """Compute gradient call ``index`` without showing it (``callComputed`` brings it)."""
        doc, method, direction = replace(self.document.copy(), call=index), self.method, self.direction

        def work() -> None:
            try:
                outcome = self._isolated.compute(doc, method, direction)
            except Exception as exc:  # noqa: BLE001 - shown in the comparison, never a crash
                outcome = Outcome(error=Notice(f"internal error: {exc}"))
            self.callComputed.emit(index, outcome)

        self._worker.submit(work)

    def run_check(self, name: str) -> None:
        """Check the gradient by ``name`` with finite differences, in the background (a script's
        call by replaying what its tape recorded)."""
        doc = self.document.copy()

        def work() -> None:
            try:
                if is_script(doc.text):
                    result = self._isolated.check_call(doc.text, doc.call, name)
                else:
                    result = self._isolated.check(doc, name)
            except Exception as exc:  # noqa: BLE001 - shown beside the node
                result = CheckResult(name, None, None, message=f"cannot check: {exc}")
            self._check_done.emit(result)

        self._worker.submit(work)

    def stop(self) -> None:
        """The window closes: no pending run, and the worker ends after its current job."""
        self._debounce.stop()
        self._worker.stop()

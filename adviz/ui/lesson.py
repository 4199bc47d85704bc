"""A tape script shown as a lesson: narration, the code with the current cell, printed output, calls."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from ..model.files import ReadError, read_limited
from ..model.narration import lesson_title, narration_markdown, readable_math  # noqa: F401 - re-exported
from .editor import line_highlight


def _lessons_dir() -> Path:
    """The shipped lessons: beside the source tree, or where an installed wheel put them."""
    import sys
    source = Path(__file__).resolve().parents[2] / "assets" / "lessons"
    if source.is_dir():
        return source
    return Path(sys.prefix) / "share" / "adviz" / "lessons"


LESSONS_DIR = _lessons_dir()

def shipped_lessons() -> list[tuple[str, Path]]:
    """(title, path) of the lessons that come with adviz, in order."""
    if not LESSONS_DIR.is_dir():
        return []
    out = []
    for path in sorted(LESSONS_DIR.glob("*.py")):
        try:
            head = read_limited(path, 1_000_000).decode("utf-8", "replace")[:4000]
        except ReadError:
            continue
        out.append((lesson_title(head, path.stem.replace("_", " ")), path))
    return out


class LessonPanel(QWidget):
    """Narration beside the code, the printed output, and the script's gradient calls."""

    callChosen = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        nav = QHBoxLayout()
        self.previous_button = QPushButton("◀ Cell")
        self.previous_button.setToolTip("Previous cell of the lesson (Ctrl+Up)")
        self.next_button = QPushButton("Cell ▶")
        self.next_button.setToolTip("Next cell of the lesson (Ctrl+Down)")
        self.position = QLabel()
        nav.addWidget(self.previous_button)
        nav.addWidget(self.position, 1, Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)
        split = QSplitter(Qt.Orientation.Vertical)
        self.narration = QTextBrowser()
        self.narration.setOpenExternalLinks(True)
        self.narration.setToolTip("The lesson's text for the current cell")
        split.addWidget(self.narration)
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setToolTip("The script; the current cell is highlighted. Edit a copy in the Inputs.")
        split.addWidget(self.code)
        self.console = QPlainTextEdit()
        self.console.setReadOnly(True)
        self.console.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.console.setPlaceholderText("Printed output")
        self.console.setToolTip("What the script printed, up to the current cell")
        split.addWidget(self.console)
        self.calls = QListWidget()
        self.calls.setToolTip("The script's gradient calls: each has its own picture")
        split.addWidget(self.calls)
        split.setSizes([260, 220, 110, 90])
        layout.addWidget(split, 1)
        self.trace = None
        self.cell = 0
        self.previous_button.clicked.connect(lambda: self.go(self.cell - 1))
        self.next_button.clicked.connect(lambda: self.go(self.cell + 1))
        self.calls.currentRowChanged.connect(self._call_row)

    def set_trace(self, text: str, trace) -> None:
        """Show a new run of the script, keeping the current cell where possible."""
        self.trace = trace
        if self.code.toPlainText() != text:
            self.code.setPlainText(text)
        blocker = QSignalBlocker(self.calls)
        self.calls.clear()
        for call in trace.calls:
            mark = "  ⚠" if call.error is not None else ""
            self.calls.addItem(f"{call.index + 1}. line {call.line}: {call.kind}({call.target_text}, {call.sources_text}){mark}")
        if trace.unpictured:
            more = QListWidgetItem(f"… and {trace.unpictured:,} more gradient calls: computed, not kept for pictures")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            more.setToolTip("Only the first calls of a run keep their backward pass, so a long loop stays light")
            self.calls.addItem(more)
        blocker.unblock()
        self.go(min(self.cell, max(0, len(trace.cells) - 1)), emit=False)

    def show_call(self, index: int) -> None:
        """Gradient call ``index`` is drawn: the output shown never runs past it (a later cell goes
        back to the call's cell; an earlier one, such as the introduction, stays)."""
        if self.trace is None or not 0 <= index < len(self.trace.calls):
            return
        line = self.trace.calls[index].line
        cells = self.cells()
        cell = next((k for k, c in enumerate(cells) if c.first_line <= line <= max(c.last_line, c.first_line)), None)
        if cell is not None and cell < self.cell:
            self.go(cell, emit=False)
        if self.calls.currentRow() != index:
            blocker = QSignalBlocker(self.calls)
            self.calls.setCurrentRow(index)
            blocker.unblock()

    def clear(self) -> None:
        """No script: nothing to narrate."""
        self.trace = None
        self.cell = 0
        blocker = QSignalBlocker(self.calls)
        self.calls.clear()
        blocker.unblock()

    def cells(self) -> list:
        return list(self.trace.cells) if self.trace is not None else []

    def go(self, index: int, emit: bool = True) -> None:
        """Make cell ``index`` current: its narration, its code highlighted, output so far."""
        cells = self.cells()
        if not cells:
            self.narration.setMarkdown("")
            self.position.setText("")
            return
        index = max(0, min(index, len(cells) - 1))
        self.cell = index
        cell = cells[index]
        self.narration.setMarkdown(narration_markdown(cell.narration))
        self.position.setText(f"cell {index + 1} of {len(cells)}")
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(cells) - 1)
        last = cell.last_line if cell.last_line >= cell.first_line else cell.first_line
        self._highlight(cell.first_line, last)
        printed = [p for p in self.trace.printed if p.line <= last]
        self.console.setPlainText("".join(p.text + getattr(p, "end", "\n") for p in printed))
        self.console.moveCursor(QTextCursor.MoveOperation.End)
        calls = [c for c in self.trace.calls if cell.first_line <= c.line <= last]
        if calls and emit:
            blocker = QSignalBlocker(self.calls)
            self.calls.setCurrentRow(calls[0].index)
            blocker.unblock()
            self.callChosen.emit(calls[0].index)

    def _highlight(self, first: int, last: int) -> None:
        doc = self.code.document()
        start = doc.findBlockByNumber(max(0, first - 1))
        end = doc.findBlockByNumber(max(0, last - 1))
        if not start.isValid():
            self.code.setExtraSelections([])
            return
        last = end if end.isValid() else start
        cursor = QTextCursor(start)
        cursor.setPosition(last.position() + max(0, last.length() - 1), QTextCursor.MoveMode.KeepAnchor)
        self.code.setExtraSelections([line_highlight(cursor, "#f59e0b", 60)])
        self.code.setTextCursor(QTextCursor(start))
        self.code.ensureCursorVisible()

    def _call_row(self, row: int) -> None:
        if row >= 0:
            self.callChosen.emit(row)

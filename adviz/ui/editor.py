"""The function editor: syntax colours, and an error underlined at its column with its message."""
from __future__ import annotations

import keyword
import re

from PySide6.QtCore import Signal
from PySide6.QtGui import (QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat,
                           QTextCursor, QTextFormat)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from ..lang import KNOWN_NAMES

HIGHLIGHT_LIMIT = 300_000   # characters
PASTE_LIMIT = 1_000_000


class Highlighter(QSyntaxHighlighter):
    """Colours functions, numbers, names, strings and comments, for light and dark backgrounds."""

    TOKEN = re.compile(r"(#.*$)|(\"[^\"]*\"?|'[^']*'?)|(\b\d+\.?\d*(?:[eE][-+]?\d+)?\b|\.\d+)|([A-Za-z_]\w*)|(\*\*|[-+*/@=()\[\],])")

    def __init__(self, document, dark: bool = False) -> None:
        super().__init__(document)
        self.functions = frozenset(KNOWN_NAMES)
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        def fmt(colour: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(QColor(colour))
            if bold:
                f.setFontWeight(QFont.Weight.DemiBold)
            f.setFontItalic(italic)
            return f
        if dark:
            self.formats = [fmt("#7f8899", italic=True), fmt("#a5d6a7"), fmt("#f9a66c"), fmt("#82aaff", bold=True),
                            fmt("#c792ea"), fmt("#e8eaf0"), fmt("#ff8fa3", bold=True)]
        else:
            self.formats = [fmt("#6b7280", italic=True), fmt("#15803d"), fmt("#c2410c"), fmt("#1d4ed8", bold=True),
                            fmt("#7c3aed"), fmt("#1f2330"), fmt("#be185d", bold=True)]
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt virtual
        comment, string, number, function, operator, name, kw = self.formats
        for match in self.TOKEN.finditer(text):
            start, end = match.span()
            if match.group(1):
                self.setFormat(start, end - start, comment)
            elif match.group(2):
                self.setFormat(start, end - start, string)
            elif match.group(3):
                self.setFormat(start, end - start, number)
            elif match.group(4):
                word = match.group(4)
                if word in self.functions:
                    self.setFormat(start, end - start, function)
                elif keyword.iskeyword(word):
                    self.setFormat(start, end - start, kw)
                else:
                    self.setFormat(start, end - start, name)
            elif match.group(5):
                self.setFormat(start, end - start, operator)


def line_highlight(cursor: QTextCursor, colour: str, alpha: int) -> QTextEdit.ExtraSelection:
    """A full-width background on the lines ``cursor`` covers."""
    selection = QTextEdit.ExtraSelection()
    fmt = QTextCharFormat()
    background = QColor(colour)
    background.setAlpha(alpha)
    fmt.setBackground(background)
    fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
    selection.format = fmt
    selection.cursor = cursor
    return selection


class CodeEditor(QPlainTextEdit):
    """A plain-text editor for functions or tape scripts, with one error marker at a time."""

    errorShown = Signal(int, int, str)
    pasteRefused = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)
        self.setPlaceholderText("Type functions, one per line, e.g.\nu = x*y\nf = sin(u) + x**2")
        self.highlighter = Highlighter(self.document())
        self.error: tuple[int, int, str] | None = None
        self.setUndoRedoEnabled(True)
        self.document().contentsChange.connect(self._size_check)

    def setPlainText(self, text: str) -> None:  # noqa: N802 - Qt's name
        if len(text) > HIGHLIGHT_LIMIT:
            self.highlighter.setDocument(None)      # before the text arrives, not after
        super().setPlainText(text)

    def insertFromMimeData(self, source) -> None:  # noqa: N802 - Qt virtual
        size = len(source.text())
        if size > PASTE_LIMIT:
            # Far beyond what the language accepts: refuse at once rather than freeze inserting it.
            self.pasteRefused.emit(f"Not pasted: the text is {size / 1e6:.1f} million characters; "
                                   f"functions and scripts are limited to 200,000. The editor is unchanged.")
            return
        if size + self.document().characterCount() > HIGHLIGHT_LIMIT:
            self.highlighter.setDocument(None)
        super().insertFromMimeData(source)

    def _size_check(self, *_args) -> None:
        # Colouring a huge paste line by line would freeze the window; the language refuses
        # such text anyway, so it is shown plain until it is small again.
        large = self.document().characterCount() > HIGHLIGHT_LIMIT
        if large and self.highlighter.document() is not None:
            self.highlighter.setDocument(None)
        elif not large and self.highlighter.document() is None:
            self.highlighter.setDocument(self.document())

    def set_dark(self, dark: bool) -> None:
        # Recolouring is not an edit: it must not look like one to listeners of textChanged.
        blocked = self.blockSignals(True)
        try:
            self.highlighter.set_dark(dark)
            self._refresh_error()
        finally:
            self.blockSignals(blocked)

    def show_error(self, line: int, col: int, message: str) -> None:
        """Underline the token at 1-based ``line``/``col`` with a red wave."""
        self.error = (line, col, message)
        self._refresh_error()
        self.errorShown.emit(line, col, message)

    def clear_error(self) -> None:
        self.error = None
        self.setExtraSelections([])

    def _refresh_error(self) -> None:
        if self.error is None:
            self.setExtraSelections([])
            return
        line, col, message = self.error
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            block = self.document().lastBlock()
        cursor = QTextCursor(block)
        text = block.text()
        start = max(0, min(col - 1, len(text)))
        cursor.setPosition(block.position() + start)
        match = re.match(r"\w+|\S", text[start:])
        length = len(match.group(0)) if match else 0
        if length == 0 and start > 0:
            cursor.setPosition(block.position() + start - 1)
            length = 1
        cursor.setPosition(cursor.position() + length, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#e11d48"))
        fmt.setToolTip(message)
        selection.format = fmt
        selection.cursor = cursor
        self.setExtraSelections([line_highlight(QTextCursor(block), "#e11d48", 28), selection])

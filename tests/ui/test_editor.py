"""The function editor colours the names the language knows, and only those, as built in."""
from __future__ import annotations

from PySide6.QtGui import QTextDocument

from adviz.lang import KNOWN_NAMES
from adviz.ui.editor import Highlighter


def test_highlighter_takes_its_names_from_the_language(qapp) -> None:
    document = QTextDocument("f = sin(x) * pi + exp(y)")
    highlighter = Highlighter(document)
    assert highlighter.functions == set(KNOWN_NAMES)
    formats = document.firstBlock().layout().formats()
    coloured = {document.toPlainText()[f.start:f.start + f.length] for f in formats
                if f.format.foreground().color() == highlighter.formats[3].foreground().color()}
    assert coloured == {"sin", "pi", "exp"}

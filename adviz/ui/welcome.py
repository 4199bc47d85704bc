"""The first minute: three ways to start, over an example that is already drawn."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget


class Welcome(QFrame):
    """A card in the canvas's corner; it goes at the first edit or choice (× closes it)."""

    typeChosen = Signal()
    lessonChosen = Signal()
    scriptChosen = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        title = QLabel("<b>Welcome to adviz</b>")
        head.addWidget(title, 1)
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Close this card")
        close.clicked.connect(self.hide)
        head.addWidget(close)
        layout.addLayout(head)
        text = QLabel("The example on the canvas is u = x·y, f = sin(u) + x². Press → to step through its "
                      "backward pass, Space to play it.")
        text.setWordWrap(True)
        layout.addWidget(text)
        for label, tip, signal in (
                ("Type a function", "Write your own function in the editor on the left", self.typeChosen),
                ("Open a lesson", "Step through a lesson on GradientTape (Help ▸ Lessons)", self.lessonChosen),
                ("Open a script…", "Open a GradientTape script (.py) or a saved session (.adviz)", self.scriptChosen)):
            button = QPushButton(label)
            button.setToolTip(tip)
            button.clicked.connect(signal)
            button.clicked.connect(self.hide)
            layout.addWidget(button)
        self.setFixedWidth(280)
        parent.installEventFilter(self)           # stays in its corner when the canvas resizes
        self.hide()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt virtual
        if event.type() == event.Type.Resize and self.isVisible():
            self.place()
        return False

    def place(self) -> None:
        """Top-right of the parent, clear of the legend (which sits in a free corner)."""
        self.adjustSize()
        parent = self.parentWidget()
        self.move(max(4, parent.width() - self.width() - 14), 14)
        self.raise_()

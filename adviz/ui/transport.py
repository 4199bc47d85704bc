"""The transport bar under the canvas: pass, first/previous/play/next/last, scrubber, speed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QToolButton, QWidget

SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 4.0)


class TransportBar(QWidget):
    """First, previous, play/pause, next, last, speed and a scrubber."""

    def __init__(self, actions: dict, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        self.mode = QComboBox()
        self.mode.addItem("Backward pass", "backward")
        self.mode.addItem("Forward pass", "forward")
        self.mode.addItem("Forward mode (tangents)", "tangent")
        self.mode.setToolTip("Which pass to play: adjoints flowing back (reverse mode), values computed in order, "
                             "or tangents flowing forward from the first input (forward mode, dual numbers a + b·ε)")
        layout.addWidget(self.mode)
        for key in ("first", "previous", "play", "next", "last"):
            button = QToolButton()
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setDefaultAction(actions[key])
            button.setAutoRaise(True)
            layout.addWidget(button)
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setToolTip("Scrub through the steps")
        self.scrubber.setMinimum(0)
        layout.addWidget(self.scrubber, 1)
        self.position = QLabel("0 / 0")
        self.position.setMinimumWidth(60)
        layout.addWidget(self.position)
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Playback speed")
        layout.addWidget(self.speed)

    def set_range(self, length: int, index: int) -> None:
        self.scrubber.blockSignals(True)
        self.scrubber.setMaximum(max(0, length - 1))
        self.scrubber.setValue(index)
        self.scrubber.blockSignals(False)
        # Step 0 is the seed at the target; the ops' steps count from 1.
        self.position.setText(f"{index} / {max(0, length - 1)}")
        self.position.setToolTip("Current step / last step (step 0 starts at the target)")

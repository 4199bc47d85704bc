"""Plays a schedule: each step eases in over a short animation, then the next one follows.

The step and the pass belong to the :class:`~adviz.ui.model.DocumentModel`; the player asks the
model to move and animates the scene when the model says it moved.
"""
from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QTimer, QVariantAnimation, Signal

from .model import DocumentModel
from .scene import GraphScene

STEP_MS = 900      # one step at 1x speed
HOLD_MS = 350      # pause between steps while playing


class Player(QObject):
    """The transport's engine: first, previous, play/pause, next, last, speed, scrub."""

    stepChanged = Signal(int)
    playingChanged = Signal(bool)
    frame = Signal(float)

    def __init__(self, scene: GraphScene, model: DocumentModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.model = model
        self.speed = 1.0
        self.playing = False
        self.frames = 0
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._anim.valueChanged.connect(self._on_frame)
        self._anim.finished.connect(self._on_finished)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._advance)
        model.stepChanged.connect(self._show)
        model.modeChanged.connect(lambda _mode: self.pause())
        model.outcomeChanged.connect(lambda _outcome: self.pause())

    @property
    def index(self) -> int:
        return self.model.step

    @property
    def mode(self) -> str:
        return self.model.mode

    def length(self) -> int:
        return self.model.length()

    def set_mode(self, mode: str) -> None:
        """Switch between the backward and the forward pass, starting at its first step."""
        self.model.set_mode(mode)

    def go(self, index: int, animate: bool = True) -> None:
        """Show step ``index``; animated, the step eases in."""
        self.model.set_step(index, animate)

    def _show(self, index: int, animate: bool) -> None:
        self._stop()
        if animate:
            self._anim.setDuration(max(30, int(STEP_MS / self.speed)))
            self._anim.start()
        else:
            self.scene.show_step(self.mode, index, 1.0)
        self.stepChanged.emit(index)

    def _stop(self) -> None:
        self._anim.stop()
        self._hold.stop()

    def next(self) -> None:
        if self.index < self.length() - 1:
            self.go(self.index + 1)
        else:
            self.pause()

    def previous(self) -> None:
        self.pause()
        self.go(self.index - 1, animate=False)

    def first(self) -> None:
        self.pause()
        self.go(0, animate=False)

    def last(self) -> None:
        self.pause()
        self.go(self.length() - 1, animate=False)

    def play(self) -> None:
        if self.length() <= 1:
            return
        if self.index >= self.length() - 1:
            self.go(0, animate=False)
        self.playing = True
        self.playingChanged.emit(True)
        self.next()

    def pause(self) -> None:
        was = self.playing
        self.playing = False
        self._hold.stop()
        if self._anim.state() == QVariantAnimation.State.Running:
            self._anim.stop()
            self.scene.show_step(self.mode, self.index, 1.0)
        if was:
            self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def set_speed(self, speed: float) -> None:
        self.speed = max(0.1, float(speed))

    def _on_frame(self, value: float) -> None:
        self.frames += 1
        self.scene.show_step(self.mode, self.index, float(value))
        self.frame.emit(float(value))

    def _on_finished(self) -> None:
        self.scene.show_step(self.mode, self.index, 1.0)
        if self.playing:
            if self.index < self.length() - 1:
                self._hold.start(max(10, int(HOLD_MS / self.speed)))
            else:
                self.pause()

    def _advance(self) -> None:
        if self.playing:
            self.next()

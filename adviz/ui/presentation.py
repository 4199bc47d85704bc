"""Presentation mode: full screen, a projector palette, big text, clicker keys, a blank screen."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QToolBar, QWidget

# Keys that presentation clickers send, mapped to the transport.
STEP_FORWARD = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down)
STEP_BACK = (Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up)


class Blank(QWidget):
    """A black sheet over the window (``B``), as presentation software has."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#000000"))
        self.setPalette(palette)
        self.hide()

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()


class Presentation(QObject):
    """Turns a MainWindow into a slide-like view and back, restoring everything it changed."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.active = False
        self.palette_name = "projector"
        self._saved: dict = {}
        self.blank = Blank(window)
        self.toggle_action = QAction("Presentation mode", window, checkable=True)
        self.toggle_action.setShortcut(QKeySequence("F5"))
        self.toggle_action.setToolTip("Full screen with large text and a projector palette (F5; Esc leaves)")
        self.toggle_action.setStatusTip("Present: full screen, large text, high contrast")
        self.toggle_action.triggered.connect(self.toggle)
        self.print_action = QAction("Print-friendly palette", window, checkable=True)
        self.print_action.setStatusTip("Present with a light, print-friendly palette instead of the projector palette")
        self.print_action.toggled.connect(self._choose_palette)

    def _choose_palette(self, light: bool) -> None:
        self.palette_name = "print" if light else "projector"
        if self.active:
            self.window.apply_theme(self.palette_name, remember=False)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        """Full screen, docks hidden, projector palette, keys for clickers."""
        if self.active:
            return
        w = self.window
        self.active = True
        self._saved = {
            "theme": w.theme_setting, "maximized": w.isMaximized(), "fullscreen": w.isFullScreen(),
            "docks": {d: d.isVisible() for d in (w.inputs_dock, w.details_dock, w.lesson_dock)},
            "toolbars": [t for t in w.findChildren(QToolBar) if t.isVisible()],
            "menubar": w.menuBar().isVisible(), "status": w.statusBar().isVisible(),
        }
        for dock in self._saved["docks"]:
            dock.hide()
        for bar in self._saved["toolbars"]:
            bar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        w.apply_theme(self.palette_name, remember=False)
        self._saved["answers"] = w.scene.show_answers
        w.scene.set_show_answers(False)          # a class sees each gradient arrive, not the answer first
        font = w.step_line.font()
        self._saved["step_font"] = font.pointSizeF()
        font.setPointSizeF(max(16.0, font.pointSizeF() * 1.6))
        w.step_line.setFont(font)
        w.canvas.fit_caption()
        w.showFullScreen()
        w.installEventFilter(self)
        w.view.installEventFilter(self)
        self.toggle_action.setChecked(True)
        w.view.setFocus()
        w.view.fit()

    def leave(self) -> None:
        """Back to the window as it was."""
        if not self.active:
            return
        w = self.window
        self.active = False
        self.blank.hide()
        w.removeEventFilter(self)
        w.view.removeEventFilter(self)
        for dock, visible in self._saved["docks"].items():
            dock.setVisible(visible)
        for bar in self._saved["toolbars"]:
            bar.show()
        w.menuBar().setVisible(self._saved["menubar"])
        w.statusBar().setVisible(self._saved["status"])
        font = w.step_line.font()
        font.setPointSizeF(self._saved["step_font"])
        w.step_line.setFont(font)
        w.canvas.fit_caption()
        w.apply_theme(self._saved["theme"])
        w.scene.set_show_answers(self._saved["answers"])
        if self._saved["fullscreen"]:
            w.showFullScreen()
        elif self._saved["maximized"]:
            w.showMaximized()
        else:
            w.showNormal()
        self.toggle_action.setChecked(False)
        w.view.fit()

    def handle_key(self, key: int) -> bool:
        """Presentation keys; True when the key was used."""
        player = self.window.player
        if self.blank.isVisible():
            if key in (Qt.Key.Key_B, Qt.Key.Key_Period, Qt.Key.Key_Escape):
                self.blank.hide()
            return True
        if key == Qt.Key.Key_Escape:
            self.leave()
        elif key in (Qt.Key.Key_B, Qt.Key.Key_Period):
            self.blank.cover()
        elif key in STEP_FORWARD:
            player.pause()
            player.next()
        elif key in STEP_BACK:
            player.previous()
        elif key == Qt.Key.Key_Space:
            player.toggle()
        elif key == Qt.Key.Key_Home:
            player.first()
        elif key == Qt.Key.Key_End:
            player.last()
        elif key == Qt.Key.Key_F:
            self.window.view.fit()
        else:
            return False
        return True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt virtual
        if self.active and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            if event.type() == QEvent.Type.ShortcutOverride:
                # Claim the clicker keys before window shortcuts see them.
                if event.key() in STEP_FORWARD + STEP_BACK + (Qt.Key.Key_Escape, Qt.Key.Key_B, Qt.Key.Key_Period):
                    event.accept()
                    return True
                return False
            return self.handle_key(event.key())
        if self.active and event.type() == QEvent.Type.Resize and obj is self.window and self.blank.isVisible():
            self.blank.cover()
        return False

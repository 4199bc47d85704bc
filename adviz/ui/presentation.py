"""Presentation mode: full screen, a projector palette, big text, clicker keys, a blank screen."""
from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QEvent, QObject, QPointF, QRectF, Qt, QVariantAnimation
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QToolBar, QWidget

MIN_TEXT_PX = 12.0          # the smallest text a class at the back of the room can read
SMALL_POINT_SIZE = 8.5      # the canvas's smallest font at font scale 1 (see adviz.ui.fonts)
MARGIN = 30                 # scene units of room around what the camera frames

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
        self.follow_action = QAction("Follow the step", window, checkable=True)
        self.follow_action.setChecked(True)
        self.follow_action.setStatusTip("In presentation mode the view follows the step being played")
        self.camera = Camera(window.view, self)
        window.model.stepChanged.connect(lambda *_: self.frame_step() if self.active else None)
        window.model.outcomeChanged.connect(lambda *_: self.frame_step(animate=False) if self.active else None)

    def _choose_palette(self, light: bool) -> None:
        self.palette_name = "print" if light else "projector"
        if self.active:
            self.window.apply_theme(self.palette_name, remember=False)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self, full_screen: bool = True) -> None:
        """Full screen, docks hidden, projector palette, keys for clickers, a camera on the step."""
        if self.active:
            return
        w = self.window
        self.active = True
        self._saved = {
            "theme": w.theme_setting, "maximized": w.isMaximized(), "fullscreen": w.isFullScreen(),
            "docks": {d: d.isVisible() for d in (w.inputs_dock, w.details_dock, w.lesson_dock, w.trace_dock)},
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
        self._saved["transform"] = w.view.transform()
        self._saved["center"] = w.view.mapToScene(w.view.viewport().rect().center())
        self._saved["legend"] = w.view.show_legend
        self._saved["fitted"] = w.view.fitted
        w.view.fitted = False                 # the camera frames the view from here on
        w.view.show_legend = False            # folded: L shows it; it never covers a node
        if full_screen:
            w.showFullScreen()
        w.installEventFilter(self)
        w.view.installEventFilter(self)
        w.view.viewport().installEventFilter(self)
        self.toggle_action.setChecked(True)
        w.view.setFocus()
        self.frame_step(animate=False)

    def leave(self) -> None:
        """Back to the window as it was."""
        if not self.active:
            return
        w = self.window
        self.active = False
        self.blank.hide()
        w.removeEventFilter(self)
        w.view.removeEventFilter(self)
        w.view.viewport().removeEventFilter(self)
        self.camera.stop()
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
        w.view.show_legend = self._saved["legend"]
        w.view.setTransform(self._saved["transform"])       # the zoom and place it had before
        w.view.centerOn(self._saved["center"])
        w.view.fitted = self._saved["fitted"]
        w.view.viewport().update()

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
            self.window.next_step()
        elif key in STEP_BACK:
            player.previous()
        elif key == Qt.Key.Key_Space:
            player.toggle()
        elif key == Qt.Key.Key_Home:
            player.first()
        elif key == Qt.Key.Key_End:
            player.last()
        elif key == Qt.Key.Key_F:
            self.frame_step()
        elif key == Qt.Key.Key_L:
            view = self.window.view
            view.show_legend = not view.show_legend
            view.viewport().update()
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
        if self.active and event.type() == QEvent.Type.Resize:
            if obj is self.window and self.blank.isVisible():
                self.blank.cover()
            if obj is self.window.view.viewport():
                self.frame_step(animate=False)
        return False

    # -- the camera ----------------------------------------------------------------------
    def readable_zoom(self) -> float:
        """The least zoom at which the smallest text of the canvas is :data:`MIN_TEXT_PX` pixels high."""
        view = self.window.view
        font_px = SMALL_POINT_SIZE * self.window.scene.theme.font_scale * view.logicalDpiY() / 72.0
        return MIN_TEXT_PX / max(font_px, 1e-6)

    def frame_step(self, animate: bool = True) -> None:
        """Ease the view to the current step: the whole graph when it fits at a readable size, else
        the step's nodes and edges at a readable size (and always inside the picture)."""
        w = self.window
        scene, view = w.scene, w.view
        if scene.graph is None or not self.follow_action.isChecked() and animate:
            return
        whole = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        port = view.viewport().rect()
        if whole.isEmpty() or port.isEmpty():
            return
        fit = min(port.width() / whole.width(), port.height() / whole.height())
        readable = self.readable_zoom()
        if fit >= readable:
            zoom, center = min(fit, 2.0 * readable), whole.center()
        else:
            active = active_rect(scene)
            zoom = max(readable, min(port.width() / max(active.width(), 1.0),
                                     port.height() / max(active.height(), 1.0), 2.0 * readable))
            center = _keep_inside(active.center(), whole, port.width() / zoom, port.height() / zoom)
        self.camera.move_to(zoom, center, animate)


class Camera(QObject):
    """Eases a view's zoom and centre to a target."""

    def __init__(self, view, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(350)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.valueChanged.connect(self._frame)
        self._from = self._to = (1.0, QPointF())

    def move_to(self, zoom: float, center: QPointF, animate: bool = True) -> None:
        self._anim.stop()
        here = self.view.mapToScene(self.view.viewport().rect().center())
        self._from, self._to = (self.view.zoom(), QPointF(here)), (zoom, QPointF(center))
        if animate:
            self._anim.start()
        else:
            self._frame(1.0)

    def stop(self) -> None:
        self._anim.stop()

    def _frame(self, t) -> None:
        t = float(t)
        (z0, c0), (z1, c1) = self._from, self._to
        zoom = z0 * (z1 / z0) ** t if z0 > 0 else z1        # even steps of zoom feel smooth
        self.view.resetTransform()
        self.view.scale(zoom, zoom)
        self.view.centerOn(c0 + (c1 - c0) * t)


def active_rect(scene) -> QRectF:
    """What the current step touches: its nodes (with adjoints and badges) and its edges' labels."""
    graph = scene.graph
    steps = graph.backward if scene.mode == "backward" else graph.forward
    if not steps:
        return scene.itemsBoundingRect()
    step = steps[min(scene.step, len(steps) - 1)]
    nodes = {step.node, *step.adjoints}
    edges = set(step.edges)
    if scene.mode != "backward":
        edges |= {eid for eid, item in scene.edges.items() if item.edge.target == step.node}
        nodes |= {scene.edges[eid].edge.source for eid in edges}
    rect = QRectF()
    for nid in nodes:
        if nid in scene.nodes:
            rect = rect.united(scene.nodes[nid].sceneBoundingRect())
    for eid in edges:
        if eid in scene.edges:
            item = scene.edges[eid]
            rect = rect.united(item.label_rect() if item.has_label() else item.sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN) if not rect.isEmpty() else scene.itemsBoundingRect()


def _keep_inside(center: QPointF, whole: QRectF, width: float, height: float) -> QPointF:
    """``center`` moved so that a width × height window around it stays inside ``whole`` where it can."""
    x = min(max(center.x(), whole.left() + width / 2), whole.right() - width / 2) if whole.width() > width else whole.center().x()
    y = min(max(center.y(), whole.top() + height / 2), whole.bottom() - height / 2) if whole.height() > height else whole.center().y()
    return QPointF(x, y)

"""Drag a value: a slider for each input, and value cells that scrub when dragged sideways.

A slider covers ``value ± max(1, |value|)`` (the ± box widens or narrows it); the arrow keys step
by a hundredth of it, Page Up/Down by a tenth. In the variables table, dragging a value cell
sideways changes the value as design tools do (Shift for fine steps); a double click still edits
it as text. A vector or matrix input scrubs one element, chosen beside its slider.

The widgets send the model intents (``begin_scrub``, ``scrub``, ``end_scrub``) and reflect its
document; the model decides what runs and what becomes an undoable edit.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFrame, QGridLayout, QLabel, QScrollArea, QSizePolicy,
                               QSlider, QWidget)

from ..model.explore import element_label, scrub_step, slider_range, value_array, with_element

MAX_SLIDERS = 12         # inputs with a slider, at most (the table lists every input)
ROWS_SHOWN = 4           # sliders in view at once; more scroll, so the table keeps its room
POSITIONS = 1000         # slider positions across its range
DRAG_START = 4           # pixels sideways before a press on a value cell becomes a scrub
PIXELS_PER_STEP = 1.0    # a pixel of drag is one step of the cell's range (Shift: a tenth)


class _Row:
    """One input's slider, its element chooser (tensors) and its ± range."""

    def __init__(self, name: str, shape: tuple[int, ...]) -> None:
        self.name, self.shape = name, shape
        self.label = QLabel(name)
        self.element = QComboBox()
        self.element.setToolTip(f"The element of {name} that the slider and a drag of its value change")
        size = 1
        for n in shape:
            size *= n
        for k in range(min(size, 256)):
            self.element.addItem(element_label(shape, k), k)
        self.element.setVisible(bool(shape))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, POSITIONS)
        self.slider.setSingleStep(POSITIONS // 100)
        self.slider.setPageStep(POSITIONS // 10)
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.half = QDoubleSpinBox()
        self.half.setPrefix("± ")
        self.half.setDecimals(3)
        self.half.setRange(1e-3, 1e9)
        self.half.setKeyboardTracking(False)
        self.half.setToolTip(f"How far either side of the value the slider of {name} reaches")
        self.half.setMaximumWidth(96)
        self.low = self.high = 0.0
        self.held = False

    def index(self) -> int:
        return int(self.element.currentData() or 0)

    def centre(self, value: float, half: float | None = None) -> None:
        """The slider's range around ``value``."""
        low, high = slider_range(value)
        half = half if half is not None else (high - low) / 2
        self.low, self.high = value - half, value + half
        blocker = QSignalBlocker(self.half)
        self.half.setValue(half)
        blocker.unblock()

    def show(self, value: float) -> None:
        """Put the knob at ``value`` (recentred when it lies outside the range), sending nothing.
        A value that is not a finite number has no place on a slider: it is disabled until it is one."""
        finite = math.isfinite(value) and math.isfinite(self.low) and math.isfinite(self.high)
        self.slider.setEnabled(math.isfinite(value))
        if not math.isfinite(value):
            self.slider.setToolTip(f"{self.name} is {value}: type a finite number to drag it")
            return
        if not finite or not self.low <= value <= self.high or self.high <= self.low:
            self.centre(value, self.half.value() if self.high > self.low else None)
        position = round((value - self.low) / (self.high - self.low) * POSITIONS)
        blocker = QSignalBlocker(self.slider)
        self.slider.setValue(position)
        blocker.unblock()
        self.slider.setToolTip(f"Drag to change {self.name}{element_label(self.shape, self.index())} between "
                               f"{self.low:.4g} and {self.high:.4g} (now {value:.6g}); ←/→ small steps, "
                               "Page Up/Down larger ones. Or drag its value in the table sideways (Shift: fine).")

    def value_at(self, position: int) -> float:
        return self.low + (self.high - self.low) * position / POSITIONS


class ScrubPanel(QScrollArea):
    """The sliders under the variables table. ``chosen`` tells which input (and element) was touched last."""

    chosen = Signal(str, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.setWidget(inner)
        self.grid = QGridLayout(inner)
        self.grid.setContentsMargins(0, 4, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.rows: dict[str, _Row] = {}
        self.model = None
        self.sent: dict[str, str | None] = {}      # the value text each input last had from here
        self.drag: _CellDrag | None = None

    def bind(self, model, table) -> None:
        """Reflect ``model``'s inputs and send it the dragged values; ``table``'s value cells scrub too."""
        self.model = model
        self.drag = _CellDrag(table, self)
        model.documentChanged.connect(self.show_document)
        self.show_document(model.document)

    def element(self, name: str) -> int:
        row = self.rows.get(name)
        return row.index() if row is not None else 0

    def show_document(self, doc) -> None:
        """One slider per input with a valid value (in function mode); knobs follow the values."""
        from ..model import is_script
        arrays = {} if is_script(doc.text) else {v.name: value_array(v.value) for v in doc.variables[:MAX_SLIDERS]}
        shapes = {name: a.shape for name, a in arrays.items() if a is not None and a.size}
        if {n: r.shape for n, r in self.rows.items()} != shapes:
            self._rebuild(shapes)
        texts = {v.name: v.value for v in doc.variables}
        for name, row in self.rows.items():
            value = float(arrays[name].reshape(-1)[row.index()])
            if texts.get(name) != self.sent.get(name):      # typed, undone or opened: the range centres on it
                row.centre(value)
                self.sent[name] = texts.get(name)
            if not row.held:
                row.show(value)
        self.setVisible(bool(self.rows))
        if self.rows:
            one = max(r.half.sizeHint().height() for r in self.rows.values()) + self.grid.verticalSpacing()
            self.setFixedHeight(min(len(self.rows), ROWS_SHOWN) * one + 8)

    def _rebuild(self, shapes: dict[str, tuple[int, ...]]) -> None:
        old = self.rows
        for row in old.values():
            for widget in (row.label, row.element, row.slider, row.half):
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = {}
        for r, (name, shape) in enumerate(shapes.items()):
            row = _Row(name, shape)
            if name in old and old[name].shape == shape:
                row.element.setCurrentIndex(old[name].element.currentIndex())
            self.grid.addWidget(row.label, r, 0)
            self.grid.addWidget(row.element, r, 1)
            self.grid.addWidget(row.slider, r, 2)
            self.grid.addWidget(row.half, r, 3)
            row.slider.sliderPressed.connect(lambda row=row: self._press(row))
            row.slider.sliderReleased.connect(lambda row=row: self._release(row))
            row.slider.valueChanged.connect(lambda pos, row=row: self._slid(row, pos))
            row.half.valueChanged.connect(lambda half, row=row: self._widen(row, half))
            row.element.currentIndexChanged.connect(lambda _i, row=row: self._element_chosen(row))
            self.rows[name] = row
        self.grid.setColumnStretch(2, 1)

    def _current(self, name: str) -> str | None:
        spec = next((v for v in self.model.document.variables if v.name == name), None)
        return spec.value if spec is not None else None

    def _press(self, row: _Row) -> None:
        row.held = True
        self.model.begin_scrub()
        self.chosen.emit(row.name, row.index())

    def _release(self, row: _Row) -> None:
        row.held = False
        self.model.end_scrub()

    def _slid(self, row: _Row, position: int) -> None:
        self.set_element(row.name, row.index(), row.value_at(position), scrub_step(row.low, row.high))
        if not row.held:
            self.chosen.emit(row.name, row.index())

    def set_element(self, name: str, index: int, number: float, step: float) -> None:
        """Send the model ``name`` with element ``index`` at ``number`` (written to ``step``'s precision)."""
        current = self._current(name)
        text = with_element(current, index, number, step) if current is not None else None
        if text is not None:
            self.sent[name] = text
            self.model.scrub(name, text)

    def _widen(self, row: _Row, half: float) -> None:
        array = value_array(self._current(row.name) or "")
        if array is not None:
            value = float(array.reshape(-1)[row.index()])
            row.centre(value, half)
            row.show(value)

    def _element_chosen(self, row: _Row) -> None:
        array = value_array(self._current(row.name) or "")
        if array is not None:
            value = float(array.reshape(-1)[row.index()])
            row.centre(value)
            row.show(value)
        self.chosen.emit(row.name, row.index())


class _CellDrag(QObject):
    """Dragging a value cell of the variables table sideways scrubs that input (Shift: fine steps)."""

    def __init__(self, table, panel: ScrubPanel) -> None:
        super().__init__(table)
        self.table, self.panel = table, panel
        self.start = None           # (x, name, index, value, step) of a press on a value cell
        self.active = False
        table.viewport().installEventFilter(self)
        table.viewport().setMouseTracking(True)

    def _value_cell(self, pos):
        index = self.table.indexAt(pos)
        if not index.isValid() or index.column() != 1:
            return None
        name_item = self.table.item(index.row(), 0)
        return name_item.text() if name_item is not None else None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt virtual
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            name = self._value_cell(event.position().toPoint())
            array = value_array(self.panel._current(name) or "") if name and self.panel.model else None
            if array is not None and array.size:
                index = self.panel.element(name)
                value = float(array.reshape(-1)[index])
                low, high = slider_range(value)
                x = event.position().x()
                # [pressed at, last x, name, element, value, step]: steps add up, so Shift can come and go
                self.start = [x, x, name, index, value, scrub_step(low, high) * 5]
            return False
        if kind == QEvent.Type.MouseMove:
            if self.start is None:
                over = self._value_cell(event.position().toPoint()) is not None
                self.table.viewport().setCursor(Qt.CursorShape.SizeHorCursor if over else Qt.CursorShape.ArrowCursor)
                return False
            pressed, last, name, index, value, step = self.start
            x = event.position().x()
            if not self.active and abs(x - pressed) < DRAG_START:
                return False
            if not self.active:
                self.active = True
                self.panel.model.begin_scrub()
                self.panel.chosen.emit(name, index)
            fine = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            unit = step / 10 if fine else step
            value += (x - last) / PIXELS_PER_STEP * unit
            self.start[1], self.start[4] = x, value
            self.panel.set_element(name, index, value, unit)
            return True
        if kind == QEvent.Type.MouseButtonRelease and self.start is not None:
            was_active, self.start, self.active = self.active, None, False
            if was_active:
                self.panel.model.end_scrub()
        return False            # the table sees every release, so it never thinks the button is still down

"""File ▸ Export…: choose format, region, step, theme, scale, title and legend, with a preview."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout)

from ..model.document import THEME_TITLES, THEMES

FORMATS = [("png", "PNG image"), ("svg", "SVG drawing (text stays text)"), ("pdf", "PDF (vectors)"),
           ("gif", "Animated GIF of the pass"), ("sequence", "Numbered PNG per step"), ("json", "Graph JSON"),
           ("html", "Interactive page (HTML): the pass with a step player; a lesson with one per call")]
THEME_CHOICES = [("current", "Current theme")] + [(name, THEME_TITLES[name]) for name in THEMES]


class ExportDialog(QDialog):
    """The export choices; remembers the last ones in the settings."""

    def __init__(self, window, settings: QSettings) -> None:
        super().__init__(window)
        self.setWindowTitle("Export")
        self.window_ = window
        self.settings = settings
        layout = QHBoxLayout(self)
        form = QFormLayout()
        self.format = QComboBox()
        for key, title in FORMATS:
            self.format.addItem(title, key)
        self.format.setToolTip("File format")
        form.addRow("Format", self.format)
        self.region = QComboBox()
        self.region.addItem("Whole graph", "all")
        self.region.addItem("Current view", "view")
        self.region.setToolTip("Export everything, or just what the canvas shows now")
        form.addRow("Region", self.region)
        self.step = QComboBox()
        self.step.addItem("Current step", "current")
        self.step.addItem("Last step (all adjoints)", "end")
        self.step.addItem("First step", "start")
        self.step.setToolTip("Which step a still picture shows, of the pass the canvas plays "
                             "(backward, forward, or forward mode's tangents)")
        form.addRow("Step", self.step)
        self.theme = QComboBox()
        for key, title in THEME_CHOICES:
            self.theme.addItem(title, key)
        self.theme.setToolTip("Colours of the picture")
        form.addRow("Theme", self.theme)
        self.scale = QDoubleSpinBox()
        self.scale.setRange(1.0, 4.0)
        self.scale.setSingleStep(0.5)
        self.scale.setSuffix("×")
        self.scale.setToolTip("Pixels per point for PNG and GIF (2× suits slides)")
        form.addRow("Scale", self.scale)
        self.transparent = QCheckBox("Transparent background")
        self.transparent.setToolTip("PNG only: no background colour")
        form.addRow(self.transparent)
        self.title = QLineEdit()
        self.title.setPlaceholderText("optional title above the graph")
        form.addRow("Title", self.title)
        self.legend = QCheckBox("Legend")
        self.legend.setToolTip("Include the legend of colours and shapes")
        form.addRow(self.legend)
        self.fps = QSpinBox()
        self.fps.setRange(1, 60)
        self.fps.setSuffix(" fps")
        self.fps.setToolTip("GIF frame rate")
        form.addRow("Frame rate", self.fps)
        self.inbetween = QSpinBox()
        self.inbetween.setRange(0, 12)
        self.inbetween.setToolTip("GIF: frames between two steps, for smooth motion")
        form.addRow("In-between frames", self.inbetween)
        self.hold = QDoubleSpinBox()
        self.hold.setRange(0.2, 30.0)
        self.hold.setSingleStep(0.5)
        self.hold.setSuffix(" s")
        self.hold.setToolTip("GIF: how long each step stays before the next (the first and last stay twice as long)")
        form.addRow("Hold each step", self.hold)
        self.forward = QCheckBox("Forward pass (values) instead of the pass the canvas plays")
        form.addRow(self.forward)
        layout.addLayout(form)
        right = QVBoxLayout()
        self.preview = QLabel()
        self.preview.setMinimumSize(420, 300)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setToolTip("Preview")
        right.addWidget(self.preview, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        right.addWidget(buttons)
        layout.addLayout(right)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_preview)
        self._load()
        for widget in (self.format, self.region, self.step, self.theme):
            widget.currentIndexChanged.connect(self._changed)
        for widget in (self.transparent, self.legend, self.forward):
            widget.toggled.connect(self._changed)
        self.scale.valueChanged.connect(self._changed)
        self.title.textChanged.connect(self._changed)
        self._changed()

    def _load(self) -> None:
        s = self.settings
        self.format.setCurrentIndex(max(0, self.format.findData(s.value("export/format", "png"))))
        self.region.setCurrentIndex(max(0, self.region.findData(s.value("export/region", "all"))))
        self.step.setCurrentIndex(max(0, self.step.findData(s.value("export/step", "current"))))
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.value("export/theme", "current"))))
        self.scale.setValue(float(s.value("export/scale", 2.0)))
        self.transparent.setChecked(s.value("export/transparent", False) in (True, "true"))
        self.legend.setChecked(s.value("export/legend", True) in (True, "true"))
        self.fps.setValue(int(s.value("export/fps", 12)))
        self.inbetween.setValue(int(s.value("export/inbetween", 4)))
        self.hold.setValue(float(s.value("export/hold", 1.5)))
        self.title.setText(str(s.value("export/title", "")))

    def remember(self) -> None:
        s = self.settings
        s.setValue("export/format", self.format.currentData())
        s.setValue("export/region", self.region.currentData())
        s.setValue("export/step", self.step.currentData())
        s.setValue("export/theme", self.theme.currentData())
        s.setValue("export/scale", self.scale.value())
        s.setValue("export/transparent", self.transparent.isChecked())
        s.setValue("export/legend", self.legend.isChecked())
        s.setValue("export/fps", self.fps.value())
        s.setValue("export/inbetween", self.inbetween.value())
        s.setValue("export/hold", self.hold.value())
        s.setValue("export/title", self.title.text())

    def _changed(self, *args) -> None:
        fmt = self.format.currentData()
        self.transparent.setEnabled(fmt in ("png", "sequence", "svg"))
        self.scale.setEnabled(fmt in ("png", "gif", "sequence"))
        self.fps.setEnabled(fmt == "gif")
        self.inbetween.setEnabled(fmt == "gif")
        self.hold.setEnabled(fmt == "gif")
        self.forward.setEnabled(fmt in ("gif", "sequence"))
        self.step.setEnabled(fmt in ("png", "svg", "pdf"))
        self._timer.start()

    def format_key(self) -> str:
        return self.format.currentData()

    def options(self):
        """The choices as :class:`~adviz.ui.export.ExportOptions` for the window's current state."""
        return self.window_.export_options(
            region=self.region.currentData(), step=self.step.currentData(), theme=self.theme.currentData(),
            scale=self.scale.value(), transparent=self.transparent.isChecked(), title=self.title.text() or None,
            legend=self.legend.isChecked(), fps=self.fps.value(), inbetween=self.inbetween.value(),
            hold=self.hold.value(), forward=self.forward.isChecked())

    def update_preview(self) -> None:
        image = self.window_.preview_image(self.options(), max_size=(self.preview.width(), self.preview.height()))
        if image is None:
            self.preview.setText("Nothing to export yet")
        else:
            self.preview.setPixmap(QPixmap.fromImage(image))

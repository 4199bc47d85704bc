"""What the window remembers between runs (QSettings): geometry, docks, legend, speed, last document."""
from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from ..model import Document, VariableSpec


def restore_settings(w: QMainWindow) -> None:
    """Geometry, dock layout, legend and playback speed as they were."""
    settings = w.settings
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        w.restoreGeometry(geometry)
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        w.restoreState(state)
    legend = settings.value("legend", True)
    w.view.show_legend = legend not in (False, "false")
    w.actions_by_key["legend"].setChecked(w.view.show_legend)
    answers = settings.value("answers", False) in (True, "true")
    w.actions_by_key["answers"].setChecked(answers)
    w.scene.set_show_answers(answers)
    speed = settings.value("speed")
    try:
        index = w.transport.speed.findData(float(speed)) if speed is not None else -1
    except (TypeError, ValueError):
        index = -1
    if index >= 0:
        w.transport.speed.setCurrentIndex(index)
        w.player.set_speed(w.transport.speed.currentData())


def save_settings(w: QMainWindow) -> None:
    """Remember the window and the document it shows."""
    settings = w.settings
    settings.setValue("window/geometry", w.saveGeometry())
    settings.setValue("window/state", w.saveState())
    settings.setValue("speed", w.player.speed)
    doc = w.model.document
    settings.setValue("document", json.dumps({
        "text": doc.text, "variables": [v.__dict__ for v in doc.variables], "persistent": doc.persistent,
        "watch_accessed_variables": doc.watch_accessed_variables, "target": doc.target, "call": doc.call}))


def last_document(settings: QSettings) -> Document | None:
    """The document the window showed when it last closed, or None."""
    raw = settings.value("document")
    if not raw:
        return None
    try:
        data = json.loads(str(raw))
        return Document(text=str(data["text"]),
                        variables=[VariableSpec(**v) for v in data.get("variables", [])],
                        persistent=bool(data.get("persistent", False)),
                        watch_accessed_variables=bool(data.get("watch_accessed_variables", True)),
                        target=data.get("target"), call=int(data.get("call", 0)))
    except (ValueError, KeyError, TypeError):
        return None

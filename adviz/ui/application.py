"""The one QApplication adviz runs in: created once, with adviz's names and a consistent style."""
from __future__ import annotations

import sys


def make_app(argv: list[str] | None = None):
    """The QApplication, created once, with adviz's names and a consistent style."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or [sys.argv[0]])
    QCoreApplication.setOrganizationName("adviz")
    QCoreApplication.setApplicationName("adviz")
    app.setStyle("Fusion")
    return app

"""Themes in the app: the one a setting names (or the system's), and a widget palette to match it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ..model.document import THEMES
from ..model.themes import DARK, LIGHT, PRINT, PROJECTOR, THEME_BY_NAME, Theme


def system_prefers_dark() -> bool:
    """Whether the desktop asks for a dark colour scheme."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # Qt < 6.5
        return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def theme_named(name: str | None) -> Theme:
    """The theme for a setting: ``light``, ``dark``, ``projector``, ``print``, or ``system``."""
    if name in THEMES:
        return THEME_BY_NAME[name]  # type: ignore[index]
    return DARK if system_prefers_dark() else LIGHT


def widget_palette(theme: Theme) -> QPalette:
    """A QPalette for the widgets around the canvas that matches ``theme``."""
    if not theme.dark:
        pal = QPalette()
        for role, colour in ((QPalette.ColorRole.Window, "#f3f4f7"), (QPalette.ColorRole.Base, "#ffffff"),
                             (QPalette.ColorRole.AlternateBase, "#f5f6f9"), (QPalette.ColorRole.Text, "#1f2330"),
                             (QPalette.ColorRole.WindowText, "#1f2330"), (QPalette.ColorRole.Button, "#eef0f4"),
                             (QPalette.ColorRole.ButtonText, "#1f2330"), (QPalette.ColorRole.Highlight, "#2563eb"),
                             (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.ToolTipBase, "#ffffe8"),
                             (QPalette.ColorRole.ToolTipText, "#1f2330"), (QPalette.ColorRole.PlaceholderText, "#8a90a0")):
            pal.setColor(role, QColor(colour))
        return pal
    pal = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#1c1e24"), (QPalette.ColorRole.Base, "#14161a"),
                         (QPalette.ColorRole.AlternateBase, "#1f2229"), (QPalette.ColorRole.Text, "#e8eaf0"),
                         (QPalette.ColorRole.WindowText, "#e8eaf0"), (QPalette.ColorRole.Button, "#262932"),
                         (QPalette.ColorRole.ButtonText, "#e8eaf0"), (QPalette.ColorRole.Highlight, "#3b82f6"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.ToolTipBase, "#2a2d35"),
                         (QPalette.ColorRole.ToolTipText, "#e8eaf0"), (QPalette.ColorRole.PlaceholderText, "#7d8494"),
                         (QPalette.ColorRole.BrightText, "#ffffff"), (QPalette.ColorRole.Link, "#60a5fa")):
        pal.setColor(role, QColor(colour))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b7280"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b7280"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#6b7280"))
    return pal


__all__ = ["DARK", "LIGHT", "PRINT", "PROJECTOR", "Theme", "system_prefers_dark", "theme_named", "widget_palette"]

"""The fonts every item shares, at a theme's scale, remembered text widths, and lazy hover texts."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF

from .theme import Theme

# Below this zoom, text is not drawn (far zoomed-out graphs stay fast and legible as shapes).
TEXT_LOD = 0.38

_FONTS: dict[float, tuple[QFont, QFont, QFont]] = {}
_METRICS: dict[int, QFontMetricsF] = {}
_WIDTHS: dict[tuple[int, str], float] = {}


def shared_fonts(theme: Theme) -> tuple[QFont, QFont, QFont]:
    """The title, small and badge fonts at the theme's scale (shared by all items; never changed)."""
    fonts = _FONTS.get(theme.font_scale)
    if fonts is None:
        title = QFont()
        title.setPointSizeF(10.5 * theme.font_scale)
        title.setBold(True)
        small = QFont()
        small.setPointSizeF(8.5 * theme.font_scale)
        tiny = QFont()
        tiny.setPointSizeF(8.0 * theme.font_scale)
        tiny.setBold(True)
        fonts = _FONTS[theme.font_scale] = (title, small, tiny)
        for font in fonts:
            _METRICS[id(font)] = QFontMetricsF(font)
    return fonts


def text_width(font: QFont, text: str) -> float:
    """How wide ``text`` is in one of the shared fonts (remembered: the same texts recur)."""
    key = (id(font), text)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) > 50_000:
            _WIDTHS.clear()
        width = _WIDTHS[key] = _METRICS[id(font)].horizontalAdvance(text)
    return width


def line_height(font: QFont) -> float:
    """The height of one line in one of the shared fonts."""
    return _METRICS[id(font)].height()


class LazyTip:
    """For scene items: ``more_tip(item)`` adds to the tooltip on the first hover, so a large graph
    does not compute hover texts up front."""

    more_tip = None

    def resolve_tip(self) -> None:
        """Add the extra hover text now (once); the view calls this just before a tooltip shows."""
        if self.more_tip is not None:
            more, self.more_tip = self.more_tip(self), None
            if more:
                self.setToolTip(self.toolTip() + more)

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 - Qt virtual
        self.resolve_tip()
        super().hoverEnterEvent(event)

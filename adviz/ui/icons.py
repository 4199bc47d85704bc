"""Transport icons drawn in the theme's text colour, crisp at any device pixel ratio."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

SIZE = 32


def _triangle(p: QPainter, x: float, pointing_right: bool) -> None:
    if pointing_right:
        p.drawPolygon(QPolygonF([QPointF(x, 7), QPointF(x + 12, 16), QPointF(x, 25)]))
    else:
        p.drawPolygon(QPolygonF([QPointF(x + 12, 7), QPointF(x, 16), QPointF(x + 12, 25)]))


def transport_icon(kind: str, colour: str) -> QIcon:
    """``first``, ``previous``, ``play``, ``pause``, ``next`` or ``last`` as an icon."""
    pixmap = QPixmap(SIZE * 2, SIZE * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    if kind == "play":
        p.drawPolygon(QPolygonF([QPointF(10, 6), QPointF(26, 16), QPointF(10, 26)]))
    elif kind == "pause":
        p.drawRoundedRect(QRectF(9, 7, 5, 18), 1, 1)
        p.drawRoundedRect(QRectF(18, 7, 5, 18), 1, 1)
    elif kind == "previous":
        _triangle(p, 4, False)
        _triangle(p, 15, False)
    elif kind == "next":
        _triangle(p, 5, True)
        _triangle(p, 16, True)
    elif kind == "first":
        p.drawRect(QRectF(6, 7, 3, 18))
        _triangle(p, 10, False)
        _triangle(p, 18, False)
    elif kind == "last":
        _triangle(p, 4, True)
        _triangle(p, 12, True)
        p.drawRect(QRectF(23, 7, 3, 18))
    p.end()
    return QIcon(pixmap)

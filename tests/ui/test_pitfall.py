"""Many Qt calls that return nothing must not exhaust Python's reference to None."""
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsRectItem, QLabel


def test_twenty_thousand_void_calls(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    item = QGraphicsRectItem(0, 0, 10, 10)
    for i in range(10_000):
        label.setText(str(i))
        item.setPos(QPointF(i, i))
    assert label.text() == "9999"
    assert item.pos() == QPointF(9999, 9999)

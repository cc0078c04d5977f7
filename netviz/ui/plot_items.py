"""The loss plot's own items: its cursor, and a view box that reports clicks and drags in axis units."""

import pyqtgraph as pg
from PyQt6.QtCore import QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QPen
from PyQt6.QtWidgets import QGraphicsRectItem


class CursorLine(QGraphicsRectItem):
    """The cursor: a bar two pixels wide at x (axis units), filled by Qt in C++ (no Python paint
    method), so that moving it every frame costs no Python painting. (A line with a cosmetic pen
    would report its pen's width in axis units as its bounds: the whole plot, at every move.)"""

    def __init__(self):
        super().__init__()
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self._x, self._half, self._y = 0.0, 0.0, (0.0, 1.0)

    def value(self) -> float:
        return self._x

    def setValue(self, x: float) -> None:  # pyqtgraph's name for it
        self._x = x
        self._place()

    def set_extent(self, y0: float, y1: float) -> None:
        """From y0 to y1 in the plot's y units: past the visible range, so it spans the plot's height."""
        self._y = (y0, y1)
        self._place()

    def set_pixel(self, units: float) -> None:
        """How many axis units a pixel is: the bar is two pixels wide."""
        if units != self._half:
            self._half = units
            self._place()

    def _place(self) -> None:
        y0, y1 = self._y
        self.setRect(QRectF(self._x - self._half, y0, 2 * self._half, y1 - y0))


class TimelineViewBox(pg.ViewBox):
    """A view that reports clicks and drags in its x units and draws the rubber band; it never pans."""

    clicked = pyqtSignal(float)  # x of a left click, in axis units
    dragged = pyqtSignal(float, float)  # x where a left drag started and ended, in axis units
    double_clicked = pyqtSignal()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.band = pg.LinearRegionItem(movable=False)  # the rubber band: epochs, over the plot's height
        self.band.setZValue(1e9)
        self.band.hide()
        self.addItem(self.band, ignoreBounds=True)

    def mouseClickEvent(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        if ev.double():
            self.double_clicked.emit()
        else:
            self.clicked.emit(self.mapToView(ev.pos()).x())

    def mouseDragEvent(self, ev, axis=None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        x0, x1 = self.mapToView(ev.buttonDownPos()).x(), self.mapToView(ev.pos()).x()
        if ev.isFinish():
            self.band.hide()
            self.dragged.emit(x0, x1)
        else:
            self.band.setRegion(sorted((x0, x1)))
            self.band.show()

"""The drawing in the window: recorded by the shared renderer, played back by Qt without Python."""

import numpy as np
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QWheelEvent
from PyQt6.QtWidgets import QApplication, QLabel

from netviz.render.painter import GeometryCache, render_image
from netviz.ui.canvas import NetworkCanvas
from tests.render.test_painter import blog_frame, close_enough, pixels


def shown(qtbot, frame, size=(900, 560)) -> NetworkCanvas:
    canvas = NetworkCanvas()
    qtbot.addWidget(canvas)
    canvas.setFixedSize(*size)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_frame(frame)
    QApplication.processEvents()
    return canvas


def test_the_window_shows_what_a_still_shows(qtbot):
    canvas = shown(qtbot, blog_frame())
    on_screen = pixels(canvas.grab().toImage())
    still = pixels(render_image(canvas.frame, 900, 560, GeometryCache(), sparkline=False))
    assert close_enough(on_screen, still) > 0.999
    assert canvas.paint_count == 1 and canvas.last_painted_epoch == 400
    assert canvas.scene is not None and canvas.scene.neuron_values[0] == 0.0  # the row drawn, for hover


def test_qt_paints_the_frame_without_calling_python():
    """Painting holds the GIL only in Python: the labels must stay plain QLabels, and the canvas
    must not paint itself (a paintEvent in Python would hold the GIL for the whole paint)."""
    assert "paintEvent" not in NetworkCanvas.__dict__
    canvas = NetworkCanvas()
    try:
        assert type(canvas.screen_label) is QLabel and type(canvas.backdrop_label) is QLabel
    finally:
        canvas.deleteLater()


def test_a_zoomed_frame_stays_in_place(qtbot):
    """Zoomed in, lines run past the edge: the picture must still sit at the canvas's corner."""
    canvas = shown(qtbot, blog_frame())
    centre = QPointF(450, 280)
    wheel = QWheelEvent(centre, canvas.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 600), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(canvas, wheel)
    QApplication.processEvents()
    view = canvas.view_transform()
    assert view is not None and view.m11() > 2
    on_screen = pixels(canvas.grab().toImage())
    still = pixels(render_image(canvas.frame, 900, 560, GeometryCache(), sparkline=False, view=view))
    assert close_enough(on_screen, still) > 0.999
    canvas.reset_view()
    assert canvas.view_transform() is None


def test_a_new_frame_replaces_the_last_and_a_resize_redraws(qtbot):
    canvas = shown(qtbot, blog_frame(epoch=10))
    first = pixels(canvas.grab().toImage())
    canvas.set_frame(blog_frame(epoch=3000))
    QApplication.processEvents()
    assert not np.array_equal(first, pixels(canvas.grab().toImage()))
    canvas.setFixedSize(700, 500)
    QApplication.processEvents()
    resized = pixels(canvas.grab().toImage())
    assert resized.shape[:2] == (500, 700)
    assert close_enough(resized, pixels(render_image(canvas.frame, 700, 500, sparkline=False))) > 0.999

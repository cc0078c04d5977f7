"""Hovering the drawing: the item under the pointer is outlined, and its tip stands clear of it and of the maps."""

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, QRectF, QSizeF
from PyQt6.QtGui import QColor, QImage, QPainterPath
from PyQt6.QtTest import QTest

from netviz.engine.runspec import DataSource, RunSpec
from netviz.ui.canvas import enlarged_map_rect, place_tip
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1100, 760)
    w.show()
    qtbot.waitUntil(lambda: w.canvas.scene is not None)
    yield w
    w.close()


def start(qtbot, window, preset: str) -> None:
    spec = RunSpec.following(DataSource("preset", preset))
    window.start_run(*spec.build(), spec=spec)
    qtbot.waitUntil(lambda: window.canvas.frame is not None and window.canvas.frame.arch == window.config.arch)


def hover(qtbot, canvas, x: float, y: float) -> None:
    QTest.mouseMove(canvas, QPoint(5, 5))
    QTest.mouseMove(canvas, QPoint(round(x), round(y)))
    qtbot.waitUntil(lambda: canvas.tip.isVisible())


def synapse_middle(canvas, edge: int) -> tuple[float, float]:
    x1, y1, x2, y2 = canvas.scene.geometry.segments[edge]
    return (x1 + x2) / 2, (y1 + y2) / 2


def differing(before: QImage, after: QImage) -> np.ndarray:
    """(n, 2) x, y of the pixels that differ between two images of one size."""
    a = np.array([[before.pixel(x, y) for x in range(before.width())] for y in range(before.height())])
    b = np.array([[after.pixel(x, y) for x in range(after.width())] for y in range(after.height())])
    ys, xs = np.nonzero(a != b)
    return np.column_stack([xs, ys])


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_the_hovered_synapse_is_outlined_in_the_text_colour(qtbot, window, theme):
    canvas = window.canvas
    painted = canvas.paint_count
    window.set_theme(theme)
    qtbot.waitUntil(lambda: canvas.paint_count > painted)  # drawn in the theme
    before = canvas.grab().toImage()
    x, y = synapse_middle(canvas, 12)  # h1 -> out
    hover(qtbot, canvas, x, y)
    assert canvas.hovered_item == ("synapse", 12)
    after = canvas.grab().toImage()
    # Beside the line, a few pixels off it across its direction, the outline is drawn.
    x1, y1, x2, y2 = canvas.scene.geometry.segments[12]
    normal = np.array([y1 - y2, x2 - x1]) / np.hypot(x2 - x1, y2 - y1)
    text = QColor(canvas.theme.text)
    beside = [np.array([x + (x2 - x1) * 0.2, y + (y2 - y1) * 0.2]) + normal * offset for offset in np.arange(1, 9, 0.5)]
    points = [QPoint(round(px), round(py)) for px, py in beside]
    assert any(after.pixelColor(p) == text for p in points)
    assert not any(before.pixelColor(p) == text for p in points)
    QTest.mouseMove(canvas, QPoint(5, 5))
    qtbot.waitUntil(lambda: not canvas.tip.isVisible())
    assert canvas.hovered_item is None


def test_a_synapses_tip_stands_clear_of_it(qtbot, window):
    canvas = window.canvas
    for edge in (0, 5, 12, 15):
        x, y = synapse_middle(canvas, edge)
        hover(qtbot, canvas, x, y)
        assert canvas.hovered_item == ("synapse", edge)
        tip = canvas.tip_rect()
        assert not canvas.item_shape(("synapse", edge)).intersects(tip)
        assert QRectF(canvas.rect()).contains(tip)
        assert canvas.tip.text() == canvas.describe(("synapse", edge))


def test_a_neurons_tip_stands_clear_of_it_of_its_enlarged_map_and_of_the_panel(qtbot, window):
    start(qtbot, window, "circle")
    canvas = window.canvas
    qtbot.waitUntil(lambda: canvas.scene.maps is not None)
    g = canvas.scene.geometry
    panel_left = canvas.keep_clear(("neuron", 0))[1].boundingRect().left()
    for neuron in range(2, len(g.centres)):  # hidden and output neurons: each shows its map large
        x, y = g.centres[neuron]
        hover(qtbot, canvas, x, y)
        assert canvas.frame.hover == neuron
        tip = canvas.tip_rect()
        enlarged = enlarged_map_rect(g, neuron, None, canvas.width(), canvas.height())
        assert not canvas.item_shape(("neuron", neuron)).intersects(tip)
        assert not enlarged.intersects(tip), neuron
        assert tip.right() <= panel_left


def test_the_enlarged_map_is_where_the_canvas_expects_it(qtbot, window):
    """The renderer draws the hovered neuron's map: the tip avoids where it really is."""
    start(qtbot, window, "circle")
    canvas = window.canvas
    qtbot.waitUntil(lambda: canvas.scene.maps is not None)
    g = canvas.scene.geometry
    for neuron in (2, len(g.centres) - 1):  # a hidden neuron, and the output (whose map is kept inside)
        QTest.mouseMove(canvas, QPoint(5, 5))
        qtbot.waitUntil(lambda: canvas.frame.hover is None)
        before = canvas.screen_label.grab().toImage()
        hover(qtbot, canvas, *g.centres[neuron])
        qtbot.waitUntil(lambda n=neuron: canvas.frame.hover == n)
        changed = differing(before, canvas.screen_label.grab().toImage())
        box = enlarged_map_rect(g, neuron, None, canvas.width(), canvas.height())
        assert len(changed)
        assert changed[:, 0].min() >= box.left() - 2 and changed[:, 0].max() <= box.right() + 2
        assert changed[:, 1].min() >= box.top() - 2 and changed[:, 1].max() <= box.bottom() + 2


def test_a_tip_goes_where_nothing_is_in_its_way():
    item = QPainterPath()
    item.addRect(QRectF(90, 90, 20, 20))
    map_box = QPainterPath()
    map_box.addRect(QRectF(110, 60, 200, 200))  # right of the item: the tip must go left
    bounds = QRectF(0, 0, 400, 300)
    tip = place_tip(QSizeF(80, 20), QPointF(100, 100), [item, map_box], bounds)
    assert bounds.contains(tip) and tip.right() <= 110
    assert not item.intersects(tip) and not map_box.intersects(tip)
    discs = np.array([[100.0 - 14 - 40, 100.0 + 14 + 10, 12.0]])  # a neuron where the tip would go first
    moved = place_tip(QSizeF(80, 20), QPointF(100, 100), [item, map_box], bounds, discs)
    assert moved != tip and not item.intersects(moved) and not map_box.intersects(moved)


def test_a_tip_with_no_clear_place_overlaps_the_least():
    everything = QPainterPath()
    everything.addRect(QRectF(0, 0, 400, 300))
    tip = place_tip(QSizeF(80, 20), QPointF(100, 100), [everything], QRectF(0, 0, 400, 300))
    assert QRectF(0, 0, 400, 300).contains(tip)


def test_the_tip_reads_the_shown_epoch_while_it_changes(qtbot, window):
    canvas = window.canvas
    x, y = synapse_middle(canvas, 12)
    hover(qtbot, canvas, x, y)
    at_start = canvas.tip.text()
    window.transport.target_box.setValue(500)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= 500 and not window.playing, timeout=20_000)
    qtbot.waitUntil(lambda: canvas.last_painted_epoch == 500)
    assert canvas.tip.isVisible() and canvas.tip.text() == canvas.describe(("synapse", 12)) != at_start
    assert not canvas.item_shape(("synapse", 12)).intersects(canvas.tip_rect())

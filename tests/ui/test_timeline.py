"""The timeline slider and the loss plot, bound to one playback and one timeline."""

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QSlider, QVBoxLayout, QWidget

from netviz.player.model import Playback
from netviz.player.run import Run
from netviz.player.timeline import Timeline
from netviz.ui.loss_plot import LossPlot
from netviz.ui.timeline import STEPS, TimelineSlider
from tests.ui.test_loss_plot import LossOnly

BLOG_LOSS = 0.244 * np.exp(-np.arange(60_001) / 8_000.0)  # the blog run's length and first loss


@pytest.fixture
def views(qtbot):
    """A finished 60,000-epoch run in a loss plot over a slider, as the window lays them out."""
    playback = Playback(latest=60_000, target=60_000, can_train=True)
    timeline = Timeline(playback)
    window = QWidget()
    plot, slider = LossPlot(playback, timeline), TimelineSlider(playback, timeline)
    layout = QVBoxLayout(window)
    layout.addWidget(plot, 1)
    layout.addWidget(slider)
    plot.set_run(Run(LossOnly(BLOG_LOSS), trainable=True))
    qtbot.addWidget(window)
    window.resize(800, 300)
    window.show()
    qtbot.waitExposed(window)
    yield playback, timeline, plot, slider  # the window lives as long as the test


def handle_pos(slider: TimelineSlider, epoch: int) -> QPoint:
    return QPoint(round(slider.tick_x(slider.value_of(epoch))), slider.slider.height() // 2)


def plot_pos(plot: LossPlot, epoch: int) -> QPoint:
    vb = plot.plot_widget.getPlotItem().getViewBox()
    (_, (y0, y1)) = vb.viewRange()
    x = float(plot._timeline.axis().to_unit(epoch))
    return plot.plot_widget.mapFromScene(vb.mapViewToScene(QPointF(x, (y0 + y1) / 2)))


def drag(widget, start: QPoint, end: QPoint, steps: int = 8) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        QTest.mouseMove(widget, start + (end - start) * (i / steps))
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def double_click(widget, pos: QPoint) -> None:
    """What a mouse sends (QTest.mouseDClick alone sends only the double-click event)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_slider_and_plot_share_one_log_axis_that_gives_2000_of_60000_most_of_the_width(views):
    _, timeline, plot, slider = views
    assert timeline.axis().kind == "log" and slider.log_box.isChecked()
    groove_left, groove_right = slider.tick_x(0), slider.tick_x(STEPS)
    assert (slider.tick_x(slider.value_of(2_000)) - groove_left) / (groove_right - groove_left) > 0.6
    vb = plot.plot_widget.getPlotItem().getViewBox()
    left, right = (vb.mapViewToScene(QPointF(u, 0)).x() for u in (0.0, 1.0))
    at_2000 = vb.mapViewToScene(QPointF(float(timeline.axis().to_unit(2_000)), 0)).x()
    assert (at_2000 - left) / (right - left) > 0.6
    assert slider.ticks.visible_texts()[:1] == ["0"] and {"100", "1k", "10k"} <= set(slider.ticks.visible_texts())


def test_the_log_toggle_switches_both_views(qtbot, views):
    playback, timeline, plot, slider = views
    playback.show(2_000)
    slider.log_box.setChecked(False)
    assert timeline.axis().kind == "linear"
    assert slider.slider.value() == round(STEPS * 2_000 / 60_000)
    assert plot.cursor.value() == pytest.approx(2_000 / 60_000)
    texts = slider.ticks.visible_texts()
    assert texts[0] == "0" and len(texts) >= 3 and all(t.endswith("k") for t in texts[1:])


def test_dragging_the_slider_moves_the_playhead(qtbot, views):
    playback, timeline, plot, slider = views
    drag(slider.slider, handle_pos(slider, 0), handle_pos(slider, 2_000))
    assert abs(playback.epoch - 2_000) <= 200  # a pixel is ~100 epochs at 2,000 on this log axis
    assert not playback.follow
    assert plot.cursor.value() == pytest.approx(timeline.axis().to_unit(playback.epoch))
    assert slider.epoch_label.text() == f"epoch {playback.epoch:,} / 60,000"


def test_an_arrow_key_moves_one_epoch_even_where_a_pixel_is_many(qtbot, views):
    playback, _, _, slider = views
    playback.show(30_000)
    slider.slider.triggerAction(QSlider.SliderAction.SliderSingleStepAdd)
    assert playback.epoch == 30_001
    slider.slider.triggerAction(QSlider.SliderAction.SliderSingleStepSub)
    slider.slider.triggerAction(QSlider.SliderAction.SliderSingleStepSub)
    assert playback.epoch == 29_999


def test_the_handle_label_and_follow_box_follow_the_playback(qtbot, views):
    playback, _, _, slider = views
    playback.show(1_234)
    assert slider.slider.value() == slider.value_of(1_234)
    assert slider.epoch_label.text() == "epoch 1,234 / 60,000"
    playback.go_end()
    assert slider.follow_box.isChecked() and slider.slider.value() == STEPS
    slider.follow_box.setChecked(False)
    assert not playback.follow


def test_the_range_follows_the_newest_epoch_and_the_end_follows_it(qtbot):
    playback = Playback(latest=100, target=100, can_train=False)
    timeline = Timeline(playback)
    slider = TimelineSlider(playback, timeline)
    qtbot.addWidget(slider)
    slider.resize(600, 40)
    slider.show()
    playback.show(50)
    playback.set_latest(200)  # a recording that grew
    assert slider.slider.value() == round(STEPS * 50 / 200)
    assert slider.epoch_label.text() == "epoch 50 / 200"
    slider.slider.setValue(STEPS)  # the right end: follow the newest epoch
    assert playback.follow and playback.epoch == 200


def test_a_drag_on_the_plot_zooms_both_and_a_double_click_resets(qtbot, views):
    playback, timeline, plot, slider = views
    playback.show(30)
    viewport = plot.plot_widget.viewport()
    band = plot.plot_widget.getPlotItem().getViewBox().band
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=plot_pos(plot, 0))
    QTest.mouseMove(viewport, plot_pos(plot, 10))
    assert band.isVisible() and timeline.zoom is None  # a rubber band while dragging
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=plot_pos(plot, 62))
    assert not band.isVisible()
    lo, hi = timeline.zoom
    assert lo <= 1 and 55 <= hi <= 70
    assert slider.slider.value() == slider.value_of(30) and 0 < slider.slider.value() < STEPS
    assert slider.ticks.visible_texts()[0] == "0" and "10" in slider.ticks.visible_texts()
    assert "1k" not in slider.ticks.visible_texts()
    assert plot.cursor.value() == pytest.approx(timeline.axis().to_unit(30))
    x, _ = plot.curve.getData()
    assert len(x) == hi - lo + 1  # on the zoomed axis every epoch is a point of its own
    labels = plot.y_tick_labels()
    assert len(labels) >= 2 and all("10" not in s for s in labels)  # within one decade: plain decimals
    assert playback.epoch == 30  # a drag is no click
    playback.show(5_000)  # past the zoom: the label points the way, the handle waits at the end
    assert slider.epoch_label.text().endswith(" ▸") and slider.slider.value() == STEPS
    assert "outside the zoomed epochs" in slider.epoch_label.toolTip()
    double_click(viewport, plot_pos(plot, 40))
    assert timeline.zoom is None
    assert playback.epoch == 5_000  # the double-click's first click does not move the playhead
    assert not slider.epoch_label.text().endswith("▸") and slider.epoch_label.toolTip() == ""
    assert slider.ticks.visible_texts()[-1] == "10k"


def test_a_live_run_fills_an_axis_that_holds_still(qtbot):
    playback = Playback(latest=0, target=60_000, can_train=True)
    timeline = Timeline(playback)
    plot, slider = LossPlot(playback, timeline), TimelineSlider(playback, timeline)
    qtbot.addWidget(plot)
    qtbot.addWidget(slider)
    plot.set_run(Run(LossOnly(BLOG_LOSS), trainable=True))
    ticks = slider.ticks.visible_texts()
    playback.go_end()
    for latest in (1, 50, 2_000):
        playback.set_latest(latest)
        assert slider.slider.value() == slider.value_of(latest)
        x, _ = plot.curve.getData()
        assert x[-1] == pytest.approx(timeline.axis().to_unit(latest), abs=2e-3)
    assert slider.ticks.visible_texts() == ticks and timeline.axis().hi == 60_000

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QColor

from netviz.scene.style import THEMES
from netviz.ui.loss_plot import MIN_BINS, LossPlot, PeakDownsampler


@pytest.fixture
def plot(qtbot):
    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(640, 160)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def viewport_pos(plot: LossPlot, x: float) -> QPoint:
    """Where epoch x (at mid height) is on the plot's viewport."""
    vb = plot.plot_widget.getPlotItem().getViewBox()
    (_, (y0, y1)) = vb.viewRange()
    return plot.plot_widget.mapFromScene(vb.mapViewToScene(QPointF(x, (y0 + y1) / 2)))


# ---------------------------------------------------------------- the downsampler, without Qt


def reference_curve(loss: np.ndarray, max_bins: int):
    downsampler = PeakDownsampler(max_bins)
    downsampler.update(loss)
    return downsampler.curve()


def test_downsampler_keeps_every_epoch_while_short():
    loss = np.linspace(1.0, 0.1, 100)
    x, y = reference_curve(loss, 256)
    assert np.array_equal(x, np.arange(100)) and np.array_equal(y, loss)


def test_downsampler_keeps_the_extremes_of_a_million_epochs_in_bounded_points():
    rng = np.random.default_rng(0)
    loss = rng.random(1_000_000)
    loss[123_457] = 5.0
    loss[987_653] = -1.0
    x, y = reference_curve(loss, 640)
    assert len(x) == len(y) <= 2 * (640 + 1)
    assert y.max() == 5.0 and y.min() == -1.0
    assert x.min() >= 0 and x.max() <= len(loss) - 1


def test_downsampler_growing_in_steps_equals_one_pass():
    rng = np.random.default_rng(1)
    loss = rng.random(50_000)
    loss[rng.integers(0, 50_000, 100)] = np.nan  # a NaN does not hide the rest of its block
    growing = PeakDownsampler(300)
    for n in [1, 2, 7, 300, 301, 1000, 4099, 20_000, 20_001, 50_000]:
        growing.update(loss[:n])
        x, y = growing.curve()
        x_ref, y_ref = reference_curve(loss[:n], 300)
        assert np.array_equal(x, x_ref), n
        assert np.array_equal(y, y_ref, equal_nan=True), n


def test_downsampler_skips_an_unchanged_length_and_notices_a_new_run():
    loss = np.linspace(1.0, 0.1, 5000)
    downsampler = PeakDownsampler(256)
    assert downsampler.update(loss)
    assert not downsampler.update(loss)
    other = loss * 2  # a new run of the same length
    assert downsampler.update(other)
    assert np.nanmax(downsampler.curve()[1]) == other.max()
    assert downsampler.update(other[:10])  # a shorter one
    assert downsampler.n == 10


# ---------------------------------------------------------------- the widget


def test_set_loss_of_a_million_epochs_draws_a_bounded_curve(plot):
    loss = 0.25 / (1 + np.arange(1_000_000) / 50.0)
    plot.set_log(False)
    plot.set_loss(loss)
    x, y = plot.curve.getData()
    width = plot.plot_widget.getPlotItem().getViewBox().width()
    assert len(x) <= 2 * (max(MIN_BINS, width + 128) + 1)
    assert np.isclose(y.max(), loss.max()) and np.isclose(y.min(), loss.min())
    plot.set_loss(loss)  # the same length again: nothing to do, nothing breaks


def test_set_loss_follows_a_growing_run(plot):
    loss = np.linspace(1.0, 0.01, 10_000)
    for n in [1, 10, 500, 10_000]:
        plot.set_loss(loss[:n])
    (x0, x1), _ = plot.plot_widget.getPlotItem().getViewBox().viewRange()
    assert x0 <= 0 and 9_999 <= x1 < 10_500


def test_non_finite_loss_is_drawn_as_a_gap(plot):
    loss = np.array([0.5, 0.4, np.inf, np.nan, 0.3, 0.0])
    plot.set_loss(loss)  # log mode: 0 and inf must not raise or warn
    plot.set_log(False)
    _, y = plot.curve.getData()
    assert np.isnan(y[2]) and np.isnan(y[3]) and y[4] == 0.3


def test_clicking_emits_the_nearest_epoch(qtbot, plot):
    plot.set_loss(np.linspace(1.0, 0.01, 1000))
    with qtbot.waitSignal(plot.epoch_clicked) as blocker:
        qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(plot, 500))
    assert abs(blocker.args[0] - 500) <= 2  # a pixel is about 1.6 epochs here


def test_clicking_past_either_end_clamps_to_the_recorded_epochs(qtbot, plot):
    plot.set_loss(np.linspace(1.0, 0.01, 1000))
    vb_rect = plot.plot_widget.getPlotItem().getViewBox().sceneBoundingRect()
    middle = vb_rect.center().y()
    for scene_x, expected in [(vb_rect.right() - 1, 999), (vb_rect.left() + 1, 0)]:
        pos = plot.plot_widget.mapFromScene(QPointF(scene_x, middle))
        with qtbot.waitSignal(plot.epoch_clicked) as blocker:
            qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        assert blocker.args == [expected]


def test_clicking_an_empty_plot_emits_nothing(qtbot, plot):
    with qtbot.assertNotEmitted(plot.epoch_clicked):
        qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(plot, 0.5))


def test_log_toggle(qtbot, plot):
    axis = plot.plot_widget.getPlotItem().getAxis("left")
    assert plot.is_log() and plot.log_box.isChecked() and axis.logMode
    qtbot.mouseClick(plot.log_box, Qt.MouseButton.LeftButton, pos=QPoint(6, plot.log_box.height() // 2))
    assert not plot.is_log() and not axis.logMode
    plot.set_log(True)
    assert plot.log_box.isChecked() and axis.logMode


def test_cursor_marks_the_shown_epoch(plot):
    assert not plot.cursor.isVisible()
    plot.set_loss(np.linspace(1.0, 0.01, 1000))
    plot.set_cursor(321)
    assert plot.cursor.isVisible() and plot.cursor.value() == 321


@pytest.mark.parametrize("name", sorted(THEMES))
def test_theme_colours(plot, name):
    theme = THEMES[name]
    plot.set_theme(theme)
    plot.set_loss(np.linspace(1.0, 0.01, 1000))
    plot.set_cursor(10)
    assert plot.curve.opts["pen"].color() == QColor(theme.text)
    assert plot.cursor.pen.color() == QColor(theme.signal)
    image = plot.grab().toImage()
    assert image.pixelColor(3, image.height() // 2) == QColor(theme.background)

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QColor

from netviz.engine.presets import blog
from netviz.engine.training import blog_config
from netviz.player.axis import EpochAxis
from netviz.player.loss_curve import PeakDownsampler, loss_ticks, tick_labels
from netviz.player.model import Playback
from netviz.player.run import Run
from netviz.player.timeline import Timeline
from netviz.scene.style import THEMES
from netviz.ui.loss_plot import MIN_BINS, LossPlot


class LossOnly:
    """A history of which the plot reads only the loss."""

    def __init__(self, loss: np.ndarray):
        self.config, self.dataset, self._loss = blog_config(), blog(), loss

    latest_epoch = property(lambda self: len(self._loss) - 1)
    loss = property(lambda self: self._loss)


@pytest.fixture
def models():
    playback = Playback()
    return playback, Timeline(playback)


@pytest.fixture
def plot(qtbot, models):
    widget = LossPlot(*models)
    qtbot.addWidget(widget)
    widget.resize(640, 160)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show_run(plot: LossPlot, loss: np.ndarray, kind: str = "linear") -> None:
    """A finished run of this loss, on a linear (or log) timeline."""
    plot._playback.reset(latest=len(loss) - 1, target=len(loss) - 1, can_train=False)
    plot._timeline.set_kind(kind)
    plot.set_run(Run(LossOnly(loss), trainable=False))


def viewport_pos(plot: LossPlot, epoch: float) -> QPoint:
    """Where epoch (at mid height) is on the plot's viewport."""
    vb = plot.plot_widget.getPlotItem().getViewBox()
    (_, (y0, y1)) = vb.viewRange()
    x = float(plot._timeline.axis().to_unit(epoch))
    return plot.plot_widget.mapFromScene(vb.mapViewToScene(QPointF(x, (y0 + y1) / 2)))


# ---------------------------------------------------------------- the downsampler, without Qt


def reference_curve(loss: np.ndarray, max_bins: int, axis: EpochAxis | None = None):
    downsampler = PeakDownsampler(max_bins)
    downsampler.update(loss, axis or EpochAxis(0, max(1, len(loss) - 1)))
    return downsampler.curve()


def test_downsampler_keeps_every_epoch_while_short():
    loss = np.linspace(1.0, 0.1, 100)
    x, y = reference_curve(loss, 256)
    assert np.allclose(x, np.arange(100) / 99) and np.array_equal(y, loss)


def test_downsampler_gives_the_early_epochs_of_a_log_axis_a_point_each():
    loss = np.linspace(1.0, 0.1, 60_001)
    axis = EpochAxis(0, 60_000, "log")
    x, y = reference_curve(loss, 640, axis)
    assert np.allclose(x[:20], axis.to_unit(np.arange(20))) and np.array_equal(y[:20], loss[:20])
    assert len(x) <= 2 * 640 and x[-1] <= 1.0


def test_downsampler_keeps_the_extremes_of_a_million_epochs_in_bounded_points():
    rng = np.random.default_rng(0)
    loss = rng.random(1_000_000)
    loss[123_457] = 5.0
    loss[987_653] = -1.0
    for kind in ("linear", "log"):
        x, y = reference_curve(loss, 640, EpochAxis(0, 999_999, kind))
        assert len(x) == len(y) <= 2 * 640
        assert y.max() == 5.0 and y.min() == -1.0
        assert x.min() >= 0 and x.max() <= 1


def test_downsampler_growing_in_steps_equals_one_pass():
    rng = np.random.default_rng(1)
    loss = rng.random(50_000)
    loss[rng.integers(0, 50_000, 100)] = np.nan  # a NaN does not hide the rest of its slice
    for axis in (EpochAxis(0, 50_000, "log"), EpochAxis(0, 60_000, "linear"), EpochAxis(100, 20_000, "log")):
        growing = PeakDownsampler(300)
        for n in [1, 2, 7, 300, 301, 1000, 4099, 20_000, 20_001, 50_000]:
            growing.update(loss[:n], axis)
            x, y = growing.curve()
            x_ref, y_ref = reference_curve(loss[:n], 300, axis)
            assert np.array_equal(x, x_ref), (axis, n)
            assert np.array_equal(y, y_ref, equal_nan=True), (axis, n)


def test_downsampler_skips_an_unchanged_length_and_notices_a_new_run_or_axis():
    loss = np.linspace(1.0, 0.1, 5000)
    axis = EpochAxis(0, 4999)
    downsampler = PeakDownsampler(256)
    assert downsampler.update(loss, axis)
    assert not downsampler.update(loss, axis)
    other = loss * 2  # a new run of the same length
    assert downsampler.update(other, axis)
    assert np.nanmax(downsampler.curve()[1]) == other.max()
    assert downsampler.update(other[:10], axis)  # a shorter one
    assert downsampler.n == 10
    assert downsampler.update(other[:10], axis.zoomed(2, 5))
    assert np.array_equal(downsampler.curve()[1], other[2:6])


# ---------------------------------------------------------------- y ticks, without Qt


@pytest.mark.parametrize(
    ("lo", "hi", "log"),
    [
        (0.153, 0.244, True),  # the blog run's epochs 0-62: within one decade
        (3.4e-5, 0.244, True),  # the whole blog run
        (0.2445, 0.2501, True),  # nearly flat
        (0.9, 1.1, True),
        (2e-7, 3e-7, True),
        (0.153, 0.244, False),
        (3.4e-5, 0.244, False),
        (1e-6, 2e-6, False),
        (12.0, 400.0, True),
    ],
)
def test_loss_ticks_are_at_least_two_round_values_around_the_data_in_one_format(lo, hi, log):
    ticks = loss_ticks(lo, hi, log)
    assert len(ticks) >= 2 and ticks == sorted(ticks)
    assert ticks[0] <= lo * (1 + 1e-9) and ticks[-1] >= hi * (1 - 1e-9)
    labels = tick_labels(ticks)
    assert len(set(labels)) == len(labels) and all(labels)
    powers = ["10" in s and ("⁰" in s or "⁻" in s or "¹" in s) for s in labels if s != "0"]
    assert all(powers) or not any(powers), labels  # never "0.1" beside "10⁻³"


def test_loss_ticks_fit_a_loss_within_one_decade_closely():
    ticks = loss_ticks(0.153, 0.244, log=True)
    assert tick_labels(ticks) == ["0.1", "0.2", "0.3"]
    assert tick_labels(loss_ticks(3.4e-5, 0.244, log=True)) == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"]


# ---------------------------------------------------------------- the widget


def test_a_million_epochs_draw_a_bounded_curve(plot):
    loss = 0.25 / (1 + np.arange(1_000_000) / 50.0)
    plot.set_log(False)
    show_run(plot, loss)
    x, y = plot.curve.getData()
    width = plot.plot_widget.getPlotItem().getViewBox().width()
    assert len(x) <= 2 * max(MIN_BINS, width + 128)
    assert np.isclose(y.max(), loss.max()) and np.isclose(y.min(), loss.min())


def test_the_curve_follows_a_growing_run_up_to_the_playbacks_newest_epoch(plot):
    loss = np.linspace(1.0, 0.01, 10_001)
    playback = plot._playback
    playback.reset(latest=0, target=10_000, can_train=True)
    plot.set_run(Run(LossOnly(loss), trainable=True))  # the history is ahead of what the playback knows
    for latest in [1, 10, 500, 10_000]:
        playback.set_latest(latest)
        x, _ = plot.curve.getData()
        assert x[-1] == pytest.approx(plot._timeline.axis().to_unit(latest), abs=1e-3)
    (x0, x1), _ = plot.plot_widget.getPlotItem().getViewBox().viewRange()
    assert x0 <= 0 and 1 <= x1 < 1.05


def test_non_finite_loss_is_drawn_as_a_gap(plot):
    loss = np.array([0.5, 0.4, np.inf, np.nan, 0.3, 0.0])
    show_run(plot, loss)  # log loss axis: 0 and inf must not raise or warn
    _, y = plot.curve.getData()
    assert np.isnan(y[2]) and np.isnan(y[3]) and np.isnan(y[5]) and y[4] == pytest.approx(np.log10(0.3))
    plot.set_log(False)
    _, y = plot.curve.getData()
    assert np.isnan(y[2]) and np.isnan(y[3]) and y[4] == 0.3 and y[5] == 0.0


@pytest.mark.parametrize("kind", ["linear", "log"])
def test_clicking_shows_the_nearest_epoch(qtbot, plot, kind):
    show_run(plot, np.linspace(1.0, 0.01, 1000), kind)
    qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(plot, 500))
    assert abs(plot._playback.epoch - 500) <= 10  # a pixel is about 1.6 epochs (linear) or 6 (log) here


def test_clicking_past_either_end_clamps_to_the_recorded_epochs(qtbot, plot):
    show_run(plot, np.linspace(1.0, 0.01, 1000))
    vb_rect = plot.plot_widget.getPlotItem().getViewBox().sceneBoundingRect()
    middle = vb_rect.center().y()
    for scene_x, expected in [(vb_rect.right() - 1, 999), (vb_rect.left() + 1, 0)]:
        pos = plot.plot_widget.mapFromScene(QPointF(scene_x, middle))
        qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        assert plot._playback.epoch == expected


def test_clicking_an_empty_plot_does_nothing(qtbot, plot):
    plot._playback.reset(latest=100, target=100, can_train=False)
    plot._playback.show(40)
    qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(plot, 80))
    assert plot._playback.epoch == 40


def test_log_toggle(qtbot, plot):
    show_run(plot, np.linspace(0.3, 0.001, 1000))
    assert plot.is_log() and plot.y_tick_labels() == ["0.001", "0.01", "0.1", "1"]
    qtbot.mouseClick(plot.log_box, Qt.MouseButton.LeftButton, pos=QPoint(6, plot.log_box.height() // 2))
    assert not plot.is_log() and plot.y_tick_labels() == ["0", "0.1", "0.2", "0.3"]
    plot.set_log(True)
    assert plot.log_box.isChecked() and plot.y_tick_labels()[0] == "0.001"


def test_the_cursor_follows_the_playback(plot):
    assert not plot.cursor.isVisible()
    show_run(plot, np.linspace(1.0, 0.01, 1000), "log")
    plot._playback.show(321)
    assert plot.cursor.isVisible() and plot.cursor.value() == pytest.approx(plot._timeline.axis().to_unit(321))
    plot._timeline.set_kind("linear")  # the same epoch, on the new axis
    assert plot.cursor.value() == pytest.approx(321 / 999)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_theme_colours(plot, name):
    theme = THEMES[name]
    plot.set_theme(theme)
    show_run(plot, np.linspace(1.0, 0.01, 1000))
    plot._playback.show(10)
    assert plot.curve.opts["pen"].color() == QColor(theme.text)
    assert plot.cursor.brush().color() == QColor(theme.signal)
    image = plot.grab().toImage()
    assert image.pixelColor(3, image.height() // 2) == QColor(theme.background)

"""Loss labels that fit: a loss falling through many decades labels every few decades, never one over another."""

import numpy as np
from PyQt6.QtGui import QImage, QPainter

from netviz.player.loss_curve import loss_ticks, tick_labels
from netviz.player.model import Playback
from netviz.player.run import Run
from netviz.player.timeline import Timeline
from netviz.ui.loss_plot import LossPlot
from tests.ui.test_loss_plot import LossOnly


def test_many_decades_are_labelled_every_few_and_still_bound_the_loss():
    lo, hi = 3e-17, 20.0
    assert len(loss_ticks(lo, hi, True)) == 20  # every decade, 10⁻¹⁷ to 10²
    for room in range(2, 12):
        ticks = loss_ticks(lo, hi, True, room)
        powers = np.round(np.log10(ticks)).astype(int)
        assert 2 <= len(ticks) <= room
        assert ticks[0] <= lo and ticks[-1] >= hi
        assert len(set(np.diff(powers))) == 1  # evenly spaced decades
        assert all(label.startswith("10") for label in tick_labels(ticks))
    assert loss_ticks(0.3, 0.7, True, 2) == loss_ticks(0.3, 0.7, True)  # a finer series is never thinned


def drawn_labels(plot) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of each label the loss axis draws, top first."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        texts = plot.plot_widget.getPlotItem().getAxis("left").generateDrawSpecs(painter)[2]
    finally:
        painter.end()
    return sorted((rect.top(), rect.bottom(), text) for rect, _, text in texts)


def test_a_short_plot_of_a_loss_falling_through_many_decades_labels_none_over_another(qtbot):
    playback = Playback()
    plot = LossPlot(playback, Timeline(playback))
    qtbot.addWidget(plot)
    plot.resize(640, 130)
    plot.show()
    qtbot.waitExposed(plot)
    loss = 20 * 10 ** (-np.arange(120) / 6)  # 20 down to 10⁻¹⁸, as a recording grows
    playback.reset(latest=1, target=1, can_train=False)
    plot.set_run(Run(LossOnly(loss), trainable=False))
    for latest in range(2, 120, 3):
        playback.set_latest(latest)
        playback.set_target(latest)
        qtbot.wait(10)  # the axis widens for wider labels in its next layout
        labels = drawn_labels(plot)
        assert len(labels) >= 2
        for (_, bottom, above), (top, _, below) in zip(labels, labels[1:]):
            assert top >= bottom - 1, f"epoch {latest}: {above} and {below} overlap"
    plot.resize(640, 400)  # room for more labels
    qtbot.waitUntil(lambda: len(drawn_labels(plot)) > 3)

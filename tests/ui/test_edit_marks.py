"""The loss plot's test loss and title, and the marks of edits on the loss plot and the timeline."""

import numpy as np
import pytest

from netviz.engine import segments
from netviz.engine.runspec import DataSource, RunSpec
from netviz.numbers import format_loss
from netviz.ui.live_edit import apply_edit
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    assert w.worker is None


def start(window, **settings):
    spec = RunSpec.of((4,), "tanh", data=DataSource("preset", "circle", points=100), epochs=1000, **settings)
    window.start_run(*spec.build(), spec=spec)


def train_to(qtbot, window, epochs):
    window.transport.target_box.setValue(epochs)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= epochs and not window.playing, timeout=20_000)


def test_a_run_with_test_rows_draws_the_test_loss_beside_the_training_loss(qtbot, window):
    start(window, test_fraction=0.25)
    assert len(window.history.test) == 25 and len(window.dataset) == 75
    train_to(qtbot, window, 200)
    plot = window.loss_plot
    assert plot.legend.isVisibleTo(plot) and "test" in plot.legend.text()
    x, y = plot.test_curve.getData()
    assert len(x) > 0 and np.isfinite(y).any()
    last = np.asarray(window.history.test_loss)[-1]
    window.playback.show(200)
    qtbot.waitUntil(lambda: plot.test_value.text() == f"test {format_loss(last)}")
    assert np.isclose(10 ** np.nanmax(y[-2:]), last) or np.isclose(10 ** np.nanmin(y[-2:]), last)


def test_without_test_rows_there_is_no_test_curve_nor_legend(qtbot, window):
    start(window)
    train_to(qtbot, window, 50)
    assert not window.loss_plot.legend.isVisibleTo(window.loss_plot)
    assert not window.loss_plot.test_value.isVisibleTo(window.loss_plot)
    x, _ = window.loss_plot.test_curve.getData()
    assert x is None or len(x) == 0


def test_a_softmax_run_says_its_loss_is_cross_entropy(qtbot, window):
    spec = RunSpec.of((4,), "tanh", data=DataSource("preset", "three-classes", points=90), output_activation="softmax")
    window.start_run(*spec.build(), spec=spec)
    assert window.loss_plot.title.text() == "loss (cross-entropy)"


def test_every_edit_is_marked_on_the_loss_plot_and_the_timeline_saying_what_changed(qtbot, window):
    start(window)
    train_to(qtbot, window, 100)
    apply_edit(window, lambda h, e: segments.change_settings(h, e, {"lr": 0.5}), "learning rate change")
    train_to(qtbot, window, 200)
    apply_edit(window, lambda h, e: segments.change_settings(h, e, {"l2": 0.01}), "regularisation change")
    old_lr = window.history.segments[0].config.lr
    tips = window.timeline_slider.mark_row.tips()
    assert tips == [f"epoch 100: learning rate {old_lr:g} → 0.5", "epoch 200: L2 rate 0 → 0.01"]
    marks = window.loss_plot._marks
    assert [epoch for epoch, _ in marks] == [100, 200]
    assert marks[0][1].toolTip() == tips[0]
    axis = window.timeline.axis()
    assert marks[1][1].value() == pytest.approx(float(axis.to_unit(200)))
    # The marks stand where their epochs are on the slider
    row = window.timeline_slider.mark_row
    xs = [m.x() + m.width() / 2 for m in row.marks[:2]]
    expected = [window.timeline_slider.tick_x(window.timeline_slider.value_of(e)) for e in (100, 200)]
    assert xs == pytest.approx(expected, abs=1)

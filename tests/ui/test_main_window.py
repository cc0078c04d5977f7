import numpy as np
import pytest

from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()  # stops and waits for the training thread
    assert w.worker is None


def train_to(qtbot, window, epochs):
    window.target_box.setValue(epochs)
    window.speed_box.setCurrentIndex(len(window.speed_box) - 1)  # full speed
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= epochs and not window.playing, timeout=20_000)


def test_opens_with_the_blog_network_at_epoch_zero(qtbot, window):
    assert window.config.arch.layers == (3, 4, 1)
    assert window.history.latest_epoch == 0
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(0))
    qtbot.waitUntil(lambda: window.canvas.paint_count >= 1 and window.canvas.last_painted_epoch == 0)


def test_play_advances_and_pause_holds(qtbot, window):
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch > 200, timeout=10_000)
    window.pause()
    qtbot.wait(50)  # the epoch in progress may still land
    held = window.history.latest_epoch
    qtbot.wait(300)
    assert window.history.latest_epoch == held
    assert window.status_state.text() == "paused"


def test_step_moves_by_exactly_one_and_draws_the_historys_weights(qtbot, window):
    train_to(qtbot, window, 500)
    window.step(-1)
    assert window.shown_epoch == 499
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 499)
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(499))
    window.step(+1)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 500)
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(500))


def test_step_past_the_latest_epoch_trains_exactly_one_more(qtbot, window):
    train_to(qtbot, window, 300)
    window.target_box.setValue(1000)
    window.go_end()
    window.step(+1)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 301, timeout=5_000)
    qtbot.wait(100)
    assert window.history.latest_epoch == 301


def test_scrubbing_shows_exact_weights_while_training_goes_on(qtbot, window):
    window.play()
    # The slider's range follows training a few times a second: a drag reaches what it shows.
    qtbot.waitUntil(lambda: window.slider.maximum() > 2_000, timeout=10_000)
    window.slider.setValue(1234)  # as a drag would
    assert not window.follow_latest
    assert window.shown_epoch == 1234
    assert np.array_equal(window.canvas.frame.theta, window.history.weights_at(1234))
    latest = window.history.latest_epoch
    qtbot.waitUntil(lambda: window.history.latest_epoch > latest + 100, timeout=10_000)
    assert window.shown_epoch == 1234  # training went on, the view stayed


def test_blog_run_in_the_app_ends_with_the_blogs_prediction(qtbot, window):
    train_to(qtbot, window, 60_000)
    theta = window.history.weights_at(60_000)
    prediction = window.config.arch.forward(theta, [1, 1, 0])[-1][0, 0]
    assert f"{prediction:.8f}" == "0.00788760"
    assert window.status_state.text() == "done"


def test_closing_while_training_stops_the_thread(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.speed_box.setCurrentIndex(len(w.speed_box) - 1)
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch > 100, timeout=10_000)
    worker = w.worker
    w.close()
    assert worker.isFinished()


def test_divergence_is_reported_and_history_stays_scrubbable(qtbot):
    config = TrainConfig(Architecture.of((3, 4, 1), "linear"), lr=1000.0, epochs=100)
    w = MainWindow(config)
    qtbot.addWidget(w)
    w.show()
    w.play()
    qtbot.waitUntil(lambda: getattr(w, "diverged_box", None) is not None, timeout=10_000)
    assert "diverged at epoch" in w.diverged_box.text()
    assert not w.act_play.isEnabled()
    last = w.history.latest_epoch
    assert np.isfinite(w.history.weights_at(last)).all()
    w.slider.setValue(max(0, last - 1))
    assert w.shown_epoch == max(0, last - 1)
    w.diverged_box.close()
    w.close()


def test_reset_recreates_the_same_start(qtbot, window):
    start = window.history.weights_at(0)
    train_to(qtbot, window, 200)
    window.reset()
    assert window.history.latest_epoch == 0
    assert np.array_equal(window.history.weights_at(0), start)


def test_hover_describes_synapses_and_neurons(qtbot, window):
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.canvas.scene is not None)
    g = window.canvas.scene.geometry
    x, y = g.centres[0]
    from PyQt6.QtCore import QPointF

    assert window.canvas.describe_at(QPointF(x, y)).startswith("x1: activation")
    edge = g.segments[12]  # h1 -> out
    mid = QPointF((edge[0] + edge[2]) / 2, (edge[1] + edge[3]) / 2)
    text = window.canvas.describe_at(mid)
    assert text.startswith("h1 -> out: w = ")
    w = window.config.arch.views(window.canvas.frame.theta)[0][1][0, 0]
    assert text.endswith(f"{w:.2f}")


def test_think_mode_lights_layers_in_order(qtbot, window):
    train_to(qtbot, window, 2_000)
    window.act_think.setChecked(True)
    qtbot.waitUntil(lambda: window.canvas.frame.think is not None)
    qtbot.waitUntil(lambda: window.canvas.frame.think.progress >= 2.0, timeout=5_000)
    # Once the signal reaches the output, the painted scene shows the prediction.
    qtbot.waitUntil(lambda: bool(window.canvas.scene.output_notes), timeout=2_000)
    assert np.isfinite(window.canvas.scene.neuron_values).all()


def test_at_full_speed_a_dear_refresh_of_the_panels_comes_less_often(window):
    """Early in a run the loss plot's axes change at every refresh (~20 ms): at full training
    speed the panels then refresh less often, so that they take at most SLOW_SHARE of the time."""
    from netviz.ui.main_window import SLOW_SECONDS, SLOW_SHARE

    window.speed_box.setCurrentIndex(len(window.speed_box) - 1)  # full speed
    window._slow_cost = 0.004
    assert window._slow_interval() == SLOW_SECONDS
    window._slow_cost = 0.030
    assert window._slow_interval() == pytest.approx(0.030 / SLOW_SHARE)
    window._slow_cost = 10.0  # a stall: the panels still refresh every few seconds
    assert window._slow_interval() == 4 * SLOW_SECONDS
    window.speed_box.setCurrentIndex(1)  # 1 epoch a frame: training has time to spare
    assert window._slow_interval() == SLOW_SECONDS


def test_scrubbing_while_training_plays_moves_every_panel_at_once(qtbot, window):
    """The label, the loss cursor and the table show the scrubbed epoch with the drawing, not
    at the panels' next refresh (which never came while the shown epoch stayed put)."""
    window.play()
    qtbot.waitUntil(lambda: window.slider.maximum() > 2_000, timeout=10_000)
    window.slider.setValue(1234)
    assert window.canvas.last_painted_epoch == 1234
    assert window.epoch_label.text().startswith("epoch 1,234 / ")
    assert window.loss_plot.cursor.value() == 1234
    output = window.predictions.table.item(0, window.predictions._output_column(0)).text()
    assert output == f"{window.history.outputs_at(1234)[0, 0]:.4f}"
    assert window.playing and window.history.latest_epoch > 2_000


def test_dragging_the_slider_to_its_end_follows_the_latest_epoch(qtbot, window):
    """The slider's range lags training by up to a refresh: its right end means the newest epoch."""
    window.play()
    qtbot.waitUntil(lambda: window.slider.maximum() > 500, timeout=10_000)
    window.slider.setValue(100)
    assert not window.follow_latest
    window.slider.setValue(window.slider.maximum())
    assert window.follow_latest and window.follow_box.isChecked()
    latest = window.history.latest_epoch
    qtbot.waitUntil(lambda: window.canvas.last_painted_epoch > latest, timeout=5_000)


def test_on_a_dark_theme_the_transport_icons_are_drawn_light(qtbot, window):
    """Qt's standard icons are dark: on the dark and classic themes they are redrawn in the text colour."""
    from PyQt6.QtGui import QColor

    def brightest(action) -> int:
        image = action.icon().pixmap(24, 24).toImage()
        return max(QColor(image.pixel(x, y)).lightness() for x in range(24) for y in range(24)
                   if QColor.fromRgba(image.pixel(x, y)).alpha() > 128)  # fmt: skip

    light = brightest(window.act_play)
    window.set_theme("dark")
    assert brightest(window.act_play) > max(light, 200)
    window.play()  # the icon changes to Pause: in the theme's colour too
    assert brightest(window.act_play) > 200
    assert "QCheckBox::indicator" in window.follow_box.styleSheet()
    window.set_theme("light")
    assert brightest(window.act_play) == light and window.follow_box.styleSheet() == ""

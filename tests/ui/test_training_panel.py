"""The Training panel: each setting changed while the run plays or is paused is a segment at the shown epoch."""

import numpy as np
import pytest

from netviz.engine.runspec import DataSource, RunSpec
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    assert w.worker is None


def circle(window, **settings):
    spec = RunSpec.of((4,), "tanh", data=DataSource("preset", "circle", noise=0.1, points=100), epochs=1000, **settings)
    window.start_run(*spec.build(), spec=spec)


def train_to(qtbot, window, epochs):
    window.transport.target_box.setValue(epochs)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= epochs and not window.playing, timeout=20_000)


def choose(box, data):
    """Choose an entry as a user does (activated, not a programmatic change)."""
    index = box.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    box.setCurrentIndex(index)
    box.activated.emit(index)


def test_the_panel_shows_the_settings_of_the_shown_epochs_segment(qtbot, window):
    circle(window, lr=0.03)
    panel = window.training_panel
    assert panel.lr_box.currentData() == 0.03 and panel.reg_box.currentText() == "none"
    train_to(qtbot, window, 100)
    choose(panel.lr_box, 0.3)
    train_to(qtbot, window, 200)
    window.playback.show(50)
    qtbot.waitUntil(lambda: panel.lr_box.currentData() == 0.03)
    window.playback.show(150)
    qtbot.waitUntil(lambda: panel.lr_box.currentData() == 0.3)


def test_l2_chosen_mid_run_trains_on_with_the_penalty(qtbot, window):
    circle(window)
    train_to(qtbot, window, 100)
    panel = window.training_panel
    choose(panel.rate_box, 0.01)
    choose(panel.reg_box, "L2")
    segment = window.history.segments[-1]
    assert (segment.start, segment.config.l2, segment.config.l1) == (100, 0.01, 0.0)
    assert segment.edit == {"kind": "settings", "changes": {"l1": [0.0, 0.0], "l2": [0.0, 0.01]}}
    choose(panel.reg_box, "L1")
    assert (window.config.l1, window.config.l2) == (0.01, 0.0)


def test_a_test_share_chosen_mid_run_holds_out_rows_and_records_their_loss(qtbot, window):
    circle(window)
    train_to(qtbot, window, 50)
    assert window.history.test is None
    choose(window.training_panel.test_box, 0.3)
    assert len(window.history.test) == 30 and len(window.dataset) == 70
    train_to(qtbot, window, 120)
    test_loss = np.asarray(window.history.test_loss)
    assert np.isnan(test_loss[:50]).all() and np.isfinite(test_loss[50:]).all()


def test_regenerate_makes_new_points_with_the_noise_and_count_chosen(qtbot, window):
    circle(window)
    train_to(qtbot, window, 30)
    panel = window.training_panel
    panel.noise_box.setValue(0.4)
    panel.points_box.setValue(150)
    panel.regenerate.click()
    segment = window.history.segments[-1]
    assert segment.edit["changes"] == {"noise": [0.1, 0.4], "points": [100, 150]}
    expected = RunSpec.of((4,), "tanh", data=DataSource("preset", "circle", noise=0.4, points=150)).build()[1]
    assert np.array_equal(segment.dataset.inputs, expected.inputs)
    assert window.predictions.table.rowCount() == 150 + 1  # the table follows: every row and the new situation


def test_regenerate_with_nothing_changed_changes_nothing(qtbot, window):
    circle(window)
    train_to(qtbot, window, 30)
    window.training_panel.regenerate.click()
    assert len(window.history.segments) == 1 and "as they were" in window.statusBar().currentMessage()


def test_the_activation_of_every_hidden_layer_changes_live(qtbot, window):
    circle(window)
    train_to(qtbot, window, 30)
    panel = window.training_panel
    panel.activation_box.setCurrentText("relu")
    panel.activation_box.activated.emit(panel.activation_box.currentIndex())
    assert window.config.arch.activations == ("relu", "sigmoid")
    assert "hidden activation tanh → relu" in window.statusBar().currentMessage()


def test_the_drawing_shows_the_points_and_activations_each_epoch_trained_under(qtbot, window):
    circle(window)
    train_to(qtbot, window, 30)
    old = window.dataset.inputs.copy()
    panel = window.training_panel
    panel.noise_box.setValue(0.4)
    panel.regenerate.click()
    panel.activation_box.setCurrentText("relu")
    panel.activation_box.activated.emit(panel.activation_box.currentIndex())
    train_to(qtbot, window, 60)
    window.playback.show(10)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 10)
    assert np.array_equal(window.canvas.frame.plane[0], old)
    assert window.canvas.frame.arch.activations == ("tanh", "sigmoid")
    window.playback.show(50)
    qtbot.waitUntil(lambda: window.canvas.frame.epoch == 50)
    assert np.array_equal(window.canvas.frame.plane[0], window.dataset.inputs)
    assert not np.array_equal(window.dataset.inputs, old)
    assert window.canvas.frame.arch.activations == ("relu", "sigmoid")


def test_new_data_and_a_test_share_mid_run_are_replayed_exactly_after_save_and_reopen(qtbot, window, tmp_path):
    circle(window)
    train_to(qtbot, window, 40)
    panel = window.training_panel
    panel.noise_box.setValue(0.3)
    panel.points_box.setValue(120)
    panel.regenerate.click()
    train_to(qtbot, window, 80)
    choose(panel.test_box, 0.2)
    train_to(qtbot, window, 120)
    path = str(tmp_path / "lab.netviz")
    assert window.save_as(path)
    other = MainWindow()
    qtbot.addWidget(other)
    try:
        assert other.open_session(path)
        assert [s.start for s in other.history.segments] == [0, 40, 80]
        assert len(other.history.test) == 24 and len(other.dataset) == 96
        for epoch in (39, 40, 79, 80, 120):
            assert np.array_equal(other.history.weights_at(epoch), window.history.weights_at(epoch))
        assert np.array_equal(np.asarray(other.history.test_loss), np.asarray(window.history.test_loss), equal_nan=True)
        other.playback.show(120)
        qtbot.waitUntil(lambda: other.training_panel.test_box.currentData() == 0.2)
        assert other.training_panel.points_box.value() == 120
    finally:
        other.close()


def test_a_runs_own_learning_rate_is_offered_in_order(qtbot, window):
    circle(window, lr=0.025)
    rates = [window.training_panel.lr_box.itemData(i) for i in range(window.training_panel.lr_box.count())]
    assert window.training_panel.lr_box.currentData() == 0.025 and rates == sorted(rates)


def test_the_view_menu_hides_and_shows_the_panel(qtbot, window):
    assert window.training_panel.isVisible()
    window.menus.training_panel.trigger()
    assert not window.training_panel.isVisible()
    window.menus.training_panel.trigger()
    assert window.training_panel.isVisible()

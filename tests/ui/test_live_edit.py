"""Live edits in the window: a segment at the shown epoch, the ask to continue, undo, exact replay after save."""

import numpy as np
import pytest
from PyQt6.QtWidgets import QMessageBox

from netviz.engine import segments
from netviz.engine.history import History
from netviz.engine.training import Trainer
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


def train_to(qtbot, window, epochs):
    window.transport.target_box.setValue(epochs)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= epochs and not window.playing, timeout=20_000)


def lr_to(value):
    return lambda history, epoch: segments.change_settings(history, epoch, {"lr": value})


def replayed(config, dataset, change_at, lr, until):
    """The blog run trained headless with the learning rate changed at `change_at`: its history."""
    history = History(config, dataset)
    Trainer(config, dataset).run(history, change_at)
    segments.change_settings(history, change_at, {"lr": lr})
    segments.train(history, until)
    return history


def test_an_lr_change_mid_play_is_a_segment_and_training_goes_on_under_it(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked while playing at the newest epoch"))
    window.transport.target_box.setValue(10_000_000)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch > 500, timeout=10_000)
    segment = apply_edit(window, lr_to(2.5), "learning rate change")  # playing: the shown epoch is the newest
    assert segment is not None and window.playing
    start = segment.start
    assert window.history.segments[-1] is segment and window.config.lr == 2.5
    qtbot.waitUntil(lambda: window.history.latest_epoch > start + 300, timeout=10_000)
    window.pause()
    qtbot.wait(50)
    end = window.history.latest_epoch
    expected = replayed(window.history.segments[0].config, window.history.segments[0].dataset, start, 2.5, end)
    assert np.array_equal(window.history.weights_at(end), expected.weights_at(end))
    assert not np.array_equal(expected.weights_at(end), replayed_without_change(window, end))
    assert window.has_unsaved_work() and window.live_edits.undo_text == "learning rate change"


def replayed_without_change(window, end):
    first = window.history.segments[0]
    history = History(first.config, first.dataset)
    Trainer(first.config, first.dataset).run(history, end)
    return history.weights_at(end)


def test_an_edit_before_the_newest_epoch_asks_and_cancel_keeps_the_run(qtbot, window, monkeypatch):
    train_to(qtbot, window, 400)
    window.playback.show(100)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel
    )
    assert apply_edit(window, lr_to(0.5), "learning rate change") is None
    assert "Continue from epoch 100?" in asked[0] and "101 to 400" in asked[0]
    assert window.history.latest_epoch == 400 and len(window.history.segments) == 1
    assert window.live_edits.undo_text == ""


def test_continuing_from_an_earlier_epoch_drops_the_later_ones_and_undo_brings_them_back(qtbot, window, monkeypatch):
    train_to(qtbot, window, 400)
    before = window.history.weights_at(400).copy()
    window.playback.show(100)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    segment = apply_edit(window, lr_to(0.5), "learning rate change")
    assert segment.start == 100 and window.history.latest_epoch == 100 and window.shown_epoch == 100
    assert window.menus.undo_action.isEnabled() and "learning rate change" in window.menus.undo_action.text()
    window.menus.undo_action.trigger()
    assert len(window.history.segments) == 1 and window.history.latest_epoch == 400
    assert np.array_equal(window.history.weights_at(400), before)
    assert window.shown_epoch == 100 and not window.menus.undo_action.isEnabled()


def test_a_bad_setting_changes_nothing_and_says_why(qtbot, window):
    train_to(qtbot, window, 50)
    assert apply_edit(window, lr_to(-1), "learning rate change") is None
    assert len(window.history.segments) == 1 and window.history.latest_epoch == 50
    assert "Not changed" in window.statusBar().currentMessage()
    assert window.worker is not None and window.worker.isRunning()


def test_an_edited_run_is_replayed_exactly_after_save_and_reopen(qtbot, window, tmp_path):
    train_to(qtbot, window, 300)
    apply_edit(window, lr_to(3.0), "learning rate change")
    train_to(qtbot, window, 600)
    path = str(tmp_path / "edited.netviz")
    assert window.save_as(path) and window.live_edits.undo_text == ""  # undo ends with the save
    other = MainWindow()
    qtbot.addWidget(other)
    try:
        assert other.open_session(path)
        assert [s.start for s in other.history.segments] == [0, 300] and other.config.lr == 3.0
        for epoch in (299, 300, 450, 600):
            assert np.array_equal(other.history.weights_at(epoch), window.history.weights_at(epoch))
        train_to(qtbot, other, 700)  # training goes on under the edited learning rate
        train_to(qtbot, window, 700)
        assert np.array_equal(other.history.weights_at(700), window.history.weights_at(700))
    finally:
        other.close()


def test_two_edits_at_one_epoch_are_one_segment_that_says_what_both_changed(qtbot, window):
    train_to(qtbot, window, 200)
    apply_edit(window, lr_to(0.5), "learning rate change")
    apply_edit(window, lambda h, e: segments.change_settings(h, e, {"l2": 0.01, "lr": 0.25}), "regularisation change")
    assert [s.start for s in window.history.segments] == [0, 200]
    assert segments.describe(window.history.segments[-1].edit) == "learning rate 1 → 0.25, L2 rate 0 → 0.01"
    window.live_edits.undo()
    assert window.history.segments[-1].edit == {"kind": "settings", "changes": {"lr": [1.0, 0.5]}}


def test_weights_set_twice_at_one_epoch_keep_the_first_old_value(qtbot, window):
    train_to(qtbot, window, 100)
    before = float(window.history.weights_at(100)[3])
    apply_edit(window, lambda h, e: segments.set_weights(h, e, {3: 1.5}), "weight")
    apply_edit(window, lambda h, e: segments.set_weights(h, e, {3: 2.0, 5: 0.0}), "weight")
    edit = window.history.segments[-1].edit
    assert edit["set"][0] == [3, before, 2.0] and edit["set"][1][0] == 5
    assert window.history.weights_at(100)[3] == 2.0


def test_an_edit_keeps_the_epoch_axis_the_user_chose(qtbot, window):
    train_to(qtbot, window, 300)
    window.timeline_slider.log_box.setChecked(False)
    window.timeline.zoom_to(100, 250)
    apply_edit(window, lr_to(0.5), "learning rate change")
    axis = window.timeline.axis()
    assert (axis.kind, axis.lo, axis.hi) == ("linear", 100, 250)


def test_a_smaller_learning_rate_after_divergence_trains_on_from_the_last_finite_epoch(qtbot, window):
    from netviz.engine.runspec import DataSource, RunSpec

    spec = RunSpec.of((8,), "relu", data=DataSource("preset", "circle", points=100), lr=100.0,
                      output_activation="linear", epochs=1000)  # fmt: skip
    window.start_run(*spec.build(), spec=spec)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: hasattr(window, "diverged_box") and window.diverged_box.isVisible(), timeout=10_000)
    window.diverged_box.close()
    last = window.history.latest_epoch
    assert not window.playback.can_train and window.shown_epoch == last
    segment = apply_edit(window, lr_to(0.01), "learning rate change")
    assert segment.start == last and window.playback.can_train
    train_to(qtbot, window, last + 100)
    assert np.isfinite(np.asarray(window.history.loss)).all()


def test_an_unexpected_error_in_an_edit_leaves_the_window_training(qtbot, window):
    train_to(qtbot, window, 50)

    def broken(history, epoch):
        raise RuntimeError("a bug in an edit")

    with pytest.raises(RuntimeError):
        apply_edit(window, broken, "broken edit")
    assert window.worker is not None and window.worker.isRunning()
    train_to(qtbot, window, 80)

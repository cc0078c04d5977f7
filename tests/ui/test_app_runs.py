"""Runs started inside the app: Reset, scheduled changes, sessions from the command line."""

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from netviz.cli import main
from netviz.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()  # stops and waits for the training thread
    assert w.worker is None


def play_to_end(qtbot, window, epochs):
    window.transport.target_box.setValue(epochs)
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: window.history.latest_epoch >= epochs and not window.playing, timeout=20_000)


@pytest.fixture
def changed_session(tmp_path):
    """A session trained by `netviz train` with a scheduled change at epoch 500 of 1,000."""
    path = tmp_path / "changed.netviz"
    args = ["train", "--epochs", "1000", "--change", "500:l2=0.001,lr=0.5", "--save", str(path)]
    assert main(args) == 0
    return str(path)


def test_reset_of_a_session_with_changes_replays_its_epochs_bit_for_bit(qtbot, window, changed_session):
    assert window.open_session(changed_session)
    saved = window.history
    window.reset()
    play_to_end(qtbot, window, 1_000)
    assert window.history is not saved and window.history.latest_epoch == 1_000
    assert [s.start for s in window.history.segments] == [s.start for s in saved.segments] == [0, 500]
    assert window.history.segments[1].config.l2 == 0.001 and window.history.segments[1].config.lr == 0.5
    for epoch in (0, 499, 500, 501, 1_000):
        assert np.array_equal(window.history.weights_at(epoch), saved.weights_at(epoch)), epoch
    assert np.array_equal(window.history.loss[:], saved.loss[:])


def test_reset_of_an_opened_session_keeps_its_file_and_marks_it_edited(qtbot, window, changed_session):
    assert window.open_session(changed_session)
    assert window.windowTitle().startswith("changed.netviz —")
    window.reset()
    assert window.files.path == changed_session
    assert window.windowTitle().startswith("changed.netviz* —")
    assert window.has_unsaved_work()


def add_two_rows(window) -> None:
    """Two training rows added by hand at the shown epoch, through the live edit."""
    from netviz.engine import segments
    from netviz.ui.live_edit import apply_edit

    rows = np.array([[1.0, 1.0, 0.0], [0.5, 0.5, 0.5]])
    assert apply_edit(window, lambda h, e: segments.add_points(h, e, rows, [[0.0], [1.0]]), "2 rows added")


def test_the_table_lists_the_rows_of_the_shown_epochs_segment(qtbot, window):
    play_to_end(qtbot, window, 50)
    add_two_rows(window)
    window.playback.set_input_row(8)  # an added row: chosen while it is shown
    play_to_end(qtbot, window, 80)
    table = window.predictions.table
    qtbot.waitUntil(lambda: table.rowCount() == 10)
    window.playback.show(10)
    qtbot.waitUntil(lambda: table.rowCount() == 8)  # the blog's 7 rows and the new situation
    assert table.verticalHeaderItem(7).text().endswith("new situation")
    assert window.predictions.marked_row() is None and window.playback.input_row == 8  # not shown, still chosen
    theta = window.history.weights_at(10)
    outputs = window.config.arch.forward(theta, window.history.segments[0].dataset.inputs)[-1]
    assert [table.item(r, 4).text() for r in range(7)] == [f"{v:.4f}" for v in outputs[:, 0]]
    rect = table.visualItemRect(table.item(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.playback.input_row == 2 and window.predictions.marked_row() == 2
    window.playback.set_input_row(8)
    window.playback.show(60)
    qtbot.waitUntil(lambda: table.rowCount() == 10)
    assert [table.item(r, 0).text() for r in (7, 8)] == ["1", "0.5"]
    assert window.predictions.marked_row() == 8


def test_an_edit_at_the_end_of_a_finished_run_raises_the_target_so_play_trains_on(qtbot, window):
    from netviz.engine import segments
    from netviz.ui.live_edit import apply_edit

    play_to_end(qtbot, window, 100)
    assert window.playback.at_end()
    assert apply_edit(window, lambda h, e: segments.set_weights(h, e, {0: 0.5}), "a weight")
    assert window.playback.target == 200 and window.transport.target_box.value() == 200
    assert "'Train to' raised to 200" in window.statusBar().currentMessage()
    window.play()
    assert window.shown_epoch == 100  # trains on from the edit, no replay from 0
    qtbot.waitUntil(lambda: window.history.latest_epoch == 200 and not window.playing, timeout=20_000)
    assert window.history.weights_at(100)[0] == 0.5


def test_a_session_saved_by_netviz_train_opens_at_its_last_epoch(qtbot, window, changed_session):
    assert window.open_session(changed_session)
    assert window.shown_epoch == window.history.latest_epoch == 1_000
    qtbot.waitUntil(lambda: window.canvas.last_painted_epoch == 1_000)


def test_a_session_saved_before_its_change_makes_it_when_trained_on(qtbot, window, changed_session, tmp_path):
    from netviz.engine.session import load_session

    spec = load_session(changed_session).spec
    window.start_run(*spec.build(), spec=spec)
    play_to_end(qtbot, window, 300)
    path = str(tmp_path / "early.netviz")
    assert window.save_as(path) and window.open_session(path)
    play_to_end(qtbot, window, 1_000)
    saved = load_session(changed_session).history
    assert [s.start for s in window.history.segments] == [0, 500]
    for epoch in (300, 500, 1_000):
        assert np.array_equal(window.history.weights_at(epoch), saved.weights_at(epoch)), epoch

"""Runs started inside the app: Reset, scheduled changes, sessions from the command line."""

import numpy as np
import pytest

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

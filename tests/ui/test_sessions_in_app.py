import numpy as np
import pytest
from PyQt6.QtCore import QTimer
from PyQt6.QtWidgets import QApplication, QMessageBox

from netviz.engine.session import load_session
from netviz.ui.main_window import MainWindow


def trained_window(qtbot, epochs):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.transport.target_box.setValue(epochs)
    w.playback.set_speed("max")
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch >= epochs and not w.playing, timeout=20_000)
    return w


def test_save_and_reopen_restores_every_epoch_and_the_view(qtbot, tmp_path):
    w = trained_window(qtbot, 1_500)
    w.set_theme("dark")
    w.playback.show(700)
    assert w.has_unsaved_work()
    path = str(tmp_path / "run.netviz")
    assert w.save_as(path)
    assert not w.has_unsaved_work()
    assert "run.netviz" in w.windowTitle()

    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_session(path)
    assert other.history.latest_epoch == 1_500
    assert other.shown_epoch == 700 and other.theme_name == "dark"
    assert other.transport.target_box.value() == 1_500 and not other.playback.follow  # the controls come back too
    assert other.playback.speed == w.playback.speed == "max"
    assert other.transport.speed_box.currentData() == "max"
    for epoch in (0, 699, 700, 1_500):
        assert np.array_equal(other.history.weights_at(epoch), w.history.weights_at(epoch))
    # Training goes on from the saved epoch, exactly as if it had never stopped.
    other.transport.target_box.setValue(1_600)
    other.playback.set_speed("max")
    other.play()
    qtbot.waitUntil(lambda: other.history.latest_epoch >= 1_600 and not other.playing, timeout=20_000)
    w.transport.target_box.setValue(1_600)
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch >= 1_600 and not w.playing, timeout=20_000)
    assert np.array_equal(other.history.weights_at(1_600), w.history.weights_at(1_600))
    other.close()
    w.close()


def test_a_bad_file_shows_a_dialog_and_keeps_the_run(qtbot, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    bad = tmp_path / "junk.netviz"
    bad.write_bytes(b"not a session at all")
    history = w.history
    assert not w.open_session(str(bad))
    assert w.history is history
    assert "junk.netviz" in w.error_box.text()
    assert w.error_box.isVisible()
    w.error_box.close()
    w.close()


def record_xor(path: str, epochs: int = 20) -> None:
    from netviz import Recorder

    rng = np.random.default_rng(0)
    with Recorder(path, layers=[2, 3, 1]) as rec:
        for epoch in range(epochs):
            rec.record(weights=[rng.normal(size=(2, 3)), rng.normal(size=(3, 1))], loss=1.0 / (epoch + 1))


def test_recorded_sessions_play_step_and_scrub_but_do_not_train(qtbot, tmp_path):
    path = str(tmp_path / "rec.netviz")
    record_xor(path, epochs=40)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.open_session(path)
    assert load_session(path).recorded
    assert w.transport.act_play.isEnabled() and w.transport.act_think.isEnabled()
    assert not w.transport.act_reset.isEnabled() and not w.transport.target_box.isEnabled()
    assert "recorded" in w.transport.target_box.toolTip()
    w.playback.show(7)
    qtbot.waitUntil(lambda: w.canvas.last_painted_epoch == 7)
    assert np.array_equal(w.canvas.frame.theta, w.history.weights_at(7))
    w.step(+1)
    assert w.shown_epoch == 8
    # Play replays it to its end, like a video, and stops there.
    w.playback.set_speed("100")
    w.play()
    qtbot.waitUntil(lambda: not w.playing, timeout=5_000)
    assert w.shown_epoch == 39 and w.history.latest_epoch == 39
    qtbot.waitUntil(lambda: w.canvas.last_painted_epoch == 39)
    w.play()  # at the end: from the start again
    assert w.shown_epoch == 0 and w.playing
    # The recording names no new situation: the app asks about the middle of the inputs, with an answer.
    assert w.dataset.new_situation is not None and len(w.dataset.new_situation) == 2
    output = w.predictions._output_column(0)
    qtbot.waitUntil(lambda: w.predictions.table.item(w.predictions.new_row, output).text() != "—")
    w.transport.act_think.trigger()
    qtbot.waitUntil(lambda: w.canvas.frame.think is not None)
    w.close()


def test_closing_with_unsaved_training_asks_first(qtbot, monkeypatch):
    monkeypatch.setattr(MainWindow, "confirm_discard", True)
    w = trained_window(qtbot, 200)

    def answer(button):
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(button).click()

    QTimer.singleShot(100, lambda: answer(QMessageBox.StandardButton.Cancel))
    assert not w.close()  # cancelled: the window and the run stay
    assert w.worker is not None
    QTimer.singleShot(100, lambda: answer(QMessageBox.StandardButton.Discard))
    assert w.close()
    assert w.worker is None


@pytest.mark.parametrize("bad_name", ["missing.netviz"])
def test_open_from_the_command_line_refuses_a_missing_file(tmp_path, capsys, bad_name):
    from netviz.cli import main

    assert main(["open", str(tmp_path / bad_name)]) == 2
    assert bad_name in capsys.readouterr().err


def test_a_full_disk_during_save_shows_a_dialog_and_keeps_the_run_and_the_old_file(qtbot, tmp_path, monkeypatch):
    import errno

    import netviz.engine.session as session_module

    w = trained_window(qtbot, 300)
    path = tmp_path / "run.netviz"
    assert w.save_as(str(path))
    old = path.read_bytes()
    w.transport.target_box.setValue(400)
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch >= 400 and not w.playing, timeout=20_000)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(session_module.np.lib.format, "write_array", full_disk)
    assert not w.files.save()
    assert "No space left on device" in w.error_box.text()
    assert path.read_bytes() == old  # the earlier save is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["run.netviz"]  # no half-written file
    assert w.has_unsaved_work() and w.history.latest_epoch == 400
    w.error_box.close()
    w.close()


def test_a_session_file_deleted_while_open_is_written_again_on_save(qtbot, tmp_path):
    w = trained_window(qtbot, 200)
    path = tmp_path / "run.netviz"
    assert w.save_as(str(path))
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_session(str(path))
    path.unlink()
    assert other.history.latest_epoch == 200  # the run lives in memory, not in the file
    other.playback.show(150)
    qtbot.waitUntil(lambda: other.canvas.frame is not None and other.canvas.frame.epoch == 150)
    assert np.array_equal(other.canvas.frame.theta, w.history.weights_at(150))
    assert other.files.save()
    assert load_session(str(path)).history.latest_epoch == 200
    other.close()
    w.close()


@pytest.mark.parametrize(
    "view",
    [
        {"input_row": None, "epoch": "7", "speed": 99, "theme": ["dark"], "target": 2**40, "follow": "yes"},
        {"input_row": 100, "epoch": -5, "speed": "warp", "weight_scale": "cubic", "target": True},
        {"input_row": -100, "epoch": 1e300, "speed": 3.0, "theme": None},
    ],
)
def test_odd_view_settings_are_hints_that_are_left_out(qtbot, tmp_path, view):
    """A session's view settings never stop it from opening: a bad value keeps its default."""
    import dataclasses

    from netviz.engine.data import blog
    from netviz.engine.history import History
    from netviz.engine.session import save_session
    from netviz.engine.training import Trainer, blog_config

    config = dataclasses.replace(blog_config(), epochs=30)
    history = History(config, blog())
    Trainer(config, blog()).run(history, 30)
    path = str(tmp_path / "odd.netviz")
    save_session(path, history, view)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_session(path)
    assert w.history.latest_epoch == 30
    assert w.playback.input_row == -1 and w.playback.speed == "smooth" and w.theme_name == "light"
    assert w.playback.target == 30 and w.weight_scale_kind == "log"
    w.close()


def test_speed_is_saved_by_name_and_old_files_speed_index_is_understood(qtbot, tmp_path):
    w = trained_window(qtbot, 100)
    w.playback.set_speed("1000")
    path = str(tmp_path / "run.netviz")
    assert w.save_as(path)
    assert load_session(path).view["speed"] == "1000"
    w.close()
    from netviz.engine.session import save_session

    session = load_session(path)
    old = str(tmp_path / "old.netviz")
    save_session(old, session.history, {**session.view, "speed": 2})  # netviz 0.1.0: "10 epochs / frame"
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_session(old)
    assert other.playback.speed == "1000"
    other.close()

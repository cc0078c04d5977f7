"""Recorded and imported sessions in the window: Save as keeps their notes, a dead writer shows, checkpoints named."""

import numpy as np

from netviz import Recorder
from netviz.engine.data import blog
from netviz.engine.session import read_notes
from netviz.engine.training import blog_config
from netviz.ui.main_window import MainWindow


def record(rec: Recorder, epoch: int) -> None:
    rec.record([np.full((2, 4), epoch / 100), np.full((4, 1), -epoch / 100)], loss=1 / (epoch + 1))


def open_window(qtbot, path) -> MainWindow:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.open_session(str(path))
    return w


def test_save_as_keeps_the_notes_of_a_recorded_session(qtbot, tmp_path):
    notes = ["layer 'norm' (BatchNormalization) was left out"]
    with Recorder(tmp_path / "rec.netviz", layers=[2, 4, 1], notes=notes) as rec:
        for epoch in range(3):
            record(rec, epoch)
    w = open_window(qtbot, tmp_path / "rec.netviz")
    assert w.files.save_as(str(tmp_path / "copy.netviz"))
    assert read_notes(tmp_path / "copy.netviz") == notes
    w.start_run(blog_config(), blog())  # a run of its own has nothing left out
    assert w.files.save_as(str(tmp_path / "own.netviz"))
    assert read_notes(tmp_path / "own.netviz") == []
    w.close()


def test_a_crashed_writer_turns_recording_into_recording_stopped(qtbot, tmp_path):
    from tests.test_live_writer import crashed_recording

    crashed_recording(tmp_path / "crashed.netviz")
    w = open_window(qtbot, tmp_path / "crashed.netviz")
    qtbot.waitUntil(lambda: w.status.state.text() == "recording stopped", timeout=5000)
    assert "ended without closing it" in w.statusBar().currentMessage()
    assert w.history.latest_epoch == 2
    w.close()


def test_a_recording_that_goes_quiet_is_said_to_have_stopped_until_it_goes_on(qtbot, tmp_path, monkeypatch):
    import netviz.live
    from tests.test_live_writer import elsewhere

    monkeypatch.setattr(netviz.live, "STALL_SECONDS", 1)
    path = tmp_path / "slow.netviz"
    with Recorder(path, layers=[2, 4, 1]) as rec:
        record(rec, 0)
        elsewhere(monkeypatch)  # read as if written on a cluster node, which this machine cannot ask about
        w = open_window(qtbot, path)
        qtbot.waitUntil(lambda: w.status.state.text() == "recording stopped", timeout=5000)
        assert "no new epochs for 1 s" in w.statusBar().currentMessage()
        record(rec, 1)  # it was only slow
        qtbot.waitUntil(lambda: w.status.state.text() == "recording…", timeout=5000)
        assert w.history.latest_epoch == 1
    qtbot.waitUntil(lambda: w.status.state.text() == "recorded run", timeout=5000)
    w.close()


def test_the_window_writes_the_checkpoint_in_its_caption(qtbot, tmp_path):
    from tests.test_import_names import imported

    w = open_window(qtbot, imported(tmp_path))
    w.playback.show(1)
    qtbot.waitUntil(lambda: w.canvas.frame is not None and w.canvas.frame.epoch == 1)
    assert w.canvas.frame.epoch_name == "step_2"
    w.close()


def test_checkpoints_without_a_loss_say_so_on_the_loss_plot(qtbot, tmp_path):
    from safetensors.numpy import save_file

    from netviz.importer import import_checkpoints

    rng = np.random.default_rng(0)
    for step in (100, 200):
        save_file({"fc1.weight": rng.normal(size=(3, 2)), "fc2.weight": rng.normal(size=(1, 3))},
                  str(tmp_path / f"step_{step}.safetensors"))  # fmt: skip
    import_checkpoints([tmp_path], tmp_path / "ck.netviz")
    w = open_window(qtbot, tmp_path / "ck.netviz")
    plot = w.loss_plot
    assert (plot.title.text(), plot.value_label.text()) == ("loss (as recorded)", "unknown")  # not "—"
    qtbot.waitUntil(lambda: w.status.loss.text() == "loss unknown")
    assert plot.y_tick_labels() == []  # no scale for a loss that is not there
    w.close()

"""The window following a recording being written: new epochs within a second, "recording…" until it closes."""

import numpy as np

from netviz import Recorder
from netviz.engine.data import blog
from netviz.engine.training import blog_config
from netviz.ui.main_window import MainWindow


def record(rec: Recorder, epoch: int, scale: float = 1.0) -> None:
    rec.record([np.full((2, 4), epoch / 100), np.full((4, 1), -scale * epoch / 100)], loss=1 / (epoch + 1))


def open_window(qtbot, path, follow=True) -> MainWindow:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.files.follow = follow
    assert w.open_session(str(path))
    return w


def test_the_window_follows_a_recording_until_its_writer_closes_it(qtbot, tmp_path):
    path = tmp_path / "live.netviz"
    rec = Recorder(path, layers=[2, 4, 1], activations=["tanh", "sigmoid"])
    try:
        for epoch in range(5):
            record(rec, epoch)
        w = open_window(qtbot, path)
        assert w.shown_epoch == 4 and w.playback.follow
        assert w.loss_plot.title.text() == "loss (as recorded)"  # a framework's own loss, not necessarily MSE
        qtbot.waitUntil(lambda: w.status.state.text() == "recording…", timeout=5000)
        for epoch in range(5, 40):
            record(rec, epoch)
        # On Follow latest (bench/follow_latency.py measures how soon: well within a second).
        qtbot.waitUntil(lambda: w.shown_epoch == 39, timeout=5000)
        qtbot.waitUntil(lambda: w.status.epoch.text() == "epoch 39 of 39", timeout=5000)
        assert w.loss_plot._loss().size == 40 and w.transport.target_box.value() == 39
        w.set_weight_scale("run")
        record(rec, 40, scale=3.0)
        qtbot.waitUntil(lambda: w._run_max_abs == 1.2, timeout=5000)  # the "run" scale grows with the recording
        w.playback.show(10)  # the user looks back: new epochs still come, the shown one stays
        record(rec, 41)
        qtbot.waitUntil(lambda: w.playback.latest == 41, timeout=5000)
        assert w.shown_epoch == 10
    finally:
        rec.close()
    qtbot.waitUntil(lambda: w.status.state.text() == "recorded run", timeout=5000)
    assert "complete" in w.statusBar().currentMessage()
    assert not w.follower.timer.isActive()
    assert np.array_equal(w.history.weights_at(41)[:8], np.full(8, 0.41))
    w.close()


def test_no_follow_opens_what_is_written_so_far(qtbot, tmp_path):
    path = tmp_path / "live.netviz"
    with Recorder(path, layers=[2, 4, 1]) as rec:
        for epoch in range(3):
            record(rec, epoch)
        w = open_window(qtbot, path, follow=False)
        for epoch in range(3, 6):
            record(rec, epoch)
        qtbot.wait(600)
        assert w.history.latest_epoch == 2 and w.status.state.text() == "recorded run"
    w.close()


def test_opening_another_run_stops_following(qtbot, tmp_path):
    path = tmp_path / "live.netviz"
    with Recorder(path, layers=[2, 4, 1]) as rec:
        record(rec, 0)
        w = open_window(qtbot, path)
        follower = w.follower
        w.start_run(blog_config(), blog())  # the run shown is no longer the recording
        qtbot.waitUntil(lambda: not follower.timer.isActive(), timeout=5000)
        assert w.status.state.text() != "recording…"
    w.close()

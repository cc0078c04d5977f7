"""Recorded and imported sessions in the window: Save as keeps what their recorder noted, a dead writer is noticed."""

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

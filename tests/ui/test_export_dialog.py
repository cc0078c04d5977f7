import os

import numpy as np
import pytest
from PIL import Image

from netviz.engine import History, Trainer, blog, blog_config
from netviz.ui.export_dialog import ExportDialog


@pytest.fixture(scope="module")
def history():
    config = blog_config()
    dataset = blog()
    run = History(config, dataset)
    Trainer(config, dataset).run(run, 400)
    return run


@pytest.fixture
def make_dialog(qtbot, history):
    dialogs = []

    def make(theme="light", epoch_range=None, inputs=(1.0, 1.0, 0.0)):
        dialog = ExportDialog(history, theme, np.array(inputs), epoch_range)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.close()  # cancels any export still running
        assert not dialog.exporting


def small(dialog, path, frames=6):
    dialog.path_edit.setText(str(path))
    dialog.width_box.setValue(240)
    dialog.height_box.setValue(150)
    dialog.frames_box.setValue(frames)


def leftovers(folder) -> list[str]:
    return [name for name in os.listdir(folder) if name.startswith(".netviz-")]


def test_defaults_follow_the_view(make_dialog):
    dialog = make_dialog("dark", (50, 120))
    assert (dialog.from_box.value(), dialog.to_box.value()) == (50, 120)
    assert dialog.theme_box.currentText() == "dark"
    assert dialog.schedule_box.currentText() == "change"
    assert dialog.caption_box.isChecked()
    assert dialog.frames_box.value() == 71  # 100 frames do not fit 71 epochs
    assert dialog.frames_box.maximum() == 71


def test_whole_run_without_a_selection_and_previews_of_first_and_last(make_dialog):
    dialog = make_dialog()
    assert (dialog.from_box.value(), dialog.to_box.value()) == (0, 400)
    assert dialog.frames_box.value() == 100
    assert not dialog.first_preview.pixmap().isNull() and not dialog.last_preview.pixmap().isNull()
    assert dialog.first_caption.text() == "epoch 0" and dialog.last_caption.text() == "epoch 400"


def test_range_limits_keep_from_before_to(make_dialog):
    dialog = make_dialog()
    dialog.to_box.setValue(10)
    dialog.from_box.setValue(30)
    assert dialog.from_box.value() == 10
    assert dialog.frames_box.maximum() == 1


def test_preview_follows_the_settings(qtbot, make_dialog):
    dialog = make_dialog()
    dialog.to_box.setValue(200)
    qtbot.waitUntil(lambda: dialog.last_caption.text() == "epoch 200", timeout=5_000)


def test_export_writes_the_gif_while_the_event_loop_keeps_turning(qtbot, make_dialog, tmp_path):
    dialog = make_dialog()
    small(dialog, tmp_path / "run.gif", frames=12)
    dialog.hold_box.setValue(1.0)
    turns = []
    dialog.progress.valueChanged.connect(turns.append)
    with qtbot.waitSignal(dialog.export_finished, timeout=20_000) as finished:
        dialog.export_button.click()
        assert dialog.exporting and not dialog.settings.isEnabled()
    assert finished.args == [str(tmp_path / "run.gif")]
    assert len(turns) > 10  # one step per event-loop turn, not one blocking call
    with Image.open(tmp_path / "run.gif") as gif:
        assert (gif.n_frames, gif.size) == (12, (240, 150))
        gif.seek(11)
        assert gif.info["duration"] == 1050
    assert leftovers(tmp_path) == []
    assert dialog.settings.isEnabled() and "Wrote" in dialog.status.text()


def test_cancel_leaves_no_file_and_keeps_an_existing_one(qtbot, make_dialog, tmp_path):
    path = tmp_path / "keep.gif"
    path.write_bytes(b"an earlier export")
    dialog = make_dialog()
    small(dialog, path, frames=60)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 3, timeout=10_000)
    with qtbot.waitSignal(dialog.export_cancelled, timeout=5_000):
        dialog.cancel_button.click()
    assert not dialog.exporting
    assert path.read_bytes() == b"an earlier export"
    assert leftovers(tmp_path) == []


def test_closing_the_dialog_cancels_the_export(qtbot, make_dialog, tmp_path):
    dialog = make_dialog()
    small(dialog, tmp_path / "a.webp", frames=40)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 2, timeout=10_000)
    with qtbot.waitSignal(dialog.export_cancelled, timeout=5_000):
        dialog.reject()
    assert os.listdir(tmp_path) == []


def test_a_bad_file_name_is_reported_not_raised(qtbot, make_dialog, tmp_path):
    dialog = make_dialog()
    small(dialog, tmp_path / "a.jpg")
    with qtbot.waitSignal(dialog.export_failed, timeout=5_000) as failed:
        dialog.export_button.click()
    assert "unknown file type" in failed.args[0]
    assert "unknown file type" in dialog.status.text()
    assert not dialog.exporting and os.listdir(tmp_path) == []


def test_mp4_without_the_video_extra_names_the_pip_command(qtbot, make_dialog, tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "imageio_ffmpeg", None)
    dialog = make_dialog()
    small(dialog, tmp_path / "a.mp4")
    with qtbot.waitSignal(dialog.export_failed, timeout=5_000) as failed:
        dialog.export_button.click()
    assert 'pip install "netviz[video]"' in failed.args[0]
    assert os.listdir(tmp_path) == []


def export_in_dialog(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000):
        dialog.start_export()


@pytest.mark.parametrize("think", [False, True])
def test_the_dialog_writes_the_same_bytes_as_netviz_export(qapp, qtbot, make_dialog, history, tmp_path, capsys, think):
    from netviz.cli import main
    from netviz.engine.session import save_session

    session = tmp_path / "run.netviz"
    save_session(session, history)
    options = ["--frames", "6", "--size", "240x150", "--theme", "dark", "--input", "1,0,0", "--loop", "2"]
    options += ["--think"] if think else ["--from", "20", "--to", "300", "--schedule", "linear", "--hold", "0.5"]
    assert main(["export", str(tmp_path / "cli.gif"), "--session", str(session), *options]) == 0
    capsys.readouterr()

    dialog = make_dialog("dark", None if think else (20, 300))
    small(dialog, tmp_path / "dialog.gif")
    dialog.input_edit.setText("1, 0, 0")
    dialog.loop_box.setValue(2)
    dialog.think_box.setChecked(think)
    if not think:
        dialog.schedule_box.setCurrentText("linear")
        dialog.hold_box.setValue(0.5)
    export_in_dialog(qtbot, dialog)
    assert (tmp_path / "dialog.gif").read_bytes() == (tmp_path / "cli.gif").read_bytes()


def test_the_dialog_holds_the_last_frame_two_seconds_by_default(qtbot, make_dialog, tmp_path):
    dialog = make_dialog()
    small(dialog, tmp_path / "held.gif", frames=3)
    export_in_dialog(qtbot, dialog)
    with Image.open(tmp_path / "held.gif") as gif:
        gif.seek(2)
        assert gif.info["duration"] == 50 + 2000


def test_a_bad_input_is_reported_in_the_dialog(qtbot, make_dialog, tmp_path):
    dialog = make_dialog()
    small(dialog, tmp_path / "x.gif")
    dialog.input_edit.setText("1, x")
    with qtbot.waitSignal(dialog.export_failed):
        dialog.start_export()
    assert "'1, x' is not a list of numbers" in dialog.status.text()
    assert os.listdir(tmp_path) == []


def test_the_dialog_offers_a_learning_step_with_the_same_bytes_as_export_learn(
    qapp, qtbot, make_dialog, history, tmp_path, capsys
):
    from netviz.cli import main
    from netviz.engine.session import save_session

    session = tmp_path / "run.netviz"
    save_session(session, history)
    options = ["--learn", "--epoch", "250", "--frames", "24", "--size", "240x150", "--theme", "dark"]
    assert main(["export", str(tmp_path / "cli.gif"), "--session", str(session), *options]) == 0
    capsys.readouterr()

    dialog = make_dialog("dark", (20, 250))
    dialog.learn_box.setChecked(True)
    assert not dialog.from_box.isEnabled() and not dialog.think_box.isEnabled()
    assert dialog.frames_box.value() == 60 and dialog.frames_box.minimum() == 20
    assert dialog.to_box.maximum() == 399  # the step from the last epoch has no next epoch in the run
    small(dialog, tmp_path / "dialog.gif", frames=24)
    assert dialog.options().learn and dialog.options().end == 250
    export_in_dialog(qtbot, dialog)
    assert (tmp_path / "dialog.gif").read_bytes() == (tmp_path / "cli.gif").read_bytes()
    dialog.learn_box.setChecked(False)
    assert dialog.from_box.isEnabled() and dialog.frames_box.minimum() == 1 and dialog.to_box.maximum() == 400


def test_a_recorded_run_offers_no_learning_step(qtbot, tmp_path):
    from netviz import Recorder
    from netviz.api import read_session

    rows = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    with Recorder(tmp_path / "rec.netviz", layers=[3, 1], inputs=rows, targets=rows[:, :1]) as rec:
        for epoch in range(30):
            rec.record([np.full((3, 1), epoch / 30)])
    dialog = ExportDialog(read_session(tmp_path / "rec.netviz")[0].history, "light", None, None)
    qtbot.addWidget(dialog)
    assert not dialog.learn_box.isEnabled()
    dialog.learn_box.setChecked(True)  # as a restored setting might
    small(dialog, tmp_path / "learn.gif", frames=24)
    with qtbot.waitSignal(dialog.export_failed):
        dialog.start_export()
    assert "a recorded run holds no training settings" in dialog.status.text()
    assert os.listdir(tmp_path) == ["rec.netviz"]

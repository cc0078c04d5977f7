"""The window's ways to the HTML page and SVG stills: the export dialog and Save picture."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PyQt6.QtWidgets import QFileDialog

from netviz.cli import main
from netviz.engine import History, Trainer, blog, blog_config
from netviz.engine.session import save_session
from netviz.ui.export_dialog import ExportDialog
from netviz.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def history():
    config, dataset = blog_config(), blog()
    run = History(config, dataset)
    Trainer(config, dataset).run(run, 300)
    return run


@pytest.mark.parametrize("name", ["page.html", "still.svg"])
def test_the_dialog_writes_the_same_bytes_as_netviz_export(qapp, qtbot, history, tmp_path, capsys, name):
    session = tmp_path / "run.netviz"
    save_session(session, history)
    cli, ours = tmp_path / f"cli-{name}", tmp_path / f"dialog-{name}"
    frames = ["--frames", "12"] if name.endswith(".html") else []  # a still has no frames
    options = [*frames, "--size", "400x300", "--theme", "dark", "--input", "1,0,0"]
    assert main(["export", str(cli), "--session", str(session), *options]) == 0
    capsys.readouterr()
    dialog = ExportDialog(history, "dark", np.array([1.0, 0.0, 0.0]), None)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(ours))
    dialog.width_box.setValue(400)
    dialog.height_box.setValue(300)
    dialog.frames_box.setValue(12)
    dialog.input_edit.setText("1, 0, 0")
    with qtbot.waitSignal(dialog.export_finished, timeout=20_000):
        dialog.start_export()
    assert ours.read_bytes() == cli.read_bytes()
    assert "Wrote" in dialog.status.text()
    dialog.close()


def test_think_is_refused_for_a_page_in_the_dialog(qtbot, history, tmp_path):
    dialog = ExportDialog(history, "light", np.array([1.0, 1.0, 0.0]), None)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "page.html"))
    dialog.think_box.setChecked(True)
    with qtbot.waitSignal(dialog.export_failed) as failed:
        dialog.start_export()
    assert "the page has a Think button" in failed.args[0]
    assert not (tmp_path / "page.html").exists()
    dialog.close()


def test_save_picture_writes_an_svg_when_asked_for_one(qtbot, tmp_path, monkeypatch):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.canvas.frame is not None)
    path = tmp_path / "shot.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(path), "SVG vector picture (*.svg)"))
    w.files.save_picture()
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == "0 0 1280 800"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"x1", "h1", "out"} <= texts
    w.close()

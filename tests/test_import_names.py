"""An imported run keeps the name of each epoch's checkpoint (step_400) in view: the command's output, the caption,
netviz.load, the page and the window; a copy saved from it keeps them too."""

import json

from PyQt6.QtGui import QImage

import netviz
from netviz.cli import main
from netviz.engine.session import load_session, save_session
from netviz.render.painter import paint_frame
from netviz.render.still import RunFrames
from tests.render.test_unknown_loss import TextSpy
from tests.test_importer import STEPS, torch_series

NAMES = [f"step_{s}" for s in sorted(STEPS)]


def imported(tmp_path) -> str:
    torch_series(tmp_path / "ckpt")
    path = str(tmp_path / "run.netviz")
    assert main(["import", str(tmp_path / "ckpt"), "--out", path, "--activation", "tanh"]) == 0
    return path


def test_the_import_names_its_first_and_last_checkpoint_and_load_gives_every_name(tmp_path, capsys):
    path = imported(tmp_path)
    assert "epoch 0 is step_1, epoch 3 is step_30" in capsys.readouterr().out
    assert netviz.load(path).checkpoints == NAMES
    save_session(tmp_path / "copy.netviz", load_session(path).history)
    assert netviz.load(tmp_path / "copy.netviz").checkpoints == NAMES
    assert netviz.load(tmp_path / "copy.netviz").epochs == 3


def test_a_trained_run_has_no_checkpoint_names(tmp_path):
    assert main(["train", "--epochs", "5", "--save", str(tmp_path / "t.netviz")]) == 0
    assert netviz.load(tmp_path / "t.netviz").checkpoints == []


def test_the_caption_writes_the_checkpoint_after_the_epoch(qapp, tmp_path):
    history = load_session(imported(tmp_path)).history
    image = QImage(800, 500, QImage.Format.Format_RGB32)
    painter = TextSpy(image)
    try:
        paint_frame(painter, 800, 500, RunFrames(history).frame(2))
    finally:
        painter.end()
    assert "epoch 2 (step_10)    loss 0.1000" in painter.texts


def test_the_page_names_each_frames_checkpoint(tmp_path):
    from netviz.export.html import page_data
    from netviz.export.options import ExportOptions

    history = load_session(imported(tmp_path)).history
    data = json.loads(json.dumps(page_data(history, ExportOptions("run.html").for_run(3, 3, None))))
    assert data["frameNames"] == NAMES


def test_lightning_checkpoints_are_named_with_the_way_to_convert_them(tmp_path, capsys):
    """Lightning writes checkpoints/epoch=49-step=200.ckpt, pickles netviz must not unpickle (they run code)."""
    folder = tmp_path / "checkpoints"
    folder.mkdir()
    (folder / "epoch=49-step=200.ckpt").write_bytes(b"PK\x03\x04 a torch pickle")
    assert main(["import", str(folder), "--out", str(tmp_path / "run.netviz")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "epoch=49-step=200.ckpt is a pickle" in err
    assert "safetensors.torch.save_file(model.state_dict()" in err
    assert main(["import", str(folder / "epoch=49-step=200.ckpt"), "--out", str(tmp_path / "run.netviz")]) == 2
    assert "is a PyTorch pickle" in capsys.readouterr().err
    assert not (tmp_path / "run.netviz").exists()

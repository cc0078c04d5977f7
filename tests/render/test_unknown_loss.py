"""A run whose loss is unknown (checkpoints that kept none) says "loss unknown", in the caption and the inset."""

import json

import numpy as np
from PyQt6.QtGui import QImage, QPainter

from netviz.numbers import loss_caption
from netviz.render.painter import paint_frame
from tests.render.test_painter import blog_frame


class TextSpy(QPainter):
    """A painter that keeps every text it is asked to draw."""

    def __init__(self, device):
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args):  # Qt's name
        self.texts.append(next(a for a in args if isinstance(a, str)))
        return super().drawText(*args)


def drawn_texts(frame) -> list[str]:
    image = QImage(900, 600, QImage.Format.Format_RGB32)
    painter = TextSpy(image)
    try:
        paint_frame(painter, 900, 600, frame)
    finally:
        painter.end()
    return painter.texts


def test_a_caption_says_loss_unknown_for_nan():
    assert loss_caption(float("nan")) == "loss unknown"
    assert loss_caption(0.25) == "loss 0.2500"


def test_the_caption_and_the_inset_say_the_loss_is_unknown(qapp):
    frame = blog_frame(epoch=20)
    frame.loss = np.full(21, np.nan)
    texts = drawn_texts(frame)
    assert "epoch 20    loss unknown" in texts
    assert "loss unknown" in texts  # the inset, where a curve would be
    assert not any("nan" in t or "—" in t for t in texts)
    frame.loss = np.linspace(1.0, 0.5, 21)
    assert "epoch 20    loss 0.5000" in drawn_texts(frame)


def test_the_page_writes_an_unknown_loss_as_null():
    from netviz.engine.data import Dataset
    from netviz.engine.network import Architecture
    from netviz.engine.session import RecordedHistory
    from netviz.export.html import page_data
    from netviz.export.options import ExportOptions

    arch = Architecture.of((2, 3, 1), "tanh", bias=True)
    thetas = np.random.default_rng(0).normal(size=(4, arch.n_params))
    empty = Dataset(np.empty((0, 2)), np.empty((0, 1)), "ck", [], [])
    history = RecordedHistory(arch, empty, thetas, np.array([np.nan, np.nan, 0.5, np.nan]))
    data = page_data(history, ExportOptions("ck.html").for_run(3, 2, None))
    text = json.dumps(data, allow_nan=False)  # JSON has no NaN: the page could not be written with one
    assert json.loads(text)["lossText"] == ["loss unknown", "loss unknown", "loss 0.5000", "loss unknown"]
    assert None in data["loss"]["values"] and 0.5 in data["loss"]["values"]


def test_a_few_checkpoints_export_as_a_gif_of_every_epoch(qapp, tmp_path, capsys):
    """Five checkpoints without a loss: the default frames (100) shrink to the five epochs."""
    from netviz.cli import main
    from netviz.engine.data import Dataset
    from netviz.engine.network import Architecture
    from netviz.engine.session import RecordedHistory, save_session

    arch = Architecture.of((2, 3, 1), "tanh", bias=True)
    thetas = np.random.default_rng(0).normal(size=(5, arch.n_params))
    empty = Dataset(np.empty((0, 2)), np.empty((0, 1)), "ck", [], [])
    save_session(tmp_path / "ck.netviz", RecordedHistory(arch, empty, thetas, np.full(5, np.nan)))
    for name in ("ck.gif", "ck.html"):
        assert main(["export", str(tmp_path / name), "--session", str(tmp_path / "ck.netviz")]) == 0, name
        assert (tmp_path / name).stat().st_size > 0
    assert "error" not in capsys.readouterr().err

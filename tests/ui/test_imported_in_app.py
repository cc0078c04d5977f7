"""An imported checkpoint without a loss opens, draws and thinks in the window."""

import numpy as np
from safetensors.numpy import save_file

from netviz.importer import import_checkpoints
from netviz.ui.main_window import MainWindow


def test_a_checkpoint_without_loss_opens_and_thinks(qtbot, tmp_path):
    rng = np.random.default_rng(1)
    save_file(
        {"fc1.weight": rng.normal(size=(4, 2)), "fc2.weight": rng.normal(size=(3, 4))}, str(tmp_path / "c.safetensors")
    )
    import_checkpoints([tmp_path / "c.safetensors"], tmp_path / "c.netviz", activations=["relu", "softmax"])
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.open_session(str(tmp_path / "c.netviz"))
    w.playback.set_think(True)
    qtbot.waitUntil(lambda: w.canvas.paint_count > 2, timeout=2000)
    qtbot.wait(300)
    assert w.history.latest_epoch == 0 and w.config.arch.layers == (2, 4, 3)
    assert w.status.loss.text() == "loss unknown"
    checkpoint = tmp_path / "c.safetensors"
    assert f"c.netviz: imported from {checkpoint}; the checkpoints hold no loss" in w.statusBar().currentMessage()
    w.close()

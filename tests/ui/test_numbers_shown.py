"""The loss at one epoch reads the same in the status bar and on the loss plot."""

from netviz.numbers import format_loss
from netviz.ui.main_window import MainWindow


def test_the_loss_reads_the_same_everywhere_at_one_epoch(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.transport.target_box.setValue(300)
    w.playback.set_speed("max")
    w.play()
    qtbot.waitUntil(lambda: w.history.latest_epoch >= 300 and not w.playing, timeout=20_000)
    for epoch in (0, 7, 123, 300):
        w.playback.show(epoch)
        qtbot.waitUntil(lambda e=epoch: w.canvas.last_painted_epoch == e)
        text = format_loss(w.history.loss[epoch])
        assert w.status.loss.text() == f"loss {text}"
        assert w.loss_plot.value_label.text() == text
    w.close()

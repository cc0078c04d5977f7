"""The status bar's permanent labels: what the run is doing, the epoch, its loss, and the speed."""

from PyQt6.QtWidgets import QLabel, QStatusBar

from netviz.numbers import loss_caption

# The widest text each label shows: the labels take that width once and keep it.
_WIDEST = ("recording stopped", "epoch 100,000,000 of 100,000,000", "loss 0.0000e-000", "10,000,000 epochs/s")


def _fixed_label(bar: QStatusBar, widest: str) -> QLabel:
    label = QLabel()
    label.setContentsMargins(10, 0, 10, 0)
    # A fixed size: a label whose text changes every frame then asks for no new layout of the
    # window (a layout asks every panel its size, in Python, against the trainer for the GIL).
    label.setFixedSize(label.fontMetrics().horizontalAdvance(widest) + 24, label.sizeHint().height())
    bar.addPermanentWidget(label)
    return label


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


class StatusLabels:
    """`state`, `epoch`, `loss` and `rate` labels, updated from the window's state each frame."""

    def __init__(self, bar: QStatusBar):
        self.state, self.epoch, self.loss, self.rate = (_fixed_label(bar, text) for text in _WIDEST)

    def update(self, window) -> None:
        p, history, run = window.playback, window.history, window.run
        e, latest = p.epoch, history.latest_epoch
        _set_text(self.epoch, f"epoch {e:,} of {latest:,}")
        loss = history.loss[e] if e <= latest else None
        _set_text(self.loss, "" if loss is None else loss_caption(loss))
        rate = window.clock.epochs_per_second
        _set_text(self.rate, f"{rate:,.0f} epochs/s" if p.playing and rate > 0 else "")
        # Hidden while still, so that a message ("End of the run...") has its room in a small window.
        if self.rate.isVisibleTo(self.rate.parentWidget()) != p.playing:
            self.rate.setVisible(p.playing)
        if window.worker is not None and window.worker.stopped_by_error:
            state = "stopped"
        elif p.playing:
            state = "training" if p.may_train() and e >= latest - 1 else "playing"
        elif not run.trainable:
            state = window.follower.state if window.recording else "recorded run"
        else:
            state = "done" if e >= latest >= p.target else "paused"
        _set_text(self.state, state)

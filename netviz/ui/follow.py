"""Follow a recording in the window: poll its file, show new epochs with Follow latest, say "recording…".

The window's clock already moves the playhead to the history's newest epoch each frame; this
controller only makes the history grow, by polling (a network file system sends no change
notifications), and stops when the writer closes the file or the window shows another run.
A writer that stopped without closing it (a crash) turns "recording…" into "recording stopped",
with the reason in the status bar; polling goes on, in case it was only slow.
"""

import os

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from netviz.live import LiveRecording

POLL_MS = 250  # new epochs show within a second, at the cost of a stat and a read four times a second


class Follower(QObject):
    """Keeps `window`'s run, a recording in progress, up to date until its writer closes it."""

    changed = pyqtSignal()  # new epochs were read, or the recording closed

    def __init__(self, window, live: LiveRecording):
        super().__init__(window)
        self.window, self.live = window, live
        self.stopped: str | None = None  # why the writer seems to have stopped (live.stopped_reason())
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._on_poll)
        self.timer.start()

    @property
    def recording(self) -> bool:
        return self.live.recording and self.timer.isActive()

    @property
    def state(self) -> str:
        """The status bar's word for the recording: "recording…", or "recording stopped" with a crashed writer."""
        return "recording stopped" if self.stopped else "recording…"

    def stop(self) -> None:
        self.timer.stop()

    def _on_poll(self) -> None:
        if self.window.history is not self.live.history:  # another run was opened or started
            self.stop()
            return
        if self.live.poll():
            latest = self.live.history.latest_epoch
            self.window.playback.set_latest(latest)
            self.window.playback.set_target(latest)  # "Train to" shows how far the recording reached
            self.changed.emit()
        if not self.live.recording:
            self.stop()
            self.window.statusBar().showMessage(f"The recording {self.live.path} is complete.", 6000)
            self.changed.emit()
        self._update_stopped()

    def _update_stopped(self) -> None:
        reason = self.live.stopped_reason()
        if reason == self.stopped:
            return
        self.stopped = reason
        bar, name = self.window.statusBar(), os.path.basename(self.live.path)
        if reason:  # short: the status bar's permanent labels leave it about half the window
            bar.showMessage(f"{name}: {reason}")
        elif self.live.recording:
            bar.showMessage(f"{name}: recording again", 6000)
        self.changed.emit()

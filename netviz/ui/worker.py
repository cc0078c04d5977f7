"""The training thread: a thin QThread around Trainer.run that chases a goal epoch.

The worker writes every epoch into the History and sends no per-epoch signal; the
window pulls the latest epoch on its own timer (docs/ARCHITECTURE.md, "Threads and turns"). Every control here is a
plain thread-safe call from the GUI thread: it moves the goal under a condition and,
to stop at once, sets the trainer's interrupt flag, which the loop checks every epoch.

Painting holds the GIL, and a GUI thread that has to win the GIL back from a busy
trainer after every Qt call loses milliseconds each time. So the window takes turns:
`gui_turn()` stops training after the epoch in progress and holds it off until the
window's frame is painted, then training resumes at full speed.

A run's scheduled changes (RunSpec.changes, `--change`) are made here as the trainer reaches
their epochs, exactly as netviz.engine.segments.train makes them, so a run trained in the app
is the one `netviz train` makes, bit for bit.
"""

import threading
import traceback
from contextlib import contextmanager

from PyQt6.QtCore import QThread, pyqtSignal

from netviz.engine import segments
from netviz.engine.changes import Change, merged
from netviz.engine.history import History
from netviz.engine.runspec import RunSpec
from netviz.engine.training import Diverged, Trainer

CHUNK_EPOCHS = 2_000  # the goal is re-read at least this often


class TrainingWorker(QThread):
    diverged = pyqtSignal(str)  # message naming the first non-finite epoch
    failed = pyqtSignal(str)  # traceback text of an unexpected error

    def __init__(self, trainer: Trainer, history: History, spec: RunSpec | None = None, parent=None):
        super().__init__(parent)
        self.trainer, self.history = trainer, history
        self.spec = spec
        self._changes = pending_changes(spec, history, trainer.epoch)  # made in epoch order, first due first
        self._cond = threading.Condition()
        self._goal = trainer.epoch  # train while trainer.epoch < goal
        self._quit = False
        self.stopped_by_error = False
        self._baton = threading.Lock()  # held by whoever runs: the trainer, or the GUI during its turn
        self._gui_wants = False
        self._gui_idle = threading.Event()
        self._gui_idle.set()

    @property
    def goal(self) -> int:
        return self._goal

    def set_goal(self, epoch: int) -> None:
        """Train up to `epoch` (no-op below the current epoch), starting now."""
        with self._cond:
            self._goal = epoch
            self._cond.notify_all()

    def add_to_goal(self, epochs: int, limit: int) -> None:
        """Let training run `epochs` further than it has got, but not past `limit` (paced play)."""
        with self._cond:
            self._goal = min(limit, max(self._goal, self.trainer.epoch) + epochs)
            self._cond.notify_all()

    def hold(self) -> None:
        """Stop after the epoch in progress."""
        with self._cond:
            self._goal = 0
            self.trainer.interrupt = True

    def stop(self) -> None:
        """End the thread; the caller then wait()s."""
        with self._cond:
            self._quit = True
            self._goal = 0
            self.trainer.interrupt = True
            self._cond.notify_all()
        self._gui_idle.set()

    @contextmanager
    def gui_turn(self):
        """Training pauses (after the epoch in progress) for the duration of the block."""
        self._gui_idle.clear()
        self._gui_wants = True
        self.trainer.interrupt = True  # after _gui_wants: see the ordering note in run()
        self._baton.acquire()
        try:
            yield
        finally:
            self._gui_wants = False
            self._baton.release()
            self._gui_idle.set()

    def run(self) -> None:
        trainer = self.trainer
        while True:
            self._gui_idle.wait()
            with self._cond:
                while not self._quit and trainer.epoch >= self._goal:
                    self._cond.wait()
                if self._quit:
                    return
                until = min(self._goal, trainer.epoch + CHUNK_EPOCHS)
                if self._changes:
                    until = min(until, self._changes[0].epoch)
                trainer.interrupt = False
            # gui_turn() sets _gui_wants before the interrupt flag: either we see it here, or
            # its interrupt comes after our reset above and ends the run below at once.
            if self._gui_wants:
                continue
            try:
                with self._baton:
                    trainer.run(self.history, until)
                    if self._changes and trainer.epoch == self._changes[0].epoch:
                        trainer = self._make_change(self._changes.pop(0))
            except Diverged as exc:
                self._halt()
                self.diverged.emit(str(exc))
            except Exception:
                self._halt()
                self.failed.emit(traceback.format_exc())

    def _make_change(self, change: Change) -> Trainer:
        """Start the change's segment at its epoch, record that epoch under it, and train on with its Trainer."""
        segments.change_settings(self.history, change.epoch, dict(change.settings), self.spec)
        trainer = segments.resume(self.history)
        trainer.run(self.history, change.epoch)  # the history ends where it did, not an epoch before
        with self._cond:
            self.trainer = trainer
        return trainer

    def _halt(self) -> None:
        with self._cond:
            self._goal = 0
            self.stopped_by_error = True


def pending_changes(spec: RunSpec | None, history: History, epoch: int) -> list[Change]:
    """The spec's changes still to make for a trainer at `epoch`: from it on, where no segment starts yet."""
    starts = {segment.start for segment in history.segments}
    changes = () if spec is None else spec.changes
    return [c for c in merged(changes) if c.epoch >= epoch and c.epoch not in starts]

"""The training thread: a thin QThread around Trainer.run that chases a goal epoch.

The worker writes every epoch into the History and sends no per-epoch signal; the
window pulls the latest epoch on its own timer (docs/ARCHITECTURE.md, "Threads and turns"). Every control here is a
plain thread-safe call from the GUI thread: it moves the goal under a condition and,
to stop at once, sets the trainer's interrupt flag, which the loop checks every epoch.

Painting holds the GIL, and a GUI thread that has to win the GIL back from a busy
trainer after every Qt call loses milliseconds each time. So the window takes turns:
`gui_turn()` stops training after the epoch in progress and holds it off until the
window's frame is painted, then training resumes at full speed.
"""

import threading
import traceback
from contextlib import contextmanager

from PyQt6.QtCore import QThread, pyqtSignal

from netviz.engine.history import History
from netviz.engine.training import Diverged, Trainer

CHUNK_EPOCHS = 2_000  # the goal is re-read at least this often


class TrainingWorker(QThread):
    diverged = pyqtSignal(str)  # message naming the first non-finite epoch
    failed = pyqtSignal(str)  # traceback text of an unexpected error

    def __init__(self, trainer: Trainer, history: History, parent=None):
        super().__init__(parent)
        self.trainer, self.history = trainer, history
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
                trainer.interrupt = False
            # gui_turn() sets _gui_wants before the interrupt flag: either we see it here, or
            # its interrupt comes after our reset above and ends the run below at once.
            if self._gui_wants:
                continue
            try:
                with self._baton:
                    trainer.run(self.history, until)
            except Diverged as exc:
                self._halt()
                self.diverged.emit(str(exc))
            except Exception:
                self._halt()
                self.failed.emit(traceback.format_exc())

    def _halt(self) -> None:
        with self._cond:
            self._goal = 0
            self.stopped_by_error = True

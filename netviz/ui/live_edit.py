"""Edits of the run shown, made live: each starts a segment at the shown epoch and training goes on from it.

Every edit in the app (a setting in the Training panel, a weight dragged, a point painted) goes
through LiveEdits.apply with a function that makes the segment (netviz.engine.segments). The
trainer thread is stopped first: a segment may only start while nothing extends the history.
An edit before the newest epoch drops the later epochs, so the user is asked first; Edit > Undo
puts the run back as it was (the dropped epochs are retrained, bit for bit) until the next save.
"""

from collections.abc import Callable

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtWidgets import QMessageBox

from netviz.engine import segments
from netviz.engine.history import History, Segment
from netviz.engine.runspec import MAX_EPOCHS

MakeSegment = Callable[[History, int], Segment]


def apply_edit(window, make_segment: MakeSegment, what: str) -> Segment | None:
    """Edit the window's run at its shown epoch with make_segment(history, epoch); the new segment, or None."""
    return window.live_edits.apply(make_segment, what)


def ask_to_continue(window, epoch: int, latest: int) -> bool:
    """Whether the user agrees to continue the run from `epoch`, dropping the epochs after it up to `latest`."""
    buttons = QMessageBox.StandardButton
    later = f"epoch {latest:,}" if latest == epoch + 1 else f"epochs {epoch + 1:,} to {latest:,}"
    answer = QMessageBox.question(
        window, "Continue from here?",
        f"Continue from epoch {epoch:,}? The later {later} are dropped.\n\n"
        "Edit > Undo brings them back until the run is saved.",
        buttons.Yes | buttons.Cancel, buttons.Yes,
    )  # fmt: skip
    return answer == buttons.Yes


def merge_edits(before: Segment, after: Segment) -> None:
    """An edit at the epoch of the edit before replaces it: say what both changed (a setting, then another)."""
    kind = after.edit.get("kind")
    if before.start != after.start or before.edit.get("kind") != kind or kind not in ("settings", "weights"):
        return
    if kind == "settings":
        changes = {key: list(pair) for key, pair in before.edit["changes"].items()}
        for key, (old, new) in after.edit["changes"].items():
            changes[key] = [changes[key][0] if key in changes else old, new]
        after.edit["changes"] = changes
    else:
        values = {position: [old, new] for position, old, new in before.edit["set"]}
        for position, old, new in after.edit["set"]:
            values[position] = [values[position][0] if position in values else old, new]
        after.edit["set"] = [[position, old, new] for position, (old, new) in values.items()]


class LiveEdits(QObject):
    """The window's edits of its run and the undo stack; `changed` says when undo becomes (un)available."""

    changed = pyqtSignal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._undo: list[tuple[segments.UndoPoint, str]] = []

    @property
    def undo_text(self) -> str:
        """What Edit > Undo would undo, or "" when nothing can be undone."""
        return self._undo[-1][1] if self._undo else ""

    def forget(self) -> None:
        """Nothing to undo: a new run, a session opened or saved."""
        if self._undo:
            self._undo.clear()
            self.changed.emit()

    def apply(self, make_segment: MakeSegment, what: str) -> Segment | None:
        """Make the segment at the shown epoch and train on from it; None when refused or cancelled."""
        w = self.window
        if not w.run.trainable:
            w.statusBar().showMessage(
                "A recorded run cannot be edited: it trains nowhere but where it was recorded.", 5000
            )
            return None
        p, history = w.playback, w.history
        was_playing, following = p.playing, p.follow
        w.stop_training()
        p.set_latest(history.latest_epoch)  # the epochs trained since the last frame
        if following:  # live at the newest epoch: the edit is there, not a frame behind
            p.show(history.latest_epoch)
        epoch = w.shown_epoch
        if epoch < history.latest_epoch and not ask_to_continue(w, epoch, history.latest_epoch):
            self._go_on(segments.resume(history), epoch, was_playing)
            return None
        point, before = segments.undo_point(history), history.segments[-1]
        try:
            segment = make_segment(history, epoch)
        except ValueError as exc:  # checked before the history is touched: it is as it was
            self._go_on(segments.resume(history), epoch, was_playing)
            w.statusBar().showMessage(f"Not changed: {exc}", 6000)
            return None
        except Exception:
            self._go_on(segments.resume(history), max(0, min(epoch, history.latest_epoch)), False)  # then reported
            raise
        self._undo.append((point, what))
        merge_edits(before, segment)
        trainer = segments.resume(history)
        trainer.run(history, epoch)  # the edited network is the shown epoch at once
        self._go_on(trainer, epoch, was_playing)
        w.files.mark_edited()
        w.statusBar().showMessage(f"Epoch {epoch:,}: {segments.describe(segment.edit)}{self._train_on(epoch)}", 6000)
        self.changed.emit()
        return segment

    def _train_on(self, epoch: int) -> str:
        """After an edit at the target epoch, raise the target by as many epochs again, so that Play trains the
        edited network rather than replaying the run from 0; what to say about it ("" if not raised)."""
        p = self.window.playback
        if epoch < p.target or p.target >= MAX_EPOCHS:
            return ""
        p.set_target(min(epoch + p.target, MAX_EPOCHS))
        return f"; 'Train to' raised to {p.target:,}: Play trains on"

    def _go_on(self, trainer, epoch: int, playing: bool) -> None:
        """Train on with `trainer`, showing `epoch`, playing again if it played."""
        self.window.resume_training(trainer, epoch)
        if playing:
            self.window.playback.play()

    def undo(self) -> bool:
        """Put the run back as it was before the last edit, showing the epoch that was shown then."""
        if not self._undo:
            return False
        w = self.window
        point, what = self._undo.pop()
        w.playback.pause()
        shown = w.shown_epoch
        w.stop_training()
        trainer = segments.undo(w.history, point)
        w.resume_training(trainer, min(shown, w.history.latest_epoch))
        w.files.mark_edited()
        w.statusBar().showMessage(f"Undone: {what}", 4000)
        self.changed.emit()
        return True

"""netviz.load(path): any session (trained, recorded, imported, or a recording still being written) as plain arrays.

    run = netviz.load("run.netviz")
    run.epochs                # the last epoch
    run.weights(run.epochs)   # [(n_in, n_out) per weight layer]
    run.loss                  # (epochs + 1,)

A recording in progress reads as the epochs written so far: always a whole prefix of the run,
never a torn epoch, even while the Recorder folds its journal into the final file.
"""

import os

import numpy as np

from netviz.engine.data import Dataset
from netviz.engine.session import (
    Session,
    SessionError,
    journal_writer,
    load_session,
    read_notes,
    unfinished_journal,
    writer_ended,
)

# A reader can find the file replaced between reading its manifest and its journal (the
# Recorder closing, or a new recording starting): it then reads the new file. Each retry
# means the file changed again, so a few are enough.
_RETRIES = 20


class LoadedRun:
    """A run read from a .netviz file: architecture, loss of every epoch, weights and biases of any epoch."""

    def __init__(self, path: str, session: Session, recording: bool):
        self.path = path
        self.session = session  # the full session: history, view settings, spec
        self.recording = recording  # True while a Recorder is still writing it (or may be: see load)
        history = session.history
        arch = history.config.arch
        self.epochs = history.latest_epoch  # epochs are 0..epochs
        self.layers = arch.layers  # neurons per layer, inputs first
        self.activations = arch.activations  # one name per weight layer
        self.bias = arch.bias  # False: biases(epoch) are zeros
        self.kind = "recorded" if session.recorded else "trained"
        self.loss = np.array(history.loss[: self.epochs + 1])  # (epochs + 1,) the loss of every epoch
        self.dataset: Dataset | None = session.dataset if len(session.dataset) else None
        self.notes = read_notes(path)  # what its recorder or importer left out, one line each
        self.checkpoints = list(getattr(history, "checkpoints", ()))  # an import's file of each epoch, else []

    def __repr__(self) -> str:
        layers = "-".join(map(str, self.layers))
        state = ", recording" if self.recording else ""
        return f"LoadedRun({self.path!r}, {self.kind} {layers}, epochs 0..{self.epochs:,}{state})"

    def _views(self, epoch: int):
        if not -self.epochs - 1 <= epoch <= self.epochs:
            raise IndexError(f"epoch {epoch} is not in the run (0..{self.epochs})")
        theta = self.session.history.weights_at(epoch % (self.epochs + 1))
        return self.session.history.config.arch.views(theta)

    def weights(self, epoch: int) -> list[np.ndarray]:
        """The weights of `epoch` (negative counts from the end): one (n_in, n_out) array per weight layer."""
        return [w.copy() for w in self._views(epoch)[0]]

    def biases(self, epoch: int) -> list[np.ndarray]:
        """The biases of `epoch`: one (n_out,) array per weight layer (zeros for a run without biases)."""
        ws, bs = self._views(epoch)
        return [np.zeros(w.shape[1]) if b is None else b.copy() for w, b in zip(ws, bs)]


def _identity(path: str):
    """What tells one file at path from its replacement: inode, size and modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def read_session(path) -> tuple[Session, bool]:
    """(session, still recording) at path: a consistent prefix of the run even while it is written."""
    path = os.fspath(path)
    for _ in range(_RETRIES):
        before = _identity(path)
        try:
            session = load_session(path)
            recording = unfinished_journal(path) is not None
        except SessionError:
            if before is None or _identity(path) == before:
                raise
            continue  # replaced while read: read the new file
        if _identity(path) == before:  # what was read, and whether it is recording, are of one file
            return session, recording
    return load_session(path), unfinished_journal(path) is not None


def load(path) -> LoadedRun:
    """Read any .netviz session; a SessionError (one line naming the file) if it cannot be read.

    A recording whose writer ran on this machine and ended without closing it is not recording; one
    written elsewhere cannot be told from a slow one, so it is taken to record still.
    """
    session, recording = read_session(path)
    recording = recording and not writer_ended(journal_writer(path))
    return LoadedRun(os.fspath(path), session, recording)

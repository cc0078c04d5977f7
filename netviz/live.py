"""Following a recording while it is written: new epochs read from its journal by polling.

Polling (not change notifications, which network and shared file systems do not deliver)
reads only the bytes appended since the last poll, whole records only, so every state the
follower shows is a prefix of the run. When the Recorder closes, its journal is folded into
the session file: the follower reads the epochs it had not seen from there, and stops.

A writer that crashed never closes its recording. The follower says so: at once when the
writer ran on this machine and its process is gone. A writer on another machine cannot be
asked, so there it is a guess from time: no new epoch for STALL_SECONDS, or for STALL_GAPS times
the longest wait between epochs seen so far (a cluster job may record an epoch every few minutes).
"""

import os
import time

import numpy as np

from netviz.api import read_session
from netviz.engine.session import (
    JOURNAL_HEADER,
    RecordedHistory,
    Session,
    SessionError,
    journal_writer,
    unfinished_journal,
    writer_ended,
    writer_is_here,
)

STALL_SECONDS = 30  # no new epoch for this long: the recording is said to have stopped (until one comes)
STALL_GAPS = 3  # ...or for this many times the longest wait between two epochs so far


class LiveHistory(RecordedHistory):
    """A recorded history that grows: epochs are appended as the follower reads them."""

    def __init__(self, history: RecordedHistory):
        super().__init__(history.config.arch, history.dataset, history.keyframes(), history.loss)
        n = len(history)
        self._all_thetas = np.empty((max(64, 2 * n), history.config.arch.n_params))  # room to grow into
        self._all_loss = np.empty(len(self._all_thetas))
        self._all_thetas[:n], self._all_loss[:n] = history.keyframes(), history.loss
        self._show(n)

    def _show(self, n: int) -> None:
        """Readers see epochs 0..n-1, read-only views of the buffers."""
        self._thetas, self._loss = self._all_thetas[:n], self._all_loss[:n]
        self._thetas.flags.writeable = self._loss.flags.writeable = False

    def append(self, thetas: np.ndarray, loss: np.ndarray) -> None:
        """Add epochs: thetas (k, n_params) and their loss (k,)."""
        n, k = len(self._loss), len(loss)
        if n + k > len(self._all_loss):
            grown = max(2 * len(self._all_loss), n + k)
            self._all_thetas = np.concatenate([self._all_thetas[:n], np.empty((grown - n, self._all_thetas.shape[1]))])
            self._all_loss = np.concatenate([self._all_loss[:n], np.empty(grown - n)])
        self._all_thetas[n : n + k], self._all_loss[n : n + k] = thetas, loss
        self._show(n + k)


class LiveRecording:
    """The session at `path`, read while its Recorder was writing it, kept up to date with poll()."""

    def __init__(self, path, session: Session, clock=time.monotonic):
        self.path = os.fspath(path)
        self.writer = journal_writer(self.path)  # (host, pid) of the recorder, if its file names them
        self._clock = clock
        self._grown_at = clock()  # when the last new epoch was read
        self._longest_gap = 0.0  # the longest wait between two reads that found new epochs, in seconds
        self.session = session
        self.history = LiveHistory(session.history)
        session.history = self.history
        self.journal = unfinished_journal(self.path)  # None if the writer closed since the session was read
        self.recording = True  # until a poll finds the writer closed (and takes the epochs it wrote last)
        self._width = 8 * (1 + self.history.config.arch.n_params)  # bytes of one record: loss, then theta
        self._offset = JOURNAL_HEADER + len(self.history) * self._width  # journal bytes read so far
        self._header = self._journal_header()  # a new recording at the same path has another token

    def __repr__(self) -> str:
        state = "recording" if self.recording else "closed"
        return f"LiveRecording({self.path!r}, {len(self.history)} epochs, {state})"

    def poll(self) -> bool:
        """Read what was written since the last poll; True if there are new epochs (or it closed)."""
        if not self.recording:
            return False
        journal = unfinished_journal(self.path)
        if journal is not None and journal == self.journal and self._journal_header() == self._header:
            grew = self._read_journal()
            if grew:
                now = self._clock()
                self._longest_gap = max(self._longest_gap, now - self._grown_at)
                self._grown_at = now
            return grew
        return self._read_final()

    def stopped_reason(self) -> str | None:
        """Why the writer seems to have stopped without closing the recording, or None while it goes on."""
        if not self.recording:
            return None
        if writer_is_here(self.writer):
            if writer_ended(self.writer):
                return f"its writer (process {self.writer[1]}) ended without closing it"
            return None  # it runs: only slowly
        wait = max(STALL_SECONDS, STALL_GAPS * self._longest_gap)
        if self._clock() - self._grown_at >= wait:
            return f"no new epochs for {wait:.0f} s"
        return None

    def _journal_header(self) -> bytes | None:
        try:
            with open(self.journal, "rb") as f:
                return f.read(JOURNAL_HEADER)
        except (OSError, TypeError):
            return None

    def _read_journal(self) -> bool:
        try:
            with open(self.journal, "rb") as f:
                f.seek(self._offset)
                n = max(0, os.fstat(f.fileno()).st_size - self._offset) // self._width
                data = np.fromfile(f, dtype="<f8", count=n * self._width // 8)
        except OSError:  # folded in and removed since: the next poll reads the final file
            return False
        width = self._width // 8
        records = data[: len(data) // width * width].reshape(-1, width)  # whole records, even if cut back meanwhile
        if not len(records):
            return False
        self._offset += len(records) * self._width
        self.history.append(records[:, 1:], records[:, 0])
        return True

    def _read_final(self) -> bool:
        """The writer closed, or another recording replaced the file: take the epochs not yet seen."""
        self.recording = False
        try:
            final, _ = read_session(self.path)
        except SessionError:
            return True  # the file went away: what was read stays
        n, seen = len(self.history), self.history
        if (
            final.recorded
            and final.config.arch == seen.config.arch
            and len(final.history) > n
            and np.array_equal(final.history.keyframes()[:n], seen.keyframes())  # the same recording, not a new one
        ):
            self.history.append(final.history.keyframes()[n:], np.asarray(final.history.loss)[n:])
        return True

"""The window's clock: every frame it moves the playhead, sets the trainer's goal and draws.

The trainer writes epochs into the history without signals; this timer pulls the newest at
screen rate and draws one frame, in which every view shows the same epoch. Python holds the
GIL while it records a frame, so each tick runs as the window's *turn* (`worker.gui_turn()`):
the trainer stops after its epoch in progress and waits, instead of both threads fighting
for the GIL. See docs/ARCHITECTURE.md, "Threads and turns".
"""

import sys
import time
from collections import deque
from collections.abc import Callable

import numpy as np
from PyQt6.QtCore import QObject, Qt, QTimer

from netviz.player.model import SPEEDS, Playback
from netviz.ui.worker import TrainingWorker

FRAME_MS = 17  # about 59 Hz, never faster than a 60 Hz screen
# At full training speed every frame's recording is time the trainer waits for (the GIL):
# ~55 Hz there keeps the drawing fluid (>= 50 frames a second) and gives training ~1% more.
FULL_SPEED_FRAME_MS = 18
GIL_SWITCH_S = 0.001  # the trainer gives the GIL back within a millisecond when the window's turn comes
GUI_SHARE = 0.2  # at full training speed, dearer frames take at most this share of the time
CHEAP_TURN_S = 0.006  # frames cheaper than this are drawn at screen rate whatever the share
MAX_FRAME_MS = 250
RATE_WINDOW_S = 1.0  # the epochs/s shown are measured over this much time


class PlaybackClock(QObject):
    """Drives `playback` from a QTimer and calls `draw()` in each turn. An epoch chosen by the
    user between ticks (a drag, a key) is drawn at once, not at the next tick."""

    def __init__(self, playback: Playback, draw: Callable[[], None], parent=None):
        super().__init__(parent)
        self.playback, self._draw = playback, draw
        self.history = None
        self.worker: TrainingWorker | None = None
        self._wanted: int | None = None  # an epoch stepped to that is still being trained
        self._last_tick = time.perf_counter()
        self._turn_ema = 0.0  # seconds a turn takes, smoothed
        self._rate_samples: deque[tuple[float, int]] = deque()
        self.epochs_per_second = 0.0
        self.ticks = 0
        self._in_turn = False
        self._frame_requested = False
        # The trainer thread holds the GIL between epochs; a short switch interval lets the
        # GUI thread take it back within a millisecond when its frame is due (default 5 ms).
        sys.setswitchinterval(GIL_SWITCH_S)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)
        playback.events.playing.connect(self._on_playing)
        playback.events.epoch.connect(self._on_epoch)

    def attach(self, history, worker: TrainingWorker | None) -> None:
        """Drive this history (and its trainer, if the run trains)."""
        self.history, self.worker = history, worker
        self._wanted = None
        self._rate_samples.clear()
        self.epochs_per_second = 0.0

    def start(self) -> None:
        self._last_tick = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def want(self, epoch: int) -> None:
        """Show `epoch` as soon as it is trained (a step past the newest epoch)."""
        if self.worker is None or epoch <= self.history.latest_epoch:
            return
        self._wanted = epoch
        self.worker.set_goal(epoch)

    def _on_epoch(self, _epoch: int) -> None:
        if not self._in_turn and not self._frame_requested and self.timer.isActive():
            self._frame_requested = True
            QTimer.singleShot(0, self.tick)

    def _on_playing(self, playing: bool) -> None:
        self._wanted = None
        if not playing and self.worker is not None:
            self.worker.hold()
        self._rate_samples.clear()
        self.epochs_per_second = 0.0

    # ------------------------------------------------------------------ ticks
    def tick(self) -> None:
        """One frame: pull the newest epoch, move the playhead, set the trainer's goal, draw."""
        self.ticks += 1
        self._frame_requested = False
        now = time.perf_counter()
        seconds, self._last_tick = now - self._last_tick, now
        if self.history is None:
            return
        if self.worker is None:
            self._turn(seconds)
            return
        with self.worker.gui_turn():
            self._turn(seconds)
        self._pace(time.perf_counter() - now)

    def _turn(self, seconds: float) -> None:
        self._in_turn = True
        try:
            self._move_and_draw(seconds)
        finally:
            self._in_turn = False

    def _move_and_draw(self, seconds: float) -> None:
        p = self.playback
        latest = self.history.latest_epoch
        self._measure_rate(latest)
        p.set_latest(latest)
        if self._wanted is not None and (latest >= self._wanted or self.worker is None or self.worker.stopped_by_error):
            p.show(min(self._wanted, latest))
            self._wanted = None
        p.advance(seconds)
        if p.playing and self.worker is not None and not self.worker.stopped_by_error:
            goal = p.training_goal()
            if goal > self.worker.goal or goal > latest:
                self.worker.set_goal(goal)
        self._draw()

    def _measure_rate(self, latest: int) -> None:
        now = time.perf_counter()
        samples = self._rate_samples
        if not samples or samples[-1][1] != latest:
            samples.append((now, latest))
        while len(samples) > 2 and now - samples[0][0] > RATE_WINDOW_S:
            samples.popleft()
        (t0, e0), (t1, e1) = samples[0], samples[-1]
        self.epochs_per_second = (e1 - e0) / (t1 - t0) if t1 > t0 and self.playback.playing else 0.0

    def _pace(self, turn_seconds: float) -> None:
        """Smooth first, then fair: a frame that costs under CHEAP_TURN_S is drawn at screen rate
        (a little under it at full training speed); a dearer one (a 50,000-synapse frame costs
        ~25 ms) is drawn less often, so that at full training speed the window's turns take at
        most GUI_SHARE of the time."""
        self._turn_ema = 0.8 * self._turn_ema + 0.2 * turn_seconds
        interval = FRAME_MS
        p = self.playback
        if p.playing and p.may_train() and SPEEDS[p.speed] == float("inf"):
            interval = FULL_SPEED_FRAME_MS
            if self._turn_ema > CHEAP_TURN_S:
                interval = int(np.clip(self._turn_ema / GUI_SHARE * 1000, FULL_SPEED_FRAME_MS, MAX_FRAME_MS))
        if interval != self.timer.interval():
            self.timer.setInterval(interval)

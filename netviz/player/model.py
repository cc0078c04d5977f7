"""The playhead: which epoch every view shows, and how it moves. Qt-free.

Playback is a model, not a side effect of training. `Playback` holds the shown epoch, whether
it plays, at what speed, whether it follows the newest epoch, the chosen input row and Think;
views read it and subscribe to its events, and never set each other. Training is a producer:
it extends the history (`set_latest`), and asks the model how far to train (`training_goal`).
See docs/ARCHITECTURE.md, "The playback model".
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

# Speeds in epochs per second, by the name sessions store. "smooth" grows with the epoch shown,
# so early learning is seen epoch by epoch and a long run still plays in seconds; "max" plays as
# fast as training goes (live), or replays the whole run in MAX_REPLAY_SECONDS.
SPEEDS: dict[str, float | None] = {
    "smooth": None,
    "1": 1.0,
    "10": 10.0,
    "100": 100.0,
    "1000": 1_000.0,
    "10000": 10_000.0,
    "max": math.inf,
}
SPEED_LABELS = {
    "smooth": "Smooth (faster as it learns)",
    "1": "1 epoch/s",
    "10": "10 epochs/s",
    "100": "100 epochs/s",
    "1000": "1,000 epochs/s",
    "10000": "10,000 epochs/s",
    "max": "As fast as possible",
}
DEFAULT_SPEED = "smooth"
# Smooth: the epoch shown grows by a factor of e**SMOOTH_GROWTH (about 3.3) a second, after a
# first second at SMOOTH_MIN epochs/s: the blog's 60,000 epochs play in about 7 seconds.
SMOOTH_GROWTH = 1.2
SMOOTH_MIN = 60.0
MAX_REPLAY_SECONDS = 2.0
MAX_STEP_SECONDS = 0.25  # a late frame (a busy machine, a dialog) moves at most this much time on


class Event:
    """A list of callbacks, called in order with the new value."""

    def __init__(self):
        self._callbacks: list[Callable] = []

    def connect(self, callback: Callable) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args) -> None:
        for callback in list(self._callbacks):
            callback(*args)


class PlaybackEvents:
    """One event per field of Playback; each passes the field's new value."""

    def __init__(self):
        self.epoch = Event()  # int: the epoch shown
        self.latest = Event()  # int: the newest epoch in the history
        self.playing = Event()  # bool
        self.speed = Event()  # str: a key of SPEEDS
        self.follow = Event()  # bool: the shown epoch stays on the newest
        self.target = Event()  # int: training stops at this epoch
        self.input_row = Event()  # int: -1 the new situation, else a training row
        self.think = Event()  # bool
        self.finished = Event()  # str: why playing stopped by itself ("end", "target")


@dataclass
class _State:
    epoch: int = 0
    latest: int = 0
    playing: bool = False
    speed: str = DEFAULT_SPEED
    follow: bool = False
    target: int = 0
    input_row: int = -1
    think: bool = False


class Playback:
    """The state every view shows, with one event per field.

    `can_train` says whether epochs past `latest` can be made (a run the app trains) or not (a
    recording). Epochs are whole; while playing, `position` keeps the fraction between frames.
    """

    def __init__(self, latest: int = 0, target: int = 0, can_train: bool = False):
        self.events = PlaybackEvents()
        self._s = _State(latest=max(0, latest), target=max(target, latest))
        self.can_train = can_train
        self.position = 0.0  # the playhead while playing, in epochs (float)

    def __repr__(self) -> str:
        s = self._s
        return (
            f"Playback(epoch={s.epoch}, latest={s.latest}, target={s.target}, playing={s.playing}, "
            f"speed={s.speed!r}, follow={s.follow})"
        )

    # Read-only views of the state; every change goes through a method below.
    epoch = property(lambda self: self._s.epoch)
    latest = property(lambda self: self._s.latest)
    playing = property(lambda self: self._s.playing)
    speed = property(lambda self: self._s.speed)
    follow = property(lambda self: self._s.follow)
    target = property(lambda self: self._s.target)
    input_row = property(lambda self: self._s.input_row)
    think = property(lambda self: self._s.think)

    def _set(self, name: str, value) -> bool:
        if getattr(self._s, name) == value:
            return False
        setattr(self._s, name, value)
        getattr(self.events, name).emit(value)
        return True

    # ------------------------------------------------------------------ the run
    def reset(self, latest: int, target: int, can_train: bool, epoch: int = 0) -> None:
        """A new run: nothing plays, the playhead at `epoch`."""
        self.pause()
        self.can_train = can_train
        self._set("latest", max(0, latest))
        self._set("target", max(1, target, latest))
        self._set("follow", False)
        self.show(epoch)

    def set_latest(self, latest: int) -> None:
        """The history grew (or was cut) to `latest`; a follower moves with it."""
        if not self._set("latest", max(0, latest)):
            return
        paced = self._s.playing and not math.isinf(SPEEDS[self._s.speed] or 0.0)
        if (self._s.follow and not paced) or self._s.epoch > latest:
            self._show(latest)

    def set_target(self, target: int) -> None:
        self._set("target", max(1, int(target)))

    # --------------------------------------------------------------- navigation
    def show(self, epoch: int) -> None:
        """Show this epoch (clamped to the history); the user chose it, so following stops."""
        self._set("follow", False)
        self._show(epoch)

    def _show(self, epoch: int, position: float | None = None) -> None:
        epoch = max(0, min(int(epoch), self._s.latest))
        self.position = float(epoch) if position is None else position
        self._set("epoch", epoch)

    def go_start(self) -> None:
        self.show(0)

    def go_end(self) -> None:
        """Show the newest epoch and stay on it as training goes on."""
        self._set("follow", True)
        self._show(self._s.latest)

    def set_follow(self, on: bool) -> None:
        if on:
            self.go_end()
        else:
            self._set("follow", False)

    def step(self, n: int) -> int:
        """Move n epochs (pausing); returns the epoch wanted, which may be past `latest` (to train)."""
        self.pause()
        wanted = max(0, self._s.epoch + n)
        if not self.can_train:
            wanted = min(wanted, self._s.latest)
        wanted = min(wanted, max(self._s.target, self._s.latest))
        self.show(wanted)
        return wanted

    # ----------------------------------------------------------------- playing
    def at_end(self) -> bool:
        """Nothing more to play: the newest epoch is shown and training may not go further."""
        return self._s.epoch >= self._s.latest and not self.may_train()

    def may_train(self) -> bool:
        return self.can_train and self._s.latest < self._s.target

    def play(self) -> None:
        """Play from the shown epoch; at the end of a finished run, from the start, as a video does."""
        if self._s.playing:
            return
        if self.at_end():
            self._show(0)
        self.position = float(self._s.epoch)
        if self._s.epoch >= self._s.latest:
            self._set("follow", True)  # at the newest epoch: play on as training goes
        self._set("playing", True)

    def pause(self) -> None:
        self._set("playing", False)
        if self._s.follow:  # a paced playhead trails the trainer a little: still, it shows the newest
            self._show(self._s.latest)

    def toggle(self) -> None:
        self.pause() if self._s.playing else self.play()

    def set_speed(self, name: str) -> None:
        if name not in SPEEDS:
            raise ValueError(f"unknown speed {name!r}; use one of {', '.join(SPEEDS)}")
        self._set("speed", name)

    def rate(self) -> float:
        """Epochs per second at the playhead's position."""
        fixed = SPEEDS[self._s.speed]
        if fixed is None:
            return max(SMOOTH_MIN, SMOOTH_GROWTH * self.position)
        if math.isinf(fixed) and not self._is_live():
            return max(1.0, self._s.latest / MAX_REPLAY_SECONDS)
        return fixed

    def _is_live(self) -> bool:
        """Following the newest epoch of a run that trains on: the trainer sets the pace."""
        return self.may_train() and self._s.follow

    def training_goal(self) -> int:
        """How far the trainer should have trained for the next frames (never past the target)."""
        if not (self._s.playing and self.may_train()):
            return self._s.latest
        if math.isinf(SPEEDS[self._s.speed] or 0.0) and self._is_live():
            return self._s.target
        ahead = self.position + self.rate() * MAX_STEP_SECONDS
        return min(self._s.target, math.ceil(ahead))

    def advance(self, seconds: float) -> None:
        """Move the playhead on by `seconds` of play (the clock calls this every frame)."""
        if not self._s.playing:
            return
        seconds = min(max(0.0, seconds), MAX_STEP_SECONDS)
        fast_live = math.isinf(SPEEDS[self._s.speed] or 0.0) and self._is_live()
        position = math.inf if fast_live else self.position + self.rate() * seconds
        latest = self._s.latest
        if position >= latest:
            self._show(latest)
            self._set("follow", True)  # caught up: the newest epoch stays shown as training goes on
            if not self.may_train():
                self.pause()
                self.events.finished.emit("target" if self.can_train else "end")
            return
        self._show(int(position + 1e-9), position)

    # ----------------------------------------------------------- what is shown
    def set_input_row(self, row: int) -> None:
        self._set("input_row", int(row))

    def set_think(self, on: bool) -> None:
        self._set("think", bool(on))

    def state(self) -> dict:
        """The settings a session keeps (by name, never by a menu's index)."""
        s = self._s
        return {"epoch": s.epoch, "speed": s.speed, "follow": s.follow, "target": s.target, "input_row": s.input_row}

"""What the timeline spans and how: one state shared by the slider and the loss plot's x axis. Qt-free."""

from netviz.player.axis import AXIS_KINDS, EpochAxis, default_kind
from netviz.player.model import Event, Playback


class TimelineEvents:
    def __init__(self):
        self.axis = Event()  # EpochAxis: the axis changed (its kind, zoom or extent)


class Timeline:
    """The epoch axis of every view of the timeline, so that they all show the same range and scale.

    The full axis runs from epoch 0 to `end`: the newest epoch, or the target of a run that trains
    on, so that the axis holds still while training fills it. `kind` is the user's choice, else log
    for runs over 1,000 epochs. `zoom` is the (lo, hi) epochs shown, or None for the full axis.
    """

    def __init__(self, playback: Playback):
        self.events = TimelineEvents()
        self._playback = playback
        self._chosen_kind: str | None = None
        self._zoom: tuple[int, int] | None = None
        self._axis = self._make_axis()
        playback.events.latest.connect(self._on_extent)
        playback.events.target.connect(self._on_extent)

    def __repr__(self) -> str:
        return f"Timeline(kind={self.kind!r}, zoom={self._zoom}, end={self.end})"

    @property
    def end(self) -> int:
        """The last epoch of the full axis."""
        p = self._playback
        return max(p.latest, p.target) if p.can_train else p.latest

    @property
    def kind(self) -> str:
        return self._chosen_kind or default_kind(self.end)

    @property
    def zoom(self) -> tuple[int, int] | None:
        return self._zoom

    def axis(self) -> EpochAxis:
        """The axis every view maps epochs with."""
        return self._axis

    def reset(self) -> None:
        """A new run: the default kind for its length, and no zoom."""
        self._chosen_kind = None
        self._zoom = None
        self._update()

    def set_kind(self, kind: str) -> None:
        """Log or linear, for the rest of the run."""
        if kind not in AXIS_KINDS:
            raise ValueError(f"unknown axis {kind!r}; use {' or '.join(AXIS_KINDS)}")
        self._chosen_kind = kind
        self._update()

    def zoom_to(self, lo: int, hi: int) -> None:
        """Show epochs lo..hi (either order, clamped to the full axis, at least one epoch wide)."""
        self._zoom = self._clamped(*sorted((int(lo), int(hi))))
        self._update()

    def reset_zoom(self) -> None:
        self._zoom = None
        self._update()

    def _clamped(self, lo: int, hi: int) -> tuple[int, int] | None:
        """A zoom range inside 0..end, or None when it is the whole axis (or nothing is left of it)."""
        end = max(1, self.end)
        lo = max(0, lo)
        if lo >= end:
            return None
        hi = min(max(hi, lo + 1), end)
        return None if (lo, hi) == (0, end) else (lo, hi)

    def _make_axis(self) -> EpochAxis:
        lo, hi = self._zoom or (0, max(1, self.end))
        return EpochAxis(lo, hi, self.kind)

    def _on_extent(self, _value: int) -> None:
        if self._zoom is not None:
            self._zoom = self._clamped(*self._zoom)
        self._update()

    def _update(self) -> None:
        axis = self._make_axis()
        if axis != self._axis:
            self._axis = axis
            self.events.axis.emit(axis)

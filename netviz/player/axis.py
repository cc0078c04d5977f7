"""The timeline's epoch axis, shared by the slider and the loss plot: log or linear, zoomable. Qt-free."""

import math
from dataclasses import dataclass

import numpy as np

AXIS_KINDS = ("log", "linear")
LOG_FROM_EPOCHS = 1_000  # runs longer than this default to a log axis: learning is fastest early
LOG_SERIES = ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9))  # round epochs on a log axis, coarsest first
LOG_MIN_TICKS = 4


def default_kind(latest: int) -> str:
    return "log" if latest > LOG_FROM_EPOCHS else "linear"


@dataclass(frozen=True)
class EpochAxis:
    """Maps epochs lo..hi to 0..1; `log` spaces them by log(1 + epoch), so epoch 0 sits at the left edge."""

    lo: int = 0
    hi: int = 1
    kind: str = "linear"

    def __post_init__(self):
        if self.kind not in AXIS_KINDS:
            raise ValueError(f"unknown axis {self.kind!r}; use {' or '.join(AXIS_KINDS)}")
        if not 0 <= self.lo < self.hi:
            raise ValueError(f"the axis range {self.lo}..{self.hi} is empty")

    def _f(self, epoch):
        return np.log1p(epoch) if self.kind == "log" else np.asarray(epoch, dtype=np.float64)

    def to_unit(self, epoch):
        """Where epoch (a number or an array) sits, 0 at lo and 1 at hi (not clamped)."""
        if isinstance(epoch, int | float):  # every frame, for one epoch: plain math is ~10x cheaper
            f = math.log1p if self.kind == "log" else float
            return (f(epoch) - f(self.lo)) / (f(self.hi) - f(self.lo))
        f_lo, f_hi = self._f(self.lo), self._f(self.hi)
        return (self._f(np.asarray(epoch, dtype=np.float64)) - f_lo) / (f_hi - f_lo)

    def from_unit(self, u: float) -> int:
        """The whole epoch nearest to position u, clamped to lo..hi."""
        u = min(max(float(u), 0.0), 1.0)
        f_lo, f_hi = float(self._f(self.lo)), float(self._f(self.hi))
        f = f_lo + u * (f_hi - f_lo)
        epoch = math.expm1(f) if self.kind == "log" else f
        return int(min(max(round(epoch), self.lo), self.hi))

    def bin_edges(self, n: int) -> np.ndarray:
        """The first epoch of each of n equal slices of the axis, then hi + 1: (n + 1,) int64, non-decreasing.

        Epoch e is in slice b when edges[b] <= e < edges[b + 1]; on a log axis the early slices are
        narrower than an epoch, so many are empty.
        """
        f_lo, f_hi = float(self._f(self.lo)), float(self._f(self.hi))
        f = f_lo + np.arange(n + 1) / n * (f_hi - f_lo)
        first = np.expm1(f) if self.kind == "log" else f
        edges = np.clip(np.ceil(first - 1e-9), self.lo, self.hi + 1).astype(np.int64)
        edges[0], edges[-1] = self.lo, self.hi + 1
        return edges

    def zoomed(self, lo: int, hi: int) -> "EpochAxis":
        lo, hi = sorted((int(lo), int(hi)))
        return EpochAxis(max(0, lo), max(hi, lo + 1), self.kind)

    def ticks(self, max_ticks: int = 8) -> list[int]:
        """Round epochs to label: 1-2-5 steps (linear); on a log axis 0, 1, 10, 100..., or for a
        short range the finer 1-2-5 or 1-9 series, or steps as on a linear axis."""
        if self.kind == "log":
            return self._log_ticks(max_ticks)
        return self._linear_ticks(max_ticks)

    def _linear_ticks(self, max_ticks: int) -> list[int]:
        span = self.hi - self.lo
        raw = span / max(1, max_ticks - 1)
        exp = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
        step = next(s * exp for s in (1, 2, 5, 10) if s * exp >= raw)
        step = max(1, int(step))
        first = math.ceil(self.lo / step) * step
        return list(range(first, self.hi + 1, step))

    def _log_ticks(self, max_ticks: int) -> list[int]:
        """The coarsest round series with at least LOG_MIN_TICKS ticks in range, if not too many."""
        best: list[int] = []
        for mantissas in LOG_SERIES:
            ticks = [0] if self.lo == 0 else []
            power = 1
            while power <= self.hi:
                ticks += [m * power for m in mantissas if self.lo <= m * power <= self.hi]
                power *= 10
            if len(ticks) > max_ticks:
                # Too many even for decades: every other (or third...) one.
                return best or ticks[:: math.ceil(len(ticks) / max_ticks)]
            best = ticks
            if len(ticks) >= LOG_MIN_TICKS:
                return ticks
        return best if len(best) >= 2 else self._linear_ticks(max_ticks)


def epoch_text(epoch: float) -> str:
    """An epoch in a few characters: 500, 2.5k, 1.5M."""
    v = float(epoch)
    if abs(v) >= 1e6:
        return f"{v / 1e6:g}M"
    if abs(v) >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"

"""The loss curve as data: min/max binning over the epoch axis, and round loss ticks. Qt-free."""

import math

import numpy as np

from netviz.player.axis import EpochAxis

MIN_FILL = 0.4  # the loss fills at least this share of the y axis when round ticks allow it
SCIENTIFIC_BELOW = 1e-3  # ticks under this (or 10,000 and over) are all written as powers of ten


class PeakDownsampler:
    """Min/max loss in each of `n_bins` equal slices of an epoch axis, updated incrementally.

    An epoch alone in its slice (the early epochs on a log axis) is one point at its own place; a
    slice of several epochs is its max then its min at their middle epoch, so the curve is at most
    2 * n_bins points whatever the run's length. An update costs the epochs appended since the last
    one; a new axis (kind, zoom, extent) starts again.
    """

    def __init__(self, n_bins: int):
        self.n_bins = max(1, n_bins)
        self.axis: EpochAxis | None = None
        self.edges = np.zeros(self.n_bins + 1, dtype=np.int64)  # (n_bins + 1,) first epoch of each slice
        self.clear()

    def clear(self) -> None:
        self.mins = np.full(self.n_bins, np.nan)  # (n_bins,) min loss of each slice, NaN ignored
        self.maxs = np.full(self.n_bins, np.nan)  # (n_bins,) max loss of each slice
        self.counts = np.zeros(self.n_bins, dtype=np.int64)  # (n_bins,) epochs seen in each slice
        self.n = 0  # epochs seen
        self._last = np.nan  # loss[n - 1] when seen: a different value means a different run

    def is_same_run(self, loss: np.ndarray) -> bool:
        """Whether loss extends (or equals) what was seen; an earlier value that changed means a new run."""
        if len(loss) < self.n:
            return False
        if self.n == 0:
            return True
        last = loss[self.n - 1]
        return bool(last == self._last or (np.isnan(last) and np.isnan(self._last)))

    def update(self, loss: np.ndarray, axis: EpochAxis) -> bool:
        """Take in the loss array so far (n_epochs,) on this axis; False (and no work) when nothing changed."""
        if axis != self.axis:
            self.axis, self.edges = axis, axis.bin_edges(self.n_bins)
            self.clear()
        elif not self.is_same_run(loss):
            self.clear()
        n = len(loss)
        if n == self.n and n > 0:
            return False
        # From the slice that holds the last epoch seen (it may have filled up) to the one holding n - 1.
        start, stop = max(axis.lo, self.n - 1, 0), min(n, axis.hi + 1)
        if stop > start:
            first, last = np.searchsorted(self.edges, [start, stop - 1], side="right") - 1
            bins = np.arange(first, last + 1)
            begins = self.edges[first : last + 1]
            counts = np.minimum(self.edges[first + 1 : last + 2], stop) - begins
            full = counts > 0
            segment = loss[begins[0] : stop]
            at = begins[full] - begins[0]
            self.mins[bins[full]] = np.fmin.reduceat(segment, at)
            self.maxs[bins[full]] = np.fmax.reduceat(segment, at)
            self.counts[bins] = counts
        self.n = n
        self._last = loss[n - 1] if n else np.nan
        return True

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) to draw, x in the axis' units (0..1)."""
        seen = np.flatnonzero(self.counts)
        if self.axis is None or len(seen) == 0:
            return np.empty(0), np.empty(0)
        counts = self.counts[seen]
        middle = self.edges[seen] + (counts - 1) / 2
        pairs = counts > 1
        x = np.repeat(self.axis.to_unit(middle), np.where(pairs, 2, 1))
        y = np.column_stack([self.maxs[seen], self.mins[seen]])[np.column_stack([np.ones_like(pairs), pairs])]
        return x, y


# ------------------------------------------------------------------------- loss ticks (no Qt)

# Round losses on a log axis, coarsest first: decades, then 1-2-5, then every digit.
_LOG_SERIES = ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9))
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _round_values(mantissas: tuple[int, ...], lo: float, hi: float) -> list[float]:
    """m * 10**k for each mantissa, from a decade under lo to a decade over hi (exact decimals)."""
    k0, k1 = math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1
    return [float(f"{m}e{k}") for k in range(k0, k1 + 1) for m in mantissas]


def _enclosing(values: list[float], lo: float, hi: float) -> list[float]:
    """The values from the last one <= lo to the first one >= hi (at least two)."""
    below = max(v for v in values if v <= lo * (1 + 1e-12))
    above = min(v for v in values if v >= hi * (1 - 1e-12) and v > below)
    return [v for v in values if below <= v <= above]


def _linear_steps(lo: float, hi: float, n: int = 4) -> list[float]:
    """Multiples of a 1-2-5 step from the last <= lo to the first >= hi, about n steps."""
    raw = (hi - lo) / n if hi > lo else abs(hi) / n or 1.0
    step = min(float(f"{m}e{k}") for k in (math.floor(math.log10(raw)),) for m in (1, 2, 5, 10) if m * 10.0**k >= raw)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    last = max(last, first + 1)
    decimals = max(0, -math.floor(math.log10(step)) + 1)
    return [round(i * step, decimals) for i in range(first, last + 1)]


def loss_ticks(lo: float, hi: float, log: bool, max_ticks: int = 0) -> list[float]:
    """Round losses to label for data in lo..hi: at least two, the first and last bounding the data.

    Log: the coarsest round series whose range the data fills to MIN_FILL, else steps of 1-2-5;
    more decades than max_ticks (if given: what the plot's height has room for) are labelled
    every second, third... decade. Linear: from 0 in 1-2-5 steps.
    """
    if not log:
        return _linear_steps(0.0, max(hi, 0.0))
    for mantissas in _LOG_SERIES:
        ticks = _enclosing(_round_values(mantissas, lo, hi), lo, hi)
        if math.log(hi / lo) >= MIN_FILL * math.log(ticks[-1] / ticks[0]):
            return _every_few_decades(ticks, max_ticks) if mantissas == (1,) else ticks
    ticks = [t for t in _linear_steps(lo, hi) if t > 0]
    return ticks if len(ticks) >= 2 else _enclosing(_round_values(_LOG_SERIES[-1], lo, hi), lo, hi)


def _every_few_decades(decades: list[float], max_ticks: int) -> list[float]:
    """At most max_ticks (at least two) of these consecutive decades, evenly spaced, still bounding them."""
    if max_ticks < 2 or len(decades) <= max_ticks:
        return decades
    step = math.ceil((len(decades) - 1) / (max_ticks - 1))
    first = round(math.log10(decades[0]))
    count = math.ceil((len(decades) - 1) / step) + 1  # the last one at or above the top decade
    return [float(f"1e{first + i * step}") for i in range(count)]


def _power_of_ten(v: float) -> str:
    """2·10⁻⁵, or 10⁻⁵ for a power of ten."""
    if v == 0:
        return "0"
    k = math.floor(math.log10(abs(v)) + 1e-9)
    m = round(v / 10.0**k, 6)
    power = "10" + str(k).translate(_SUPERSCRIPT)
    return power if m == 1 else f"{m:g}·{power}"


def tick_labels(ticks: list[float]) -> list[str]:
    """Labels in one number format for all: plain decimals (0.25, 0.001), or all powers of ten."""
    nonzero = [abs(t) for t in ticks if t]
    if nonzero and (min(nonzero) < SCIENTIFIC_BELOW or max(nonzero) >= 1e4):
        return [_power_of_ten(t) for t in ticks]
    return [f"{t:.6f}".rstrip("0").rstrip(".") for t in ticks]

"""The loss curve on the timeline's epoch axis (pyqtgraph): a cursor at the shown epoch, click to
show an epoch, drag to zoom the timeline, double-click to see the whole run."""

import math
import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPalette
from PyQt6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from netviz.player.axis import EpochAxis, epoch_text
from netviz.player.model import Playback
from netviz.player.run import Run
from netviz.player.timeline import Timeline
from netviz.scene.style import THEMES, Theme
from netviz.ui.theming import check_box_style

MIN_BINS = 256  # the curve keeps at least this many min/max slices, even while the widget is tiny
BIN_STEP = 128
MIN_FILL = 0.4  # the loss fills at least this share of the y axis when round ticks allow it
Y_PADDING = 0.1  # of the loss range, above and below: the end ticks' labels fit inside the plot
PX_PER_EPOCH_LABEL = 70  # room an epoch label needs on the x axis
CURVE_SECONDS = 0.25  # while playing, the curve takes in new epochs this often (the cursor moves every frame)
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


def loss_ticks(lo: float, hi: float, log: bool) -> list[float]:
    """Round losses to label for data in lo..hi: at least two, the first and last bounding the data.

    Log: the coarsest round series whose range the data fills to MIN_FILL, else steps of 1-2-5.
    Linear: from 0 in 1-2-5 steps.
    """
    if not log:
        return _linear_steps(0.0, max(hi, 0.0))
    for mantissas in _LOG_SERIES:
        ticks = _enclosing(_round_values(mantissas, lo, hi), lo, hi)
        if math.log(hi / lo) >= MIN_FILL * math.log(ticks[-1] / ticks[0]):
            return ticks
    ticks = [t for t in _linear_steps(lo, hi) if t > 0]
    return ticks if len(ticks) >= 2 else _enclosing(_round_values(_LOG_SERIES[-1], lo, hi), lo, hi)


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


# ------------------------------------------------------------------------------ the widget


class TimelineViewBox(pg.ViewBox):
    """A view that reports clicks and drags in its x units and draws the rubber band; it never pans."""

    clicked = pyqtSignal(float)  # x of a left click, in axis units
    dragged = pyqtSignal(float, float)  # x where a left drag started and ended, in axis units
    double_clicked = pyqtSignal()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.band = pg.LinearRegionItem(movable=False)  # the rubber band: epochs, over the plot's height
        self.band.setZValue(1e9)
        self.band.hide()
        self.addItem(self.band, ignoreBounds=True)

    def mouseClickEvent(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        if ev.double():
            self.double_clicked.emit()
        else:
            self.clicked.emit(self.mapToView(ev.pos()).x())

    def mouseDragEvent(self, ev, axis=None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        x0, x1 = self.mapToView(ev.buttonDownPos()).x(), self.mapToView(ev.pos()).x()
        if ev.isFinish():
            self.band.hide()
            self.dragged.emit(x0, x1)
        else:
            self.band.setRegion(sorted((x0, x1)))
            self.band.show()


class LossPlot(QWidget):
    """A Panel: the loss (mean squared error) of every epoch on the timeline's axis, with a cursor
    at the shown epoch and a log/linear loss axis. Click: show that epoch; drag: zoom the timeline
    (the slider too) to those epochs; double-click: the whole run again."""

    def __init__(self, playback: Playback, timeline: Timeline, parent=None):
        super().__init__(parent)
        self._playback, self._timeline = playback, timeline
        self._run: Run | None = None
        self._downsampler = PeakDownsampler(MIN_BINS)
        self._y_ticks: list[float] = []
        self._x_ticks_for: tuple[EpochAxis, int] | None = None  # the axis and width the x ticks were made for
        self._shown = -1  # the epoch the cursor marks

        view = TimelineViewBox(enableMenu=False)
        view.setMouseEnabled(x=False, y=False)
        view.clicked.connect(self._on_clicked)
        view.dragged.connect(self._on_dragged)
        view.double_clicked.connect(timeline.reset_zoom)
        self.plot_widget = pg.PlotWidget(self, viewBox=view)
        self.plot_widget.setMinimumHeight(90)
        item = self.plot_widget.getPlotItem()
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.15)
        view.setDefaultPadding(0.02)
        # x is the timeline's units (0..1) and y the loss or its log10, both in ranges set here
        # from round ticks: a change of range redraws both axes, the costliest part of a repaint.
        view.enableAutoRange(x=False, y=False)
        item.setXRange(0.0, 1.0, padding=0.01)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.enableAutoSIPrefix(False)
            # An axis replays its picture (ticks, grid, labels) on every repaint: ~4 ms each.
            # Cached as pixels, with the curve, moving the cursor repaints little else.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.curve = item.plot(np.empty(0), np.empty(0))
        self.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.cursor = pg.InfiniteLine(pos=0, angle=90, movable=False)
        self.cursor.setVisible(False)
        item.addItem(self.cursor, ignoreBounds=True)
        view.sigResized.connect(self._on_view_resized)

        # The y axis is named in a header row rather than along the axis: a vertical label this long
        # does not fit a plot this short.
        self.title = QLabel("loss (mean squared error)", self)
        self.log_box = QCheckBox("log", self)
        self.log_box.setToolTip("Logarithmic loss axis")
        self.log_box.setChecked(True)
        self.log_box.toggled.connect(self._on_log_toggled)
        header = QHBoxLayout()
        header.setContentsMargins(8, 2, 8, 0)
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.log_box)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.plot_widget, 1)
        self.setAutoFillBackground(True)

        self._curve_at = 0.0  # when the curve last took in new epochs (perf_counter seconds)
        playback.events.epoch.connect(self.show_epoch)
        playback.events.latest.connect(self._on_latest)
        playback.events.playing.connect(self._on_latest)
        timeline.events.axis.connect(self._on_axis)
        self.set_theme(THEMES["light"])
        self._update_x_ticks()

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(160)
        return hint

    # ---------------------------------------------------------------- the Panel
    def set_run(self, run: Run) -> None:
        """Draw this run's loss, up to the playback's newest epoch."""
        self._run = run
        self._downsampler.clear()
        self._update_curve()
        self._shown = -1
        self.show_epoch(self._playback.epoch)

    def show_epoch(self, epoch: int) -> None:
        """Move the cursor to this epoch; cheap at screen rate (the rest is cached as pixels)."""
        if epoch == self._shown or self._run is None:
            return
        self._shown = epoch
        self.cursor.setValue(float(self._timeline.axis().to_unit(epoch)))
        self.cursor.setVisible(True)
        # Painted now, with the frame that shows this epoch: the window calls this in its turn, while
        # the trainer waits, rather than Qt later against the trainer for the GIL (pyqtgraph paints in Python).
        self.plot_widget.viewport().repaint()

    def set_theme(self, theme: Theme) -> None:
        """Colours from the theme: the curve in its text colour, the cursor in its signal colour."""
        self._theme = theme
        self.plot_widget.setBackground(theme.background)
        item = self.plot_widget.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(theme.muted))
            axis.setTextPen(pg.mkPen(theme.text))
        item.setLabel("bottom", "epoch", color=theme.muted)
        self.curve.setPen(pg.mkPen(theme.text, width=1))
        self.cursor.setPen(pg.mkPen(theme.signal, width=2))
        band = item.getViewBox().band
        fill = QColor(theme.signal)
        fill.setAlpha(60)
        band.setBrush(pg.mkBrush(fill))
        for line in band.lines:
            line.setPen(pg.mkPen(theme.signal, width=1))
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.muted))
        self.setPalette(palette)
        self.log_box.setStyleSheet(check_box_style(theme))

    # ---------------------------------------------------------------- the loss axis
    def set_log(self, log: bool) -> None:
        """Logarithmic (True) or linear loss axis."""
        self.log_box.setChecked(log)

    def is_log(self) -> bool:
        return self.log_box.isChecked()

    def y_tick_labels(self) -> list[str]:
        """The labels on the loss axis, bottom to top."""
        return tick_labels(self._y_ticks)

    # ---------------------------------------------------------------- handlers
    def _loss(self) -> np.ndarray:
        """The loss of the epochs the playback knows (the history may already hold a few more)."""
        return self._run.history.loss[: self._playback.latest + 1]

    def _update_curve(self) -> None:
        if self._run is None:
            return
        if not self._downsampler.update(self._loss(), self._timeline.axis()):
            return
        x, y = self._downsampler.curve()
        finite = np.isfinite(y) & ((y > 0) if self.is_log() else True)
        # A diverged run (or a loss of 0 on a log axis) shows a gap, not an infinite axis.
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.where(finite, np.log10(np.where(finite, y, 1.0)) if self.is_log() else y, np.nan)
        self.curve.setData(x, shown, connect="finite")
        self._update_y_axis(y[finite])

    def _update_y_axis(self, y: np.ndarray) -> None:
        """Round ticks around the loss shown (at least two, labelled alike), and the range they span."""
        if len(y) == 0:
            return
        ticks = loss_ticks(float(y.min()), float(y.max()), self.is_log())
        if ticks == self._y_ticks:
            return
        self._y_ticks = ticks
        at = np.log10(ticks) if self.is_log() else np.array(ticks)
        item = self.plot_widget.getPlotItem()
        item.getAxis("left").setTicks([list(zip(at.tolist(), tick_labels(ticks)))])
        # Room for half a label above the top tick and below the bottom one, or pyqtgraph leaves them out.
        item.setYRange(float(at[0]), float(at[-1]), padding=Y_PADDING)

    def _update_x_ticks(self) -> None:
        axis = self._timeline.axis()
        width = int(self.plot_widget.getPlotItem().getViewBox().width())
        if (axis, width) == self._x_ticks_for:
            return
        self._x_ticks_for = (axis, width)
        epochs = axis.ticks(max(2, width // PX_PER_EPOCH_LABEL))
        units = axis.to_unit(np.array(epochs, dtype=np.float64)).tolist()
        self.plot_widget.getPlotItem().getAxis("bottom").setTicks(
            [[(u, epoch_text(e)) for u, e in zip(units, epochs)], self._minor_x_ticks(axis)]
        )

    @staticmethod
    def _minor_x_ticks(axis: EpochAxis) -> list[tuple[float, str]]:
        """Unlabelled grid lines at 2..9 times each power of ten on a log axis."""
        if axis.kind != "log":
            return []
        epochs = [m * 10**k for k in range(int(math.log10(max(axis.hi, 1))) + 1) for m in range(2, 10)]
        epochs = [e for e in epochs if axis.lo <= e <= axis.hi]
        return [(float(u), "") for u in axis.to_unit(np.array(epochs, dtype=np.float64))]

    def _on_latest(self, _value) -> None:
        """New epochs: at once when still, at most every CURVE_SECONDS while playing (a curve
        redrawn from its new points costs a few milliseconds)."""
        now = time.perf_counter()
        if self._playback.playing and now - self._curve_at < CURVE_SECONDS:
            return
        self._curve_at = now
        self._update_curve()

    def _on_axis(self, _axis: EpochAxis) -> None:
        self._update_x_ticks()
        self._update_curve()
        shown, self._shown = self._shown, -1
        if shown >= 0:
            self.show_epoch(shown)

    def _on_log_toggled(self, _log: bool) -> None:
        self._y_ticks = []
        self._downsampler.clear()
        self._update_curve()

    def _on_view_resized(self) -> None:
        # Whole steps of BIN_STEP, so that dragging the window's edge does not rebin on every pixel.
        width = self.plot_widget.getPlotItem().getViewBox().width()
        bins = max(MIN_BINS, BIN_STEP * math.ceil(width / BIN_STEP))
        if bins != self._downsampler.n_bins:
            self._downsampler = PeakDownsampler(bins)
            self._update_curve()
        self._update_x_ticks()

    def _on_clicked(self, x: float) -> None:
        if self._run is None:
            return
        self._playback.show(self._timeline.axis().from_unit(x))

    def _on_dragged(self, x0: float, x1: float) -> None:
        axis = self._timeline.axis()
        self._timeline.zoom_to(axis.from_unit(x0), axis.from_unit(x1))

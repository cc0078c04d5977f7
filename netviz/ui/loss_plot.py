"""The loss curve: loss per epoch (pyqtgraph), a cursor at the shown epoch, click to jump there."""

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPalette
from PyQt6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from netviz.scene.style import THEMES, Theme, nice_ceiling

MIN_BINS = 256  # the curve keeps at least this many min/max bins, even while the widget is tiny
BIN_STEP = 128
MIN_X_RANGE = 10  # epochs the x axis spans at least, so a short run has no fractional ticks


class PeakDownsampler:
    """Min/max per block of `block` epochs over an append-only loss array, updated incrementally.

    The block is a power of two that doubles (merging pairs of blocks) whenever there would be
    more than `max_bins` full blocks, so a curve of any length is at most 2 * (max_bins + 1)
    points, and each update costs only the epochs appended since the last one.
    """

    def __init__(self, max_bins: int):
        self.max_bins = max(1, max_bins)
        self.clear()

    def clear(self) -> None:
        self.block = 1
        self.mins = np.empty(0)  # (n_blocks,) min loss of each full block, NaN ignored
        self.maxs = np.empty(0)  # (n_blocks,) max loss of each full block
        self.n = 0  # epochs seen
        self._tail = np.empty(0)  # the epochs after the last full block
        self._last = np.nan  # loss[n - 1] when seen: a different value means a different run

    def is_same_run(self, loss: np.ndarray) -> bool:
        """Whether loss extends (or equals) what was seen; an earlier value that changed means a new run."""
        if len(loss) < self.n:
            return False
        if self.n == 0:
            return True
        last = loss[self.n - 1]
        return bool(last == self._last or (np.isnan(last) and np.isnan(self._last)))

    def update(self, loss: np.ndarray) -> bool:
        """Take in the loss array so far; False (and no work) when nothing was appended."""
        if not self.is_same_run(loss):
            self.clear()
        n = len(loss)
        if n == self.n and n > 0:
            return False
        while n // self.block > self.max_bins:
            self._merge_pairs()
        k, done = self.block, len(self.mins)
        full = n // k
        if full > done:
            blocks = loss[done * k : full * k].reshape(-1, k)
            self.mins = np.concatenate([self.mins, np.fmin.reduce(blocks, axis=1)])
            self.maxs = np.concatenate([self.maxs, np.fmax.reduce(blocks, axis=1)])
        self.n = n
        self._last = loss[n - 1] if n else np.nan
        self._tail = loss[full * k : n]
        return True

    def _merge_pairs(self) -> None:
        # An odd last block no longer fills a doubled block: it is recomputed from the loss as a partial one.
        half = len(self.mins) // 2
        self.mins = np.fmin(self.mins[0 : 2 * half : 2], self.mins[1 : 2 * half : 2])
        self.maxs = np.fmax(self.maxs[0 : 2 * half : 2], self.maxs[1 : 2 * half : 2])
        self.block *= 2

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) to draw: every epoch while blocks are single epochs, else max then min of each block at its centre."""
        if self.n == 0:
            return np.empty(0), np.empty(0)
        k = self.block
        if k == 1:
            return np.arange(self.n, dtype=np.float64), np.concatenate([self.mins, self._tail])
        mins, maxs = self.mins, self.maxs
        starts = np.arange(len(mins), dtype=np.float64) * k
        centres = starts + (k - 1) / 2
        if len(self._tail):
            start = len(mins) * k
            centres = np.append(centres, start + (len(self._tail) - 1) / 2)
            mins = np.append(mins, np.fmin.reduce(self._tail))
            maxs = np.append(maxs, np.fmax.reduce(self._tail))
        x = np.repeat(centres, 2)
        y = np.column_stack([maxs, mins]).ravel()
        return x, y


def check_box_style(theme: Theme, size: int = 9) -> str:
    """A check box drawn in the theme's colours. (Qt's own draws its frame a shade darker than
    the window: invisible on a dark theme.)"""
    return (
        f"QCheckBox {{ color: {theme.text}; }}"
        f"QCheckBox::indicator {{ width: {size}px; height: {size}px; border: 1px solid {theme.muted};"
        f" border-radius: 2px; background: {theme.background}; }}"
        f"QCheckBox::indicator:checked {{ background: {theme.text}; border-color: {theme.text}; }}"
    )


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class LossAxis(pg.AxisItem):
    """Loss ticks: a label per decade (0.1, 0.01, 10⁻³ ...), none on the minor ticks between."""

    def logTickStrings(self, values, scale, spacing):
        strings = []
        for v in values:
            e = round(float(v))
            if abs(float(v) - e) > 1e-9:
                strings.append("")
            elif -2 <= e <= 2:
                strings.append(f"{10.0**e:g}")
            else:
                strings.append("10" + str(e).translate(_SUPERSCRIPT))
        return strings


class EpochAxis(pg.AxisItem):
    """Epoch ticks: 500, 2.5k, 1.5M; none between whole epochs."""

    def tickStrings(self, values, scale, spacing):
        strings = []
        for v in values:
            v = float(v) * scale
            if v != round(v):
                strings.append("")
            elif abs(v) >= 1e6:
                strings.append(f"{v / 1e6:g}M")
            elif abs(v) >= 1e3:
                strings.append(f"{v / 1e3:g}k")
            else:
                strings.append(f"{v:g}")
        return strings


class LossPlot(QWidget):
    """Loss (mean squared error) per epoch, with a log-scale toggle and a cursor at the shown epoch."""

    epoch_clicked = pyqtSignal(int)  # epoch index, clamped to the recorded epochs

    def __init__(self, parent=None):
        super().__init__(parent)
        self._loss = np.empty(0)
        self._downsampler = PeakDownsampler(MIN_BINS)
        self._ranges = None  # the (x, y) ranges last set

        axes = {"left": LossAxis("left"), "bottom": EpochAxis("bottom")}
        self.plot_widget = pg.PlotWidget(self, axisItems=axes)
        self.plot_widget.setMinimumHeight(90)
        self.plot_widget.setMenuEnabled(False)
        item = self.plot_widget.getPlotItem()
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)  # the view follows the data; a click picks an epoch instead
        item.showGrid(x=True, y=True, alpha=0.15)
        item.getViewBox().setDefaultPadding(0.02)
        # Ranges are set from the data in round steps (see _update_ranges), not auto-ranged on every
        # update: a change of range redraws both axes, the costliest part of a repaint.
        item.getViewBox().enableAutoRange(x=False, y=False)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.enableAutoSIPrefix(False)  # epochs and losses read as plain numbers
            # An axis replays its picture (ticks, grid, labels) on every repaint: ~4 ms each.
            # Cached as pixels, a repaint of the plot costs ~1 ms until the range changes.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.curve = item.plot(np.empty(0), np.empty(0))
        self.cursor = pg.InfiniteLine(pos=0, angle=90, movable=False)
        self.cursor.setVisible(False)
        item.addItem(self.cursor, ignoreBounds=True)
        self.plot_widget.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        item.getViewBox().sigResized.connect(self._on_view_resized)

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

        item.setLogMode(x=False, y=True)
        self.set_theme(THEMES["light"])

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(160)
        return hint

    # ---------------------------------------------------------------- the Panel (interim)
    def set_run(self, run) -> None:
        self._run = run
        self.set_loss(np.empty(0))

    def show_epoch(self, epoch: int) -> None:
        self.set_loss(self._run.history.loss)
        self.set_cursor(epoch)
        self.plot_widget.viewport().repaint()

    # ---------------------------------------------------------------- public API
    def set_loss(self, loss: np.ndarray) -> None:
        """Show the loss of every epoch so far (n_epochs,); cheap when called at screen rate."""
        self._loss = loss
        if self._downsampler.update(loss):
            self._update_curve()

    def set_cursor(self, epoch: int) -> None:
        """Draw the cursor at this epoch."""
        self.cursor.setValue(epoch)
        self.cursor.setVisible(True)

    def set_log(self, log: bool) -> None:
        """Logarithmic (True) or linear loss axis."""
        self.log_box.setChecked(log)

    def is_log(self) -> bool:
        return self.log_box.isChecked()

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
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.muted))
        self.setPalette(palette)
        self.log_box.setStyleSheet(check_box_style(theme))

    # ---------------------------------------------------------------- handlers
    def _update_curve(self) -> None:
        x, y = self._downsampler.curve()
        y = np.where(np.isfinite(y), y, np.nan)  # a diverged run shows a gap, not an infinite axis
        self.curve.setData(x, y)
        self._update_ranges(y)

    def _update_ranges(self, y: np.ndarray) -> None:
        """x from 0 to a round number of epochs; y over whole decades (log) or from 0 (linear)."""
        item = self.plot_widget.getPlotItem()
        x_range = (0.0, nice_ceiling(max(MIN_X_RANGE, self._downsampler.n - 1)))
        finite = y[np.isfinite(y)]
        if self.is_log():
            positive = finite[finite > 0]
            if len(positive):
                lo, hi = math.floor(np.log10(positive.min())), math.ceil(np.log10(positive.max()))
                y_range = (float(lo), float(max(hi, lo + 1)))
            else:
                y_range = (-1.0, 0.0)
        else:
            y_range = (0.0, nice_ceiling(float(finite.max())) if len(finite) else 1.0)
        if (x_range, y_range) != self._ranges:
            self._ranges = (x_range, y_range)
            item.setXRange(*x_range, padding=0.01)
            item.setYRange(*y_range, padding=0.02)

    def _on_log_toggled(self, log: bool) -> None:
        self.plot_widget.getPlotItem().setLogMode(x=False, y=log)
        self._ranges = None
        self._update_curve()

    def _on_view_resized(self) -> None:
        # Whole steps of BIN_STEP, so that dragging the window's edge does not rebin on every pixel.
        width = self.plot_widget.getPlotItem().getViewBox().width()
        bins = max(MIN_BINS, BIN_STEP * math.ceil(width / BIN_STEP))
        if bins != self._downsampler.max_bins:
            self._downsampler = PeakDownsampler(bins)
            self._downsampler.update(self._loss)
            self._update_curve()

    def _on_mouse_clicked(self, event) -> None:
        n = len(self._loss)
        if event.button() != Qt.MouseButton.LeftButton or n == 0:
            return
        x = self.plot_widget.getPlotItem().getViewBox().mapSceneToView(QPointF(event.scenePos())).x()
        self.epoch_clicked.emit(int(np.clip(round(x), 0, n - 1)))

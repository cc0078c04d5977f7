"""The loss curve on the timeline's epoch axis (pyqtgraph): a cursor at the shown epoch, click to
show an epoch, drag to zoom the timeline, double-click to see the whole run."""

import math
import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF, QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPalette, QRegion
from PyQt6.QtWidgets import (
    QCheckBox,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from netviz.engine.segments import describe
from netviz.numbers import format_loss
from netviz.player.axis import EpochAxis, epoch_text
from netviz.player.loss_curve import PeakDownsampler, loss_ticks, tick_labels
from netviz.player.model import Playback
from netviz.player.run import Run
from netviz.player.timeline import Timeline
from netviz.scene.style import THEMES, Theme
from netviz.ui.plot_items import CursorLine, TimelineViewBox

MIN_BINS = 256  # the curve keeps at least this many min/max slices, even while the widget is tiny
BIN_STEP = 128
Y_PADDING = 0.1  # of the loss range, above and below: the end ticks' labels fit inside the plot
PX_PER_EPOCH_LABEL = 70  # room an epoch label needs on the x axis
PX_PER_LOSS_LABEL = 20  # room a loss label (10⁻⁵) needs on the y axis: more decades are labelled every few
CURVE_SECONDS = 0.25  # while playing, the curve takes in new epochs this often (the cursor moves every frame)


# ------------------------------------------------------------------------------ the widget


def loss_title(run: Run) -> str:
    """What the loss measures: a softmax output trains on cross-entropy; a recording's is its framework's."""
    if not run.trainable:
        return "loss (as recorded)"
    if run.config.arch.activations[-1] == "softmax":
        return "loss (cross-entropy)"
    return "loss (mean squared error)"


def _mark_pen(theme: Theme):
    return pg.mkPen(theme.muted, width=1, style=Qt.PenStyle.DashLine)


class LossPlot(QWidget):
    """A Panel: the loss (mean squared error) of every epoch on the timeline's axis, with a cursor
    at the shown epoch and a log/linear loss axis. Click: show that epoch; drag: zoom the timeline
    (the slider too) to those epochs; double-click: the whole run again."""

    span_changed = pyqtSignal()  # the plot's x axis moved or resized on screen: see unit_span()

    def __init__(self, playback: Playback, timeline: Timeline, parent=None):
        super().__init__(parent)
        self._playback, self._timeline = playback, timeline
        self._run: Run | None = None
        self._downsampler = PeakDownsampler(MIN_BINS)
        self._test_downsampler = PeakDownsampler(MIN_BINS)  # the test loss, where the run holds out rows
        self._marks: list[tuple[int, pg.InfiniteLine]] = []  # (epoch, line) of each edit
        self._y_ticks: list[float] = []
        self._y_range: tuple[float, float] | None = None  # the loss shown (lo, hi), for new ticks on a resize
        self._x_ticks_for: tuple[EpochAxis, int] | None = None  # the axis and width the x ticks were made for
        self._shown = -1  # the epoch the cursor marks

        view = TimelineViewBox(enableMenu=False)
        view.setMouseEnabled(x=False, y=False)
        view.clicked.connect(self._on_clicked)
        view.dragged.connect(self._on_dragged)
        view.double_clicked.connect(self._on_double_clicked)
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
        self.test_curve = item.plot(np.empty(0), np.empty(0))
        self.test_curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.cursor = CursorLine()
        self.cursor.setVisible(False)
        item.addItem(self.cursor, ignoreBounds=True)
        view.sigResized.connect(self._on_view_resized)
        view.sigResized.connect(self.span_changed)
        view.sigXRangeChanged.connect(self.span_changed)
        self._x_map: tuple[float, float] | None = None  # viewport x of axis unit 0, and of 1 minus that
        self.span_changed.connect(self._forget_x_map)
        # The scene's changes reach the screen through _on_scene_changed, so that a cursor move
        # already painted in the window's turn is not painted a second time by Qt, later, in Python.
        self.plot_widget.setViewportUpdateMode(pg.QtWidgets.QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
        self.plot_widget.scene().changed.connect(self._on_scene_changed)
        self._painted = QRegion()  # viewport strips painted for the cursor since the scene last changed
        self._repaint_all_due = False  # a change to paint whole with the next frame (while playing)
        self._before_click: tuple[int, bool] | None = None  # the playhead before the last click

        # The y axis is named in a header row rather than along the axis: a vertical label this long
        # does not fit a plot this short.
        self.title = QLabel("loss (mean squared error)", self)
        # The loss at the cursor, as the status bar and the drawing's caption write it; of a fixed
        # width, so that a new value every frame asks for no new layout.
        self.value_label = QLabel(self)
        self.value_label.setContentsMargins(6, 0, 0, 0)
        # Fixed in both directions: Qt skips the layout request of a widget whose size cannot change.
        self.value_label.setFixedSize(
            self.value_label.fontMetrics().horizontalAdvance("0.0000e-000") + 14, self.value_label.sizeHint().height()
        )
        self.value_label.setToolTip("The loss at the cursor's epoch")
        self.test_value = QLabel(self)  # the test loss at the cursor, when there are test rows
        self.test_value.setFixedSize(
            self.test_value.fontMetrics().horizontalAdvance("test 0.0000e-000") + 14,
            self.test_value.sizeHint().height(),
        )
        self.test_value.setToolTip("The test loss at the cursor's epoch (rows held out of training)")
        self.legend = QLabel(self)  # which curve is which, shown when there is a test loss
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setVisible(False)
        self.log_box = QCheckBox("log", self)
        self.log_box.setToolTip("Logarithmic loss axis")
        self.log_box.setChecked(True)
        self.log_box.toggled.connect(self._on_log_toggled)
        header = QHBoxLayout()
        header.setContentsMargins(8, 2, 8, 0)
        header.addWidget(self.title)
        header.addWidget(self.value_label)
        header.addWidget(self.test_value)
        header.addStretch(1)
        header.addWidget(self.legend)
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
        playback.events.playing.connect(self._on_playing)
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
        self.title.setText(loss_title(run))
        self.legend.setVisible(self._has_test())
        self.test_value.setVisible(self._has_test())
        self._downsampler.clear()
        self._test_downsampler.clear()
        self._update_curve()
        self._place_marks()
        self._shown = -1
        self.show_epoch(self._playback.epoch)

    def show_epoch(self, epoch: int) -> None:
        """Move the cursor to this epoch; cheap at screen rate (the rest is cached as pixels)."""
        if epoch == self._shown or self._run is None:
            return
        self._shown = epoch
        history = self._run.history
        loss = history.loss[epoch] if epoch <= history.latest_epoch else None
        self.value_label.setText("" if loss is None else "unknown" if math.isnan(loss) else format_loss(loss))
        if self._has_test():
            self.test_value.setText(self._test_text(epoch))
        before = self._cursor_x() if self.cursor.isVisible() else None
        self.cursor.setValue(float(self._timeline.axis().to_unit(epoch)))
        self.cursor.set_pixel(1.0 / max(1.0, abs(self._x_span())))
        self.cursor.setVisible(True)
        # Painted now, with the frame that shows this epoch: the window calls this in its turn, while
        # the trainer waits, rather than Qt later against the trainer for the GIL (pyqtgraph paints in
        # Python). Only the strips the cursor left and entered are painted.
        viewport = self.plot_widget.viewport()
        after = self._cursor_x()
        if before is None or self._repaint_all_due:
            strip = viewport.rect()
            self._repaint_all_due = False
        else:
            left, right = sorted((before, after))
            strip = QRect(math.floor(left) - 3, 0, math.ceil(right - left) + 7, viewport.height())
            if round(before) == round(after):  # within its pixel: nothing to paint, nor to paint later
                self._painted = self._painted.united(QRegion(strip))
                return
        viewport.repaint(strip)
        self._painted = self._painted.united(QRegion(strip))

    def unit_span(self) -> tuple[float, float]:
        """Where the axis' first and last epochs are drawn, in this widget's x pixels."""
        view = self.plot_widget.getPlotItem().getViewBox()
        xs = []
        for u in (0.0, 1.0):
            at = self.plot_widget.mapFromScene(view.mapViewToScene(QPointF(u, 0.0)))
            xs.append(self.plot_widget.mapTo(self, at).x())
        return xs[0], xs[1]

    def _cursor_x(self) -> float:
        """Where the cursor is drawn, in the plot's viewport pixels (a cached linear map: the view's
        own mapping costs a few pyqtgraph calls, every frame)."""
        if self._x_map is None:
            view = self.plot_widget.getPlotItem().getViewBox()
            x0, x1 = (self.plot_widget.mapFromScene(view.mapViewToScene(QPointF(u, 0.0))).x() for u in (0.0, 1.0))
            self._x_map = (float(x0), float(x1 - x0))
        start, width = self._x_map
        return start + width * self.cursor.value()

    def _x_span(self) -> float:
        """Pixels from axis unit 0 to 1."""
        self._cursor_x()
        return self._x_map[1]

    def _forget_x_map(self) -> None:
        """The plot moved or resized: its pixels map to other axis units (and the cursor keeps 2 px)."""
        self._x_map = None
        self.cursor.set_pixel(1.0 / max(1.0, abs(self._x_span())))

    def _on_scene_changed(self, regions) -> None:
        """Repaint what changed in the scene, but for the strips show_epoch painted already."""
        painted, self._painted = self._painted, QRegion()
        view = self.plot_widget
        visible = view.viewport().rect()
        for rect in regions:
            changed = QRegion(view.mapFromScene(rect).boundingRect().adjusted(-2, -2, 2, 2).intersected(visible))
            if not changed.subtracted(painted).isEmpty():
                # All of it: an item that moved or resized (an axis whose labels widened) may report
                # only where it is now, not where it was. While playing, with the next frame, in the
                # window's turn; else now.
                if self._playback.playing:
                    self._repaint_all_due = True
                else:
                    view.viewport().update()
                return

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
        self.test_curve.setPen(pg.mkPen(theme.negative, width=1))
        self.legend.setText(
            f'<span style="color:{theme.text}">━ training</span>&nbsp;&nbsp;'
            f'<span style="color:{theme.negative}">━ test</span>&nbsp;'
        )
        for _, line in self._marks:
            line.setPen(_mark_pen(theme))
        self.cursor.setBrush(QColor(theme.signal))
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
        value = self.value_label.palette()
        value.setColor(QPalette.ColorRole.WindowText, QColor(theme.text))
        self.value_label.setPalette(value)
        value.setColor(QPalette.ColorRole.WindowText, QColor(theme.negative))
        self.test_value.setPalette(value)

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
        axis = self._timeline.axis()
        changed = self._downsampler.update(self._loss(), axis)
        if self._has_test():
            test_loss = self._run.history.test_loss[: self._playback.latest + 1]
            changed = self._test_downsampler.update(test_loss, axis) or changed
        if not changed:
            return
        y = self._draw_curve(self.curve, self._downsampler)
        if self._has_test():
            y = np.concatenate([y, self._draw_curve(self.test_curve, self._test_downsampler)])
        else:
            self.test_curve.setData(np.empty(0), np.empty(0))
        self._update_y_axis(y)

    def _draw_curve(self, curve, downsampler: PeakDownsampler) -> np.ndarray:
        """Give `curve` the downsampled loss on the loss axis; the finite values it shows."""
        x, y = downsampler.curve()
        finite = np.isfinite(y) & ((y > 0) if self.is_log() else True)
        # A diverged run (or a loss of 0 on a log axis) shows a gap, not an infinite axis.
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.where(finite, np.log10(np.where(finite, y, 1.0)) if self.is_log() else y, np.nan)
        curve.setData(x, shown, connect="finite")
        return y[finite]

    def _test_text(self, epoch: int) -> str:
        """The test loss of `epoch`, "test —" where its segment held no rows out."""
        value = self._run.history.test_loss[epoch] if epoch <= self._run.history.latest_epoch else math.nan
        return f"test {format_loss(value)}" if math.isfinite(value) else "test —"

    def _has_test(self) -> bool:
        return self._run is not None and getattr(self._run.history, "has_test", False)

    def _place_marks(self) -> None:
        """A dashed line at the first epoch of every segment after the first: where the run was edited."""
        item = self.plot_widget.getPlotItem()
        for _, line in self._marks:
            item.removeItem(line)
        self._marks = []
        axis = self._timeline.axis()
        for segment in getattr(self._run.history, "segments", [])[1:]:
            line = pg.InfiniteLine(float(axis.to_unit(segment.start)), angle=90, pen=_mark_pen(self._theme))
            line.setToolTip(f"epoch {segment.start:,}: {describe(segment.edit)}")
            item.addItem(line, ignoreBounds=True)
            self._marks.append((segment.start, line))

    def _update_y_axis(self, y: np.ndarray) -> None:
        """Round ticks around the loss shown (at least two, labelled alike), and the range they span."""
        if len(y) == 0:  # no loss to show: no ticks either (not the last run's)
            self._y_range, self._y_ticks = None, []
            self.plot_widget.getPlotItem().getAxis("left").setTicks([[], []])
            return
        self._y_range = (float(y.min()), float(y.max()))
        self._update_y_ticks()

    def _update_y_ticks(self) -> None:
        """Ticks for the loss shown, as many as the plot's height has room to label."""
        height = self.plot_widget.getPlotItem().getViewBox().height()
        ticks = loss_ticks(*self._y_range, self.is_log(), max(2, int(height // PX_PER_LOSS_LABEL)))
        if ticks == self._y_ticks:
            return
        self._y_ticks = ticks
        at = np.log10(ticks) if self.is_log() else np.array(ticks)
        item = self.plot_widget.getPlotItem()
        # Decades left unlabelled for room keep their grid lines.
        minor = [(float(k), "") for k in range(math.ceil(at[0]), math.floor(at[-1]) + 1) if k not in at] * self.is_log()
        item.getAxis("left").setTicks([list(zip(at.tolist(), tick_labels(ticks))), minor])
        # Room for half a label above the top tick and below the bottom one, or pyqtgraph leaves them out.
        item.setYRange(float(at[0]), float(at[-1]), padding=Y_PADDING)
        span = float(at[-1] - at[0]) or 1.0
        self.cursor.set_extent(float(at[0]) - span, float(at[-1]) + span)

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

    def _on_playing(self, playing: bool) -> None:
        if not playing and self._repaint_all_due:
            self._repaint_all_due = False
            self.plot_widget.viewport().update()
        self._on_latest(playing)

    def _on_latest(self, _value) -> None:
        """New epochs: at once when still, at most every CURVE_SECONDS while playing (a curve
        redrawn from its new points costs a few milliseconds)."""
        now = time.perf_counter()
        if self._playback.playing and now - self._curve_at < CURVE_SECONDS:
            return
        self._curve_at = now
        self._update_curve()

    def _on_axis(self, axis: EpochAxis) -> None:
        self._update_x_ticks()
        self._update_curve()
        for epoch, line in self._marks:
            line.setValue(float(axis.to_unit(epoch)))
        shown, self._shown = self._shown, -1
        if shown >= 0:
            self.show_epoch(shown)

    def _on_log_toggled(self, _log: bool) -> None:
        self._y_ticks = []
        self._downsampler.clear()
        self._test_downsampler.clear()
        self._update_curve()

    def _on_view_resized(self) -> None:
        # Whole steps of BIN_STEP, so that dragging the window's edge does not rebin on every pixel.
        width = self.plot_widget.getPlotItem().getViewBox().width()
        bins = max(MIN_BINS, BIN_STEP * math.ceil(width / BIN_STEP))
        if bins != self._downsampler.n_bins:
            self._downsampler, self._test_downsampler = PeakDownsampler(bins), PeakDownsampler(bins)
            self._update_curve()
        self._update_x_ticks()
        if self._y_range is not None:
            self._update_y_ticks()

    def _on_clicked(self, x: float) -> None:
        if self._run is None:
            return
        p = self._playback
        self._before_click = (p.epoch, p.follow)  # a double-click undoes its first click's jump
        p.show(self._timeline.axis().from_unit(x))

    def _on_double_clicked(self) -> None:
        """Show every epoch again; the playhead stays where it was before the double-click."""
        if self._before_click is not None:
            epoch, follow = self._before_click
            self._before_click = None
            self._playback.go_end() if follow else self._playback.show(epoch)
        self._timeline.reset_zoom()

    def _on_dragged(self, x0: float, x1: float) -> None:
        axis = self._timeline.axis()
        self._timeline.zoom_to(axis.from_unit(x0), axis.from_unit(x1))

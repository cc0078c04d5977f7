"""The timeline: a slider over the shared epoch axis, its round tick labels, the shown epoch, the
log/linear choice and Follow latest. It reads and writes the models only, never another widget."""

import sys

import numpy as np
from PyQt6.QtCore import QRect, Qt, QTimer
from PyQt6.QtGui import QColor, QPalette
from PyQt6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QVBoxLayout,
    QWidget,
)

from netviz.player.axis import EpochAxis, epoch_text
from netviz.player.model import Playback
from netviz.player.timeline import Timeline
from netviz.scene.style import THEMES, Theme

STEPS = 10_000  # the slider's integer positions across the axis: finer than any screen
PX_PER_LABEL = 56  # room a tick label needs under the slider
LABEL_GAP = 6  # px between two tick labels, or the second is left out


OUTSIDE_TIP = "The shown epoch is outside the zoomed epochs: double-click the loss plot to see them all"


class TickRow(QWidget):
    """Plain labels at given x positions (Qt paints them; nothing here paints in Python)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.labels: list[QLabel] = []
        self.resize_callback = None
        # The layout may size this row before the slider above it (through a transient width of a
        # few pixels): ticks are placed once both have their new width.
        self._after_layout = QTimer(self)
        self._after_layout.setSingleShot(True)
        self._after_layout.setInterval(0)
        self._after_layout.timeout.connect(self._on_resized)

    def place(self, ticks: list[tuple[float, str]]) -> None:
        """A label centred at each (x, text), in order; one that would touch the last shown is left out."""
        while len(self.labels) < len(ticks):
            self.labels.append(QLabel(self))
        right = -LABEL_GAP
        for label, (x, text) in zip(self.labels, ticks):
            label.setText(text)
            label.adjustSize()
            left = round(min(max(x - label.width() / 2, 0), self.width() - label.width()))
            label.move(left, 0)
            label.setVisible(left >= right + LABEL_GAP)
            if label.isVisibleTo(self):
                right = left + label.width()
        for label in self.labels[len(ticks) :]:
            label.hide()
        self.setMinimumHeight(self.fontMetrics().height())

    def visible_texts(self) -> list[str]:
        return [label.text() for label in self.labels if label.isVisibleTo(self)]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._on_resized()
        self._after_layout.start()

    def _on_resized(self) -> None:
        if self.resize_callback is not None:
            self.resize_callback()


class MarkRow(QWidget):
    """A small triangle under the slider at each edit of the run; hovering one says what changed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.marks: list[QLabel] = []
        self.setFixedHeight(self.fontMetrics().height() * 3 // 4)

    def place(self, marks: list[tuple[float, str]]) -> None:
        """A mark centred at each (x, what changed there)."""
        while len(self.marks) < len(marks):
            label = QLabel("▲", self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFixedSize(self.height(), self.height())
            self.marks.append(label)
        for label, (x, text) in zip(self.marks, marks):
            label.setToolTip(text)
            label.move(round(x - label.width() / 2), 0)
            label.show()
        for label in self.marks[len(marks) :]:
            label.hide()

    def tips(self) -> list[str]:
        return [label.toolTip() for label in self.marks if label.isVisibleTo(self)]


class TimelineSlider(QWidget):
    """The timeline of one run: drag to show an epoch; the handle follows the playback's epoch and
    the axis (log or linear, zoomed or not) is the timeline's, shared with the loss plot."""

    def __init__(self, playback: Playback, timeline: Timeline, parent=None):
        super().__init__(parent)
        self._playback, self._timeline = playback, timeline
        self._aligned_to: tuple[float, float] | None = None  # the plot's axis ends, x in this widget

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, STEPS)
        self.slider.setPageStep(STEPS // 20)
        self.slider.setToolTip("Timeline: drag to show any trained epoch; to its right end to follow the newest")
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.slider.actionTriggered.connect(self._on_slider_action)
        self.ticks = TickRow(self)
        self.mark_row = MarkRow(self)
        self._marks: list[tuple[int, str]] = []  # (epoch, what changed) of each edit of the run
        self.ticks.resize_callback = self._update_ticks
        self.epoch_label = QLabel(self)
        # A fixed size: its text changes every frame, and a label of fixed size asks for no new layout.
        widest = self.fontMetrics().horizontalAdvance("◂ epoch 00,000,000 / 00,000,000 ▸")
        self.epoch_label.setFixedSize(widest, self.epoch_label.sizeHint().height())
        self.log_box = QCheckBox("log epochs", self)
        self.log_box.setToolTip("A logarithmic epoch axis (the timeline and the loss plot): the early epochs get room")
        self.log_box.toggled.connect(self._on_log_toggled)
        self.follow_box = QCheckBox("Follow latest", self)
        self.follow_box.setToolTip("Keep showing the newest epoch as training goes on")
        self.follow_box.toggled.connect(playback.set_follow)

        header = QHBoxLayout()
        header.setContentsMargins(10, 2, 10, 0)
        header.setSpacing(10)
        header.addWidget(self.epoch_label)
        header.addStretch(1)
        header.addWidget(self.log_box)
        header.addWidget(self.follow_box)
        # The slider and its ticks sit in a track whose margins align_to() sets, so that each epoch
        # stands right above the same epoch on the loss plot's axis.
        self.track = QVBoxLayout()
        self.track.setContentsMargins(10, 0, 10, 0)
        self.track.setSpacing(0)
        self.track.addWidget(self.slider)
        self.track.addWidget(self.mark_row)
        self.track.addWidget(self.ticks)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addLayout(self.track)

        playback.events.epoch.connect(self._on_epoch)
        playback.events.latest.connect(self._on_latest)
        playback.events.follow.connect(self._on_follow)
        timeline.events.axis.connect(self._on_axis)
        self._on_axis(timeline.axis())
        self._on_follow(playback.follow)
        self.set_theme(THEMES["light"])

    # ---------------------------------------------------------------- public
    def set_theme(self, theme: Theme) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(theme.text))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.ticks.setStyleSheet(f"QLabel {{ color: {theme.muted}; }}")
        self.mark_row.setStyleSheet(f"QLabel {{ color: {theme.negative}; }}")
        # The handle in the theme's text colour and the travelled groove in its sign colour: Qt's own
        # handle is a dark grey that vanishes on a dark background.
        slider = self.slider.palette()
        slider.setColor(QPalette.ColorRole.Button, QColor(theme.text if theme.name != "light" else "#f6f8fa"))
        slider.setColor(QPalette.ColorRole.Highlight, QColor(theme.positive))
        slider.setColor(QPalette.ColorRole.Window, QColor(theme.background))
        self.slider.setPalette(slider)

    def align_to(self, left: float, right: float) -> None:
        """Put the handle's centre for the axis' first epoch at x = left and its last at x = right
        (in this widget's coordinates): the loss plot's axis below, epoch above epoch."""
        self._aligned_to = (left, right)
        lead, trail = self.tick_x(0), self.slider.width() - self.tick_x(STEPS)
        margins = (max(0, round(left - lead)), max(0, round(self.width() - right - trail)))
        current = self.track.contentsMargins()
        if margins != (current.left(), current.right()):
            self.track.setContentsMargins(margins[0], 0, margins[1], 0)

    def set_marks(self, marks: list[tuple[int, str]]) -> None:
        """Mark these epochs (edits of the run) under the slider, each with what changed there."""
        self._marks = list(marks)
        self._place_marks()

    def _place_marks(self) -> None:
        self.mark_row.place([(self.tick_x(self.value_of(e)), f"epoch {e:,}: {what}") for e, what in self._marks])

    def resizeEvent(self, event) -> None:
        # The plot below may have reported its new span before this widget took its new width.
        super().resizeEvent(event)
        if self._aligned_to is not None:
            self.align_to(*self._aligned_to)

    def value_of(self, epoch: int) -> int:
        """The slider position of this epoch (an epoch outside a zoom sits at the nearer end)."""
        unit = float(self._timeline.axis().to_unit(epoch))
        return round(STEPS * min(max(unit, 0.0), 1.0))

    def tick_x(self, value: int) -> float:
        """The x (in the slider's and the tick row's coordinates) of the handle's centre at this value."""
        opt = QStyleOptionSlider()
        self.slider.initStyleOption(opt)
        opt.rect = QRect(0, 0, self.slider.width(), self.slider.height())
        style = self.slider.style()
        groove = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderGroove, self.slider
        )
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderHandle, self.slider
        )
        span = groove.width() - handle.width()
        return groove.x() + handle.width() / 2 + QStyle.sliderPositionFromValue(0, STEPS, value, span)

    # ---------------------------------------------------------------- user input
    def _on_slider_moved(self, value: int) -> None:
        if value == self.value_of(self._playback.epoch):
            return  # the handle's own position (positions are finer than epochs, or the reverse)
        epoch = self._timeline.axis().from_unit(value / STEPS)
        if epoch >= self._playback.latest:
            self._playback.go_end()  # the trained end: stay on the newest epoch as training goes on
        else:
            self._playback.show(epoch)
        self._update_handle()

    def _on_slider_action(self, action: int) -> None:
        # An arrow key or a wheel notch moves one epoch, wherever it is on a log axis.
        steps = {QSlider.SliderAction.SliderSingleStepAdd: 1, QSlider.SliderAction.SliderSingleStepSub: -1}
        step = steps.get(QSlider.SliderAction(action))
        if step is not None:
            self._playback.show(self._playback.epoch + step)
            self.slider.setSliderPosition(self.value_of(self._playback.epoch))

    def _on_log_toggled(self, on: bool) -> None:
        self._timeline.set_kind("log" if on else "linear")

    # ---------------------------------------------------------------- the models
    def _on_epoch(self, _epoch: int) -> None:
        self._update_handle()
        self._update_label()

    def _on_latest(self, _latest: int) -> None:
        self._update_label()

    def _on_follow(self, on: bool) -> None:
        self.follow_box.blockSignals(True)
        self.follow_box.setChecked(on)
        self.follow_box.blockSignals(False)

    def _on_axis(self, axis: EpochAxis) -> None:
        self.log_box.blockSignals(True)
        self.log_box.setChecked(axis.kind == "log")
        self.log_box.blockSignals(False)
        self._update_ticks()
        self._update_handle()
        self._update_label()

    def _update_handle(self) -> None:
        """Every frame while playing: a position set with signals blocked, so nothing calls back."""
        value = self.value_of(self._playback.epoch)
        if value != self.slider.value():
            self.slider.blockSignals(True)
            self.slider.setValue(value)
            self.slider.blockSignals(False)

    def _update_label(self) -> None:
        epoch, axis = self._playback.epoch, self._timeline.axis()
        text = f"epoch {epoch:,} / {self._playback.latest:,}"
        # Zoomed past the playhead: an arrow points to where it is (the handle waits at that end).
        if epoch > axis.hi:
            text += " ▸"
        elif epoch < axis.lo:
            text = "◂ " + text
        outside = not axis.lo <= epoch <= axis.hi
        self.epoch_label.setToolTip(OUTSIDE_TIP if outside else "")
        if text != self.epoch_label.text():
            self.epoch_label.setText(text)

    def _update_ticks(self) -> None:
        axis = self._timeline.axis()
        epochs = axis.ticks(max(2, self.ticks.width() // PX_PER_LABEL))
        values = np.round(STEPS * axis.to_unit(np.array(epochs, dtype=np.float64))).astype(int)
        self.ticks.place([(self.tick_x(int(v)), epoch_text(e)) for v, e in zip(values, epochs)])
        self._place_marks()


def preview(argv: list[str]) -> int:
    """The timeline and the loss plot of the blog's run, alone in a window: `python -m netviz.ui.timeline`."""
    from netviz.engine.history import History
    from netviz.engine.presets import blog
    from netviz.engine.training import Trainer, blog_config
    from netviz.player.run import Run
    from netviz.ui.loss_plot import LossPlot

    app = QApplication.instance() or QApplication(argv)
    config, data = blog_config(), blog()
    trainer, history = Trainer(config, data), History(config, data)
    trainer.run(history, config.epochs)
    playback = Playback(latest=history.latest_epoch, target=config.epochs, can_train=False)
    timeline = Timeline(playback)
    window = QWidget()
    layout = QVBoxLayout(window)
    plot = LossPlot(playback, timeline)
    plot.set_run(Run(history, trainable=False))
    layout.addWidget(plot, 1)
    layout.addWidget(TimelineSlider(playback, timeline))
    window.resize(900, 300)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(preview(sys.argv))

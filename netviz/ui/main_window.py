"""The netviz window: watch her learn (transport, timeline, loss) and watch her think."""

import os
import sys
import time

import numpy as np
from PyQt6.QtCore import QElapsedTimer, QEvent, QSettings, Qt, QTimer
from PyQt6.QtGui import QAction, QActionGroup, QColor, QIcon, QImage, QKeySequence, QPainter, QPalette, QPixmap
from PyQt6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSpinBox,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.runspec import RunSpec
from netviz.engine.training import TrainConfig, Trainer, blog_config
from netviz.render.painter import Frame
from netviz.scene.scene import Think, neuron_labels
from netviz.scene.style import DEFAULT_THEME, THEMES, WeightScale
from netviz.ui.canvas import NetworkCanvas
from netviz.ui.loss_plot import LossPlot, check_box_style
from netviz.ui.predictions import PredictionsPanel
from netviz.ui.worker import TrainingWorker

FRAME_MS = 17  # the pull timer: about 59 Hz, never faster than a 60 Hz screen
# At full training speed every frame's recording is time the trainer waits for (the GIL):
# ~55 Hz there keeps the drawing fluid (>= 50 frames a second) and gives training ~1% more.
FULL_SPEED_FRAME_MS = 18
GIL_SWITCH_S = 0.001
# "smooth" grows the step with the epoch (about x3.3 a second): the early, fast learning is seen
# frame by frame and the blog's 60,000 epochs still play in about 7 seconds.
SPEEDS = [("Smooth (faster as it learns)", "smooth"), ("1 epoch / frame", 1), ("10 epochs / frame", 10),
          ("100 epochs / frame", 100), ("1,000 epochs / frame", 1000), ("Full speed", None)]  # fmt: skip
SMOOTH_GROWTH = 0.02  # smooth speed: each frame advances 2% of the epochs trained so far
SLOW_SECONDS = 0.5  # while playing, the loss plot, table and labels refresh this often...
SLOW_SHARE = 0.02  # ...or less often at full training speed, so that their refresh takes at most this share
GUI_SHARE = 0.2  # at full training speed, dearer frames take at most this share of the time
CHEAP_TURN_S = 0.006  # frames cheaper than this are drawn at screen rate whatever the share
MAX_FRAME_MS = 250
THINK_LAYER_MS, THINK_HOLD_MS = 700, 1300  # Think mode: time per layer, pause on the answer


def window_palette(theme) -> QPalette:
    """The window's own colours follow the drawing's theme (menus, toolbar, timeline, status bar)."""
    palette = QApplication.style().standardPalette()
    if theme.name == "light":
        return palette
    bg, text, muted = QColor(theme.background), QColor(theme.text), QColor(theme.muted)
    panel = bg.lighter(135) if bg.lightness() > 0 else QColor(28, 28, 28)
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, panel), (roles.WindowText, text), (roles.Base, bg),
                         (roles.AlternateBase, panel), (roles.Text, text), (roles.Button, panel),
                         (roles.ButtonText, text), (roles.ToolTipBase, panel), (roles.ToolTipText, text),
                         (roles.PlaceholderText, muted), (roles.Highlight, QColor(theme.positive)),
                         (roles.HighlightedText, QColor("#ffffff"))):  # fmt: skip
        palette.setColor(role, colour)
    return palette


def theme_icon(style: QStyle, which: QStyle.StandardPixmap, theme) -> QIcon:
    """A standard icon; on a dark theme, redrawn in the theme's text colour (Qt's own are dark)."""
    icon = style.standardIcon(which)
    if theme.name == "light":
        return icon
    tinted = QIcon()
    for size in (16, 24, 32):
        image = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)  # keep the shape
        painter.fillRect(image.rect(), QColor(theme.text))
        painter.end()
        tinted.addPixmap(QPixmap.fromImage(image))
    return tinted


class MainWindow(QMainWindow):
    confirm_discard = True  # ask before closing or opening over unsaved training (tests turn it off)

    def __init__(self, config: TrainConfig | None = None, dataset: Dataset | None = None):
        super().__init__()
        self.setWindowTitle("netviz — watch a neural network learn")
        self.resize(1280, 860)
        self.config = config or blog_config()
        self.dataset = dataset or blog()
        self.spec = RunSpec.describing(self.config, self.dataset)
        self.theme_name = DEFAULT_THEME
        self.playing = False
        self.follow_latest = True
        self.shown_epoch = 0
        self.input_row = -1  # -1: the new situation; otherwise a training row
        self.thinking = False
        self._think_clock = QElapsedTimer()
        self._shown_dirty = True
        self._seen_latest = -1
        self._max_abs_weight = 0.0
        self._rate_samples: list[tuple[float, int]] = []
        self.epochs_per_second = 0.0
        self.worker: TrainingWorker | None = None
        self._wanted_epoch: int | None = None  # an epoch stepped to that is still being trained
        self._ticks = 0
        self._turn_ema = 0.0  # seconds a GUI turn takes, smoothed
        self._slow_tick, self._last_slow = True, 0.0
        self._panels_due = False  # the user moved to another epoch: its panels refresh with the next frame
        self._slow_cost = 0.0  # seconds the last refresh of the panels took (a GUI turn)
        self.session_path: str | None = None
        self._saved_epoch = 0
        self.trainer: Trainer | None = None

        self._build_widgets()
        self._build_actions()
        self._new_run()
        self.predictions.select_row(self.input_row)

        # The trainer thread holds the GIL between epochs; a short switch interval lets the
        # GUI thread take it back within a millisecond when its frame is due (default 5 ms).
        sys.setswitchinterval(GIL_SWITCH_S)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_tick)
        self.timer.start()

    # ------------------------------------------------------------------ layout
    def _build_widgets(self) -> None:
        self.canvas = NetworkCanvas()
        self.canvas.hovered.connect(self._on_hovered)

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setToolTip("Timeline: drag to show any trained epoch")
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.epoch_label = QLabel("epoch 0")
        self.epoch_label.setMinimumWidth(150)
        self.follow_box = QCheckBox("Follow latest")
        self.follow_box.setChecked(True)
        self.follow_box.toggled.connect(self._on_follow_toggled)
        timeline = QHBoxLayout()
        timeline.setContentsMargins(10, 2, 10, 2)
        timeline.addWidget(self.epoch_label)
        timeline.addWidget(self.slider, 1)
        timeline.addWidget(self.follow_box)

        self.loss_plot = LossPlot()
        self.loss_plot.epoch_clicked.connect(self._on_loss_clicked)
        self.predictions = PredictionsPanel(self.dataset)
        self.predictions.row_selected.connect(self._on_row_selected)
        self.predictions.new_situation_changed.connect(self._on_new_situation_changed)
        self.predictions.table.installEventFilter(self)  # Space plays even when the table has focus

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.loss_plot)
        bottom.addWidget(self.predictions)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.canvas, 1)
        top_layout.addLayout(timeline)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 270])
        self.setCentralWidget(split)

        self.status_epoch = QLabel()
        self.status_loss = QLabel()
        self.status_rate = QLabel()
        self.status_state = QLabel()
        for label in (self.status_state, self.status_epoch, self.status_loss, self.status_rate):
            label.setContentsMargins(10, 0, 10, 0)
            self.statusBar().addPermanentWidget(label)

    def _build_actions(self) -> None:
        bar = QToolBar("Transport")
        bar.setObjectName("transport")
        bar.setMovable(False)
        self.addToolBar(bar)

        icons = QStyle.StandardPixmap
        self._icons: dict[QAction, QStyle.StandardPixmap] = {}  # redrawn for each theme

        def action(text, tip, slot, keys=(), checkable=False, icon=None):
            a = QAction(text, self)
            if icon is not None:
                self._icons[a] = icon
                a.setIcon(self.style().standardIcon(icon))
            a.setToolTip(f"{tip} ({', '.join(keys)})" if keys else tip)
            a.setShortcuts([QKeySequence(k) for k in keys])
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.setCheckable(checkable)
            (a.toggled if checkable else a.triggered).connect(slot)
            self.addAction(a)
            return a

        self.act_start = action(
            "Start", "Go to the first epoch", self.go_start, ["Home"], icon=icons.SP_MediaSkipBackward
        )
        self.act_back_n = action(
            "-N",
            "Back N epochs",
            lambda: self.step(-self.jump_box.value()),
            ["Shift+Left"],
            icon=icons.SP_MediaSeekBackward,
        )
        self.act_back = action("-1", "Back one epoch", lambda: self.step(-1), ["Left"], icon=icons.SP_ArrowLeft)
        self.act_play = action(
            "Play", "Play / pause training", self._on_play_toggled, ["Space"], checkable=True, icon=icons.SP_MediaPlay
        )
        self.act_fwd = action("+1", "Forward one epoch", lambda: self.step(1), ["Right"], icon=icons.SP_ArrowRight)
        self.act_fwd_n = action(
            "+N",
            "Forward N epochs",
            lambda: self.step(self.jump_box.value()),
            ["Shift+Right"],
            icon=icons.SP_MediaSeekForward,
        )
        self.act_end = action("End", "Go to the latest epoch", self.go_end, ["End"], icon=icons.SP_MediaSkipForward)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for a in (self.act_start, self.act_back_n, self.act_back, self.act_play, self.act_fwd, self.act_fwd_n,
                  self.act_end):  # fmt: skip
            bar.addAction(a)

        bar.addSeparator()
        bar.addWidget(QLabel(" N "))
        self.jump_box = QSpinBox()
        self.jump_box.setRange(1, 1_000_000)
        self.jump_box.setValue(100)
        self.jump_box.setToolTip("How far Shift+Left / Shift+Right and ⏪ ⏩ jump")
        bar.addWidget(self.jump_box)
        bar.addWidget(QLabel("  Speed "))
        self.speed_box = QComboBox()
        for text, _ in SPEEDS:
            self.speed_box.addItem(text)
        self.speed_box.setCurrentIndex(0)
        self.speed_box.currentIndexChanged.connect(self._on_speed_changed)
        bar.addWidget(self.speed_box)
        bar.addWidget(QLabel("  Train to "))
        self.target_box = QSpinBox()
        self.target_box.setRange(1, 100_000_000)
        self.target_box.setGroupSeparatorShown(True)
        self.target_box.setValue(self.config.epochs)
        self.target_box.setToolTip("Training stops at this epoch")
        self.target_box.valueChanged.connect(self._on_target_changed)
        bar.addWidget(self.target_box)
        bar.addSeparator()
        self.act_reset = QAction("Reset", self)
        self.act_reset.setToolTip("Start again from the same initial weights (same seed)")
        self.act_reset.triggered.connect(self.reset)
        bar.addAction(self.act_reset)
        bar.addSeparator()
        self.act_think = QAction("Think", self)
        self.act_think.setCheckable(True)
        self.act_think.setShortcut(QKeySequence("T"))
        self.act_think.setToolTip("Watch one forward pass for the chosen input (T)")
        self.act_think.toggled.connect(self._on_think_toggled)
        bar.addAction(self.act_think)
        self.cycle_box = QCheckBox("cycle rows")
        self.cycle_box.setToolTip("In Think mode, go through every training row and the new situation")
        bar.addWidget(self.cycle_box)

        file_menu = self.menuBar().addMenu("&File")

        def item(text, keys, slot) -> None:
            entry = file_menu.addAction(text)
            entry.setShortcut(QKeySequence(keys))
            entry.triggered.connect(slot)

        item("New run…", QKeySequence.StandardKey.New, self.new_run)
        item("Open…", QKeySequence.StandardKey.Open, self._on_open)
        self.recent_menu = file_menu.addMenu("Open recent")
        self._update_recent_menu()
        item("Save", QKeySequence.StandardKey.Save, self.save)
        item("Save as…", "Ctrl+Shift+S", self.save_as)
        file_menu.addSeparator()
        item("Save picture (PNG)…", "Ctrl+P", self.save_picture)
        item("Export animation…", "Ctrl+E", self.export_animation)
        file_menu.addSeparator()
        item("Quit", "Ctrl+Q", self.close)

        view_menu = self.menuBar().addMenu("&View")
        group = QActionGroup(self)
        self.theme_actions = {}
        for name in THEMES:
            a = view_menu.addAction(f"{name.capitalize()} theme")
            a.setCheckable(True)
            a.setChecked(name == self.theme_name)
            a.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            self.theme_actions[name] = a
            group.addAction(a)
        view_menu.addSeparator()
        reset_zoom = view_menu.addAction("Reset zoom")
        reset_zoom.setShortcut(QKeySequence("Ctrl+0"))
        reset_zoom.triggered.connect(self.canvas.reset_view)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("About netviz").triggered.connect(self._on_about)

    # ---------------------------------------------------------------- the run
    def _new_run(self) -> None:
        """A fresh trainer, history and worker thread for the current config and data."""
        self._stop_worker()
        trainer = Trainer(self.config, self.dataset)
        history = History(self.config, self.dataset)
        trainer.run(history, 0)  # records epoch 0: the starting weights
        self._attach(history, trainer)

    def _attach(self, history, trainer: Trainer | None) -> None:
        """Show this history; with a trainer, training can go on from its latest epoch."""
        self.history, self.trainer = history, trainer
        self.labels = neuron_labels(self.config.arch.layers, self.dataset.input_names, self.dataset.target_names)
        self._weight_index = self.config.arch.weight_index()
        self._max_abs_weight = 0.0
        self._scale_floor = 4.0 * float(np.abs(history.weights_at(0)[self._weight_index]).max())
        self._seen_latest = -1
        self._rate_samples.clear()
        self.epochs_per_second = 0.0
        self.shown_epoch = 0
        self._saved_epoch = history.latest_epoch  # nothing to save until training goes further
        self.loss_plot.set_loss(np.empty(0))
        self.predictions.set_dataset(self.dataset)
        self.predictions.select_row(self.input_row if self.input_row < len(self.dataset) else -1)
        if trainer is not None:
            self.worker = TrainingWorker(trainer, history)
            self.worker.diverged.connect(self._on_diverged)
            self.worker.failed.connect(self._on_failed)
            self.worker.start()
        for action in (self.act_play, self.act_reset):
            action.setEnabled(trainer is not None)
        self.target_box.setValue(max(self.target_box.value(), history.latest_epoch))
        self._pull_latest()
        self._show(0)
        self._render_shown()
        self._update_title()

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker.wait()
            self.worker.deleteLater()
            self.worker = None

    def reset(self) -> None:
        self.pause()
        self._new_run()
        self.follow_latest = True
        self.follow_box.setChecked(True)

    @property
    def target_epochs(self) -> int:
        return self.target_box.value()

    def _speed(self) -> int | None:
        """Epochs per frame, or None for full speed."""
        speed = SPEEDS[self.speed_box.currentIndex()][1]
        if speed == "smooth":
            return max(1, int(self.history.latest_epoch * SMOOTH_GROWTH))
        return speed

    def play(self) -> None:
        if self.worker is None or self.worker.stopped_by_error:
            self.act_play.setChecked(False)
            return
        if self.history.latest_epoch >= self.target_epochs:
            self.statusBar().showMessage(
                f"Trained to the target of {self.target_epochs:,} epochs: raise it to go on.", 4000
            )
            self.act_play.setChecked(False)
            return
        self.playing = True
        self.follow_latest = True
        self.follow_box.setChecked(True)
        self.canvas.antialias = False  # smooth wide lines take Qt ~5 ms a frame even for the blog's 16
        if self._speed() is None:
            self.worker.set_goal(self.target_epochs)
        self.act_play.setChecked(True)
        self.act_play.setText("Pause")
        self._set_icon(self.act_play, QStyle.StandardPixmap.SP_MediaPause)

    def pause(self) -> None:
        self.playing = False
        self._seen_latest = -1  # refresh every panel on the next tick
        if self.worker is not None:
            self.worker.hold()
        self.canvas.antialias = True
        self._shown_dirty = True
        self.act_play.setChecked(False)
        self.act_play.setText("Play")
        self._set_icon(self.act_play, QStyle.StandardPixmap.SP_MediaPlay)

    def step(self, n: int) -> None:
        """Show n epochs later (training them if needed) or earlier; pauses playing."""
        if self.playing:
            self.pause()
        self.follow_latest = False
        self.follow_box.setChecked(False)
        goal = max(0, self.shown_epoch + n)
        latest = self.history.latest_epoch
        if goal > latest >= self.target_epochs:
            self.statusBar().showMessage(
                f"At the target of {self.target_epochs:,} epochs: raise 'Train to' to go on.", 4000
            )
        if goal > latest and self.worker is not None and not self.worker.stopped_by_error:
            goal = min(goal, max(self.target_epochs, latest))
            if goal > latest:
                self.worker.set_goal(goal)
                self._wanted_epoch = goal
        self._show(min(goal, latest))

    def go_start(self) -> None:
        self.follow_latest = False
        self.follow_box.setChecked(False)
        self._panels_due = True
        self._show(0)

    def go_end(self) -> None:
        self.follow_latest = True
        self.follow_box.setChecked(True)
        self._panels_due = True
        self._show(self.history.latest_epoch)

    # ------------------------------------------------------------ the clock
    def _on_tick(self) -> None:
        """Pull the latest epoch from the history and repaint only if something changed.

        Runs as the GUI's turn: training waits while this frame is pulled and painted.
        """
        self._ticks += 1
        now = time.perf_counter()
        self._slow_tick = now - self._last_slow >= self._slow_interval()
        if self._slow_tick:
            self._last_slow = now
        if self.worker is None:  # a recorded session: nothing trains
            self._tick()
            return
        start = time.perf_counter()
        slow = self.playing and self._slow_update_due()
        with self.worker.gui_turn():
            self._tick()
            if slow:
                # Paint the panels now, inside the turn, rather than later against the trainer.
                self.loss_plot.plot_widget.viewport().repaint()
                self.predictions.repaint_changes()
        if slow:
            self._slow_cost = time.perf_counter() - start
        else:
            self._pace(time.perf_counter() - start)

    def _slow_interval(self) -> float:
        """Seconds between refreshes of the panels while playing: SLOW_SECONDS, or at full
        training speed longer if a refresh costs more than SLOW_SHARE of that (~20 ms early in
        a run, when the loss plot's axes change at every refresh)."""
        if self.worker is None or self._speed() is not None:
            return SLOW_SECONDS
        return min(max(SLOW_SECONDS, self._slow_cost / SLOW_SHARE), 4 * SLOW_SECONDS)

    def _pace(self, turn_seconds: float) -> None:
        """Smooth first, then fair: a frame that costs under CHEAP_TURN_S is drawn at screen rate
        (a little under it at full training speed); a dearer one (a 50,000-synapse frame costs
        ~25 ms) is drawn less often, so that at full training speed the window's turns take at
        most GUI_SHARE of the time. (The panels' refresh is not counted: see SLOW_SHARE.)
        """
        self._turn_ema = 0.8 * self._turn_ema + 0.2 * turn_seconds
        interval = FRAME_MS
        if self.playing and self._speed() is None:
            interval = FULL_SPEED_FRAME_MS
            if self._turn_ema > CHEAP_TURN_S:
                interval = int(np.clip(self._turn_ema / GUI_SHARE * 1000, FULL_SPEED_FRAME_MS, MAX_FRAME_MS))
        if interval != self.timer.interval():
            self.timer.setInterval(interval)

    def _tick(self) -> None:
        if self.playing:
            speed = self._speed()
            if speed is not None:
                self.worker.add_to_goal(speed, self.target_epochs)
            if self.history.latest_epoch >= self.target_epochs:
                self.pause()
                self.statusBar().showMessage(f"Reached the target of {self.target_epochs:,} epochs.", 4000)
        self._pull_latest()
        latest, wanted = self.history.latest_epoch, self._wanted_epoch
        if wanted is not None:
            self._show(min(wanted, latest))
            if latest >= wanted or self.worker is None or self.worker.stopped_by_error:
                self._wanted_epoch = None
        elif self.follow_latest and self.shown_epoch != latest:
            self._show(latest)
        if self.thinking:
            self._advance_think()
        if self._shown_dirty:
            self._render_shown()  # recorded now, inside the GUI's turn; Qt paints it without the GIL

    def _slow_update_due(self) -> bool:
        """Panels other than the drawing refresh about twice a second while training plays, and
        at once when the user moves to another epoch."""
        return not self.playing or self._slow_tick or self._panels_due

    def _pull_latest(self) -> None:
        latest = self.history.latest_epoch
        if latest == self._seen_latest:
            return
        self._seen_latest = latest
        now = time.perf_counter()
        self._rate_samples.append((now, latest))
        while len(self._rate_samples) > 2 and now - self._rate_samples[0][0] > 1.0:
            self._rate_samples.pop(0)
        (t0, e0), (t1, e1) = self._rate_samples[0], self._rate_samples[-1]
        self.epochs_per_second = (e1 - e0) / (t1 - t0) if t1 > t0 else 0.0
        theta = self.history.weights_at(latest)
        self._max_abs_weight = max(self._max_abs_weight, float(np.abs(theta[self._weight_index]).max()))
        if self._slow_update_due():
            self.slider.blockSignals(True)
            self.slider.setRange(0, latest)
            self.slider.blockSignals(False)
            self.loss_plot.set_loss(self.history.loss)
            self._update_status()
            self._update_title()

    def _show(self, epoch: int) -> None:
        epoch = max(0, min(int(epoch), self.history.latest_epoch))
        self.shown_epoch = epoch
        self._shown_dirty = True
        if self._slow_update_due():
            self.slider.blockSignals(True)
            self.slider.setRange(0, self.history.latest_epoch)
            self.slider.setValue(epoch)
            self.slider.blockSignals(False)

    def _render_shown(self) -> None:
        self._shown_dirty = False
        e = self.shown_epoch
        theta = self.history.weights_at(e)
        arch = self.config.arch
        inputs, targets = self._selected_input()
        think = None
        if self.thinking:
            think = Think(self._think_progress(), targets)
        self.canvas.set_frame(
            Frame(
                arch,
                theta,
                THEMES[self.theme_name],
                self.scale(),
                self.labels,
                e,
                loss=self.history.loss,
                inputs=inputs,
                targets=targets,
                think=think,
                plane=(self.dataset.inputs, self.dataset.targets) if self.dataset.n_in == 2 else None,
                hover=self.canvas.frame.hover if self.canvas.frame is not None else None,
            )
        )
        if self._slow_update_due():
            self.loss_plot.set_cursor(e)
            new = self.dataset.new_situation
            new_out = arch.forward(theta, new)[-1][0] if new is not None else None
            self.predictions.set_outputs(self.history.outputs_at(e), new_out)
            self.epoch_label.setText(f"epoch {e:,} / {self.history.latest_epoch:,}")
            self._update_status()
            self._panels_due = False

    def scale(self) -> WeightScale:
        """The weight scale: the largest |weight| trained so far, rounded up; it never shrinks in a run.

        It starts at four times the largest starting weight, so that the first epochs are drawn
        thin and growth shows, instead of starting at full width and thinning as the scale grows.
        """
        return WeightScale.for_weights(max(self._max_abs_weight, self._scale_floor))

    def _selected_input(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        if self.input_row < 0:
            return self.dataset.new_situation, None
        return self.dataset.inputs[self.input_row], self.dataset.targets[self.input_row]

    def _update_status(self) -> None:
        e, latest = self.shown_epoch, self.history.latest_epoch
        self.status_epoch.setText(f"epoch {e:,} of {latest:,}")
        self.status_loss.setText(f"loss {self.history.loss[e]:.4g}" if e <= latest else "")
        self.status_rate.setText(f"{self.epochs_per_second:,.0f} epochs/s" if self.playing else "")
        if self.worker is not None and self.worker.stopped_by_error:
            state = "stopped"
        else:
            state = "training" if self.playing else ("done" if latest >= self.target_epochs else "paused")
        self.status_state.setText(state)

    # ------------------------------------------------------------- Think mode
    def _think_progress(self) -> float:
        layers = len(self.config.arch.layers) - 1
        return min(layers, self._think_clock.elapsed() / THINK_LAYER_MS)

    def _advance_think(self) -> None:
        layers = len(self.config.arch.layers) - 1
        elapsed = self._think_clock.elapsed()
        if elapsed > layers * THINK_LAYER_MS + THINK_HOLD_MS:
            if self.cycle_box.isChecked():
                n = len(self.dataset)
                nxt = self.input_row + 1
                has_new = self.dataset.new_situation is not None
                if nxt >= n:
                    nxt = -1 if has_new else 0
                self.predictions.select_row(nxt)
                self.input_row = nxt
                self._think_clock.restart()
            else:
                return
        self._shown_dirty = True

    def _on_think_toggled(self, on: bool) -> None:
        self.thinking = on
        self._think_clock.restart()
        self._shown_dirty = True

    # ----------------------------------------------------------- user events
    def _on_play_toggled(self, checked: bool) -> None:
        if checked and not self.playing:
            self.play()
        elif not checked and self.playing:
            self.pause()

    def _on_speed_changed(self, index: int) -> None:
        if self.playing:
            if self._speed() is None:
                self.worker.set_goal(self.target_epochs)
            else:
                self.worker.hold()

    def _on_target_changed(self, value: int) -> None:
        if self.playing and self._speed() is None:
            self.worker.set_goal(value)
        self._update_status()

    def _on_slider_moved(self, value: int) -> None:
        # The range follows training a few times a second: the right end means the latest epoch.
        self.follow_latest = value >= self.slider.maximum() and self.playing
        self.follow_box.setChecked(self.follow_latest)
        self._wanted_epoch = None
        self._panels_due = True
        self._show(self.history.latest_epoch if self.follow_latest else value)
        if self.worker is None:
            self._render_shown()
            self.canvas.paint_now()
            return
        with self.worker.gui_turn():  # show the scrubbed epoch now, not after the next tick
            self._render_shown()
            self.canvas.paint_now()

    def _on_follow_toggled(self, on: bool) -> None:
        self.follow_latest = on
        if on:
            self._show(self.history.latest_epoch)

    def _on_loss_clicked(self, epoch: int) -> None:
        self.follow_latest = False
        self.follow_box.setChecked(False)
        self._panels_due = True
        self._show(epoch)

    def _on_row_selected(self, row: int) -> None:
        self.input_row = row
        self._think_clock.restart()
        self._shown_dirty = True

    def _on_new_situation_changed(self, values) -> None:
        self.dataset.new_situation = np.array(values, dtype=np.float64)
        self._shown_dirty = True

    def _on_hovered(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, 3000)

    def _on_diverged(self, message: str) -> None:
        self.pause()
        self._pull_latest()
        self.act_play.setEnabled(False)
        self._show(self.history.latest_epoch)
        box = QMessageBox(QMessageBox.Icon.Warning, "Training diverged",
                          f"{message[0].upper()}{message[1:]}.", parent=self)  # fmt: skip
        box.setInformativeText(
            f"Every epoch up to {self.history.latest_epoch:,} is kept and can be scrubbed. "
            "Try a smaller learning rate, then Reset."
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal but not blocking: the timeline stays live behind it
        self.diverged_box = box

    def _on_failed(self, details: str) -> None:
        self.pause()
        from netviz.ui.errors import report_error

        report_error("Training stopped by an unexpected error", details, self)

    def _set_icon(self, action: QAction, which: QStyle.StandardPixmap) -> None:
        self._icons[action] = which
        action.setIcon(theme_icon(self.style(), which, THEMES[self.theme_name]))

    def set_theme(self, name: str) -> None:
        self.theme_name = name
        self.theme_actions[name].setChecked(True)
        self.setPalette(window_palette(THEMES[name]))
        for action, which in self._icons.items():
            self._set_icon(action, which)
        style = "" if name == "light" else check_box_style(THEMES[name], size=12)
        for box in (self.cycle_box, self.follow_box):
            box.setStyleSheet(style)
        self.loss_plot.set_theme(THEMES[name])
        self.predictions.set_theme(THEMES[name])
        self._shown_dirty = True

    def _on_about(self) -> None:
        from netviz import __version__

        QMessageBox.about(
            self, "About netviz",
            f"netviz {__version__}\n\nWatch a neural network learn: every epoch of training, "
            "drawn, replayable and exportable.",
        )  # fmt: skip

    # ---------------------------------------------------------------- files
    def new_run(self) -> None:
        """Choose data and network (File > New run), then train them from scratch."""
        from netviz.ui.run_dialog import RunDialog

        was_playing = self.playing
        self.pause()
        dialog = RunDialog(self.spec, self.dataset, parent=self)
        if dialog.exec() != RunDialog.DialogCode.Accepted or not self._may_discard("Start a new run?"):
            if was_playing:
                self.play()
            return
        self.start_run(*dialog.result_run(), spec=dialog.result_spec())

    def start_run(self, config: TrainConfig, dataset: Dataset, spec: RunSpec | None = None) -> None:
        """Replace the run with a new one of this configuration and data (chosen as `spec`), at epoch 0."""
        self.config, self.dataset = config, dataset
        self.spec = spec or RunSpec.describing(config, dataset)
        self.input_row = -1 if dataset.new_situation is not None else 0
        self.session_path = None
        self.target_box.setValue(config.epochs)
        self._new_run()
        self.follow_latest = True
        self.follow_box.setChecked(True)

    def _update_title(self) -> None:
        name = os.path.basename(self.session_path) if self.session_path else "untitled"
        star = "*" if self.has_unsaved_work() else ""
        self.setWindowTitle(f"{name}{star} — netviz")

    def has_unsaved_work(self) -> bool:
        return self.trainer is not None and self.history.latest_epoch > self._saved_epoch

    def view_settings(self) -> dict:
        return {
            "theme": self.theme_name, "epoch": self.shown_epoch, "input_row": self.input_row,
            "target": self.target_box.value(), "speed": self.speed_box.currentIndex(), "follow": self.follow_latest,
        }  # fmt: skip

    def open_session(self, path: str) -> bool:
        """Load a .netviz file; a bad one shows a dialog and leaves the current run as it was."""
        from netviz.engine.session import SessionError, load_session

        try:
            session = load_session(path)
        except (SessionError, OSError) as exc:
            self._error_box("Could not open the session", str(exc))
            return False
        self.pause()
        self._stop_worker()
        self.config, self.dataset = session.config, session.dataset
        self.spec = session.spec or RunSpec()  # a recorded run's New run starts from the defaults
        view = session.view or {}
        self.input_row = int(view.get("input_row", -1))
        trainer = None
        if not session.recorded:
            latest = session.history.latest_epoch
            trainer = Trainer(self.config, self.dataset)
            trainer.set_state(session.history.weights_at(latest), latest)
        self.session_path = path
        self._attach(session.history, trainer)
        if view.get("theme") in THEMES:
            self.set_theme(view["theme"])
        target = view.get("target")
        self.target_box.setValue(target if isinstance(target, int) and target >= 1 else self.history.latest_epoch)
        speed = view.get("speed")
        if isinstance(speed, int) and 0 <= speed < self.speed_box.count():
            self.speed_box.setCurrentIndex(speed)
        epoch = view.get("epoch")
        if isinstance(epoch, int) and 0 <= epoch <= self.history.latest_epoch:
            self.follow_latest = False
            self.follow_box.setChecked(False)
            self._show(epoch)
            self._render_shown()
        if view.get("follow") is True:
            self.go_end()
        self._remember_recent(path)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def save(self) -> bool:
        return self.save_as(self.session_path) if self.session_path else self.save_as()

    def save_as(self, path: str | None = None) -> bool:
        """Write the run (configuration, data, every epoch, view) to a .netviz file, atomically."""
        from netviz.engine.session import SessionError, save_session

        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Save session", "run.netviz", "netviz sessions (*.netviz)")
            if not path:
                return False
            if not path.lower().endswith(".netviz"):
                path += ".netviz"
        try:
            save_session(path, self.history, self.view_settings(), self.spec)
        except (SessionError, OSError, ValueError) as exc:
            self._error_box("Could not save the session", str(exc))
            return False
        self.session_path = path
        self._saved_epoch = self.history.latest_epoch
        self._remember_recent(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _on_open(self) -> None:
        if not self._may_discard("Open another session?"):
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open session", "", "netviz sessions (*.netviz);;All files (*)")
        if path:
            self.open_session(path)

    def _remember_recent(self, path: str) -> None:
        settings = QSettings("netviz", "netviz")
        recent = [p for p in settings.value("recent", [], type=list) if p != path]
        settings.setValue("recent", [os.path.abspath(path), *recent][:8])
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = QSettings("netviz", "netviz").value("recent", [], type=list)
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(
                lambda _=False, p=path: self._may_discard("Open another session?") and self.open_session(p)
            )
        self.recent_menu.setEnabled(bool(recent))

    def _open_recent(self, path: str) -> None:
        if self._may_discard("Open another session?"):
            self.open_session(path)

    def _may_discard(self, question: str) -> bool:
        """True when there is no unsaved training, or the user saved it or chose to discard it."""
        if not self.has_unsaved_work() or not self.confirm_discard:
            return True
        answer = QMessageBox.question(
            self, "Unsaved training", f"{question}\n\nThe epochs trained since the last save are not saved.",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _error_box(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # stays up until dismissed; the window behind keeps working
        self.error_box = box

    def save_picture(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save picture", f"netviz-epoch-{self.shown_epoch}.png", "PNG (*.png)"
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        from netviz.render.still import save_still

        try:
            save_still(path, self.canvas.frame, (1280, 800))
        except OSError as exc:
            QMessageBox.critical(self, "Could not save the picture", str(exc))
            return
        self.statusBar().showMessage(f"Saved {path}", 4000)

    def export_animation(self) -> None:
        try:
            from netviz.ui.export_dialog import ExportDialog
        except ImportError:
            QMessageBox.information(self, "Export", "Animation export is not available in this build.")
            return
        was_playing = self.playing
        self.pause()
        inputs, _ = self._selected_input()
        dialog = ExportDialog(self.history, self.theme_name, inputs, None, parent=self)
        dialog.exec()
        if was_playing:
            self.play()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Space:
            return True  # not claimed by the table: the window's Space shortcut runs
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- close
    def closeEvent(self, event) -> None:
        if not self._may_discard("Close netviz?"):
            event.ignore()
            return
        self.timer.stop()
        self._stop_worker()
        super().closeEvent(event)

"""The netviz window: a run, a playhead, and the views of the epoch it shows.

The window composes small parts: the playback model (what is shown, netviz.player), the clock
(pacing and turns with the trainer), the transport toolbar, session files, theming and the
panels (drawing, timeline, loss plot, table), which all implement set_run / show_epoch /
set_theme. Views never set each other: each reads the playback model, and in each frame the
window hands every panel the same epoch. See docs/ARCHITECTURE.md.
"""

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from netviz.engine import segments
from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.runspec import RunSpec, middle_of_inputs
from netviz.engine.training import TrainConfig, Trainer, blog_config
from netviz.player.model import Playback
from netviz.player.run import Run
from netviz.player.timeline import Timeline
from netviz.scene.style import DEFAULT_THEME, DEFAULT_WEIGHT_SCALE, THEMES, weight_scale
from netviz.ui import view_state
from netviz.ui.canvas import NetworkCanvas
from netviz.ui.changes import ChangesOverlay
from netviz.ui.clock import PlaybackClock
from netviz.ui.edit_tools import EditTools
from netviz.ui.files import SessionFiles
from netviz.ui.learn import LearnMode
from netviz.ui.live_edit import LiveEdits
from netviz.ui.loss_plot import LossPlot
from netviz.ui.menus import Menus
from netviz.ui.predictions import PredictionsPanel
from netviz.ui.status import StatusLabels
from netviz.ui.theming import apply_theme, install_style
from netviz.ui.think import ThinkClock
from netviz.ui.timeline import TimelineSlider
from netviz.ui.training_panel import TrainingPanel
from netviz.ui.transport import Transport
from netviz.ui.worker import TrainingWorker


class MainWindow(QMainWindow):
    confirm_discard = True  # ask before closing or opening over unsaved training (tests turn it off)
    frame_shown = pyqtSignal(int)  # epoch every view was just given, in one frame

    def __init__(self, config: TrainConfig | None = None, dataset: Dataset | None = None):
        super().__init__()
        self.resize(1280, 860)
        self.theme_name = DEFAULT_THEME
        self.weight_scale_kind = DEFAULT_WEIGHT_SCALE
        self.playback = Playback()
        self.worker: TrainingWorker | None = None
        self.trainer: Trainer | None = None
        self._dirty = True  # something shown changed: the next frame redraws
        self._think = ThinkClock()
        self._run_max_abs = 0.0  # the largest |weight| seen in the run (for the "run" weight scale)
        self.files = SessionFiles(self)
        self.live_edits = LiveEdits(self)  # edits of the run at the shown epoch, and their undo
        self.follower = None  # a Follower while the run shown is a recording still being written
        self.clock = PlaybackClock(self.playback, self._draw, self)
        install_style()
        self._build_widgets()
        self.transport = Transport(self, self.playback, self.step, self.reset)
        for bar in self.transport.toolbars:
            self.addToolBar(bar)
        self.menus = Menus(self)
        self.learn = LearnMode(self)
        self.changes = ChangesOverlay(self.canvas)  # View > Show changes
        self.edit_tools = EditTools(self)  # edit weights, paint points, Discretize output
        self.panels.append(self.edit_tools)
        self.menus.scale_actions[self.weight_scale_kind].setChecked(True)
        self._connect_model()
        self.start_run(config or blog_config(), dataset or blog())
        self.set_theme(self.theme_name)
        self.clock.start()

    # ------------------------------------------------------------------ layout
    def _build_widgets(self) -> None:
        self.canvas = NetworkCanvas()
        self.canvas.hovered.connect(self._on_hovered)
        self.timeline = Timeline(self.playback)  # the epoch axis the slider and the loss plot share
        self.timeline_slider = TimelineSlider(self.playback, self.timeline)
        self.loss_plot = LossPlot(self.playback, self.timeline)
        self.predictions = PredictionsPanel(blog())
        self.predictions.row_selected.connect(self.playback.set_input_row)
        self.predictions.new_situation_changed.connect(self._on_new_situation_changed)
        self.training_panel = TrainingPanel(self)
        self.panels = [self.canvas, self.loss_plot, self.predictions, self.training_panel]

        # The slider stands right above the loss plot, aligned with its axis: epoch above epoch.
        timeline = QWidget()
        column = QVBoxLayout(timeline)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.timeline_slider)
        column.addWidget(self.loss_plot, 1)
        self.loss_plot.span_changed.connect(self._align_timeline)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(timeline)
        bottom.addWidget(self.predictions)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        top = QSplitter(Qt.Orientation.Horizontal)  # the drawing, and the settings it trains under beside it
        top.addWidget(self.canvas)
        top.addWidget(self.training_panel)
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 0)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([520, 320])
        self.setCentralWidget(split)

        self.status = StatusLabels(self.statusBar())

    def _connect_model(self) -> None:
        events = self.playback.events
        for event in (events.epoch, events.latest, events.playing, events.target):
            event.connect(self._mark_dirty)
        events.playing.connect(self._on_playing)
        events.input_row.connect(self._on_input_row)
        events.think.connect(self._on_think)
        events.finished.connect(self._on_finished)

    def _align_timeline(self) -> None:
        left, right = self.loss_plot.unit_span()
        offset = self.loss_plot.x() - self.timeline_slider.x()  # both in one column: normally 0
        self.timeline_slider.align_to(left + offset, right + offset)

    def _mark_dirty(self, *_) -> None:
        self._dirty = True

    # ------------------------------------------------------------------ the run
    @property
    def history(self):
        return self.run.history

    @property
    def config(self) -> TrainConfig:
        return self.run.config

    @property
    def dataset(self) -> Dataset:
        return self.run.dataset

    def start_run(self, config: TrainConfig, dataset: Dataset, spec: RunSpec | None = None) -> None:
        """A new run of this configuration and data (chosen as `spec`), at epoch 0 (its starting weights)."""
        self.spec = spec or RunSpec.describing(config, dataset)
        test = self._test_rows(config, dataset)
        history = History(config, dataset, test=test)
        trainer = segments.train(history, 0, self.spec.changes, self.spec)  # the worker makes the later changes
        self._attach(history, trainer, target=config.epochs)
        self.files.forget(saved_epoch=0)
        self.live_edits.forget()
        self.update_title()

    def show_session(self, session) -> None:
        """Swap in a loaded session (its history, trainer if it trains, and view settings)."""
        # Built before anything is swapped: a failure leaves the window as it was. The trainer goes on
        # under the last segment's settings and rows.
        trainer = None if session.recorded else segments.resume(session.history)
        self.live_edits.forget()
        view = session.view or {}
        self.spec = session.spec or RunSpec()  # a recorded run's New run starts from the defaults
        self._attach(session.history, trainer, target=view_state.valid_target(view) or session.history.latest_epoch)
        self.playback.show(session.history.latest_epoch)  # what it learned, unless the view names an epoch
        view_state.apply_view(self, view)

    def follow_recording(self, live) -> None:
        """Show the recording `live` grow as its writer goes on (netviz.live), on its newest epoch."""
        from netviz.ui.follow import Follower

        if self.follower is not None:
            self.follower.stop()
        self.follower = Follower(self, live)
        self.follower.changed.connect(self._mark_dirty)
        self.playback.go_end()

    @property
    def recording(self) -> bool:
        """True while the run shown is a recording that its writer is still adding epochs to."""
        return self.follower is not None and self.follower.recording and self.follower.live.history is self.history

    def _attach(self, history, trainer: Trainer | None, target: int, edited: bool = False) -> None:
        """Show this history; with a trainer, Play trains on from its newest epoch.

        edited: the same run after an edit, whose epoch axis (log or linear, zoom) stays as the user set it.
        """
        self._stop_worker()
        self.trainer = trainer
        if history.dataset.new_situation is None:  # every run asks about one (a recording may name none)
            history.dataset.new_situation = middle_of_inputs(history.dataset)
        self.run = Run(history, trainable=trainer is not None)
        if trainer is not None:
            self.worker = TrainingWorker(trainer, history, self.spec)  # it makes the spec's changes as they come
            self.worker.diverged.connect(self._on_diverged)
            self.worker.failed.connect(self._on_failed)
            self.worker.start()
        self.clock.attach(history, self.worker)
        weights = history.keyframes()[:, self.config.arch.weight_index()]
        self._run_max_abs = float(np.nanmax(np.abs(weights), initial=0.0))
        for panel in self.panels:
            panel.set_run(self.run)
        self.playback.reset(history.latest_epoch, target, can_train=trainer is not None)
        if not edited:
            self.timeline.reset()  # after the playback: the axis spans what this run can reach
        edits = getattr(history, "segments", [])[1:]
        self.timeline_slider.set_marks([(s.start, segments.describe(s.edit)) for s in edits])
        row = self.playback.input_row
        valid = 0 <= row < len(self.dataset) or row == self._default_row() == -1
        self.playback.set_input_row(row if valid else self._default_row())
        self._on_input_row(self.playback.input_row)
        self.transport.set_trainable(trainer is not None)
        self._update_scale()
        self._dirty = True

    def _test_rows(self, config: TrainConfig, dataset: Dataset) -> Dataset | None:
        """The rows the spec holds out for testing, when `dataset` is the spec's own (else none)."""
        if not self.spec.test_fraction:
            return None
        try:
            built_config, rows, test = self.spec.build_split()
        except ValueError:
            return None
        same = built_config == config and rows.inputs.shape == dataset.inputs.shape
        return test if same and (rows.inputs == dataset.inputs).all() else None

    def stop_training(self) -> None:
        """Pause and end the trainer thread (waited for): nothing extends the history until resume_training."""
        self._stop_worker()
        self.clock.attach(self.history, None)

    def resume_training(self, trainer: Trainer, epoch: int) -> None:
        """After an edit of the history: train on with `trainer`, every panel redrawn, `epoch` shown."""
        self._attach(self.history, trainer, max(self.playback.target, self.history.latest_epoch), edited=True)
        self.playback.show(epoch)

    def _default_row(self) -> int:
        """The new situation if the data has one (or no rows at all), else the first row."""
        return -1 if self.dataset.new_situation is not None or len(self.dataset) == 0 else 0

    def _stop_worker(self) -> None:
        self.playback.pause()
        if self.worker is not None:
            self.worker.stop()
            self.worker.wait()
            self.worker.deleteLater()
            self.worker = None

    def reset(self) -> None:
        """Train again from the same starting weights, to the same target, making the spec's changes again.

        An opened session stays linked to its file (Save writes there), marked edited.
        """
        target = self.playback.target
        path, notes = self.files.path, self.files.notes
        first = self.history.segments[0] if hasattr(self.history, "segments") else self.run  # before any edit
        self.start_run(first.config, first.dataset, self.spec)
        self.playback.set_target(target)
        self.files.trained_again(path, notes)

    def new_run(self) -> None:
        """Choose data and network (File > New run), then train them from scratch."""
        from netviz.ui.run_dialog import RunDialog

        was_playing = self.playback.playing
        self.playback.pause()
        dialog = RunDialog(self.spec, self.dataset, parent=self)
        if dialog.exec() != RunDialog.DialogCode.Accepted or not self.files.may_discard("Start a new run?"):
            if was_playing:
                self.playback.play()
            return
        self.start_run(*dialog.result_run(), spec=dialog.result_spec())

    # ---------------------------------------------------------------- navigation
    @property
    def shown_epoch(self) -> int:
        return self.playback.epoch

    @property
    def playing(self) -> bool:
        return self.playback.playing

    def play(self) -> None:
        self.playback.play()

    def pause(self) -> None:
        self.playback.pause()

    def go_start(self) -> None:
        self.playback.go_start()

    def go_end(self) -> None:
        self.playback.go_end()

    def step(self, n: int) -> None:
        """Show n epochs later (training them if needed) or earlier; pauses playing."""
        if self.learn.active and self.learn.step_stage(n):
            return  # Learn mode: the arrows step through the stages of one epoch's step
        p = self.playback
        wanted = p.step(n)
        if n > 0 and wanted == p.epoch == p.latest:
            why = f"the target of {p.target:,} epochs: raise 'Train to' to go on" if p.can_train else "its last epoch"
            self.statusBar().showMessage(f"The run is at {why}.", 4000)
        elif wanted > p.latest:
            self.clock.want(wanted)

    # ---------------------------------------------------------------- one frame
    def _draw(self) -> None:
        """Called by the clock in each turn: every view shows the playhead's epoch, in the same frame."""
        if self.playback.think:
            self._advance_think()
        if self.weight_scale_kind == "run" and (self.run.trainable or self.recording):
            self._grow_run_scale()
        if not self._dirty:
            return
        self._dirty = False
        epoch = self.playback.epoch
        for panel in self.panels:
            panel.show_epoch(epoch)
        self.status.update(self)
        if self.run.trainable:
            self.update_title()
        self.frame_shown.emit(epoch)

    def update_title(self) -> None:
        title = self.files.title()
        if title != self.windowTitle():
            self.setWindowTitle(title)

    # ------------------------------------------------------------- what is shown
    def selected_input(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        row = self.playback.input_row
        if row < 0:
            return self.dataset.new_situation, None
        return self.dataset.inputs[row], self.dataset.targets[row]

    def _on_input_row(self, row: int) -> None:
        self.predictions.select_row(row)
        self.canvas.set_input(*self.selected_input())
        self._think.restart()
        self._dirty = True

    def _on_new_situation_changed(self, values) -> None:
        self.dataset.new_situation = np.array(values, dtype=np.float64)
        self.files.mark_edited()
        self.canvas.set_input(*self.selected_input())
        self._dirty = True

    def _on_think(self, on: bool) -> None:
        self._think.restart()
        if not on:
            self.canvas.set_think(None)
        self._dirty = True

    def _advance_think(self) -> None:
        layers = len(self.config.arch.layers) - 1
        if self._think.done(layers):
            if not self.transport.cycle_box.isChecked():
                return
            row = self.playback.input_row + 1
            self.playback.set_input_row(row if row < len(self.dataset) else self._default_row())
        self.canvas.set_think(self._think.think(layers, self.selected_input()[1]))
        self._dirty = True

    def _on_playing(self, playing: bool) -> None:
        # Smooth wide lines take Qt ~5 ms a frame even for the blog's 16: only when still.
        self.canvas.antialias = not playing
        if playing:
            self.statusBar().clearMessage()  # "End of the run..." is over once it plays again

    def _on_finished(self, why: str) -> None:
        more = " or raise 'Train to' to go on" if why == "target" else ""
        # The epoch is beside it in the status bar: the message keeps to what to do, to fit a small window.
        self.statusBar().showMessage(f"End of the run: Play replays from 0{more}.", 5000)

    def _on_hovered(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, 3000)

    # ------------------------------------------------------------- looks
    def set_theme(self, name: str) -> None:
        self.theme_name = name
        theme = THEMES[name]
        self.menus.theme_actions[name].setChecked(True)
        apply_theme(self, theme)
        self.transport.set_theme(theme)
        self.timeline_slider.set_theme(theme)
        for panel in self.panels:
            panel.set_theme(theme)
        self._dirty = True

    def set_weight_scale(self, kind: str) -> None:
        self.weight_scale_kind = kind
        self.menus.scale_actions[kind].setChecked(True)
        self._update_scale()
        self._dirty = True

    def _update_scale(self) -> None:
        self.canvas.set_scale(weight_scale(self.weight_scale_kind, run_max_abs=max(self._run_max_abs, 1e-6)))

    def _grow_run_scale(self) -> None:
        """The "run" scale reaches to the largest weight trained so far (it is meant for finished runs)."""
        theta = self.history.weights_at(self.history.latest_epoch)
        biggest = float(np.nanmax(np.abs(theta[self.config.arch.weight_index()]), initial=0.0))
        if biggest > self._run_max_abs:
            self._run_max_abs = biggest
            self._update_scale()
            self._dirty = True

    # ------------------------------------------------------------- sessions
    def view_settings(self) -> dict:
        return view_state.view_settings(self)

    def open_session(self, path: str) -> bool:
        return self.files.open_session(path)

    def save_as(self, path: str | None = None) -> bool:
        return self.files.save_as(path)

    def has_unsaved_work(self) -> bool:
        return self.files.has_unsaved_work()

    # ------------------------------------------------------------- reports
    def _on_diverged(self, message: str) -> None:
        self.playback.pause()
        self.playback.can_train = False  # what was trained can still be replayed
        self.playback.set_latest(self.history.latest_epoch)
        self.playback.go_end()
        self.transport.set_trainable(False)
        box = QMessageBox(QMessageBox.Icon.Warning, "Training diverged",
                          f"{message[0].upper()}{message[1:]}.", parent=self)  # fmt: skip
        box.setInformativeText(
            f"Every epoch up to {self.history.latest_epoch:,} is kept and can be replayed. "
            "Try a smaller learning rate in File > New run."
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal but not blocking: the timeline stays live behind it
        self.diverged_box = box

    def _on_failed(self, details: str) -> None:
        self.playback.pause()
        from netviz.ui.errors import report_error

        report_error("Training stopped by an unexpected error", details, self)

    # ------------------------------------------------------------- events
    def closeEvent(self, event) -> None:
        if not self.files.may_discard("Close netviz?"):
            event.ignore()
            return
        self.clock.stop()
        self._stop_worker()
        super().closeEvent(event)

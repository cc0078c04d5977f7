"""Learn mode: the training step from the shown epoch to the next, in stages, over the network drawing.

The stages (forward, error, backward, update, next) are stepped with the arrow keys or played;
hovering a synapse or neuron shows its formula with the step's real numbers. The chosen input
row is the row shown; the new situation (not a training row) shows the whole batch. Learn mode
replays the run's own training, so a recorded run (trained elsewhere) has none.
"""

from PyQt6.QtCore import QElapsedTimer, QEvent, QObject, QPointF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QAction, QKeySequence, QMouseEvent, QWheelEvent
from PyQt6.QtWidgets import QToolTip, QWidget

from netviz.engine.explain import neuron_formula, synapse_formula
from netviz.engine.learn import LearnStep, learn_step
from netviz.render.learn import paint_learn
from netviz.render.painter import GeometryCache, painting
from netviz.scene.learn import STAGES
from netviz.scene.style import THEMES

STAGE_MS = 1400  # how long a stage takes when playing
TICK_MS = 33


class LearnView(QWidget):
    """Lies over the canvas while Learn mode is on: paints the stage, and tells the formula under the mouse."""

    hovered = pyqtSignal(str)  # the formula under the mouse, "" for none

    def __init__(self, canvas: QWidget, mode: "LearnMode"):
        super().__init__(canvas)
        self.mode = mode
        self.scene = None
        self._cache = GeometryCache()
        self.canvas = canvas
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        canvas.installEventFilter(self)
        canvas.painted.connect(self._on_canvas_painted)  # a zoom or pan of the canvas redraws it
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(0, 0, watched.width(), watched.height())
        return False

    def paintEvent(self, event) -> None:
        learn = self.mode.current()
        if learn is None:
            return
        w = self.mode.window
        with painting(self) as painter:
            self.scene, _ = paint_learn(
                painter, self.width(), self.height(), learn, self.mode.stage, self.mode.progress,
                THEMES[w.theme_name], w.canvas.scale, w.run.labels, self._cache,
                view=self.canvas.view_transform(), hint=True,
            )  # fmt: skip

    def _on_canvas_painted(self) -> None:
        if self.isVisible():
            self.update()

    # Zoom and pan are the canvas' own: the mode draws the network where the canvas shows it.
    def wheelEvent(self, event: QWheelEvent) -> None:
        self.canvas.wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.canvas.mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.canvas.mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.canvas.mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:  # a drag pans
            self.canvas.mouseMoveEvent(event)
            return
        text = self.describe_at(event.position())
        self.hovered.emit(" · ".join(text.splitlines()[:2]))  # the status bar's line; the tooltip has it all
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()

    def describe_at(self, pos: QPointF) -> str:
        """The formula of the neuron or synapse at a widget position, with the step's numbers."""
        learn = self.mode.current()
        if self.scene is None or learn is None:
            return ""
        g, labels = self.scene.geometry, self.scene.labels
        view = self.canvas.view_transform()
        if view is not None:  # from the widget to the drawing's own coordinates
            pos = view.inverted()[0].map(pos)
        neuron = g.neuron_at(pos.x(), pos.y())
        if neuron is not None:
            layer = int(g.layer_of[neuron])
            first = int(g.layer_start[layer])
            if layer == 0:
                return f"{labels[neuron]}: an input, the rows' own values ({learn.step.rows.size} rows in the step)"
            return neuron_formula(learn, layer, neuron - first, labels[first : int(g.layer_start[layer + 1])])
        edge = g.edge_at(pos.x(), pos.y())
        if edge is None:
            return ""
        source, target = int(g.edge_source[edge]), int(g.edge_target[edge])
        layer = int(g.edge_layer[edge])
        i, j = source - int(g.layer_start[layer]), target - int(g.layer_start[layer + 1])
        return synapse_formula(learn, layer, i, j, [labels[source], labels[target]])


class LearnMode(QObject):
    """The mode's state (on, stage, progress, playing) and its controls: Learn (L) beside Think, and
    the arrow keys, which the window hands over while the mode is on (see `step_stage`)."""

    changed = pyqtSignal()  # the stage, its progress or the step shown changed

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.active = self.playing = False
        self.stage_index, self.progress = 0, 1.0
        self._learn: LearnStep | None = None
        self._learn_key = None  # (history, epoch, row) the step was computed for
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self.view = LearnView(window.canvas, self)
        self.view.hovered.connect(window._on_hovered)
        self.act_learn = QAction("Learn", window)
        self.act_learn.setCheckable(True)
        self.act_learn.setShortcut(QKeySequence("L"))
        tip = "Watch one training step in stages: ← → step through them, Space plays them; hover for the numbers"
        self.act_learn.setToolTip(f"{tip} (L)")
        self.act_learn.setStatusTip(tip)
        self.act_learn.toggled.connect(self.set_active)
        window.addAction(self.act_learn)
        bar = window.transport.think_bar
        bar.insertAction(bar.actions()[1], self.act_learn)  # beside Think, before "cycle rows"
        bar.widgetForAction(self.act_learn).setAutoRaise(False)  # a framed toggle, as Think is
        window.transport.actions.append(self.act_learn)  # listed in Help > Keyboard shortcuts
        events = window.playback.events
        events.epoch.connect(self._on_step_shown_changed)
        events.input_row.connect(self._on_step_shown_changed)
        events.playing.connect(self._on_playing)
        window.frame_shown.connect(self._on_frame_shown)

    @property
    def stage(self) -> str:
        return STAGES[self.stage_index]

    def current(self) -> LearnStep | None:
        """The step from the shown epoch to the next, for the chosen row (computed once per run, epoch and row)."""
        w = self.window
        if not self.active or not w.run.trainable:  # a recording just opened: the mode ends with the next frame
            return None
        row = w.playback.input_row if w.playback.input_row >= 0 else None
        key = (w.history, w.playback.epoch, row)
        if key != self._learn_key:
            self._learn, self._learn_key = learn_step(w.history, w.playback.epoch, row), key
        return self._learn

    def set_active(self, on: bool) -> None:
        if on and not self.window.run.trainable:
            self.window.statusBar().showMessage(
                "Learn mode replays netviz's own training: a recorded run has none to show.", 5000
            )
            self.act_learn.setChecked(False)
            return
        if on == self.active:
            return
        self.active = on
        self.act_learn.setChecked(on)
        self.window.playback.pause()
        self._learn = self._learn_key = None
        self.stage_index, self.progress = 0, 1.0
        self.set_playing(False)
        self.view.setVisible(on)
        if on:
            self.view.setGeometry(self.window.canvas.rect())
            self.view.raise_()
        self.changed.emit()

    def set_stage(self, stage: str, progress: float = 1.0) -> None:
        self.stage_index, self.progress = STAGES.index(stage), progress
        self.view.update()
        self.changed.emit()

    def step_stage(self, n: int) -> bool:
        """Move n stages on (back if negative); False when that leaves the epoch, for the window to move
        to the next (or previous) epoch: its first (or last) stage is then shown."""
        index = self.stage_index + n
        if 0 <= index < len(STAGES):
            self.set_stage(STAGES[index])
            return True
        self.set_stage(STAGES[0] if n > 0 else STAGES[-1])
        return False

    def set_playing(self, on: bool) -> None:
        self.playing = on
        if on:
            self._clock.restart()
            self._timer.start()
        else:
            self._timer.stop()

    def _tick(self) -> None:
        """Playing: the stage's progress grows; past a stage's end the next begins, past the last the next epoch."""
        self.progress += self._clock.restart() / STAGE_MS
        if self.progress < 1.0:
            self.view.update()
            return
        if self.stage_index + 1 < len(STAGES):
            self.set_stage(STAGES[self.stage_index + 1], 0.0)
            return
        p = self.window.playback
        if p.epoch >= p.latest and (not p.can_train or p.epoch >= p.target):
            self.set_playing(False)  # the run ends here: nothing to train or show after this step
            return
        self.window.step(1)  # the window trains the next epoch if needed
        self.progress = 0.0

    def _on_step_shown_changed(self, *_) -> None:
        self.view.update()

    def _on_frame_shown(self, _epoch: int) -> None:
        """The window drew a frame (a new run, theme or scale among the reasons): draw the stage again."""
        if self.active and not self.window.run.trainable:
            self.set_active(False)  # a recording was opened: it has no training to show
        self.view.update()

    def _on_playing(self, playing: bool) -> None:
        """Space plays the stages instead of training while the mode is on."""
        if self.active and playing:
            self.window.playback.pause()
            self.set_playing(not self.playing)

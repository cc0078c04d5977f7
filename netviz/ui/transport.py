"""The transport toolbar: play, step, jump, speed, train-to, reset and Think, bound to the playback model.

Every control reads the model and writes it; none sets another. Stepping past the newest epoch
and Reset need the trainer, so they call back into the window (`on_step`, `on_reset`).
"""

from collections.abc import Callable

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QCheckBox, QComboBox, QLabel, QSpinBox, QStyle, QToolBar, QWidget

from netviz.engine.runspec import MAX_EPOCHS
from netviz.player.model import SPEED_LABELS, Playback
from netviz.scene.style import Theme
from netviz.ui.theming import check_box_style, theme_icon

NO_TRAINER_TIP = "A recorded run: it can be played, stepped and scrubbed, but netviz cannot train it further."


class Transport(QObject):
    """Builds the toolbar of `window` and keeps its controls in step with `playback`."""

    def __init__(self, window: QWidget, playback: Playback, on_step: Callable[[int], None],
                 on_reset: Callable[[], None]):  # fmt: skip
        super().__init__(window)
        self.window, self.playback = window, playback
        self._on_step, self._on_reset = on_step, on_reset
        self._icons: dict[QAction, QStyle.StandardPixmap] = {}  # redrawn for each theme
        self._theme: Theme | None = None
        self.actions: list[QAction] = []  # every action with a key, for Help > Keyboard shortcuts
        self.toolbar = self._build()
        events = playback.events
        events.playing.connect(self._update_playing)
        events.speed.connect(self._update_speed)
        events.target.connect(self._update_target)
        events.think.connect(self.act_think.setChecked)

    def _action(self, text, tip, slot, keys=(), checkable=False, icon=None) -> QAction:
        a = QAction(text, self.window)
        if icon is not None:
            self._icons[a] = icon
            a.setIcon(self.window.style().standardIcon(icon))
        a.setToolTip(f"{tip} ({', '.join(keys)})" if keys else tip)
        a.setStatusTip(tip)
        a.setShortcuts([QKeySequence(k) for k in keys])
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        a.setCheckable(checkable)
        (a.toggled if checkable else a.triggered).connect(slot)
        self.window.addAction(a)
        if keys:
            self.actions.append(a)
        return a

    def _build(self) -> QToolBar:
        p, icons = self.playback, QStyle.StandardPixmap
        bar = QToolBar("Transport")
        bar.setObjectName("transport")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.act_start = self._action("Start", "Go to the first epoch", p.go_start, ["Home"],
                                      icon=icons.SP_MediaSkipBackward)  # fmt: skip
        self.act_back_n = self._action("Back N", "Back N epochs (N: the jump box)", lambda: self._step(-1, jump=True),
                                       ["Shift+Left"], icon=icons.SP_MediaSeekBackward)  # fmt: skip
        self.act_back = self._action(
            "Back", "Back one epoch", lambda: self._step(-1), ["Left"], icon=icons.SP_ArrowLeft
        )
        self.act_play = self._action("Play", "Play / pause", self._on_play_clicked, ["Space"], checkable=True,
                                     icon=icons.SP_MediaPlay)  # fmt: skip
        self.act_fwd = self._action("Forward", "Forward one epoch (training it if needed)", lambda: self._step(1),
                                    ["Right"], icon=icons.SP_ArrowRight)  # fmt: skip
        self.act_fwd_n = self._action("Forward N", "Forward N epochs (N: the jump box)",
                                      lambda: self._step(1, jump=True), ["Shift+Right"],
                                      icon=icons.SP_MediaSeekForward)  # fmt: skip
        self.act_end = self._action("End", "Go to the newest epoch and follow it", p.go_end, ["End"],
                                    icon=icons.SP_MediaSkipForward)  # fmt: skip
        for a in (self.act_start, self.act_back_n, self.act_back, self.act_play, self.act_fwd, self.act_fwd_n,
                  self.act_end):  # fmt: skip
            bar.addAction(a)

        bar.addSeparator()
        bar.addWidget(QLabel(" Jump "))
        self.jump_box = QSpinBox()
        self.jump_box.setRange(1, 1_000_000)
        self.jump_box.setValue(100)
        self.jump_box.setGroupSeparatorShown(True)
        self.jump_box.setSuffix(" epochs")
        self.jump_box.setToolTip("How far Shift+Left / Shift+Right and ⏪ ⏩ jump")
        bar.addWidget(self.jump_box)
        bar.addWidget(QLabel("  Speed "))
        self.speed_box = QComboBox()
        for name, text in SPEED_LABELS.items():
            self.speed_box.addItem(text, name)
        self.speed_box.setToolTip("Epochs a second, for replay and training alike")
        self.speed_box.currentIndexChanged.connect(lambda i: p.set_speed(self.speed_box.itemData(i)))
        self._update_speed(p.speed)
        bar.addWidget(self.speed_box)
        bar.addWidget(QLabel("  Train to "))
        self.target_box = QSpinBox()
        self.target_box.setRange(1, MAX_EPOCHS)
        self.target_box.setGroupSeparatorShown(True)
        self.target_box.setToolTip("Training stops at this epoch")
        self.target_box.valueChanged.connect(p.set_target)
        bar.addWidget(self.target_box)
        self.act_reset = self._action("Reset", "Train again from the same starting weights (same seed)",
                                      self._on_reset)  # fmt: skip
        bar.addAction(self.act_reset)
        bar.addSeparator()
        self.act_think = self._action("Think", "Watch one forward pass for the chosen input", p.set_think, ["T"],
                                      checkable=True)  # fmt: skip
        bar.addAction(self.act_think)
        self.cycle_box = QCheckBox("cycle rows")
        self.cycle_box.setToolTip("In Think mode, go through every training row and the new situation")
        bar.addWidget(self.cycle_box)
        return bar

    # ---------------------------------------------------------------- handlers
    def _step(self, direction: int, jump: bool = False) -> None:
        self._on_step(direction * (self.jump_box.value() if jump else 1))

    def _on_play_clicked(self, checked: bool) -> None:
        if checked != self.playback.playing:
            self.playback.toggle()
        self.act_play.setChecked(self.playback.playing)  # a play that could not start unchecks

    def _update_playing(self, playing: bool) -> None:
        self.act_play.setChecked(playing)
        self.act_play.setText("Pause" if playing else "Play")
        self._set_icon(
            self.act_play, QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )

    def _update_speed(self, name: str) -> None:
        self.speed_box.setCurrentIndex(self.speed_box.findData(name))

    def _update_target(self, target: int) -> None:
        if self.target_box.value() != target:
            self.target_box.setValue(min(target, MAX_EPOCHS))

    def set_trainable(self, trainable: bool) -> None:
        """A recording cannot be trained: the training controls are disabled and say why."""
        for widget in (self.target_box, self.act_reset):
            widget.setEnabled(trainable)
        self.target_box.setToolTip("Training stops at this epoch" if trainable else NO_TRAINER_TIP)
        tip = "Train again from the same starting weights (same seed)" if trainable else NO_TRAINER_TIP
        self.act_reset.setToolTip(tip)
        self.act_reset.setStatusTip(tip)

    def _set_icon(self, action: QAction, which: QStyle.StandardPixmap) -> None:
        self._icons[action] = which
        if self._theme is not None:
            action.setIcon(theme_icon(self.window.style(), which, self._theme))
        else:
            action.setIcon(self.window.style().standardIcon(which))

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for action, which in self._icons.items():
            self._set_icon(action, which)
        self.cycle_box.setStyleSheet(check_box_style(theme))

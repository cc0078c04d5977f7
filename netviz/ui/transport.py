"""The transport toolbar: play, step, jump, speed, train-to, reset and Think, bound to the playback model.

Every control reads the model and writes it; none sets another. Stepping past the newest epoch
and Reset need the trainer, so they call back into the window (`on_step`, `on_reset`).
"""

from collections.abc import Callable

from PyQt6.QtCore import QEvent, QObject, QSize, Qt
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QCheckBox, QComboBox, QLabel, QMainWindow, QSpinBox, QStyle, QToolBar, QWidget

from netviz.engine.runspec import MAX_EPOCHS
from netviz.player.model import SPEED_LABELS, Playback
from netviz.scene.style import Theme
from netviz.ui.theming import theme_icon

# The speed box shows these shorter names (its items' tooltips give the long ones), each saying it
# is a speed, so the box needs no label: the toolbar and Think's then share one row at 900 pixels.
SHORT_SPEED_LABELS = {"smooth": "Smooth speed", "1000": "1k epochs/s", "10000": "10k epochs/s", "max": "Top speed"}
ICON_SIZE = 20
MAX_JUMP = 100_000  # epochs; the slider reaches further
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
        self.think_bar = self._build_think_bar()
        self.toolbars = [self.toolbar, self.think_bar]  # for the window to add, in this order
        window.installEventFilter(self)
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
        bar.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.act_start = self._action("Start", "Go to the first epoch", p.go_start, ["Home"],
                                      icon=icons.SP_MediaSkipBackward)  # fmt: skip
        self.act_back_n = self._action("Jump back", "Back by the jump (the epochs in the jump box)",
                                       lambda: self._step(-1, jump=True), ["Shift+Left"],
                                       icon=icons.SP_MediaSeekBackward)  # fmt: skip
        self.act_back = self._action(
            "Back", "Back one epoch", lambda: self._step(-1), ["Left"], icon=icons.SP_ArrowLeft
        )
        # Not a toggle: its icon says what a click does (play, or pause while playing).
        self.act_play = self._action("Play", "Play / pause", self.playback.toggle, ["Space"], icon=icons.SP_MediaPlay)
        self.act_fwd = self._action("Forward", "Forward one epoch (training it if needed)", lambda: self._step(1),
                                    ["Right"], icon=icons.SP_ArrowRight)  # fmt: skip
        self.act_fwd_n = self._action("Jump forward", "Forward by the jump (the epochs in the jump box)",
                                      lambda: self._step(1, jump=True), ["Shift+Right"],
                                      icon=icons.SP_MediaSeekForward)  # fmt: skip
        self.act_end = self._action("End", "Go to the newest epoch and follow it", p.go_end, ["End"],
                                    icon=icons.SP_MediaSkipForward)  # fmt: skip
        for a in (self.act_start, self.act_back_n, self.act_back, self.act_play, self.act_fwd, self.act_fwd_n,
                  self.act_end):  # fmt: skip
            bar.addAction(a)

        bar.addSeparator()
        self.jump_box = QSpinBox()
        self.jump_box.setRange(1, MAX_JUMP)
        self.jump_box.setValue(100)
        self.jump_box.setGroupSeparatorShown(True)
        self.jump_box.setPrefix("jump ")
        self.jump_box.setSuffix(" epochs")
        self.jump_box.valueChanged.connect(lambda n: self.jump_box.setSuffix(" epoch" if n == 1 else " epochs"))
        self.jump_box.setToolTip("How far Shift+Left / Shift+Right and ⏪ ⏩ jump")
        # As wide as a jump of 10,000 needs, not the widest allowed: larger jumps scroll in the box.
        self.jump_box.setFixedWidth(self._spin_width(self.jump_box, 10_000))
        bar.addWidget(self.jump_box)
        self.speed_box = QComboBox()
        for name, text in SPEED_LABELS.items():
            self.speed_box.addItem(SHORT_SPEED_LABELS.get(name, text), name)
            self.speed_box.setItemData(self.speed_box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.speed_box.setToolTip("Epochs a second, for replay and training alike; Smooth: faster as it learns")
        self.speed_box.currentIndexChanged.connect(lambda i: p.set_speed(self.speed_box.itemData(i)))
        self._update_speed(p.speed)
        bar.addWidget(self.speed_box)
        bar.addWidget(_label("Train to"))
        self.target_box = QSpinBox()
        self.target_box.setRange(1, MAX_EPOCHS)
        self.target_box.setGroupSeparatorShown(True)
        self.target_box.setToolTip("Training stops at this epoch")
        self.target_box.valueChanged.connect(p.set_target)
        bar.addWidget(self.target_box)
        self.act_reset = self._action("Reset", "Train again from the same starting weights (same seed)",
                                      self._on_reset)  # fmt: skip
        bar.addAction(self.act_reset)
        return bar

    def _build_think_bar(self) -> QToolBar:
        """Think and its option: a toolbar of their own, which wraps to a second row in a narrow window."""
        bar = QToolBar("Think")
        bar.setObjectName("think")
        bar.setMovable(False)
        self.act_think = self._action("Think", "Watch one forward pass for the chosen input",
                                      self.playback.set_think, ["T"], checkable=True)  # fmt: skip
        bar.addAction(self.act_think)
        self.think_button = bar.widgetForAction(self.act_think)
        self.think_button.setAutoRaise(False)  # framed like a button even when off: it is a toggle
        self.cycle_box = QCheckBox("cycle rows")
        self.cycle_box.setToolTip("In Think mode, go through every training row and the new situation")
        bar.addWidget(self.cycle_box)
        return bar

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self._wrap()
        return False

    def _wrap(self) -> None:
        """Think's toolbar beside the transport where both fit the window's width, else on a row below."""
        if not isinstance(self.window, QMainWindow):
            return
        needed = sum(bar.sizeHint().width() for bar in self.toolbars)
        breaks = self.window.toolBarBreak(self.think_bar)
        if needed > self.window.width() and not breaks:
            self.window.insertToolBarBreak(self.think_bar)
        elif needed <= self.window.width() and breaks:
            self.window.removeToolBarBreak(self.think_bar)

    @staticmethod
    def _spin_width(spin: QSpinBox, value: int) -> int:
        """The width that shows value whole: the box's own width hint, less the text it sized for."""
        metrics = spin.fontMetrics()
        chrome = spin.sizeHint().width() - metrics.horizontalAdvance(_spin_text(spin, spin.maximum()))
        return chrome + metrics.horizontalAdvance(_spin_text(spin, value))

    # ---------------------------------------------------------------- handlers
    def _step(self, direction: int, jump: bool = False) -> None:
        self._on_step(direction * (self.jump_box.value() if jump else 1))

    def _update_playing(self, playing: bool) -> None:
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


def _spin_text(spin: QSpinBox, value: int) -> str:
    """What the spin box shows for value, prefix, separators and suffix included."""
    return spin.prefix() + spin.locale().toString(value) + " epochs"


def _label(text: str) -> QLabel:
    """A toolbar label, spaced from the control before it."""
    label = QLabel(text)
    label.setContentsMargins(6, 0, 2, 0)
    return label

"""The Training panel: the settings a run trains under, changed while it plays or is paused.

Each change is a live edit (netviz.ui.live_edit): a new segment at the shown epoch. The panel
shows the settings of the shown epoch's segment, so scrubbing back shows what trained there.
Noise and points take effect with Regenerate (new point data, the same seed); the test
fraction holds out that share of the rows at once.
"""

from dataclasses import replace

from PyQt6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netviz.engine import activations, presets, segments
from netviz.engine.changes import FULL_BATCH, TABLES
from netviz.engine.history import History, Segment
from netviz.player.run import Run
from netviz.scene.style import Theme

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # Playground's, and 10
RATES = (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # of regularisation
DEFAULT_RATE = 0.001  # offered when L1 or L2 is first chosen
BATCHES = (1, 2, 5, 10, 20, 30, 50, 100)
TEST_FRACTIONS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
REGULARISATIONS = ("none", "L1", "L2")


def rows_settings(history: History, epoch: int, spec) -> dict:
    """The noise, points and test fraction that `epoch` trained with: the last edits of them, else the spec's."""
    return {
        "noise": segments.current_noise(history, epoch, spec),
        "points": current(history, epoch, "points", spec.data.points),
        "test_fraction": current(history, epoch, "test_fraction", spec.test_fraction),
    }


def change_rows(spec, wanted: dict):
    """make_segment for new point data or another test split: the spec's data with the `wanted` rows settings."""

    def make(history: History, epoch: int) -> Segment:
        old = rows_settings(history, epoch, spec)
        changes = {key: [old[key], wanted[key]] for key in wanted if wanted[key] != old[key]}
        if not changes:
            raise ValueError("the noise, points and test data are as they were")
        data = (
            replace(spec.data, noise=wanted["noise"], points=wanted["points"])
            if spec.data.kind == "preset"
            else spec.data
        )
        _, rows, test = replace(spec, data=data, test_fraction=wanted["test_fraction"]).build_split()
        if rows.n_in != history.segment_at(epoch).dataset.n_in:
            raise ValueError("the data no longer has the inputs this network was made for")
        edit = {"kind": "settings", "changes": changes}
        return history.start_segment(epoch, edit, dataset=rows, test=test, keep_test=test is not None)

    return make


def current(history: History, epoch: int, key: str, default):
    """The value of a setting that edits record (points, test_fraction) for `epoch`: its last change, else default."""
    value = default
    for segment in history.segments[: history.segment_index(epoch) + 1]:
        value = segment.edit.get("changes", {}).get(key, (None, value))[1]
    return value


def _choices(values, shown=str) -> QComboBox:
    box = QComboBox()
    for value in values:
        box.addItem(shown(value), value)
    return box


def _select(box: QComboBox, value, shown=str) -> None:
    """Select `value`, adding it to the choices if it is not one (a run's own learning rate, say)."""
    index = box.findData(value)
    if index < 0:
        index = next((i for i in range(box.count()) if _after(box.itemData(i), value)), box.count())
        box.insertItem(index, shown(value), value)
    box.setCurrentIndex(index)


def _after(item, value) -> bool:
    """Whether a choice comes after `value` in its list (numbers rise; "full", None, comes first)."""
    return item is not None and value is not None and item > value


class TrainingPanel(QGroupBox):
    """Learning rate, regularisation, rows per step, activation, noise, points and test fraction of the run shown."""

    def __init__(self, window):
        super().__init__("Training")
        self.window = window
        self._run: Run | None = None
        self._live = False  # the run shown trains here, so its settings can change
        self._segment: Segment | None = None
        self.lr_box = _choices(LEARNING_RATES, _rate)
        self.reg_box = _choices(REGULARISATIONS)
        self.rate_box = _choices(RATES, _rate)
        _select(self.rate_box, DEFAULT_RATE, _rate)
        self.batch_box = _choices((None, *BATCHES), _batch)
        self.activation_box = _choices(activations.NAMES)
        self.noise_box = QDoubleSpinBox()
        self.noise_box.setRange(0.0, presets.MAX_NOISE)
        self.noise_box.setSingleStep(0.05)
        self.points_box = QSpinBox()
        self.points_box.setRange(presets.MIN_POINTS, presets.MAX_POINTS)
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setToolTip("New point data with this noise and count (the same seed), from the shown epoch")
        self.test_box = _choices(TEST_FRACTIONS, lambda f: f"{f:.0%}")
        self.test_box.setToolTip("The share of the rows held out of training; their loss is the test loss")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self._lay_out()
        self.lr_box.activated.connect(lambda _: self._change("learning rate change", lr=self.lr_box.currentData()))
        self.reg_box.activated.connect(lambda _: self._change_regularisation())
        self.rate_box.activated.connect(lambda _: self._change_regularisation())
        self.batch_box.activated.connect(
            lambda _: self._change("rows per step change", batch=self.batch_box.currentData() or FULL_BATCH)
        )
        self.activation_box.activated.connect(
            lambda _: self._change("activation change", activation=self.activation_box.currentText())
        )
        self.regenerate.clicked.connect(self._change_rows)
        self.test_box.activated.connect(lambda _: self._change_rows())

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Learning rate", self.lr_box)
        reg = QHBoxLayout()
        reg.setContentsMargins(0, 0, 0, 0)
        reg.addWidget(self.reg_box)
        reg.addWidget(self.rate_box, 1)
        form.addRow("Regularisation", _row(reg))
        form.addRow("Rows per step", self.batch_box)
        form.addRow("Activation", self.activation_box)
        form.addRow("Noise", self.noise_box)
        form.addRow("Points", self.points_box)
        form.addRow("", self.regenerate)
        form.addRow("Test data", self.test_box)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.note)
        column.addStretch(1)
        self.setMaximumWidth(240)

    # ------------------------------------------------------------------ the panel interface
    def set_run(self, run: Run) -> None:
        self._run, self._segment = run, None
        self._live = run.trainable and isinstance(run.history, History)  # a recording trains nowhere here
        self.setEnabled(self._live)
        self.note.setText("" if self._live else "A recorded run trains where it was recorded.")
        spec = self.window.spec
        points = spec.data.kind == "preset" and spec.data.preset not in TABLES
        for box in (self.noise_box, self.points_box, self.regenerate):
            box.setEnabled(self._live and points)
        self.show_epoch(self.window.playback.epoch)

    def show_epoch(self, epoch: int) -> None:
        """The settings of the segment that trained `epoch` (cheap: only when the segment changes)."""
        if not self._live:
            return
        history = self._run.history
        segment = history.segment_at(epoch)
        if segment is self._segment:
            return
        self._segment = segment
        self._show(history, epoch, segment)

    def set_theme(self, theme: Theme) -> None:
        pass  # the window's palette covers the panel's widgets

    def _show(self, history: History, epoch: int, segment: Segment) -> None:
        config, spec = segment.config, self.window.spec
        _select(self.lr_box, config.lr, _rate)
        kind = "L1" if config.l1 else "L2" if config.l2 else "none"
        self.reg_box.setCurrentText(kind)
        _select(self.rate_box, config.l1 or config.l2 or self.rate_box.currentData(), _rate)
        self.rate_box.setEnabled(kind != "none")
        _select(self.batch_box, config.batch, _batch)
        hidden = set(config.arch.activations[:-1])
        self.activation_box.setCurrentText(hidden.pop() if len(hidden) == 1 else "")
        self.noise_box.setValue(segments.current_noise(history, epoch, spec))
        self.points_box.setValue(current(history, epoch, "points", spec.data.points))
        _select(self.test_box, current(history, epoch, "test_fraction", spec.test_fraction), lambda f: f"{f:.0%}")

    # ------------------------------------------------------------------ changes
    def _change(self, what: str, **settings) -> None:
        from netviz.ui.live_edit import apply_edit

        spec = self.window.spec
        apply_edit(self.window, lambda history, epoch: segments.change_settings(history, epoch, settings, spec), what)
        self._refresh()

    def _change_regularisation(self) -> None:
        kind, rate = self.reg_box.currentText(), self.rate_box.currentData()
        self._change("regularisation change", l1=rate if kind == "L1" else 0.0, l2=rate if kind == "L2" else 0.0)

    def _change_rows(self) -> None:
        from netviz.ui.live_edit import apply_edit

        w = self.window
        wanted = {"noise": self.noise_box.value(), "points": self.points_box.value(),
                  "test_fraction": self.test_box.currentData()}  # fmt: skip
        if wanted == rows_settings(w.history, w.playback.epoch, w.spec) and self.sender() is self.test_box:
            return  # the same test share chosen again
        apply_edit(w, change_rows(w.spec, wanted), "new data")
        self._refresh()

    def _refresh(self) -> None:
        """Show what the run now trains under (a refused or cancelled change puts the boxes back)."""
        self._segment = None
        self.show_epoch(self.window.playback.epoch)


def _rate(value: float) -> str:
    return f"{value:.4g}"


def _batch(value: int | None) -> str:
    return "full" if value is None else str(value)


def _row(layout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    return widget

"""File > Export animation…: the export settings, a preview of the first and last frame, progress and Cancel.

The export is the plain generator `export_steps`; a zero-interval QTimer advances it one
frame per turn of the event loop, so the window stays responsive without a rendering
thread, and Cancel closes the generator, which removes its temporary file.
"""

import os

import numpy as np
from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QImage, QPixmap
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netviz.engine.history import History
from netviz.engine.session import RecordedHistory
from netviz.export.animation import animation_for
from netviz.export.learn import learn_animation
from netviz.export.options import (
    EXPORT_FRAMES,
    FORMATS,
    HOLD_S,
    LEARN_FRAMES,
    MAX_FRAMES,
    MAX_LOOP,
    MIN_LEARN_FRAMES,
    ExportOptions,
    check_learn_applies,
)
from netviz.export.schedule import DEFAULT_SCHEDULE, SCHEDULES
from netviz.export.writer import export_steps
from netviz.scene.style import THEMES, WEIGHT_SCALES

DEFAULTS = ExportOptions("netviz.gif")
PREVIEW_WIDTH = 280
FILE_FILTERS = (
    "GIF animation (*.gif);;MP4 video (*.mp4);;WebP animation (*.webp);;PNG still of the last frame (*.png)"
    ";;Interactive web page (*.html);;SVG still of the last frame (*.svg)"
)


def file_steps(path: str, history: History, options: ExportOptions):
    """The export's steps: a page or an SVG still from the run itself, any other format from its frames."""
    if options.format == ".html":
        from netviz.export.html import write_steps

        return write_steps(path, history, options)
    if options.format == ".svg":
        from netviz.export.svg import write_steps

        return write_steps(path, history, options)
    return export_steps(path, (learn_animation if options.learn else animation_for)(history, options))


class ExportDialog(QDialog):
    """Export settings (ExportOptions) for a recorded run, defaulting to the current view."""

    export_finished = pyqtSignal(str)  # path of the file written
    export_failed = pyqtSignal(str)  # one-line reason
    export_cancelled = pyqtSignal()

    def __init__(self, history: History, theme: str, inputs, epoch_range: tuple[int, int] | None, parent=None,
                 weight_scale: str = DEFAULTS.weight_scale):  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        self.history, self.inputs = history, inputs
        self.last_epoch = history.latest_epoch
        start, end = epoch_range if epoch_range is not None else (0, self.last_epoch)
        start, end = sorted((min(max(start, 0), self.last_epoch), min(max(end, 0), self.last_epoch)))
        self._steps = None  # the running export generator
        self._path = ""

        self.from_box = self._spin(0, self.last_epoch, start)
        self.to_box = self._spin(0, self.last_epoch, end)
        self.frames_box = self._spin(1, EXPORT_FRAMES, EXPORT_FRAMES)
        self.fps_box = self._spin(1, 100, round(DEFAULTS.fps))
        self.width_box = self._spin(16, 8192, DEFAULTS.size[0])
        self.height_box = self._spin(16, 8192, DEFAULTS.size[1])
        self.theme_box = QComboBox()
        self.theme_box.addItems(list(THEMES))
        self.theme_box.setCurrentText(theme if theme in THEMES else DEFAULTS.theme)
        self.scale_box = QComboBox()
        self.scale_box.addItems(list(WEIGHT_SCALES))
        self.scale_box.setCurrentText(weight_scale if weight_scale in WEIGHT_SCALES else DEFAULTS.weight_scale)
        self.scale_box.setToolTip("log: fixed, 0.1 to 50; run: linear to the run's largest weight; clamp: linear to 5")
        self.schedule_box = QComboBox()
        self.schedule_box.addItems(list(SCHEDULES))
        self.schedule_box.setCurrentText(DEFAULT_SCHEDULE)
        self.caption_box = QCheckBox("Epoch, loss and a loss curve")
        self.caption_box.setChecked(DEFAULTS.caption)
        self.think_box = QCheckBox("One forward pass of the input, at the last epoch")
        self.learn_box = self._learn_box(history)
        self.input_edit = QLineEdit("" if inputs is None else ", ".join(f"{v:g}" for v in inputs))
        self.input_edit.setPlaceholderText("the new situation")
        self.input_edit.setToolTip("The input whose activations fill the neurons, e.g. 1, 1, 0")
        self.hold_box = QDoubleSpinBox()
        self.hold_box.setRange(0.0, 600.0)
        self.hold_box.setSingleStep(0.5)
        self.hold_box.setSuffix(" s")
        self.hold_box.setValue(HOLD_S)
        self.loop_box = self._spin(0, MAX_LOOP, DEFAULTS.loop)
        self.loop_box.setSpecialValueText("forever")
        self.loop_box.setSuffix(" times")
        self.path_edit = QLineEdit(os.path.join(os.path.expanduser("~"), "netviz.gif"))
        self.choose_button = QPushButton("Choose…")
        self.first_preview, self.last_preview = QLabel(), QLabel()
        self.first_caption, self.last_caption = QLabel(), QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton("Close")

        self._build_layout()
        self._timer = QTimer(self)  # advances the export one step per event-loop turn
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_step)
        self._preview_timer = QTimer(self)  # coalesces settings changes into one preview render
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(120)
        self._preview_timer.timeout.connect(self._update_preview)

        for box in (self.from_box, self.to_box, self.frames_box, self.width_box, self.height_box):
            box.valueChanged.connect(self._on_settings_changed)
        for combo in (self.theme_box, self.scale_box, self.schedule_box):
            combo.currentIndexChanged.connect(self._on_settings_changed)
        self.caption_box.toggled.connect(self._on_settings_changed)
        self.think_box.toggled.connect(self._on_settings_changed)
        self.learn_box.toggled.connect(self._on_learn_toggled)
        self.input_edit.editingFinished.connect(self._on_settings_changed)
        self.choose_button.clicked.connect(self._on_choose_file)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self._on_cancel_or_close)
        self._update_limits()
        self._update_preview()

    # ---------------------------------------------------------------- layout
    @staticmethod
    def _spin(lo: int, hi: int, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(lo, hi)
        box.setValue(value)
        box.setGroupSeparatorShown(True)
        return box

    def _build_layout(self) -> None:
        form = QFormLayout()
        epochs = QHBoxLayout()
        epochs.addWidget(self.from_box)
        epochs.addWidget(QLabel("to"))
        epochs.addWidget(self.to_box)
        form.addRow("Epochs from", epochs)
        form.addRow("Frames", self.frames_box)
        form.addRow("Frames per second", self.fps_box)
        size = QHBoxLayout()
        size.addWidget(self.width_box)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_box)
        form.addRow("Size (pixels)", size)
        form.addRow("Theme", self.theme_box)
        form.addRow("Weight scale", self.scale_box)
        form.addRow("Schedule", self.schedule_box)
        form.addRow("Caption", self.caption_box)
        form.addRow("Think", self.think_box)
        form.addRow("Learn", self.learn_box)
        form.addRow("Input", self.input_edit)
        form.addRow("Hold last frame", self.hold_box)
        form.addRow("Play", self.loop_box)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        form.addRow("File", file_row)

        previews = QGridLayout()
        for column, (image, caption) in enumerate(
            ((self.first_preview, self.first_caption), (self.last_preview, self.last_caption))
        ):
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setMinimumSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 5 // 8)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            previews.addWidget(image, 0, column)
            previews.addWidget(caption, 1, column)

        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        self.settings = QWidget()
        self.settings.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.settings)
        layout.addLayout(previews)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    # ---------------------------------------------------------------- settings
    @property
    def exporting(self) -> bool:
        return self._steps is not None

    def options(self) -> ExportOptions:
        """The settings as ExportOptions, filled in for the run; ValueError (one line) if they do not fit."""
        if self.learn_box.isChecked():
            return self._learn_options()
        think = self.think_box.isChecked()
        text = self.input_edit.text().strip()
        try:
            inputs = tuple(float(part) for part in text.split(",")) if text else None
        except ValueError:
            raise ValueError(f"the input {text!r} is not a list of numbers like 1, 1, 0") from None
        return ExportOptions(
            self.path_edit.text().strip() or DEFAULTS.path, frames=self.frames_box.value(),
            fps=float(self.fps_box.value()), size=(self.width_box.value(), self.height_box.value()),
            schedule=None if think else self.schedule_box.currentText(), start=None if think else self.from_box.value(),
            end=self.to_box.value(), theme=self.theme_box.currentText(), think=think, input=inputs,
            caption=self.caption_box.isChecked(), hold=self.hold_box.value(), loop=self.loop_box.value(),
            weight_scale=self.scale_box.currentText(),
        ).for_run(self.last_epoch, self.history.config.arch.layers[0], self.inputs)  # fmt: skip

    def _on_settings_changed(self) -> None:
        self._update_limits()
        self._preview_timer.start()

    def _update_limits(self) -> None:
        """From <= To, and no more frames than epochs in the range (a forward pass has no such limit)."""
        if self.learn_box.isChecked():
            self._update_learn_limits()
            return
        for widget in (self.think_box, self.input_edit):
            widget.setEnabled(True)
        self.to_box.setMaximum(self.last_epoch)
        self.frames_box.setMinimum(1)
        think = self.think_box.isChecked()
        self.from_box.setEnabled(not think)
        self.schedule_box.setEnabled(not think)
        self.from_box.setMaximum(self.to_box.value())
        self.to_box.setMinimum(0 if think else self.from_box.value())
        epochs = self.to_box.value() - self.from_box.value() + 1
        self.frames_box.setMaximum(MAX_FRAMES if think else max(1, epochs))

    def _update_preview(self) -> None:
        try:
            options = self.options()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText("")
        animation = (learn_animation if options.learn else animation_for)(self.history, options)
        last = animation.n_frames - 1
        titles = ("thinking", "the answer") if options.think else ("epoch {:,}", "epoch {:,}")
        if options.learn:
            titles = ("forward, epoch {:,}", "updated, epoch {:,} + 1")
        epochs = (options.end, options.end) if options.think or options.learn else (options.start, options.end)
        for label, text, i, title, epoch in zip(
            (self.first_preview, self.last_preview), (self.first_caption, self.last_caption), (0, last), titles, epochs
        ):
            frame = np.ascontiguousarray(animation.frame(i))
            image = QImage(frame.data, frame.shape[1], frame.shape[0], 4 * frame.shape[1], QImage.Format.Format_RGB32)
            scaled = image.scaledToWidth(PREVIEW_WIDTH, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(QPixmap.fromImage(scaled))
            text.setText(title.format(epoch))

    # ---------------------------------------------------------------- Learn
    def _learn_box(self, history) -> QCheckBox:
        box = QCheckBox("One learning step, from epoch To to the next, in stages")
        box.setToolTip("Forward, error, backward and update, as Learn mode shows them, for the whole batch")
        if isinstance(history, RecordedHistory):
            box.setEnabled(False)
            box.setToolTip("A recorded run has no training of netviz's to show")
        return box

    def _on_learn_toggled(self, on: bool) -> None:
        if on:
            self.to_box.setValue(min(self.to_box.value(), max(0, self.last_epoch - 1)))
            self.frames_box.setMaximum(MAX_FRAMES)
            self.frames_box.setValue(LEARN_FRAMES)
        self._on_settings_changed()

    def _learn_options(self) -> ExportOptions:
        check_learn_applies(self.history)
        return ExportOptions(
            self.path_edit.text().strip() or DEFAULTS.path, frames=self.frames_box.value(),
            fps=float(self.fps_box.value()), size=(self.width_box.value(), self.height_box.value()),
            end=self.to_box.value(), theme=self.theme_box.currentText(), learn=True,
            caption=self.caption_box.isChecked(), hold=self.hold_box.value(), loop=self.loop_box.value(),
            weight_scale=self.scale_box.currentText(),
        ).for_run(self.last_epoch, self.history.config.arch.layers[0], None)  # fmt: skip

    def _update_learn_limits(self) -> None:
        """A learning step has one epoch (To, before the last) and at least MIN_LEARN_FRAMES frames."""
        for widget in (self.from_box, self.schedule_box, self.think_box, self.input_edit):
            widget.setEnabled(False)
        self.to_box.setMinimum(0)
        self.to_box.setMaximum(max(0, self.last_epoch - 1))
        self.frames_box.setMaximum(MAX_FRAMES)
        self.frames_box.setMinimum(MIN_LEARN_FRAMES)

    def _on_choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", self.path_edit.text(), FILE_FILTERS)
        if path:
            if not path.lower().endswith(FORMATS):
                path += ".gif"
            self.path_edit.setText(path)

    # ---------------------------------------------------------------- export
    def start_export(self) -> None:
        """Begin writing the file; progress and the outcome arrive through the signals."""
        if self.exporting:
            return
        try:
            options = self.options()
            folder = os.path.dirname(os.path.abspath(options.path))
            if not os.path.isdir(folder):
                raise ValueError(f"the folder {folder} does not exist")
        except ValueError as exc:
            self._finish(f"Cannot export: {exc}")
            self.export_failed.emit(str(exc))
            return
        path = options.path
        self._path = path
        self._steps = file_steps(path, self.history, options)
        self.settings.setEnabled(False)
        self.export_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(f"Exporting to {path}…")
        self._timer.start()

    def cancel_export(self) -> None:
        """Stop the export; its temporary file is removed and an existing file is left as it was."""
        if not self.exporting:
            return
        self._timer.stop()
        steps, self._steps = self._steps, None
        steps.close()
        self._finish("Cancelled; nothing was written.")
        self.export_cancelled.emit()

    def _on_step(self) -> None:
        try:
            done, total = next(self._steps)
        except StopIteration:
            self._timer.stop()
            self._steps = None
            self.progress.setValue(self.progress.maximum())
            self._finish(f"Wrote {self._path} ({os.path.getsize(self._path) / 1e6:.2f} MB).")
            self.export_finished.emit(self._path)
            return
        except Exception as exc:  # a failed export is reported in the dialog, never raised from a slot
            self._timer.stop()
            steps, self._steps = self._steps, None
            steps.close()
            message = str(exc) or type(exc).__name__
            self._finish(f"Export failed: {message}")
            self.export_failed.emit(message)
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finish(self, message: str) -> None:
        self.status.setText(message)
        self.settings.setEnabled(True)
        self.export_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def _on_cancel_or_close(self) -> None:
        if self.exporting:
            self.cancel_export()
        else:
            self.reject()

    def done(self, result: int) -> None:
        self.cancel_export()  # closing the dialog (Esc, the title bar) never leaves an export running
        super().done(result)

    def closeEvent(self, event) -> None:
        self.cancel_export()
        super().closeEvent(event)

"""File > Export animation…: the export settings, a preview of the first and last frame, progress and Cancel.

The export is the plain generator `export_steps`; a zero-interval QTimer advances it one
frame per turn of the event loop, so the window stays responsive without a rendering
thread, and Cancel closes the generator, which removes its temporary file.
"""

import os

from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QPixmap
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
from netviz.export import DEFAULT_SCHEDULE, FORMATS, SCHEDULES, epoch_schedule, export_steps, format_of
from netviz.export.animation import training_animation
from netviz.render.painter import render_image
from netviz.render.still import RunFrames
from netviz.scene.style import THEMES

DEFAULT_FRAMES, DEFAULT_FPS, DEFAULT_SIZE = 100, 20, (800, 500)
PREVIEW_WIDTH = 280
FILE_FILTERS = "GIF animation (*.gif);;MP4 video (*.mp4);;WebP animation (*.webp);;PNG still of the last frame (*.png)"


class ExportDialog(QDialog):
    """Export settings for a recorded run, defaulting to the current view."""

    export_finished = pyqtSignal(str)  # path of the file written
    export_failed = pyqtSignal(str)  # one-line reason
    export_cancelled = pyqtSignal()

    def __init__(self, history: History, theme: str, inputs, epoch_range: tuple[int, int] | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        self.history, self.inputs = history, inputs
        self.last_epoch = history.latest_epoch
        start, end = epoch_range if epoch_range is not None else (0, self.last_epoch)
        start, end = sorted((min(max(start, 0), self.last_epoch), min(max(end, 0), self.last_epoch)))
        self._run_frames: dict[str, RunFrames] = {}
        self._steps = None  # the running export generator
        self._path = ""

        self.from_box = self._spin(0, self.last_epoch, start)
        self.to_box = self._spin(0, self.last_epoch, end)
        self.frames_box = self._spin(1, DEFAULT_FRAMES, DEFAULT_FRAMES)
        self.fps_box = self._spin(1, 100, DEFAULT_FPS)
        self.width_box = self._spin(16, 8192, DEFAULT_SIZE[0])
        self.height_box = self._spin(16, 8192, DEFAULT_SIZE[1])
        self.theme_box = QComboBox()
        self.theme_box.addItems(list(THEMES))
        self.theme_box.setCurrentText(theme if theme in THEMES else "light")
        self.schedule_box = QComboBox()
        self.schedule_box.addItems(list(SCHEDULES))
        self.schedule_box.setCurrentText(DEFAULT_SCHEDULE)
        self.caption_box = QCheckBox("Epoch, loss and a loss curve")
        self.caption_box.setChecked(True)
        self.hold_box = QDoubleSpinBox()
        self.hold_box.setRange(0.0, 600.0)
        self.hold_box.setSingleStep(0.5)
        self.hold_box.setSuffix(" s")
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
        for combo in (self.theme_box, self.schedule_box):
            combo.currentIndexChanged.connect(self._on_settings_changed)
        self.caption_box.toggled.connect(self._on_settings_changed)
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
        form.addRow("Schedule", self.schedule_box)
        form.addRow("Caption", self.caption_box)
        form.addRow("Hold last frame", self.hold_box)
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

    def epochs(self):
        """The epochs the frames show, from the current settings."""
        start, end = self.from_box.value(), self.to_box.value()
        return epoch_schedule(start, end, self.frames_box.value(), self.schedule_box.currentText())

    def _frames_source(self) -> RunFrames:
        theme = self.theme_box.currentText()
        if theme not in self._run_frames:
            self._run_frames[theme] = RunFrames(self.history, theme, self.inputs)
        return self._run_frames[theme]

    def _on_settings_changed(self) -> None:
        self._update_limits()
        self._preview_timer.start()

    def _update_limits(self) -> None:
        """From <= To, and no more frames than epochs in the range."""
        self.from_box.setMaximum(self.to_box.value())
        self.to_box.setMinimum(self.from_box.value())
        self.frames_box.setMaximum(max(1, self.to_box.value() - self.from_box.value() + 1))

    def _update_preview(self) -> None:
        epochs = self.epochs()
        run = self._frames_source()
        size = (self.width_box.value(), self.height_box.value())
        caption = self.caption_box.isChecked()
        for label, text, epoch in (
            (self.first_preview, self.first_caption, epochs[0]),
            (self.last_preview, self.last_caption, epochs[-1]),
        ):
            image = render_image(run.frame(int(epoch)), *size, run.cache, caption=caption, sparkline=caption)
            scaled = image.scaledToWidth(PREVIEW_WIDTH, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(QPixmap.fromImage(scaled))
            text.setText(f"epoch {int(epoch):,}")

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
        path = self.path_edit.text().strip()
        try:
            format_of(path)
            folder = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(folder):
                raise ValueError(f"the folder {folder} does not exist")
        except ValueError as exc:
            self._finish(f"Cannot export: {exc}")
            self.export_failed.emit(str(exc))
            return
        animation = training_animation(
            self._frames_source(), self.epochs(), (self.width_box.value(), self.height_box.value()),
            fps=self.fps_box.value(), caption=self.caption_box.isChecked(), hold_s=self.hold_box.value(),
        )  # fmt: skip
        self._path = path
        self._steps = export_steps(path, animation)
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

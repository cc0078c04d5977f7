"""Interim timeline (replaced by the shared-axis timeline)."""

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QWidget

from netviz.player.model import Playback


class Timeline(QWidget):
    def __init__(self, playback: Playback, parent=None):
        super().__init__(parent)
        self.playback = playback
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(playback.show)
        self.epoch_label = QLabel("epoch 0")
        self.epoch_label.setMinimumWidth(150)
        self.follow_box = QCheckBox("Follow latest")
        self.follow_box.toggled.connect(playback.set_follow)
        playback.events.follow.connect(self._on_follow)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 10, 2)
        layout.addWidget(self.epoch_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.follow_box)

    def _on_follow(self, on):
        self.follow_box.blockSignals(True)
        self.follow_box.setChecked(on)
        self.follow_box.blockSignals(False)

    def set_run(self, run):
        self.run = run

    def set_theme(self, theme):
        pass

    def show_epoch(self, epoch):
        latest = self.run.history.latest_epoch
        self.slider.blockSignals(True)
        self.slider.setRange(0, latest)
        self.slider.setValue(epoch)
        self.slider.blockSignals(False)
        self.epoch_label.setText(f"epoch {epoch:,} / {latest:,}")

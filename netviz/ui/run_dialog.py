"""File > New run: choose the data (a preset or a CSV file) and the network, then train from scratch."""

import numpy as np
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netviz.engine import activations, presets
from netviz.engine.data import DataError, Dataset, load_csv
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig
from netviz.ui.layers_editor import LayersEditor

CSV_CHOICE = "CSV file…"
EDITED_CHOICE = "edited table"


def hidden_layers(text: str, default: str = "sigmoid") -> tuple[tuple[int, ...], tuple[str, ...]]:
    """'8 tanh, 8' -> ((8, 8), ('tanh', default)); '' -> no hidden layer; ValueError for anything else.

    Each comma-separated entry is a size, optionally followed by that layer's activation.
    """
    sizes, acts = [], []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        words = entry.split()
        try:
            size = int(words[0])
        except ValueError:
            raise ValueError(f"hidden layers {text!r}: write sizes like 4 or 8 tanh, 8 relu") from None
        act = words[1].lower() if len(words) > 1 else default
        if len(words) > 2 or act not in activations.NAMES:
            raise ValueError(
                f"hidden layers {text!r}: the activation after a size is one of {', '.join(activations.NAMES)}"
            )
        if not 1 <= size <= 4096:
            raise ValueError(f"hidden layers {text!r}: each size must be 1 to 4096")
        sizes.append(size)
        acts.append(act)
    if len(sizes) > 8:
        raise ValueError("at most 8 hidden layers")
    return tuple(sizes), tuple(acts)


def hidden_sizes(text: str) -> tuple[int, ...]:
    """'8, 8' -> (8, 8)."""
    return hidden_layers(text)[0]


class RunDialog(QDialog):
    """The data and network for a new run; `result_run()` gives (TrainConfig, Dataset) after OK."""

    def __init__(self, config: TrainConfig, dataset: Dataset, parent=None):
        super().__init__(parent)
        self.setWindowTitle("New run")
        self._csv_dataset: Dataset | None = None
        self._edited: Dataset | None = None
        self._run: tuple[TrainConfig, Dataset] | None = None

        self.data_box = QComboBox()
        self.data_box.addItems([*presets.PRESETS, CSV_CHOICE])
        self.data_box.currentTextChanged.connect(self._on_data_changed)
        self.csv_label = QLabel("")
        self.noise_box = QDoubleSpinBox()
        self.noise_box.setRange(0.0, presets.MAX_NOISE)
        self.noise_box.setSingleStep(0.05)
        self.noise_box.setValue(0.1)
        self.points_box = QSpinBox()
        self.points_box.setRange(presets.MIN_POINTS, presets.MAX_POINTS)
        self.points_box.setValue(200)
        self.data_seed_box = QSpinBox()
        self.data_seed_box.setRange(0, 2**31 - 1)

        arch = config.arch
        self.layers_editor = LayersEditor(arch.layers[1:-1], arch.activations[:-1], arch.activations[0])
        self.activation_box = QComboBox()
        self.activation_box.addItems(activations.NAMES)
        self.activation_box.setCurrentText(arch.activations[0])
        self.activation_box.setToolTip("For new hidden layers; the output stays sigmoid, to match targets of 0 and 1")
        self.activation_box.currentTextChanged.connect(self._on_default_activation)
        self.bias_box = QCheckBox("biases")
        self.bias_box.setChecked(arch.bias)
        self.lr_box = QDoubleSpinBox()
        self.lr_box.setDecimals(4)
        self.lr_box.setRange(0.0001, 100.0)
        self.lr_box.setValue(config.lr)
        self.batch_box = QSpinBox()
        self.batch_box.setRange(0, 100_000)
        self.batch_box.setSpecialValueText("full batch")
        self.batch_box.setValue(config.batch or 0)
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.seed_box.setValue(config.seed)
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, 100_000_000)
        self.epochs_box.setGroupSeparatorShown(True)
        self.epochs_box.setValue(config.epochs)

        form = QFormLayout()
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_box, 1)
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self._choose_csv)
        data_row.addWidget(self.browse)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("See and change the rows in a table")
        self.edit_button.clicked.connect(self._on_edit)
        data_row.addWidget(self.edit_button)
        form.addRow("Data", _row(data_row))
        form.addRow("", self.csv_label)
        form.addRow("Noise", self.noise_box)
        form.addRow("Points", self.points_box)
        form.addRow("Data seed", self.data_seed_box)
        form.addRow("Hidden layers", self.layers_editor)
        form.addRow("Activation", self.activation_box)
        form.addRow("", self.bias_box)
        form.addRow("Learning rate", self.lr_box)
        form.addRow("Rows per step", self.batch_box)
        form.addRow("Weight seed", self.seed_box)
        form.addRow("Train to epoch", self.epochs_box)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.data_box.setCurrentText(dataset.name if dataset.name in presets.PRESETS else "blog")
        self._on_data_changed(self.data_box.currentText(), keep_lr=True)

    def _on_data_changed(self, name: str, keep_lr: bool = False) -> None:
        is_points = name not in presets.TABLES and name not in (CSV_CHOICE, EDITED_CHOICE)
        for box in (self.noise_box, self.points_box, self.data_seed_box):
            box.setEnabled(is_points)
        self.browse.setEnabled(name == CSV_CHOICE)
        self.csv_label.setText(self._csv_dataset.name if name == CSV_CHOICE and self._csv_dataset else "")
        if name in presets.PRESETS and not keep_lr:
            self.lr_box.setValue(presets.suggested_lr(name, self.points_box.value()))
            # Every preset but the blog's table needs biases (AND cannot be learned without them).
            self.bias_box.setChecked(name != "blog")

    def _choose_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Training data", "", "CSV (*.csv);;All files (*)")
        if path:
            self.load_csv(path)

    def load_csv(self, path: str) -> bool:
        try:
            self._csv_dataset = load_csv(path)
        except DataError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText("")
        self.data_box.setCurrentText(CSV_CHOICE)
        self.csv_label.setText(f"{path} ({len(self._csv_dataset)} rows)")
        return True

    def _on_default_activation(self, name: str) -> None:
        """Choosing an activation sets it for every hidden layer (each can then be changed alone)."""
        self.layers_editor.default_activation = name
        sizes, _ = self.layers_editor.layers()
        self.layers_editor.set_layers(sizes, (name,) * len(sizes))

    def chosen_data(self) -> Dataset:
        """The data the form names: a preset, the CSV file or the edited table."""
        name = self.data_box.currentText()
        if name == EDITED_CHOICE and self._edited is not None:
            return self._edited
        if name == CSV_CHOICE:
            if self._csv_dataset is None:
                raise ValueError("choose a CSV file first")
            return self._csv_dataset
        return presets.preset(name, self.data_seed_box.value(), self.noise_box.value(), self.points_box.value())

    def _on_edit(self) -> None:
        from netviz.ui.data_editor import DataEditor

        try:
            data = self.chosen_data()
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        editor = DataEditor(data, parent=self)
        if editor.exec() == DataEditor.DialogCode.Accepted:
            self.use_edited(editor.result_dataset())

    def use_edited(self, dataset: Dataset) -> None:
        """Train on this table (from the data editor)."""
        self._edited = dataset
        if self.data_box.findText(EDITED_CHOICE) < 0:
            self.data_box.addItem(EDITED_CHOICE)
        self.data_box.setCurrentText(EDITED_CHOICE)

    def build_run(self) -> tuple[TrainConfig, Dataset]:
        """The configuration the form describes; ValueError with a readable message if it is not valid."""
        dataset = self.chosen_data()
        hidden, hidden_acts = self.layers_editor.layers()
        layers = (dataset.n_in, *hidden, dataset.n_out)
        acts = (*hidden_acts, "sigmoid")
        arch = Architecture.of(layers, acts, self.bias_box.isChecked())
        batch = self.batch_box.value() or None
        config = TrainConfig(arch, lr=self.lr_box.value(), batch=batch, seed=self.seed_box.value(),
                             epochs=self.epochs_box.value())  # fmt: skip
        if dataset.new_situation is None and dataset.n_in and len(dataset):
            dataset.new_situation = np.array(dataset.inputs[0])
        return config, dataset

    def accept(self) -> None:
        try:
            self._run = self.build_run()
        except ValueError as exc:
            self.message.setText(str(exc))  # the dialog stays up with the values as typed
            return
        super().accept()

    def result_run(self) -> tuple[TrainConfig, Dataset] | None:
        return self._run


def _row(layout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget

"""File > New run: choose the data (a preset or a CSV file) and the network, then train from scratch."""

from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netviz.engine import presets
from netviz.engine.data import FEATURES, SCALINGS, TARGET_KINDS, DataError, Dataset, load_csv
from netviz.engine.runspec import MAX_EPOCHS, DataSource, RunSpec
from netviz.engine.training import TrainConfig
from netviz.ui.layers_editor import LayersEditor, usual_activation

CSV_CHOICE = "CSV file…"
EDITED_CHOICE = "edited table"
SUGGESTED_LR = "suggested"  # the learning rate box at its minimum: the data's rule (RunSpec.lr None)
PLAIN_FEATURES = ("x", "y")  # 2-D data's own inputs: the same run as no features chosen


class RunDialog(QDialog):
    """The data and network for a new run, as a RunSpec; `result_spec()` and `result_run()` after OK.

    Opens on `spec` (None: the defaults); `dataset` is its rows, used when the spec names a CSV
    file or edited rows.
    """

    def __init__(self, spec: RunSpec | None, dataset: Dataset, parent=None):
        super().__init__(parent)
        self.setWindowTitle("New run")
        if parent is not None:  # a dialog is a window of its own: it takes the window's theme explicitly
            self.setPalette(parent.palette())
        spec = (spec or RunSpec()).resolved()
        defaults = DataSource()
        self._csv_path = ""
        self._csv_dataset: Dataset | None = None
        self._edited: Dataset | None = None
        self._spec: RunSpec | None = None
        self._run: tuple[TrainConfig, Dataset] | None = None

        self.data_box = QComboBox()
        self.data_box.addItems([*presets.PRESETS, CSV_CHOICE])
        self.data_box.currentTextChanged.connect(self._on_data_changed)
        self.csv_label = QLabel("")
        self.noise_box = QDoubleSpinBox()
        self.noise_box.setRange(0.0, presets.MAX_NOISE)
        self.noise_box.setSingleStep(0.05)
        self.noise_box.setValue(defaults.noise)
        self.points_box = QSpinBox()
        self.points_box.setRange(presets.MIN_POINTS, presets.MAX_POINTS)
        self.points_box.setValue(defaults.points)
        self.data_seed_box = QSpinBox()
        self.data_seed_box.setRange(0, 2**31 - 1)
        self.data_seed_box.setValue(defaults.preset_seed)

        hidden_acts = spec.activations[:-1]
        self.layers_editor = LayersEditor(spec.hidden, hidden_acts, usual_activation(hidden_acts),
                                          spec.output_activation)  # fmt: skip
        self.activation_box = self.layers_editor.default_box  # the hidden layers' default activation
        self.output_box = self.layers_editor.output_box
        self.bias_box = QCheckBox("biases")
        self.bias_box.setChecked(spec.bias)
        self.lr_box = QDoubleSpinBox()
        self.lr_box.setDecimals(4)
        self.lr_box.setRange(0.0, 100.0)
        self.lr_box.setSpecialValueText(SUGGESTED_LR)
        self.lr_box.setToolTip("At its lowest, the recipe's: a point set's is divided by its points")
        self.batch_box = QSpinBox()
        self.batch_box.setRange(0, 100_000)
        self.batch_box.setSpecialValueText("full batch")
        self.batch_box.setValue(spec.batch or 0)
        self.order_box = QComboBox()
        for name, text in (("shuffled", "shuffled every epoch"), ("in-order", "in the data's order")):
            self.order_box.addItem(text, name)
        self.order_box.setCurrentIndex(self.order_box.findData(spec.order))
        self.order_box.setToolTip("How steps of fewer rows than the data go through it (no effect on full batch)")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.seed_box.setValue(spec.seed)
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, MAX_EPOCHS)
        self.epochs_box.setGroupSeparatorShown(True)
        self.epochs_box.setValue(spec.epochs)

        self._make_lab_widgets(spec)

        self.form = form = QFormLayout()
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
        form.addRow("", self.csv_label)  # shown only when it names a file
        form.addRow("Noise", self.noise_box)
        form.addRow("Points", self.points_box)
        form.addRow("Data seed", self.data_seed_box)
        network = QGroupBox("Network")
        QVBoxLayout(network).addWidget(self.layers_editor)
        form.addRow(network)
        form.addRow("", self.bias_box)
        form.addRow("Learning rate", self.lr_box)
        form.addRow("Rows per step", self.batch_box)
        form.addRow("Row order", self.order_box)
        form.addRow("Weight seed", self.seed_box)
        form.addRow("Train to epoch", self.epochs_box)
        self._add_lab_rows(form)

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
        self._show_data(spec.data, dataset)
        for signal in (self.data_box.currentTextChanged, self.layers_editor.changed, self.noise_box.valueChanged,
                       self.points_box.valueChanged, self.data_seed_box.valueChanged, self.bias_box.toggled,
                       self.lr_box.valueChanged, self.batch_box.valueChanged, self.order_box.currentIndexChanged,
                       self.seed_box.valueChanged, self.epochs_box.valueChanged, self.reg_box.currentIndexChanged,
                       self.reg_rate_box.valueChanged, self.test_box.valueChanged, self.scale_box.currentIndexChanged,
                       self.target_kind_box.currentIndexChanged,
                       *(box.toggled for box in self.feature_boxes.values())):  # fmt: skip
            signal.connect(self._on_form_changed)
        # The spec's own learning rate, unless it is what the data suggests anyway.
        self.lr_box.setValue(0.0 if spec.lr == spec.data.suggested_lr() else spec.lr)

    def _make_lab_widgets(self, spec: RunSpec) -> None:
        """Regularisation, test share, feature inputs, input scaling and how a CSV's targets are read."""
        self.reg_box = QComboBox()
        self.reg_box.addItems(["none", "L1", "L2"])
        self.reg_box.setCurrentText("L1" if spec.l1 else "L2" if spec.l2 else "none")
        self.reg_rate_box = QDoubleSpinBox()
        self.reg_rate_box.setDecimals(4)
        self.reg_rate_box.setRange(0.0001, 10.0)
        self.reg_rate_box.setValue(spec.l1 or spec.l2 or 0.001)
        self.reg_box.currentTextChanged.connect(lambda kind: self.reg_rate_box.setEnabled(kind != "none"))
        self.reg_rate_box.setEnabled(self.reg_box.currentText() != "none")
        self.reg_box.setToolTip("A penalty on the weights (not the biases), added to the gradient")
        self.test_box = QSpinBox()
        self.test_box.setRange(0, 90)
        self.test_box.setSuffix(" %")
        self.test_box.setValue(round(spec.test_fraction * 100))
        self.test_box.setToolTip("The share of the rows held out of training; their loss is the test loss")
        self.feature_boxes = {name: QCheckBox(FEATURES[name][0]) for name in FEATURES}
        for name, box in self.feature_boxes.items():
            box.setChecked(name in (spec.features or PLAIN_FEATURES))
            box.toggled.connect(self._show_sizes_of_data)  # the input layer has a neuron per feature
        self.scale_box = QComboBox()
        self.scale_box.addItems(SCALINGS)
        self.scale_box.setCurrentText(spec.scale)
        self.scale_box.setToolTip("auto: inputs far outside -1..1 are standardised; a preset's are left as they are")
        self.target_kind_box = QComboBox()
        self.target_kind_box.addItems(TARGET_KINDS)
        self.target_kind_box.setCurrentText(spec.data.target_kind)
        self.target_kind_box.setToolTip("A CSV's last column: class labels (one output each) or values; auto guesses")

    def _add_lab_rows(self, form: QFormLayout) -> None:
        reg = QHBoxLayout()
        reg.addWidget(self.reg_box)
        reg.addWidget(self.reg_rate_box, 1)
        form.addRow("Regularisation", _row(reg))
        form.addRow("Test data", self.test_box)
        features = QHBoxLayout()
        for box in self.feature_boxes.values():
            features.addWidget(box)
        form.addRow("Features (2-D)", _row(features))
        form.addRow("Input scaling", self.scale_box)
        form.addRow("Targets (CSV)", self.target_kind_box)

    def _features(self) -> tuple[str, ...]:
        """The feature inputs checked; none for 2-D data's own x and y (or for data that is not 2-D)."""
        chosen = tuple(name for name, box in self.feature_boxes.items() if box.isChecked() and box.isEnabled())
        return () if chosen in (PLAIN_FEATURES, ()) else chosen

    def _on_form_changed(self) -> None:
        """An error message goes as soon as the form describes a valid run again."""
        if not self.message.text():
            return
        try:
            self.build_run()
        except ValueError:
            return
        self.message.setText("")

    def _show_data(self, data: DataSource, dataset: Dataset) -> None:
        """Select the spec's data without applying the data's rules (the spec already holds its choices)."""
        self.data_box.blockSignals(True)
        if data.kind == "preset":
            self.noise_box.setValue(data.noise)
            self.points_box.setValue(data.points)
            self.data_seed_box.setValue(data.preset_seed)
            self.data_box.setCurrentText(data.preset)
        elif data.kind == "csv":
            self._use_csv(data.path, dataset)
        else:
            self.use_edited(dataset)
        self.data_box.blockSignals(False)
        self._update_data_widgets(self.data_box.currentText())

    def _update_data_widgets(self, name: str) -> None:
        is_points = name not in presets.TABLES and name not in (CSV_CHOICE, EDITED_CHOICE)
        for box in (self.noise_box, self.points_box, self.data_seed_box):
            box.setEnabled(is_points)
        self.browse.setEnabled(name == CSV_CHOICE)
        self.target_kind_box.setEnabled(name == CSV_CHOICE)
        self.csv_label.setText(
            f"{self._csv_path} ({len(self._csv_dataset)} rows)" if name == CSV_CHOICE and self._csv_dataset else ""
        )
        self.form.setRowVisible(self.csv_label, bool(self.csv_label.text()))
        self._show_sizes_of_data()

    def _show_sizes_of_data(self) -> None:
        """The input and output layers' neurons, from the data chosen (unknown for a CSV file not yet chosen)."""
        try:
            data = self.chosen_data()
        except ValueError:
            self.layers_editor.set_sizes_of_data(None, None)
            return
        two_d = data.inputs.shape[1] == 2
        why = (
            ""
            if two_d
            else f"Features are made of the points (x, y) of 2-D data; this data has {data.inputs.shape[1]} inputs"
        )
        for box in self.feature_boxes.values():
            box.setEnabled(two_d)
            box.setToolTip(why)
        inputs = len(self._features()) or data.inputs.shape[1]
        self.layers_editor.set_sizes_of_data(inputs, data.targets.shape[1])

    def _on_data_changed(self, name: str) -> None:
        """Other data: its recipe (layers, activations, bias, learning rate, rows per step, epochs; see RunSpec)."""
        self._update_data_widgets(name)
        try:
            data = self.data_source()
        except ValueError:
            return  # CSV chosen, no file yet
        recipe = RunSpec.following(data)
        self.activation_box.setCurrentText(data.recipe().activation)
        self.layers_editor.set_layers(recipe.hidden, recipe.activations[:-1])
        self.output_box.setCurrentText(recipe.output_activation)
        self.bias_box.setChecked(data.suggested_bias())
        self.lr_box.setValue(0.0)
        self.batch_box.setValue(recipe.batch or 0)
        self.epochs_box.setValue(recipe.epochs)

    def _choose_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Training data", "", "CSV (*.csv);;All files (*)")
        if path:
            self.load_csv(path)

    def load_csv(self, path: str) -> bool:
        try:
            dataset = load_csv(path)
        except DataError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText("")
        self._use_csv(path, dataset)
        return True

    def _use_csv(self, path: str, dataset: Dataset) -> None:
        self._csv_path, self._csv_dataset = path, dataset
        self.data_box.setCurrentText(CSV_CHOICE)
        self._update_data_widgets(CSV_CHOICE)

    def data_source(self) -> DataSource:
        """The data the form names: a preset with its parameters, the CSV file or the edited table."""
        name = self.data_box.currentText()
        if name == EDITED_CHOICE and self._edited is not None:
            return DataSource("rows", rows=self._edited)
        if name == CSV_CHOICE:
            return DataSource("csv", path=self._csv_path, target_kind=self.target_kind_box.currentText())
        return DataSource(
            "preset", name, self.data_seed_box.value(), self.noise_box.value(), self.points_box.value()
        )  # fmt: skip

    def chosen_data(self) -> Dataset:
        """The rows the form names, with their new situation."""
        return self.data_source().load()

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

    def build_spec(self) -> RunSpec:
        """The run the form describes; ValueError (SpecError) with a readable message if it is not valid."""
        hidden, hidden_acts = self.layers_editor.layers()
        return RunSpec(
            data=self.data_source(),
            hidden=hidden,
            activations=(*hidden_acts, self.output_box.currentText()),
            bias=self.bias_box.isChecked(),
            lr=self.lr_box.value() or None,
            batch=self.batch_box.value() or None,
            seed=self.seed_box.value(),
            epochs=self.epochs_box.value(),
            order=self.order_box.currentData(),
            scale=self.scale_box.currentText(),
            features=self._features(),
            l1=self.reg_rate_box.value() if self.reg_box.currentText() == "L1" else 0.0,
            l2=self.reg_rate_box.value() if self.reg_box.currentText() == "L2" else 0.0,
            test_fraction=self.test_box.value() / 100,
        )

    def build_run(self) -> tuple[TrainConfig, Dataset]:
        """The configuration and data the form describes; ValueError if they are not valid."""
        return self.build_spec().build()

    def accept(self) -> None:
        try:
            spec = self.build_spec()
            self._run = spec.build()
        except ValueError as exc:
            self.message.setText(str(exc))  # the dialog stays up with the values as typed
            return
        self._spec = spec
        super().accept()

    def result_spec(self) -> RunSpec | None:
        return self._spec

    def result_run(self) -> tuple[TrainConfig, Dataset] | None:
        return self._run


def _row(layout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget

"""The layers of a network, input to output: how many hidden layers, each one's neurons and
activation, and the output layer's activation.

A hidden layer's activation box says "default" until it is changed: such a layer takes the hidden
activation chosen above the layers (and follows it when it changes); a layer changed on its own
keeps its choice.
"""

from collections import Counter

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtGui import QPalette
from PyQt6.QtWidgets import QComboBox, QGridLayout, QLabel, QSpinBox, QWidget

from netviz.engine import activations
from netviz.engine.runspec import MAX_HIDDEN_LAYERS, MAX_LAYER_SIZE, SpecError, format_layers, parse_layers

MAX_LAYERS, MAX_NEURONS = MAX_HIDDEN_LAYERS, MAX_LAYER_SIZE
DEFAULT_SIZE = 4  # neurons of a first hidden layer; a further one copies the layer before it


def neurons_text(n: int | None) -> str:
    """'1 neuron', '3 neurons', or '?' when the data is not known yet."""
    return "?" if n is None else f"{n} neuron" if n == 1 else f"{n} neurons"


def usual_activation(acts) -> str:
    """The activation most hidden layers have (the first of equals): the one to show as the default."""
    return Counter(acts).most_common(1)[0][0] if acts else "sigmoid"


class LayerRow:
    """One hidden layer: its name, neurons and activation ("default" or its own)."""

    def __init__(self, k: int, size: int, default: str):
        self.label = QLabel(f"layer {k + 1}")
        self.neurons = QSpinBox()
        self.neurons.setRange(1, MAX_NEURONS)
        self.neurons.valueChanged.connect(lambda n: self.neurons.setSuffix(" neuron" if n == 1 else " neurons"))
        self.neurons.setValue(int(size))
        self.neurons.setSuffix(" neuron" if int(size) == 1 else " neurons")
        self.activation = QComboBox()
        self.activation.addItem(f"default ({default})", None)
        for name in activations.NAMES:
            self.activation.addItem(name, name)
        self.activation.setToolTip("This layer's activation; 'default' follows the hidden activation above")

    def widgets(self) -> tuple[QWidget, ...]:
        return self.label, self.neurons, self.activation

    def own_activation(self) -> str | None:
        """The activation chosen for this layer alone, or None where it takes the default."""
        return self.activation.currentData()

    def set_activation(self, act: str | None) -> None:
        self.activation.setCurrentIndex(max(0, self.activation.findData(act)))

    def show_default(self, default: str) -> None:
        self.activation.setItemText(0, f"default ({default})")


class LayersEditor(QWidget):
    """Edits the hidden layers (count, neurons, activations) and the output layer's activation."""

    changed = pyqtSignal()  # a layer was added, removed or changed

    def __init__(self, sizes=(), acts=(), default_activation: str = "sigmoid", output_activation="sigmoid",
                 parent=None):  # fmt: skip
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._rows: list[LayerRow] = []
        self.default_box = QComboBox()
        self.default_box.addItems(activations.NAMES)
        self.default_box.setCurrentText(default_activation)
        self.default_box.setToolTip("The activation of every hidden layer whose own box says 'default'")
        self.default_box.currentTextChanged.connect(self._on_default_changed)
        self.count_box = QSpinBox()
        self.count_box.setRange(0, MAX_LAYERS)
        self.count_box.setSpecialValueText("no hidden layer")
        self.count_box.setToolTip("Hidden layers between the inputs and the output: its arrows add and remove one")
        self.count_box.valueChanged.connect(self._on_count_changed)
        self._grid.addWidget(QLabel("Hidden layers"), 0, 0)
        self._grid.addWidget(self.count_box, 0, 1)
        self._grid.addWidget(QLabel("Hidden activation"), 1, 0)
        self._grid.addWidget(_note("default for every hidden layer"), 1, 1)
        self._grid.addWidget(self.default_box, 1, 2)
        self.input_label = QLabel("input")
        self.input_size = _note("")
        self.output_label = QLabel("output")
        self.output_size = _note("")
        self.output_box = QComboBox()
        self.output_box.addItems(activations.ALL_NAMES)
        self.output_box.setCurrentText(output_activation)
        self.output_box.setToolTip("The output layer's activation; sigmoid matches targets of 0 and 1")
        self.output_box.currentTextChanged.connect(self.changed)
        self._grid.setColumnStretch(1, 1)
        self._grid.setColumnStretch(2, 1)
        self.set_layers(sizes, acts)

    @property
    def default_activation(self) -> str:
        return self.default_box.currentText()

    def set_sizes_of_data(self, n_in: int | None, n_out: int | None) -> None:
        """The input and output layers' neurons, which the data decides (None: not known yet)."""
        self.input_size.setText(neurons_text(n_in))
        self.output_size.setText(neurons_text(n_out))

    def set_layers(self, sizes, acts=()) -> None:
        """These hidden layers; an activation equal to the default (or None) shows as "default"."""
        while self._rows:
            self._drop_last_row()
        for i, size in enumerate(sizes):
            act = acts[i] if i < len(acts) else None
            self.add_layer(size, None if act == self.default_activation else act, notify=False)
        self._place_rows()
        self.changed.emit()

    def layers(self) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """(sizes, activations) of the hidden layers, first to last, each default resolved."""
        default = self.default_activation
        return (
            tuple(r.neurons.value() for r in self._rows),
            tuple(r.own_activation() or default for r in self._rows),
        )

    def text(self) -> str:
        return format_layers(*self.layers())

    def set_text(self, text: str) -> None:
        """Layers from '8 tanh, 8' (the grammar of `parse_layers`; ValueError for anything else)."""
        entries = parse_layers(text)
        if len(entries) > MAX_LAYERS:
            raise SpecError(f"layers {text!r}: at most {MAX_LAYERS} hidden layers")
        self.set_layers([n for n, _ in entries], [act for _, act in entries])

    def add_layer(self, size: int | None = None, act: str | None = None, notify: bool = True) -> None:
        """A hidden layer after the last one (as wide as it, unless `size` says)."""
        if len(self._rows) >= MAX_LAYERS:
            return
        if size is None:
            size = self._rows[-1].neurons.value() if self._rows else DEFAULT_SIZE
        row = LayerRow(len(self._rows), size, self.default_activation)
        row.set_activation(act)
        row.neurons.valueChanged.connect(self.changed)
        row.activation.currentIndexChanged.connect(self.changed)
        self._rows.append(row)
        if notify:
            self._place_rows()
            self.changed.emit()

    def remove_layer(self) -> None:
        """Drop the last hidden layer."""
        if self._rows:
            self._drop_last_row()
            self._place_rows()
            self.changed.emit()

    def _drop_last_row(self) -> None:
        for widget in self._rows.pop().widgets():
            self._grid.removeWidget(widget)
            widget.hide()  # at once: it is deleted only when the event loop next runs
            widget.deleteLater()

    def _place_rows(self) -> None:
        """Input, the hidden layers and output, top to bottom, under the count; the count shows the rows."""
        self._grid.addWidget(self.input_label, 2, 0)
        self._grid.addWidget(self.input_size, 2, 1)
        for k, row in enumerate(self._rows):
            for column, widget in enumerate(row.widgets()):
                self._grid.addWidget(widget, 3 + k, column)
        end = 3 + len(self._rows)
        for column, widget in enumerate((self.output_label, self.output_size, self.output_box)):
            self._grid.addWidget(widget, end, column)
        self.count_box.blockSignals(True)
        self.count_box.setValue(len(self._rows))
        self.count_box.setSuffix(" hidden layer" if len(self._rows) == 1 else " hidden layers")
        self.count_box.blockSignals(False)

    def _on_count_changed(self, count: int) -> None:
        while len(self._rows) < count:
            self.add_layer()
        while len(self._rows) > count:
            self.remove_layer()

    def _on_default_changed(self, name: str) -> None:
        for row in self._rows:
            row.show_default(name)
        self.changed.emit()


def _note(text: str) -> QLabel:
    """A quiet explanation beside a control."""
    label = QLabel(text)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label

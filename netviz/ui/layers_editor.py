"""The hidden layers of a network: one row per layer with its neurons (− and +) and activation."""

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QSpinBox, QToolButton, QWidget

from netviz.engine import activations
from netviz.engine.runspec import MAX_HIDDEN_LAYERS, MAX_LAYER_SIZE, SpecError, format_layers, parse_layers

MAX_LAYERS, MAX_NEURONS = MAX_HIDDEN_LAYERS, MAX_LAYER_SIZE


class LayersEditor(QWidget):
    """Edits hidden layer sizes and activations; the output layer is not part of it."""

    changed = pyqtSignal()  # a layer was added, removed or changed

    def __init__(self, sizes=(), acts=(), default_activation: str = "sigmoid", parent=None):
        super().__init__(parent)
        self.default_activation = default_activation
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._rows: list[tuple[QLabel, QToolButton, QSpinBox, QToolButton, QComboBox]] = []
        self.add_button = QPushButton("Add layer")
        self.add_button.clicked.connect(lambda: self.add_layer())
        self.remove_button = QPushButton("Remove layer")
        self.remove_button.clicked.connect(self.remove_layer)
        self.set_layers(sizes, acts)

    def set_layers(self, sizes, acts=()) -> None:
        while self._rows:
            self._drop_last_row()
        for i, size in enumerate(sizes):
            self.add_layer(size, acts[i] if i < len(acts) else None, notify=False)
        self._place_buttons()
        self.changed.emit()

    def layers(self) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """(sizes, activations) of the hidden layers, first to last."""
        return tuple(r[2].value() for r in self._rows), tuple(r[4].currentText() for r in self._rows)

    def text(self) -> str:
        return format_layers(*self.layers())

    def set_text(self, text: str) -> None:
        """Layers from '8 tanh, 8' (the grammar of `parse_layers`; ValueError for anything else)."""
        entries = parse_layers(text)
        if len(entries) > MAX_LAYERS:
            raise SpecError(f"layers {text!r}: at most {MAX_LAYERS} hidden layers")
        self.set_layers([n for n, _ in entries], [act or self.default_activation for _, act in entries])

    def add_layer(self, size: int = 4, act: str | None = None, notify: bool = True) -> None:
        if len(self._rows) >= MAX_LAYERS:
            return
        k = len(self._rows)
        label = QLabel(f"layer {k + 1}")
        fewer, more = QToolButton(), QToolButton()
        fewer.setText("−")
        more.setText("+")
        fewer.setToolTip("One neuron fewer")
        more.setToolTip("One neuron more")
        neurons = QSpinBox()
        neurons.setRange(1, MAX_NEURONS)
        neurons.setValue(int(size))
        neurons.setSuffix(" neurons")
        fewer.clicked.connect(neurons.stepDown)
        more.clicked.connect(neurons.stepUp)
        neurons.valueChanged.connect(self.changed)
        act_box = QComboBox()
        act_box.addItems(activations.NAMES)
        act_box.setCurrentText(act or self.default_activation)
        act_box.currentTextChanged.connect(self.changed)
        for column, widget in enumerate((label, fewer, neurons, more, act_box)):
            self._grid.addWidget(widget, k, column)
        self._rows.append((label, fewer, neurons, more, act_box))
        if notify:
            self._place_buttons()
            self.changed.emit()

    def remove_layer(self) -> None:
        if self._rows:
            self._drop_last_row()
            self._place_buttons()
            self.changed.emit()

    def _drop_last_row(self) -> None:
        for widget in self._rows.pop():
            self._grid.removeWidget(widget)
            widget.deleteLater()

    def _place_buttons(self) -> None:
        row = len(self._rows)
        self._grid.addWidget(self.add_button, row, 0, 1, 3)
        self._grid.addWidget(self.remove_button, row, 3, 1, 2)
        self.add_button.setEnabled(len(self._rows) < MAX_LAYERS)
        self.remove_button.setEnabled(bool(self._rows))

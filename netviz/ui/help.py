"""Help: every keyboard shortcut (read from the window's own actions, so the list is never stale)
and how to read the drawing, in the theme's colours."""

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from netviz.scene.style import THEMES, Theme

SCALE_TEXT = {
    "log": "It is logarithmic and fixed: lines thicken from |w| = 0.1 to |w| = 50, each tenfold step the same "
    "step of width, so small and large weights are told apart in every run.",
    "run": "It is linear, up to the largest weight of the run (so it may change while a run trains on).",
    "clamp": "It is linear up to |w| = 5; larger weights all draw at full width.",
}
# Keys that are not actions of the window: the canvas, the timeline and the table handle them.
MOUSE_AND_OTHER_KEYS = [
    ("Mouse wheel", "Zoom the drawing about the pointer"),
    ("Drag the drawing", "Pan"),
    ("Double-click the drawing", "Reset zoom and pan"),
    ("Drag on the loss plot", "Zoom the timeline and the loss plot to those epochs"),
    ("Double-click the loss plot", "Show every epoch again"),
    ("Click the loss plot", "Show that epoch"),
]


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action that has a shortcut, in the order given, without repeats."""
    rows, seen = [], set()
    for action in actions:
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        what = (action.statusTip() or action.toolTip() or action.text()).replace("&", "")
        if keys and (keys, what) not in seen:
            seen.add((keys, what))
            rows.append((keys, what.split(" (")[0]))
    return rows


def _html_table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td style='padding:2px 14px 2px 0'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def _dialog(parent: QWidget, title: str, html: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    label = QLabel(html)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setMargin(12)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    scroll = QScrollArea()
    scroll.setWidget(label)
    scroll.setWidgetResizable(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(scroll, 1)
    layout.addWidget(buttons)
    dialog.resize(560, 520)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.label = label
    return dialog


def shortcuts_dialog(parent: QWidget, actions: list[QAction]) -> QDialog:
    html = (
        "<h3>Keyboard shortcuts</h3>"
        + _html_table(shortcut_rows(actions))
        + "<p>Space plays and pauses wherever the focus is, except while you type in a text field.</p>"
        + "<h3>Mouse</h3>"
        + _html_table(MOUSE_AND_OTHER_KEYS)
    )
    return _dialog(parent, "Keyboard shortcuts — netviz", html)


def _swatch(colour: str) -> str:
    """A small block of the colour, in the text."""
    return f"<span style='background:{colour}'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span>"


def reading_dialog(parent: QWidget, theme: Theme, scale_text: str) -> QDialog:
    """How to read the drawing: colours, the thickness scale, neuron fills, Think, the panels."""
    html = f"""
<h3>Reading the drawing</h3>
<p>Neurons stand in layers, the inputs on the left and the outputs on the right. Every line is a synapse:
a weight that multiplies what the neuron on its left sends to the neuron on its right.</p>
<p><b>Colour is the sign of a weight.</b> {_swatch(theme.positive)} positive (it excites),
{_swatch(theme.negative)} negative (it inhibits), {_swatch(theme.zero)} close to zero.</p>
<p><b>Thickness is the size of a weight</b>, on one scale that holds still for the whole run, so a line that
thickens is a weight that grows. {scale_text} The legend in the corner gives the scale;
View &gt; Weight scale changes it.</p>
<p><b>A neuron's fill is its activation</b> for the chosen input row (select a row in the table):
{_swatch(theme.neuron_off)} near 0, {_swatch(theme.neuron_on)} near 1, and for tanh or linear neurons
{_swatch(theme.negative)} below 0. The number inside is the activation.</p>
<p><b>Think</b> (T) shows one forward pass: the signal travels from the inputs along the synapses, coloured
by whether it pushes the next neuron up ({_swatch(theme.positive)}) or down ({_swatch(theme.negative)}),
and the output lights up with the prediction against the target.</p>
<p><b>Decision maps</b> (networks with two inputs): each neuron shows its activation over the input plane,
and the panel beside the network shows the output over the plane with the training points on top.</p>
<p><b>The timeline and the loss plot</b> share one epoch axis: logarithmic for long runs, where the early epochs
(where most learning happens) get most of the room. Drag on the loss plot to zoom both; double-click to reset.</p>
<p><b>The table</b> lists every training row with its target and the output at the shown epoch, coloured by the
error (green close, red far), and the new situation, whose inputs you can edit.</p>
"""
    return _dialog(parent, "Reading the drawing — netviz", html)


def show_shortcuts(window) -> None:
    window.help_dialog = shortcuts_dialog(window, window.transport.actions + window.menus.keyed)
    window.help_dialog.show()


def show_reading(window) -> None:
    theme = THEMES[window.theme_name]
    window.help_dialog = reading_dialog(window, theme, SCALE_TEXT[window.weight_scale_kind])
    window.help_dialog.show()


def show_about(window) -> None:
    from netviz import __version__

    QMessageBox.about(
        window, "About netviz",
        f"netviz {__version__}\n\nWatch a neural network learn: every epoch of training, "
        "drawn, replayable and exportable.",
    )  # fmt: skip

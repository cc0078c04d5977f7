"""Help: every keyboard shortcut (read from the window's own actions, so the list is never stale)
and how to read the drawing, in the theme's colours."""

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from netviz.scene.style import THEMES, Theme
from netviz.ui.theming import window_palette

SCALE_TEXT = {
    "log": "It is logarithmic and fixed: lines thicken from |w| = 0.1 to |w| = 50, each tenfold step the same "
    "step of width, so small and large weights are told apart in every run.",
    "run": "It is linear, up to the largest weight of the run (so it may change while a run trains on).",
    "clamp": "It is linear up to |w| = 5; larger weights all draw at full width.",
}
# Keys that are not actions of the window: the canvas, the timeline and the table handle them.
MOUSE_AND_OTHER_KEYS = [
    ("Point at a neuron or synapse", "Outline it and read its activation and bias, or its weight"),
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


def _dialog(parent: QWidget, title: str, html: str, theme: Theme) -> QDialog:
    """A dialog of text in the window's theme (a dialog is a window of its own: it inherits no palette)."""
    dialog = QDialog(parent)
    dialog.setPalette(window_palette(theme))
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
    dialog.resize(600, 640)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.label = label
    return dialog


def shortcuts_dialog(parent: QWidget, actions: list[QAction], theme: Theme) -> QDialog:
    html = (
        "<h3>Keyboard shortcuts</h3>"
        + _html_table(shortcut_rows(actions))
        + "<p>Space plays and pauses wherever the focus is, except while you type in a text field.</p>"
        + "<h3>Mouse</h3>"
        + _html_table(MOUSE_AND_OTHER_KEYS)
    )
    return _dialog(parent, "Keyboard shortcuts — netviz", html, theme)


def _key(rows: list[tuple[str, str]], theme: Theme) -> str:
    """A colour key: a framed swatch of each colour and what it means (a frame, so white shows on white)."""
    cells = "".join(
        f"<tr><td width='34' bgcolor='{colour}' style='border: 1px solid {theme.muted}'>&nbsp;</td>"
        f"<td style='padding-left: 8px'>{text}</td></tr>"
        for colour, text in rows
    )
    return f"<table cellspacing='4' cellpadding='1'>{cells}</table>"


def reading_dialog(parent: QWidget, theme: Theme, scale_text: str) -> QDialog:
    """How to read the drawing: colours, the thickness scale, neuron fills, Think, the panels."""
    synapses = _key([(theme.positive, "a positive weight: it excites the neuron it leads to"),
                     (theme.negative, "a negative weight: it inhibits"),
                     (theme.zero, "a weight close to zero")], theme)  # fmt: skip
    neurons = _key([(theme.neuron_off, "activation near 0"), (theme.neuron_on, "activation near 1"),
                    (theme.negative, "below 0 (tanh, linear and relu neurons)")], theme)  # fmt: skip
    signal = _key([(theme.positive, "the signal pushes the next neuron up"),
                   (theme.negative, "the signal pushes it down")], theme)  # fmt: skip
    html = f"""
<h3>Reading the drawing</h3>
<p>Neurons stand in layers, the inputs on the left and the outputs on the right. Every line is a synapse:
a weight that multiplies what the neuron on its left sends to the neuron on its right.</p>
<p><b>Colour is the sign of a weight:</b></p>{synapses}
<p><b>Thickness is the size of a weight</b>, on one scale that holds still for the whole run, so a line that
thickens is a weight that grows. {scale_text} The legend under the drawing gives the scale;
View &gt; Weight scale changes it.</p>
<p><b>A neuron's fill is its activation</b> for the chosen input row (select a row in the table); the number
inside is the activation:</p>{neurons}
<p><b>Think</b> (T, a toggle: filled while on) shows one forward pass: the signal travels from the inputs
along the synapses, and the output lights up with the prediction against the target:</p>{signal}
<p><b>Learn</b> (L) shows how one training step changes the weights, in stages (← → step, Space plays):
the forward pass; the <i>error</i> at each output, target − output; the <i>deltas</i> δ flowing back, a disc on
each neuron in the colour of its sign (a positive weight's colour: the neuron's input should rise; a negative
weight's: fall), larger for a larger
δ, while each synapse shows its share a·δ of the change; the <i>update</i>, each weight moving by
Δw = learning rate × the sum of its shares over the rows. Hover a synapse or a neuron for its formula with the
numbers. <b>View &gt; Show changes</b> makes each synapse glow by how much it moved since the last frame.</p>
<p><b>Decision maps</b> (networks with two inputs): each neuron shows its activation over the input plane,
and the panel beside the network shows the output over the plane with the training points on top. With
several outputs the panel shows the predicted class in its colour (the key above it), paler where the
network hesitates. A point is filled with its own class colour; a point the network gets wrong has a
thick ring.</p>
<p><b>The timeline and the loss plot</b> share one epoch axis: logarithmic for long runs, where the early epochs
(where most learning happens) get most of the room. Drag on the loss plot to zoom both; double-click to reset.
The loss at the shown epoch is written beside the plot's title, as in the status bar.</p>
<p><b>The table</b> lists every training row with its target and the output at the shown epoch, coloured by the
error (green close, red far), and the new situation, whose inputs you can edit. The chosen row is marked ▸.</p>
"""
    return _dialog(parent, "Reading the drawing — netviz", html, theme)


def show_shortcuts(window) -> None:
    actions = window.transport.actions + window.menus.keyed
    window.help_dialog = shortcuts_dialog(window, actions, THEMES[window.theme_name])
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

"""Neuron names, layer captions and the prediction, painted in the boxes the scene's layout chose
(netviz.scene.labels), measured with text_size so that layout and painting agree."""

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QPainter

from netviz.render.primitives import draw_text, font_metrics, pixel_font, qcolor
from netviz.scene.labels import TextBox
from netviz.scene.scene import Geometry, Scene
from netviz.scene.style import Theme

_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    "centre": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter,
}


def text_size(text: str, size: int) -> tuple[float, float]:
    """Width and height of `text` in the painter's font at `size` pixels (the layout's measure)."""
    metrics = font_metrics(pixel_font(size))
    return metrics.horizontalAdvance(text), metrics.height()


def paint_labels(painter: QPainter, geometry: Geometry, theme: Theme) -> None:
    """The names beside inputs and outputs (where no synapse runs) and the layers' captions."""
    layout = geometry.labels
    _paint_boxes(painter, [box for box in layout.names.values() if box.align != "centre"] + layout.captions, theme)


def paint_names_above(painter: QPainter, geometry: Geometry, theme: Theme) -> None:
    """The names above hidden neurons, each on a patch of background: painted over the synapses
    that pass there, so that no line runs through a name."""
    boxes = [box for box in geometry.labels.names.values() if box.align == "centre"]
    if not boxes:
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(qcolor(theme.rgb("background")))
    for box in boxes:
        painter.drawRect(_rect(box).adjusted(-1, 0, 1, 0))
    _paint_boxes(painter, boxes, theme)


def _paint_boxes(painter: QPainter, boxes: list[TextBox], theme: Theme) -> None:
    painter.setPen(qcolor(theme.rgb("text")))
    size = None
    for box in boxes:
        if box.size != size:
            painter.setFont(pixel_font(box.size))
            size = box.size
        draw_text(painter, _rect(box), _ALIGN[box.align], box.text)


def paint_notes(painter: QPainter, scene: Scene) -> None:
    """The prediction and target beside a single output, one line each, in the layout's note box;
    a line longer than the box was made for (a tiny or negative value) is set smaller to fit."""
    box = scene.geometry.labels.note
    if not scene.output_notes or box is None:
        return
    painter.setPen(qcolor(scene.theme.rgb("text")))
    y = box.y
    # Plain text at a point: laying out a two-line block costs several times more.
    for line in scene.output_notes[0].split(", "):
        font = pixel_font(box.size)
        metrics = font_metrics(font)
        width = metrics.horizontalAdvance(line)
        if width > box.width:
            font = pixel_font(max(1, int(box.size * box.width / width)))
        painter.setFont(font)
        painter.drawText(QPointF(box.x, y + font_metrics(font).ascent()), line)
        y += metrics.height()


def _rect(box: TextBox) -> QRectF:
    """The box on whole pixels: text and patches land on the same pixels recorded or painted directly."""
    return QRectF(round(box.x), round(box.y), round(box.width), round(box.height))

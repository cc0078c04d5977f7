"""Neuron names and the prediction under the output, painted where the scene's layout put them."""

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QFont, QPainter

from netviz.render.primitives import draw_text, font_metrics, pixel_font, qcolor
from netviz.scene.scene import Geometry, Scene
from netviz.scene.style import Theme


def paint_notes(painter: QPainter, scene: Scene, neurons) -> None:
    """The prediction (and target) under a single output neuron."""
    g, theme = scene.geometry, scene.theme
    if scene.output_notes and g.layers[-1] == 1 and g.radii[-1] >= 9:
        font = label_font(g.radii[-1])
        painter.setFont(font)
        painter.setPen(qcolor(theme.rgb("text")))
        x, y, r = neurons[-1]
        # Two short lines under the output, each centred, kept inside the drawing's rectangle.
        # (Plain text at a point: laying out a two-line block costs several times more.)
        metrics = font_metrics(font)
        lines = scene.output_notes[0].split(", ")
        widths = [metrics.horizontalAdvance(line) for line in lines]
        centre = min(x, g.rect.x + g.rect.width - 4 - max(widths) / 2 - 4)
        baseline = y + r + 4 + metrics.ascent()
        for line, width in zip(lines, widths):
            painter.drawText(QPointF(centre - width / 2, baseline), line)
            baseline += metrics.lineSpacing()


def label_font(radius: float) -> QFont:
    return pixel_font(max(10, min(17, int(radius * 0.5))))


def paint_labels(painter: QPainter, geometry: Geometry, labels: list[str], theme: Theme) -> None:
    """Neuron names left of the inputs and above other neurons; a layer too dense for names
    gets one caption under it instead ("784 inputs")."""
    g = geometry
    painter.setPen(qcolor(theme.rgb("text")))
    n_layers = len(g.layers)
    for layer, n in enumerate(g.layers):
        first = g.layer_start[layer]
        r = g.radii[first]
        if r < 9:
            kind = "input" if layer == 0 else ("output" if layer == n_layers - 1 else "hidden")
            kind += "s" if n > 1 and kind != "hidden" else ""
            x, bottom = g.centres[first, 0], g.centres[first : first + n, 1].max() + r
            painter.setFont(label_font(12))
            box = QRectF(x - 70, bottom + 4, 140, 18)
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{n:,} {kind}")
            continue
        painter.setFont(label_font(r))
        for i in range(first, first + n):
            x, y = g.centres[i]
            if layer == 0:
                box = QRectF(x - r - 86, y - 12, 80, 24)
                draw_text(painter, box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, labels[i])
            else:
                box = QRectF(x - 60, y - r - 22, 120, 20)
                draw_text(painter, box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, labels[i])

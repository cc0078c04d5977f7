"""The decision maps of a two-input network: the output's panel, its training points and class key,
and a hovered neuron's enlarged map."""

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from netviz.render.legend import paint_value_key
from netviz.render.primitives import draw_text, pixel_font, qcolor
from netviz.scene.scene import Scene
from netviz.scene.style import Theme


def draw_map(painter: QPainter, box: QRectF, rgb: np.ndarray, round_clip: bool = False) -> None:
    """An activation map (GRID, GRID, 3) scaled into box, clipped to its inscribed circle if asked."""
    data = np.ascontiguousarray(rgb)
    image = QImage(data.data, data.shape[1], data.shape[0], data.shape[1] * 3, QImage.Format.Format_RGB888)
    painter.save()
    if round_clip:
        path = QPainterPath()
        path.addEllipse(box)
        painter.setClipPath(path)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(box, image)
    painter.restore()


def paint_enlarged_map(painter: QPainter, scene: Scene, neuron: int, view, width: int, height: int) -> None:
    """The hovered neuron's map, large, beside it (kept inside the picture)."""
    g = scene.geometry
    x, y = g.centres[neuron]
    if view is not None:
        point = view.map(QPointF(x, y))
        x, y = point.x(), point.y()
    side = 150.0
    left = min(max(4.0, x + g.radii[neuron] + 8), width - side - 4)
    top = min(max(4.0, y - side / 2), height - side - 4)
    box = QRectF(left, top, side, side)
    draw_map(painter, box, scene.maps.rgb[neuron])
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(qcolor(scene.theme.rgb("text")), 1.0))
    painter.drawRect(box)
    painter.setFont(pixel_font(12))
    draw_text(painter, QRectF(left, top + side + 2, side, 16), Qt.AlignmentFlag.AlignHCenter, scene.labels[neuron])


def point_radius(n_points: int) -> float:
    """Radius of a training point on the panel: large for a few, small for many."""
    return 6.0 if n_points <= 20 else (3.5 if n_points <= 400 else 2.0)


def paint_points(painter: QPainter, box: QRectF, maps, theme: Theme) -> None:
    """The training points over the panel: each filled with its class's full colour, ringed in the
    theme's text colour so it shows on any map; a misclassified point wears a thick ring."""
    x0, x1, y0, y1 = maps.extent
    px = box.left() + (maps.points[:, 0] - x0) / (x1 - x0) * box.width()
    py = box.bottom() - (maps.points[:, 1] - y0) / (y1 - y0) * box.height()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    r = point_radius(len(px))
    thin = QPen(qcolor(theme.rgb("text"), 200), 1.0)
    thick = QPen(qcolor(theme.rgb("text")), max(2.0, r * 0.6))
    # Correct points first, so a misclassified one is never hidden under its neighbours.
    for wrong, pen, radius in ((False, thin, r), (True, thick, r + 1.0)):
        painter.setPen(pen)
        for x, y, rgb in zip(px[maps.wrong == wrong], py[maps.wrong == wrong], maps.point_rgb[maps.wrong == wrong]):
            painter.setBrush(qcolor(rgb))
            painter.drawEllipse(QPointF(x, y), radius, radius)


def paint_plane(painter: QPainter, box: QRectF, maps, output: int, labels: list[str], theme: Theme) -> None:
    """The output's map over the input plane (the predicted class for several outputs, with a key
    to the classes), the training points on it and the axes named."""
    draw_map(painter, box, maps.panel_rgb)
    paint_points(painter, box, maps, theme)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(qcolor(theme.rgb("muted")), 1.0))
    painter.drawRect(box)
    painter.setFont(pixel_font(12))
    painter.setPen(qcolor(theme.rgb("text")))
    x_name, y_name = ("x", "y") if maps.inputs_mapped else labels[:2]  # features: the plane is their points'
    painter.drawText(QRectF(box.left(), box.bottom() + 2, box.width(), 16), Qt.AlignmentFlag.AlignHCenter, x_name)
    painter.save()
    painter.translate(box.left() - 4, box.center().y())
    painter.rotate(-90)
    painter.drawText(QRectF(-box.height() / 2, -16, box.height(), 16), Qt.AlignmentFlag.AlignHCenter, y_name)
    painter.restore()
    if len(maps.class_rgb):
        paint_class_key(painter, box, maps.class_rgb, labels[output : output + len(maps.class_rgb)], theme)
        return
    title = f"{labels[output]} over ({x_name}, {y_name})"
    if maps.reach is not None:  # shaded by value: the key says which value each colour is
        paint_value_key(painter, QRectF(box.left(), box.top() - 20, box.width(), 18), maps.reach, theme, title)
        return
    painter.drawText(QRectF(box.left(), box.top() - 18, box.width(), 16), Qt.AlignmentFlag.AlignHCenter, title)


CLASS_SWATCH = 10.0  # side of a class's colour square in the key


def class_key_rows(names: list[str], width: float, fm: QFontMetricsF) -> list[list[int]]:
    """The classes' indices in rows that each fit `width`."""
    rows, used = [[]], 0.0
    for k, name in enumerate(names):
        entry = CLASS_SWATCH + 4 + fm.horizontalAdvance(name) + 10
        if rows[-1] and used + entry > width:
            rows.append([])
            used = 0.0
        rows[-1].append(k)
        used += entry
    return rows


def paint_class_key(painter: QPainter, box: QRectF, class_rgb: np.ndarray, names: list[str], theme: Theme) -> None:
    """Above the panel: a swatch of each class's hue and its name, in as many rows as the width needs."""
    fm = QFontMetricsF(painter.font())
    rows = class_key_rows(names, box.width(), fm)
    row_height = max(fm.height(), CLASS_SWATCH) + 2
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for i, row in enumerate(rows):
        widths = [CLASS_SWATCH + 4 + fm.horizontalAdvance(names[k]) + 10 for k in row]
        x = box.center().x() - (sum(widths) - 10) / 2
        y = box.top() - 4 - row_height * (len(rows) - i)
        for k, w in zip(row, widths):
            painter.setPen(QPen(qcolor(theme.rgb("text"), 200), 1.0))
            painter.setBrush(qcolor(class_rgb[k]))
            painter.drawRect(QRectF(x, y + (row_height - CLASS_SWATCH) / 2, CLASS_SWATCH, CLASS_SWATCH))
            painter.setPen(qcolor(theme.rgb("text")))
            painter.drawText(QPointF(x + CLASS_SWATCH + 4, y + (row_height - fm.height()) / 2 + fm.ascent()), names[k])
            x += w


_pen_cache: dict = {}

"""Paints a scene onto any QPainter: the window, PNG stills and every GIF frame.

No widgets here. Synapses are drawn as one drawLines call per pen bucket from arrays
filled by NumPy (docs/ARCHITECTURE.md, "Drawing": far cheaper than an item or a call per line).
"""

import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PyQt6 import sip
from PyQt6.QtCore import QLineF, QPointF, QRectF, Qt
from PyQt6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPicture,
    QStaticText,
    QTransform,
)

from netviz.engine.network import Architecture
from netviz.scene.plane import plane_maps
from netviz.scene.scene import Geometry, Rect, Scene, Think, build_scene
from netviz.scene.style import Theme, WeightScale, activation_fill, bucket_colours

FOOTER_HEIGHT = 64.0
MIN_LINE_WIDTH = 1.5
TINY_RADIUS = 3.0  # neurons smaller than this are drawn as dots, without outline or value


@contextmanager
def painting(device):
    """A QPainter on device, ended however the block ends: a painter left active when an
    exception (Ctrl-C, SIGTERM) unwinds outlives its device and crashes Qt."""
    painter = QPainter(device)
    try:
        yield painter
    finally:
        painter.end()


def is_recording(painter: QPainter) -> bool:
    """Whether the painter records into a QPicture (which stores each image drawn as a PNG)."""
    engine = painter.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def qcolor(rgb, alpha: int = 255) -> QColor:
    return QColor(int(rgb[0]), int(rgb[1]), int(rgb[2]), int(alpha))


class NativeBuffer:
    """A reusable native array of QLineF (or QPointF) whose memory NumPy writes directly."""

    def __init__(self, kind=QLineF, doubles: int = 4):
        self._kind, self._doubles = kind, doubles
        self._items, self._view, self._capacity = None, np.zeros((0, doubles)), 0

    def array(self, values: np.ndarray):
        """The rows of values (n, doubles) as a sip array for drawLines or drawPoints."""
        n = len(values)
        if n > self._capacity:
            self._capacity = max(n, 2 * self._capacity, 64)
            self._items = sip.array(self._kind, self._capacity)
            ptr = sip.voidptr(self._items, self._capacity * self._doubles * 8)
            self._view = np.frombuffer(ptr, dtype=np.float64).reshape(-1, self._doubles)
        self._view[:n] = values
        return self._items[:n] if n < self._capacity else self._items


_LINES = NativeBuffer()
_POINTS = NativeBuffer(QPointF, 2)


def density(n_lines: int) -> float:
    """1 for a few hundred lines, falling toward 0.1 for many: thinner, fainter lines when dense."""
    return float(np.clip(np.sqrt(300.0 / max(n_lines, 1)), 0.1, 1.0))


def line_widths(scale: WeightScale, radius: float, n_lines: int = 0) -> np.ndarray:
    """Pixel width of each pen bucket: the scale's widths, narrowed for small neurons and many lines."""
    shrink = float(np.clip(radius / 30.0, 0.3, 1.0)) * density(n_lines)
    # Measured here (Qt 6.11 raster, no antialiasing): 1 px and cosmetic lines draw ~7x slower
    # than 1.5 px ones, so the thinnest line is 1.5 px.
    return np.maximum(MIN_LINE_WIDTH, 1.0 + (scale.bucket_widths() - 1.0) * shrink)


def _draw_map(painter: QPainter, box: QRectF, rgb: np.ndarray, round_clip: bool = False) -> None:
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


def _paint_enlarged_map(painter: QPainter, scene: Scene, neuron: int, view, width: int, height: int) -> None:
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
    _draw_map(painter, box, scene.maps.rgb[neuron])
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
    _draw_map(painter, box, maps.panel_rgb)
    paint_points(painter, box, maps, theme)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(qcolor(theme.rgb("muted")), 1.0))
    painter.drawRect(box)
    painter.setFont(pixel_font(12))
    painter.setPen(qcolor(theme.rgb("text")))
    painter.drawText(QRectF(box.left(), box.bottom() + 2, box.width(), 16), Qt.AlignmentFlag.AlignHCenter, labels[0])
    painter.save()
    painter.translate(box.left() - 4, box.center().y())
    painter.rotate(-90)
    painter.drawText(QRectF(-box.height() / 2, -16, box.height(), 16), Qt.AlignmentFlag.AlignHCenter, labels[1])
    painter.restore()
    if len(maps.class_rgb):
        paint_class_key(painter, box, maps.class_rgb, labels[output : output + len(maps.class_rgb)], theme)
        return
    title = f"{labels[output]} over ({labels[0]}, {labels[1]})"
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


def _bucket_pens(scale: WeightScale, theme: Theme, radius: float, n_lines: int, edge_alpha: float) -> list[QPen]:
    """One pen per bucket, made once per look (the colours and widths depend on nothing else)."""
    key = (scale, theme, radius, n_lines, edge_alpha)
    pens = _pen_cache.get(key)
    if pens is None:
        colours = bucket_colours(scale, theme)
        widths = line_widths(scale, radius, n_lines)
        fade = edge_alpha * max(0.35, density(n_lines))
        # Translucency is mixed into the colour against the background: opaque lines draw ~10x faster.
        background = np.array(theme.rgb("background"), dtype=np.float64)
        opaque = np.rint(background + (colours[:, :3] - background) * (colours[:, 3:4] / 255.0 * fade))
        pens = []
        for rgb, width in zip(opaque, widths):
            pen = QPen(qcolor(rgb), float(width))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pens.append(pen)
        if len(_pen_cache) > 64:
            _pen_cache.clear()
        _pen_cache[key] = pens
    return pens


def paint_network(painter: QPainter, scene: Scene, antialias: bool = True, labels: bool = True) -> None:
    """Neuron names (unless already painted), synapses (weak first), the Think signal, then neurons."""
    g, theme = scene.geometry, scene.theme
    if labels:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint_labels(painter, g, scene.labels, theme)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialias)
    pens = _bucket_pens(scene.scale, theme, g.radius, scene.n_edges_shown, scene.edge_alpha)
    segments = g.segments[scene.edge_order]
    for k, bucket in enumerate(scene.bucket_sequence):
        lo, hi = scene.bucket_bounds[k], scene.bucket_bounds[k + 1]
        painter.setPen(pens[bucket])
        painter.drawLines(_LINES.array(segments[lo:hi]))

    if len(scene.signal_segments):
        # The signal keeps the sign of what it carries (w * a): it pushes the next neuron up or down.
        levels = np.minimum((scene.signal_strength * 4).astype(int), 3)
        for negative, colour in ((False, theme.rgb("positive")), (True, theme.rgb("negative"))):
            for level in range(4):
                chosen = scene.signal_segments[(levels == level) & (scene.signal_negative == negative)]
                if len(chosen):
                    pen = QPen(qcolor(colour, 150 + 35 * level), 2.0 + 2.5 * level)
                    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                    painter.setPen(pen)
                    painter.drawLines(_LINES.array(chosen))

    _paint_neurons(painter, scene)


def _paint_neurons(painter: QPainter, scene: Scene) -> None:
    """Discs filled by activation, the value inside each, and the prediction under each output."""
    g, theme = scene.geometry, scene.theme
    tiny = g.radii < TINY_RADIUS
    if tiny.any():
        _paint_dots(painter, g.centres[tiny], g.radii[tiny], scene.neuron_fill[tiny])
    outline_rgb = theme.rgb("muted")
    outline = QPen(qcolor(outline_rgb), 1.25)
    painter.setPen(outline)
    maps = scene.maps
    # Unzoomed, a disc is a cached image blitted at the nearest whole pixel: an antialiased
    # ellipse costs ~0.1 ms to draw, its blit a tenth of that. (A QPicture would store the
    # image as a PNG: there, an ellipse is cheaper.)
    transform = painter.worldTransform()
    blit = transform.type().value <= QTransform.TransformationType.TxTranslate.value and not is_recording(painter)
    shift_x, shift_y = transform.dx(), transform.dy()
    ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    # Plain Python lists: indexing NumPy arrays one element at a time costs more than the drawing.
    neurons, fills = g.neuron_list, scene.neuron_fill.tolist()
    # Discs are always antialiased: jagged, they would flicker while training plays. (Drawn in
    # the window, they cost the trainer nothing: Qt fills their pixels without the GIL.)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    mapped = g.layer_of.tolist() if maps is not None else None  # neurons past the inputs show a map
    for i, (x, y, r) in enumerate(neurons):
        if r < TINY_RADIUS:
            continue
        if mapped is not None and mapped[i] > 0:
            _draw_map(painter, QRectF(x - r, y - r, 2 * r, 2 * r), maps.rgb[i], round_clip=True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(x, y), r, r)
        elif blit:
            sprite, half = _disc_sprite(r, tuple(fills[i]), outline_rgb, ratio)
            painter.drawImage(QPointF(round(x + shift_x) - shift_x - half, round(y + shift_y) - shift_y - half), sprite)
        else:
            painter.setBrush(QColor(*fills[i]))
            painter.drawEllipse(QPointF(x, y), r, r)

    colours = (qcolor(_rgb_hex("#ffffff")), qcolor(_rgb_hex("#111111")))  # light, dark
    font_radius = pen = None
    recording = is_recording(painter)  # a QPicture lays static text out again: plain text is cheaper there
    for i, (v, dark) in enumerate(zip(scene.neuron_values.tolist(), scene.dark_text.tolist())):
        x, y, r = neurons[i]
        if r < 9 or math.isnan(v) or (mapped is not None and mapped[i] > 0):
            continue  # too small, no input chosen, or a map over the plane instead of one value
        if r != font_radius:
            painter.setFont(pixel_font(max(9, int(r * 0.55))))
            font_radius, ascent = r, QFontMetricsF(painter.font()).ascent()
        if dark != pen:
            painter.setPen(colours[dark])
            pen = dark
        text = _short(v)
        static, width, height = static_text(painter, text)
        if recording:
            painter.drawText(QPointF(x - width / 2, y - height / 2 + ascent), text)
        else:
            painter.drawStaticText(QPointF(x - width / 2, y - height / 2), static)

    _paint_notes(painter, scene, neurons)


def _paint_notes(painter: QPainter, scene: Scene, neurons) -> None:
    """The prediction (and target) under a single output neuron."""
    g, theme = scene.geometry, scene.theme
    if scene.output_notes and g.layers[-1] == 1 and g.radii[-1] >= 9:
        font = _label_font(g.radii[-1])
        painter.setFont(font)
        painter.setPen(qcolor(theme.rgb("text")))
        x, y, r = neurons[-1]
        # Two short lines under the output, each centred, kept inside the drawing's rectangle.
        # (Plain text at a point: laying out a two-line block costs several times more.)
        metrics = _metrics(font)
        lines = scene.output_notes[0].split(", ")
        widths = [metrics.horizontalAdvance(line) for line in lines]
        centre = min(x, g.rect.x + g.rect.width - 4 - max(widths) / 2 - 4)
        baseline = y + r + 4 + metrics.ascent()
        for line, width in zip(lines, widths):
            painter.drawText(QPointF(centre - width / 2, baseline), line)
            baseline += metrics.lineSpacing()


_font_metrics: dict = {}


def _metrics(font: QFont) -> QFontMetricsF:
    key = (font.pixelSize(), font.family())
    found = _font_metrics.get(key)
    if found is None:
        found = _font_metrics[key] = QFontMetricsF(font)
    return found


def _paint_dots(painter: QPainter, centres: np.ndarray, radii: np.ndarray, fills: np.ndarray) -> None:
    """Neurons too small for an outline: round dots in a few fill levels, one drawPoints each."""
    levels = fills.astype(np.int32) // 32  # 8 steps per channel is plenty at this size
    codes = (levels[:, 0] * 8 + levels[:, 1]) * 8 + levels[:, 2]
    for code in np.unique(codes).tolist():
        chosen = codes == code
        rgb = (code // 64 * 32 + 16, code // 8 % 8 * 32 + 16, code % 8 * 32 + 16)
        pen = QPen(qcolor(rgb), float(2 * radii[chosen].max()))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPoints(_POINTS.array(centres[chosen]))


_sprites: dict = {}
SPRITE_LIMIT = 1024  # a few hundred fills per neuron size cover a whole run


def _disc_sprite(radius: float, fill: tuple, outline: tuple, ratio: float = 1.0) -> tuple[QImage, int]:
    """An antialiased disc with its outline, centred on the corner of pixel (half, half) of a
    transparent image; drawn once per radius, fill and outline (a QImage: export threads use it too)."""
    key = (radius, fill, outline, ratio)
    found = _sprites.get(key)
    if found is None:
        half = math.ceil(radius + 2)
        image = QImage(round(2 * half * ratio), round(2 * half * ratio), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(0)
        with painting(image) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(qcolor(outline), 1.25))
            painter.setBrush(qcolor(fill))
            painter.drawEllipse(QPointF(half, half), radius, radius)
        if len(_sprites) >= SPRITE_LIMIT:
            _sprites.clear()
        found = _sprites[key] = (image, half)
    return found


def pixel_font(size: int) -> QFont:
    """The default family at `size` pixels (pixels, not points: pictures look the same on any screen).

    Every text drawn is short Latin (numbers, names): no shaping needed, and skipping it makes
    each piece of text about a quarter cheaper, and the window records a dozen every frame.
    """
    font = QFont()
    font.setPixelSize(int(size))
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def _label_font(radius: float) -> QFont:
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
            painter.setFont(_label_font(12))
            box = QRectF(x - 70, bottom + 4, 140, 18)
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{n:,} {kind}")
            continue
        painter.setFont(_label_font(r))
        for i in range(first, first + n):
            x, y = g.centres[i]
            if layer == 0:
                box = QRectF(x - r - 86, y - 12, 80, 24)
                draw_text(painter, box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, labels[i])
            else:
                box = QRectF(x - 60, y - r - 22, 120, 20)
                draw_text(painter, box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, labels[i])


_static_texts: dict = {}
_alignments: dict = {}


def _alignment(align: Qt.AlignmentFlag) -> tuple[float, float]:
    """Where in the free space an alignment puts the text: (0, 0.5 or 1) across, and down."""
    found = _alignments.get(align)
    if found is None:  # Flag arithmetic is slow in Python: decode each alignment once
        across = 0.5 if align & Qt.AlignmentFlag.AlignHCenter else (1.0 if align & Qt.AlignmentFlag.AlignRight else 0.0)
        down = 0.5 if align & Qt.AlignmentFlag.AlignVCenter else (1.0 if align & Qt.AlignmentFlag.AlignBottom else 0.0)
        found = _alignments[align] = (across, down)
    return found


def static_text(painter: QPainter, text: str) -> tuple[QStaticText, float, float]:
    """`text` in the painter's font, laid out once (QStaticText, ~3x cheaper to draw), and its size."""
    font = painter.font()
    key = (text, font.pixelSize(), font.family())
    found = _static_texts.get(key)
    if found is None:
        if len(_static_texts) > 2048:
            _static_texts.clear()
        static = QStaticText(text)
        static.prepare(QTransform(), font)
        size = static.size()
        found = _static_texts[key] = (static, size.width(), size.height())
    return found


def draw_text(painter: QPainter, box: QRectF, align: Qt.AlignmentFlag, text: str) -> None:
    """drawText for short, often repeated strings (see static_text)."""
    static, width, height = static_text(painter, text)
    across, down = _alignment(align)
    x = box.left() + (box.width() - width) * across
    y = box.top() + (box.height() - height) * down
    painter.drawStaticText(QPointF(x, y), static)


def _rgb_hex(text: str):
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)


def _short(v: float) -> str:
    """A value that fits in a neuron: 0.62, 0.0079, 4e-6, 1.3e3, ∞."""
    a = abs(v)
    if a == math.inf:  # a linear network can overflow; round() would raise
        return "∞" if v > 0 else "−∞"
    if v == round(v) and a < 1000:
        return f"{v:.0f}"  # inputs are often 0 and 1
    if 0.01 <= a < 100:
        return f"{v:.2f}"
    if 1e-3 <= a < 0.01:
        return f"{v:.3f}"
    mantissa, exponent = f"{v:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


LEGEND_SCALE_NOTES = {"log": "log scale", "run": "linear", "clamp": "clamped"}  # under "weight", by scale kind
LEGEND_CELL = (30.0, 44.0)  # narrowest and widest room for one sample line and its value


def legend_samples(scale: WeightScale) -> list[float]:
    """The weights the legend draws a line for: the scale's ticks, negative then positive."""
    ticks = scale.legend_weights()
    return [-w for w in reversed(ticks)] + list(ticks)


def paint_legend(painter: QPainter, rect: QRectF, scale: WeightScale, theme: Theme) -> None:
    """A weight key (sample lines at the scale's ticks, with their values and the scale's kind)
    and, where there is room, the activation fill."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = pixel_font(11)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    line_y = rect.top() + rect.height() * 0.32
    labels = QRectF(rect.left(), rect.top() + rect.height() * 0.5, 0, rect.height() * 0.5)
    note = LEGEND_SCALE_NOTES.get(scale.kind, "linear")
    painter.setPen(qcolor(theme.rgb("muted")))
    painter.drawText(QPointF(rect.left(), line_y + fm.ascent() / 2 - 1), "weight")
    painter.drawText(labels.adjusted(0, 0, 200, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, note)
    x = rect.left() + max(fm.horizontalAdvance("weight"), fm.horizontalAdvance(note)) + 8

    samples = legend_samples(scale)
    activation_width = 18 + fm.horizontalAdvance("activation") + 8 + 3 * 30
    room = rect.right() - x
    with_activation = room - activation_width >= LEGEND_CELL[0] * len(samples)
    cell = min(LEGEND_CELL[1], (room - activation_width * with_activation) / len(samples))
    colours, widths = bucket_colours(scale, theme), np.maximum(MIN_LINE_WIDTH, scale.bucket_widths())  # as drawn
    buckets = scale.bucket(np.array(samples)).tolist()
    for w, bucket in zip(samples, buckets):
        rgba = colours[bucket]
        pen = QPen(qcolor(rgba, rgba[3]), float(widths[bucket]))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QLineF(x + 4, line_y, x + cell - 4, line_y))
        painter.setPen(qcolor(theme.rgb("text")))
        painter.drawText(QRectF(x - 4, labels.top(), cell + 8, labels.height()),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{w:+g}")  # fmt: skip
        x += cell
    if with_activation:
        _paint_activation_key(painter, QRectF(x + 18, rect.top(), rect.right() - x - 18, rect.height()), theme)


def _paint_activation_key(painter: QPainter, rect: QRectF, theme: Theme) -> None:
    """A neuron's fill at activation 0, 0.5 and 1."""
    fm = QFontMetricsF(painter.font())
    x = rect.left()
    painter.setPen(qcolor(theme.rgb("muted")))
    painter.drawText(QPointF(x, rect.center().y() + fm.ascent() / 2 - 1), "activation")
    x += fm.horizontalAdvance("activation") + 8
    fills = activation_fill(np.array([0.0, 0.5, 1.0]), theme)
    r = 8.0
    for value, fill in zip(("0", "0.5", "1"), fills):
        painter.setPen(QPen(qcolor(theme.rgb("muted")), 1))
        painter.setBrush(qcolor(fill))
        painter.drawEllipse(QPointF(x + r, rect.top() + rect.height() * 0.32), r, r)
        painter.setPen(qcolor(theme.rgb("text")))
        painter.drawText(QRectF(x - 6, rect.top() + rect.height() * 0.5, 2 * r + 12, rect.height() * 0.5),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, value)  # fmt: skip
        x += 2 * r + 14


_legend_cache: dict = {}


def _legend_image(scale: WeightScale, theme: Theme, width: int, height: int) -> QImage:
    """The legend, drawn once per scale, theme and size (a QImage, so export threads may use it).

    Measured at 1280x800: filling the background and drawing this small image costs a third
    of blitting a cached full-frame background.
    """
    key = (scale, theme, width, height)
    image = _legend_cache.get(key)
    if image is None:
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(qcolor(theme.rgb("background")))
        with painting(image) as painter:
            paint_legend(painter, QRectF(0, 0, width, height), scale, theme)
        if len(_legend_cache) > 16:
            _legend_cache.clear()
        _legend_cache[key] = image
    return image


def paint_loss_curve(
    painter: QPainter, rect: QRectF, loss: np.ndarray, epoch: int, theme: Theme, log: bool = True
) -> None:
    """A small loss curve over all of `loss` with a cursor at `epoch` (log10 of the loss if log)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(qcolor(theme.rgb("muted")), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    n = len(loss)
    if n < 2:
        return
    step = max(1, n // int(max(2, rect.width())))
    xs = np.arange(0, n, step)
    ys = np.asarray(loss)[xs]
    if log:
        ys = np.log10(np.maximum(ys, 1e-300))
    finite = np.isfinite(ys)
    if not finite.any():
        return
    lo, hi = ys[finite].min(), ys[finite].max()
    span = hi - lo if hi > lo else 1.0
    px = rect.left() + 2 + (rect.width() - 4) * xs / (n - 1)
    py = rect.bottom() - 3 - (rect.height() - 6) * (ys - lo) / span
    path = QPainterPath(QPointF(px[0], py[0]))
    for x, y in zip(px[1:], py[1:]):
        path.lineTo(x, y)
    painter.setPen(QPen(qcolor(theme.rgb("text")), 1.25))
    painter.drawPath(path)
    painter.setFont(pixel_font(10))
    painter.setPen(qcolor(theme.rgb("muted")))
    title = "loss (log)" if log else "loss"
    painter.drawText(rect.adjusted(4, 2, -4, -2), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, title)
    cx = rect.left() + 2 + (rect.width() - 4) * min(max(epoch, 0), n - 1) / (n - 1)
    painter.setPen(QPen(qcolor(theme.rgb("signal")), 2))
    painter.drawLine(QLineF(cx, rect.top() + 1, cx, rect.bottom() - 1))


@dataclass
class Frame:
    """What one picture shows: a network at an epoch, optionally with its loss so far."""

    arch: Architecture
    theta: np.ndarray
    theme: Theme
    scale: WeightScale
    labels: list[str]
    epoch: int
    loss: np.ndarray | None = None  # loss of every epoch of the run (the caption reads loss[epoch])
    inputs: np.ndarray | None = None  # the row whose activations fill the neurons
    targets: np.ndarray | None = None
    think: Think | None = None
    title: str = ""
    plane: tuple[np.ndarray, np.ndarray] | None = None  # (inputs, targets): decision maps for 2-input networks
    hover: int | None = None  # the neuron under the mouse: its decision map is drawn larger


class GeometryCache:
    """What stays the same from frame to frame of one picture: neuron positions while the
    architecture and the rectangle stay the same, and (for a painter that records) the
    backdrop (background, legend and neuron names) while the look and size do too."""

    def __init__(self):
        self._key, self._geometry = None, None
        self._backdrop_key, self._backdrop = None, None

    @property
    def backdrop_now(self):
        """The backdrop made last (see paint_frame's separate_backdrop)."""
        return self._backdrop

    def get(self, layers, rect: Rect) -> Geometry:
        key = (tuple(layers), rect)
        if key != self._key:
            self._key, self._geometry = key, Geometry.build(layers, rect)
        return self._geometry

    def backdrop(self, key, paint) -> QPicture:
        """The backdrop recorded for `key` by paint(painter), recorded again when the key changes."""
        if key != self._backdrop_key:
            backdrop = QPicture()
            with painting(backdrop) as painter:
                paint(painter)
            self._backdrop_key, self._backdrop = key, backdrop
        return self._backdrop


def network_rect(width: float, height: float, footer: bool = True, panel: bool = False) -> Rect:
    top = 44.0
    bottom = FOOTER_HEIGHT if footer else 16.0
    inner = max(40.0, height - top - bottom)
    used = panel_size(width, inner) + 24 if panel else 0.0
    return Rect(0.0, top, float(width) - used, inner)


def panel_size(width: float, inner_height: float) -> float:
    """Side of the output's decision map, drawn right of the network."""
    return float(max(60.0, min(inner_height * 0.9, width * 0.3)))


def paint_frame(
    painter: QPainter,
    width: int,
    height: int,
    frame: Frame,
    cache: GeometryCache | None = None,
    antialias: bool = True,
    caption: bool = True,
    sparkline: bool = True,
    view: QTransform | None = None,
    separate_backdrop: bool = False,
) -> Scene:
    """The whole picture: background, caption, network, legend and (optionally) a loss sparkline.

    `view` (zoom and pan) applies to the network only; caption and legend stay put. Recording
    into a QPicture with a cache and `separate_backdrop`, the backdrop (background, legend and
    neuron names) is left out and kept in `cache.backdrop_now`, for the caller to show beneath.
    """
    theme = frame.theme
    maps = None
    if frame.plane is not None and frame.arch.layers[0] == 2:
        maps = plane_maps(frame.arch, frame.theta, frame.plane[0], frame.plane[1], theme)
    rect = network_rect(width, height, panel=maps is not None)
    geometry = (cache or GeometryCache()).get(frame.arch.layers, rect)
    scene = build_scene(
        geometry, frame.arch, frame.theta, theme, frame.scale, inputs=frame.inputs,
        labels=frame.labels, think=frame.think, targets=frame.targets,
    )  # fmt: skip
    scene.maps = maps

    recording = is_recording(painter)
    # Zoomed in, the network stays between the caption and the legend instead of covering them.
    zoomed_band = QRectF(0, 40, width, max(1.0, height - FOOTER_HEIGHT - 40))

    def paint_backdrop(painter: QPainter) -> None:
        painter.fillRect(QRectF(0, 0, width, height), qcolor(theme.rgb("background")))
        legend = QRectF(16, height - FOOTER_HEIGHT + 10, min(560.0, width - 32), 44)
        painter.save()
        if legend.width() < 1:
            pass  # the smallest images (16 to 32 pixels wide) have no room for it
        elif is_recording(painter):
            paint_legend(painter, legend, frame.scale, theme)
        else:
            painter.drawImage(legend.topLeft(), _legend_image(frame.scale, theme, int(legend.width()), 44))
        if view is not None:
            painter.setClipRect(zoomed_band)
            painter.setTransform(view, True)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint_labels(painter, geometry, scene.labels, theme)
        painter.restore()

    if recording and cache is not None:
        # Recorded once while the look and size stay the same: replaying it is one call from
        # Python instead of about forty (the window records a frame 60 times a second).
        view_key = None if view is None else (view.m11(), view.m12(), view.m21(), view.m22(), view.dx(), view.dy())
        key = (width, height, theme, frame.scale, geometry.layers, geometry.rect, tuple(scene.labels), view_key)
        backdrop = cache.backdrop(key, paint_backdrop)
        if not separate_backdrop:
            painter.drawPicture(QPointF(0, 0), backdrop)
    else:
        paint_backdrop(painter)
    if view is not None:
        painter.save()
        painter.setClipRect(zoomed_band)
        painter.setTransform(view, True)
    paint_network(painter, scene, antialias=antialias, labels=False)
    if view is not None:
        painter.restore()
    if maps is not None:
        side = panel_size(width, rect.height)
        panel = QRectF(width - side - 16, rect.y + (rect.height - side) / 2, side, side)
        paint_plane(painter, panel, maps, int(geometry.layer_start[-2]), frame.labels, theme)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if caption:
        font = pixel_font(17)
        painter.setFont(font)
        painter.setPen(qcolor(theme.rgb("text")))
        text = f"epoch {frame.epoch:,}"
        if frame.loss is not None and 0 <= frame.epoch < len(frame.loss):
            text += f"    loss {frame.loss[frame.epoch]:.3g}"
        if frame.title:
            text = f"{frame.title}    {text}"
        # Left of the 30 px band at the top, centred in its height: plain text at a point is
        # laid out more cheaply than text in a box, and this one changes every frame.
        metrics = _metrics(font)
        painter.drawText(QPointF(16, 8 + (30 - metrics.height()) / 2 + metrics.ascent()), text)
    if scene.n_edges_shown < len(scene.weights):
        painter.setFont(pixel_font(12))
        painter.setPen(qcolor(theme.rgb("muted")))
        note = f"showing the strongest {scene.n_edges_shown:,} of {len(scene.weights):,} synapses"
        painter.drawText(
            QRectF(16, 8, width - 32, 30), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, note
        )
    if sparkline and frame.loss is not None and width >= 700:
        spark = QRectF(width - 16 - min(220.0, width * 0.25), height - FOOTER_HEIGHT + 12, min(220.0, width * 0.25), 40)
        paint_loss_curve(painter, spark, frame.loss, frame.epoch, theme)
    if maps is not None and frame.hover is not None and geometry.layer_of[frame.hover] > 0:
        # Last, like a tooltip: over the output's panel too when the output is hovered.
        _paint_enlarged_map(painter, scene, frame.hover, view, width, height)
    return scene


def render_image(frame: Frame, width: int, height: int, cache: GeometryCache | None = None, **options) -> QImage:
    """The frame as an RGB32 image (a QGuiApplication must exist)."""
    image = QImage(int(width), int(height), QImage.Format.Format_RGB32)
    with painting(image) as painter:
        paint_frame(painter, width, height, frame, cache, **options)
    return image

"""Paints a scene onto any QPainter: the window, PNG stills and every GIF frame.

No widgets here. Synapses are drawn as one drawLines call per pen bucket from arrays
filled by NumPy (docs/ARCHITECTURE.md, "Drawing": far cheaper than an item or a call per line).
"""

import math
from dataclasses import dataclass

import numpy as np
from PyQt6 import sip
from PyQt6.QtCore import QLineF, QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen, QPicture, QTransform

from netviz.engine.network import Architecture
from netviz.numbers import loss_caption
from netviz.render.labels import paint_labels, paint_names_above, paint_notes, text_size
from netviz.render.legend import LEGEND_HEIGHT, LegendKey, legend_image, paint_legend, paint_loss_curve
from netviz.render.plane import draw_map, paint_enlarged_map, paint_plane
from netviz.render.primitives import (
    MIN_LINE_WIDTH,
    font_metrics,
    is_recording,
    painting,
    pixel_font,
    qcolor,
    rgb_hex,
    signal_pen,
    static_text,
)
from netviz.scene.plane import has_map, plane_maps
from netviz.scene.scene import Geometry, Rect, Scene, Think, build_scene
from netviz.scene.style import Theme, WeightScale, bucket_colours

CAPTION_BAND = 44.0  # above the network at 900x600, for the caption
FOOTER_HEIGHT = 64.0  # at 900x600; it scales with the picture (footer_scale)
LEGEND_WIDTH = 560.0  # the most the legend takes at 900x600
PANEL_GAP = 40.0  # between the network's rectangle and the panel: the panel's y axis is named there
TINY_RADIUS = 3.0  # neurons smaller than this are drawn as dots, without outline or value


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


_pen_cache: dict = {}


def _bucket_pens(scale: WeightScale, theme: Theme, radius: float, n_lines: int, edge_alpha: float) -> list[QPen]:
    """One pen per bucket, made once per look (the colours and widths depend on nothing else)."""
    key = (scale, theme, radius, n_lines, edge_alpha)
    pens = _pen_cache.get(key)
    if pens is None:
        colours = bucket_colours(scale, theme)
        widths = line_widths(scale, radius, n_lines)
        if edge_alpha < 1.0:  # Think: thin, faint weights under the signal, which would read as double lines
            widths = np.full_like(widths, MIN_LINE_WIDTH)
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
    """Names beside neurons and captions (unless already painted), synapses (weak first), the Think
    signal, the names above hidden neurons (over the synapses, on the background), then neurons."""
    g, theme = scene.geometry, scene.theme
    if labels:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint_labels(painter, g, theme)
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
        for negative in (False, True):
            for level in range(4):
                chosen = scene.signal_segments[(levels == level) & (scene.signal_negative == negative)]
                if len(chosen):
                    painter.setPen(signal_pen(theme, negative, level))
                    painter.drawLines(_LINES.array(chosen))

    paint_names_above(painter, g, theme)
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
    mapped = [has_map(maps, layer) for layer in g.layer_of.tolist()]  # neurons drawn as their map
    for i, (x, y, r) in enumerate(neurons):
        if r < TINY_RADIUS:
            continue
        if mapped[i]:
            draw_map(painter, QRectF(x - r, y - r, 2 * r, 2 * r), maps.rgb[i], round_clip=True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(x, y), r, r)
        elif blit:
            sprite, half = _disc_sprite(r, tuple(fills[i]), outline_rgb, ratio)
            painter.drawImage(QPointF(round(x + shift_x) - shift_x - half, round(y + shift_y) - shift_y - half), sprite)
        else:
            painter.setBrush(QColor(*fills[i]))
            painter.drawEllipse(QPointF(x, y), r, r)

    colours = (qcolor(rgb_hex("#ffffff")), qcolor(rgb_hex("#111111")))  # light, dark
    font_radius = pen = None
    recording = is_recording(painter)  # a QPicture lays static text out again: plain text is cheaper there
    for i, (v, dark) in enumerate(zip(scene.neuron_values.tolist(), scene.dark_text.tolist())):
        x, y, r = neurons[i]
        if r < 9 or math.isnan(v) or mapped[i]:
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

    paint_notes(painter, scene)


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
    # Decision maps (scene.plane.plane_data): the rows' points on the plane, their targets, and how points
    # become the network's inputs (None, or left out, when they are its inputs).
    plane: tuple | None = None
    discretize: bool = False  # the output's maps show the class alone, without confidence shading
    epoch_name: str = ""  # where an imported epoch came from ("step_400"), written after the epoch
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

    def get(self, layers, rect: Rect, labels: list[str] | None = None) -> Geometry:
        """The geometry of these layers in rect, with room for these names (measured as painted)."""
        key = (tuple(layers), rect, None if labels is None else tuple(labels))
        if key != self._key:
            self._key, self._geometry = key, Geometry.build(layers, rect, labels, text_size)
        return self._geometry

    def backdrop(self, key, paint) -> QPicture:
        """The backdrop recorded for `key` by paint(painter), recorded again when the key changes."""
        if key != self._backdrop_key:
            backdrop = QPicture()
            with painting(backdrop) as painter:
                paint(painter)
            self._backdrop_key, self._backdrop = key, backdrop
        return self._backdrop


def footer_scale(width: float, height: float) -> float:
    """How large the legend and loss inset are drawn: 1 at 900x600, smaller and larger with the picture
    (by the square root of its size, so that a small window's legend stays readable)."""
    return float(np.clip(min(width / 900.0, height / 600.0), 0.3, 3.0) ** 0.5)


def caption_scale(width: float, height: float) -> float:
    """How large the caption ("epoch 1,000  loss 0.02") is drawn: the legend's scale, within 0.8 to 1.3."""
    return float(np.clip(footer_scale(width, height), 0.8, 1.3))


def footer_height(width: float, height: float) -> float:
    """Height of the band under the network that holds the legend and the loss inset."""
    return FOOTER_HEIGHT * footer_scale(width, height)


def footer_boxes(width: float, height: float, loss: bool) -> tuple[QRectF, QRectF | None]:
    """Where the legend goes, and the loss inset right of it (None without a loss to show): both
    scale with the picture, so that a small export keeps them, smaller."""
    s = footer_scale(width, height)
    margin, top = 16.0 * min(1.0, s), height - footer_height(width, height)
    spark = None
    if loss and width >= 200:
        spark_width = min(220.0 * s, width * 0.22)
        spark = QRectF(width - margin - spark_width, top + 12 * s, spark_width, 40 * s)
    right = spark.left() - 12 * s if spark is not None else width - margin
    legend = QRectF(margin, top + 10 * s, max(0.0, min(LEGEND_WIDTH * s, right - margin)), LEGEND_HEIGHT * s)
    # On whole pixels: the legend is painted directly into a picture, or drawn as a cached image.
    return QRectF(legend.toRect()), spark


def network_rect(width: float, height: float, footer: bool = True, panel: bool = False) -> Rect:
    top = CAPTION_BAND * caption_scale(width, height)
    bottom = footer_height(width, height) if footer else 16.0
    inner = max(40.0, height - top - bottom)
    used = panel_size(width, inner) + PANEL_GAP if panel else 0.0
    return Rect(0.0, top, float(width) - used, inner)


def panel_size(width: float, inner_height: float) -> float:
    """Side of the output's decision map, drawn right of the network."""
    return float(max(60.0, min(inner_height * 0.9, width * 0.3)))


def panel_box(width: float, height: float) -> QRectF:
    """Where the output's decision map is drawn, right of the network (the picture's coordinates, not zoomed)."""
    rect = network_rect(width, height, panel=True)
    side = panel_size(width, rect.height)
    return QRectF(width - side - 16, rect.y + (rect.height - side) / 2, side, side)


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
    if frame.plane is not None:
        points, targets, *made = frame.plane  # (points, targets) alone: the points are the inputs
        inputs_of = made[0] if made else None
        maps = plane_maps(frame.arch, frame.theta, points, targets, theme, inputs_of, discretize=frame.discretize)
    rect = network_rect(width, height, panel=maps is not None)
    geometry = (cache or GeometryCache()).get(frame.arch.layers, rect, frame.labels)
    scene = build_scene(
        geometry, frame.arch, frame.theta, theme, frame.scale, inputs=frame.inputs,
        labels=frame.labels, think=frame.think, targets=frame.targets,
    )  # fmt: skip
    scene.maps = maps

    recording = is_recording(painter)
    # Zoomed in, the network stays between the caption and the legend instead of covering them.
    band = CAPTION_BAND * caption_scale(width, height) - 4
    zoomed_band = QRectF(0, band, width, max(1.0, height - footer_height(width, height) - band))
    legend, spark = footer_boxes(width, height, sparkline and frame.loss is not None)
    key = LegendKey(frame.arch.activations, think=frame.think is not None and frame.inputs is not None)

    def paint_backdrop(painter: QPainter) -> None:
        painter.fillRect(QRectF(0, 0, width, height), qcolor(theme.rgb("background")))
        painter.save()
        if legend.width() < 1 or legend.height() < 1:
            pass  # the smallest images (16 to 32 pixels wide) have no room for it
        elif is_recording(painter):
            paint_legend(painter, legend, frame.scale, theme, key)
        else:
            image = legend_image(frame.scale, theme, int(legend.width()), int(legend.height()), key)
            painter.drawImage(legend.topLeft(), image)
        if view is not None:
            painter.setClipRect(zoomed_band)
            painter.setTransform(view, True)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        paint_labels(painter, geometry, theme)
        painter.restore()

    if recording and cache is not None:
        # Recorded once while the look and size stay the same: replaying it is one call from
        # Python instead of about forty (the window records a frame 60 times a second).
        view_key = None if view is None else (view.m11(), view.m12(), view.m21(), view.m22(), view.dx(), view.dy())
        backdrop_key = (width, height, theme, frame.scale, geometry.layers, geometry.rect, tuple(scene.labels))
        backdrop = cache.backdrop((*backdrop_key, view_key, key, spark is None), paint_backdrop)
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
        paint_plane(painter, panel_box(width, height), maps, int(geometry.layer_start[-2]), frame.labels, theme)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    caption_width, k = 0.0, caption_scale(width, height)
    if caption:
        font = pixel_font(round(17 * k))
        painter.setFont(font)
        painter.setPen(qcolor(theme.rgb("text")))
        text = f"epoch {frame.epoch:,}" + (f" ({frame.epoch_name})" if frame.epoch_name else "")
        if frame.loss is not None and 0 <= frame.epoch < len(frame.loss):
            text += f"    {loss_caption(frame.loss[frame.epoch])}"
        if frame.title:
            text = f"{frame.title}    {text}"
        # Left of the 30 px band at the top, centred in its height: plain text at a point is
        # laid out more cheaply than text in a box, and this one changes every frame.
        metrics = font_metrics(font)
        painter.drawText(QPointF(16, 8 * k + (30 * k - metrics.height()) / 2 + metrics.ascent()), text)
        caption_width = metrics.horizontalAdvance(text)
    if scene.n_edges_shown < len(scene.weights):
        _paint_detail_note(painter, scene, theme, QRectF(32 + caption_width, 8 * k, width - 48 - caption_width, 30 * k))
    if spark is not None:
        paint_loss_curve(painter, spark, frame.loss, frame.epoch, theme)
    if frame.hover is not None and has_map(maps, geometry.layer_of[frame.hover]):
        # Last, like a tooltip: over the output's panel too when the output is hovered.
        paint_enlarged_map(painter, scene, frame.hover, view, width, height)
    return scene


DETAIL_NOTES = ("showing the strongest {shown:,} of {all:,} synapses", "strongest {shown:,} of {all:,} synapses")


def _paint_detail_note(painter: QPainter, scene: Scene, theme: Theme, room: QRectF) -> None:
    """Right of the caption, how many synapses level of detail shows: shorter and smaller where the
    caption leaves less room, and left out where even that would run into it."""
    for template in DETAIL_NOTES:
        note = template.format(shown=scene.n_edges_shown, all=len(scene.weights))
        for size in (12, 11, 10, 9):
            if font_metrics(pixel_font(size)).horizontalAdvance(note) <= room.width():
                painter.setFont(pixel_font(size))
                painter.setPen(qcolor(theme.rgb("muted")))
                painter.drawText(room, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, note)
                return


def render_image(frame: Frame, width: int, height: int, cache: GeometryCache | None = None, **options) -> QImage:
    """The frame as an RGB32 image (a QGuiApplication must exist)."""
    image = QImage(int(width), int(height), QImage.Format.Format_RGB32)
    with painting(image) as painter:
        paint_frame(painter, width, height, frame, cache, **options)
    return image

"""The key under the drawing (sample weight lines, activation fills) and the small loss curve beside it."""

from dataclasses import dataclass

import numpy as np
from PyQt6.QtCore import QLineF, QPointF, QRectF, Qt
from PyQt6.QtGui import QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from netviz.render.primitives import MIN_LINE_WIDTH, painting, pixel_font, qcolor, signal_pen
from netviz.scene.plane import map_rgb
from netviz.scene.style import Theme, WeightScale, activation_fill, activation_key, bucket_colours

LEGEND_SCALE_NOTES = {"log": "log scale", "run": "linear", "clamp": "clamped"}  # under "weight", by scale kind
LEGEND_HEIGHT = 44.0  # at the reference size; the legend scales with the drawing (painter.footer_scale)
THINK_SAMPLES = (-1.0, -0.5, 0.5, 1.0)  # signal strengths |w·a| the Think key shows, of its layer's strongest
THINK_LABELS = ("−max", "−½", "+½", "+max")
SMALLEST_FONT = 7


@dataclass(frozen=True)
class LegendKey:
    """What the key under the drawing explains: the layers' activations, and whether Think's signal is shown."""

    activations: tuple[str, ...] = ("sigmoid",)
    think: bool = False


def legend_samples(scale: WeightScale) -> list[float]:
    """The weights the legend draws a line for: the scale's ticks, negative then positive."""
    ticks = scale.legend_weights()
    return [-w for w in reversed(ticks)] + list(ticks)


def line_key(scale: WeightScale, theme: Theme, key: LegendKey, thickness: float) -> tuple[tuple[str, str], list]:
    """The line key's two-line title and its samples (pen, label): weights, or in Think the signal w·a."""
    if key.think:
        levels = np.minimum((np.abs(THINK_SAMPLES) * 4).astype(int), 3)
        pens = [signal_pen(theme, s < 0, int(level)) for s, level in zip(THINK_SAMPLES, levels)]
        for pen in pens:
            pen.setWidthF(max(MIN_LINE_WIDTH, pen.widthF() * thickness))
        return ("signal", "w·a"), list(zip(pens, THINK_LABELS))
    samples = legend_samples(scale)
    colours, widths = bucket_colours(scale, theme), np.maximum(MIN_LINE_WIDTH, scale.bucket_widths())  # as drawn
    pens = []
    for bucket in scale.bucket(np.array(samples)).tolist():
        pen = QPen(qcolor(colours[bucket], colours[bucket][3]), max(MIN_LINE_WIDTH, float(widths[bucket]) * thickness))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pens.append(pen)
    title = ("weight", LEGEND_SCALE_NOTES.get(scale.kind, "linear"))
    return title, list(zip(pens, [f"{w:+g}" for w in samples]))


def _widths(fm: QFontMetricsF, title, samples, fills, radius: float) -> tuple[float, float, float, float]:
    """Widths of the line key's title column, one of its cells, the activation key, and the gap between."""
    title_w = max(fm.horizontalAdvance(t) for t in title) + fm.height() * 0.6
    cell = max(fm.horizontalAdvance(label) for _, label in samples) + fm.height() * 0.5
    disc = max(2 * radius, max(fm.horizontalAdvance(label) for label in fills[1])) + fm.height() * 0.4
    activation = fm.horizontalAdvance("activation") + fm.height() * 0.6 + disc * len(fills[0])
    return title_w, cell, activation, fm.height() * 1.2


def paint_legend(
    painter: QPainter, rect: QRectF, scale: WeightScale, theme: Theme, key: LegendKey = LegendKey()
) -> None:
    """A key to the lines (sample weights at the scale's ticks, or Think's signal) and, where there
    is room, to the neurons' fills over the activations' range. Its text and lines scale with the
    rectangle's height, and the text is set smaller until the whole key fits the width."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    thickness = min(1.0, rect.height() / LEGEND_HEIGHT)
    title, samples = line_key(scale, theme, key, thickness)
    fills = activation_key(key.activations)
    radius = max(3.0, rect.height() * 0.18)
    start = int(np.clip(rect.height() * 0.25, SMALLEST_FONT, 16))
    room = rect.width() - 4  # the last text's antialiased edge stays inside
    for size in range(start, SMALLEST_FONT - 1, -1):
        fm = QFontMetricsF(pixel_font(size))
        title_w, cell, activation_w, gap = _widths(fm, title, samples, fills, radius)
        if title_w + cell * len(samples) + gap + activation_w <= room:
            break
    with_activation = title_w + cell * len(samples) + gap + activation_w <= room
    cell = min(cell * 1.4, (room - title_w - (gap + activation_w) * with_activation) / len(samples))
    painter.setFont(pixel_font(size))
    line_y = rect.top() + rect.height() * 0.32
    labels = QRectF(rect.left(), rect.top() + rect.height() * 0.5, 0, rect.height() * 0.5)
    painter.setPen(qcolor(theme.rgb("muted")))
    painter.drawText(QPointF(rect.left(), line_y + fm.ascent() / 2 - 1), title[0])
    top_left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    painter.drawText(labels.adjusted(0, 0, title_w, 0), top_left, title[1])
    x = rect.left() + title_w
    for pen, label in samples:
        painter.setPen(pen)
        painter.drawLine(QLineF(x + cell * 0.12, line_y, x + cell * 0.88, line_y))
        painter.setPen(qcolor(theme.rgb("text")))
        painter.drawText(QRectF(x, labels.top(), cell, labels.height()),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)  # fmt: skip
        x += cell
    if with_activation:
        room = QRectF(x + gap, rect.top(), rect.right() - x - gap, rect.height())
        _paint_activation_key(painter, room, theme, fills, radius)


def _paint_activation_key(painter: QPainter, rect: QRectF, theme: Theme, fills, radius: float) -> None:
    """A neuron's fill at each of the key's activations, the range the network's layers reach."""
    fm = QFontMetricsF(painter.font())
    values, labels = fills
    x = rect.left()
    painter.setPen(qcolor(theme.rgb("muted")))
    painter.drawText(QPointF(x, rect.top() + rect.height() * 0.32 + fm.ascent() / 2 - 1), "activation")
    x += fm.horizontalAdvance("activation") + fm.height() * 0.6
    disc = max(2 * radius, max(fm.horizontalAdvance(label) for label in labels)) + fm.height() * 0.4
    for fill, label in zip(activation_fill(np.array(values), theme), labels):
        painter.setPen(QPen(qcolor(theme.rgb("muted")), 1))
        painter.setBrush(qcolor(fill))
        painter.drawEllipse(QPointF(x + disc / 2, rect.top() + rect.height() * 0.32), radius, radius)
        painter.setPen(qcolor(theme.rgb("text")))
        painter.drawText(QRectF(x, rect.top() + rect.height() * 0.5, disc, rect.height() * 0.5),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)  # fmt: skip
        x += disc


VALUE_KEY_STEPS = 33  # colour steps in a value key's bar (odd: 0 has its own), drawn as rectangles, not an image


def value_ticks(reach: float) -> tuple[str, str]:
    """The labels at a value key's ends: −reach and +reach."""
    return (f"−{reach:.3g}", f"+{reach:.3g}")


def paint_value_key(painter: QPainter, rect: QRectF, reach: float, theme: Theme, title: str) -> None:
    """One row, centred in rect: the title, then a bar of the map's colours from −reach to +reach with
    the values at its ends and a tick at 0, its middle (the title is left out where the row would not fit)."""
    fm = QFontMetricsF(painter.font())
    low, high = value_ticks(reach)
    bar = max(40.0, min(rect.width() * 0.4, 160.0))
    gap = fm.height() * 0.4
    ends = fm.horizontalAdvance(low) + fm.horizontalAdvance(high) + 2 * gap
    titled = fm.horizontalAdvance(title) + 2 * gap + bar + ends <= rect.width()
    width = bar + ends + (fm.horizontalAdvance(title) + 2 * gap if titled else 0.0)
    x = rect.center().x() - width / 2
    baseline = rect.top() + (rect.height() - fm.height()) / 2 + fm.ascent()
    painter.setPen(qcolor(theme.rgb("text")))
    if titled:
        painter.drawText(QPointF(x, baseline), title)
        x += fm.horizontalAdvance(title) + 2 * gap
    painter.drawText(QPointF(x, baseline), low)
    x += fm.horizontalAdvance(low) + gap
    top, height = rect.top() + (rect.height() - fm.height() * 0.7) / 2, fm.height() * 0.7
    step = bar / VALUE_KEY_STEPS
    painter.setPen(Qt.PenStyle.NoPen)
    for k, rgb in enumerate(map_rgb(np.linspace(-1.0, 1.0, VALUE_KEY_STEPS), theme)):
        painter.setBrush(qcolor(rgb))
        painter.drawRect(QRectF(x + k * step, top, step + 0.5, height))  # overlapping: no seams
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(qcolor(theme.rgb("muted")), 1.0))
    painter.drawRect(QRectF(x, top, bar, height))
    painter.drawLine(QLineF(x + bar / 2, top, x + bar / 2, top + height))  # 0
    painter.setPen(qcolor(theme.rgb("text")))
    painter.drawText(QPointF(x + bar + gap, baseline), high)


_legend_cache: dict = {}


def legend_image(scale: WeightScale, theme: Theme, width: int, height: int, key: LegendKey = LegendKey()) -> QImage:
    """The legend, drawn once per scale, theme, size and key (a QImage, so export threads may use it).

    Measured at 1280x800: filling the background and drawing this small image costs a third
    of blitting a cached full-frame background.
    """
    cache_key = (scale, theme, width, height, key)
    image = _legend_cache.get(cache_key)
    if image is None:
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(qcolor(theme.rgb("background")))
        with painting(image) as painter:
            paint_legend(painter, QRectF(0, 0, width, height), scale, theme, key)
        if len(_legend_cache) > 16:
            _legend_cache.clear()
        _legend_cache[cache_key] = image
    return image


def loss_title_box(rect: QRectF, title: str) -> tuple[int, QRectF]:
    """The loss inset's title: its font's pixel size and where it is written, at the top right of rect."""
    size = int(np.clip(rect.height() * 0.25, SMALLEST_FONT, 14))
    fm = QFontMetricsF(pixel_font(size))
    width = fm.horizontalAdvance(title)
    return size, QRectF(rect.right() - 4 - width, rect.top() + 2, width, fm.height())


def loss_curve_points(rect: QRectF, loss: np.ndarray, title: QRectF, log: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) in rect of the finite losses (log10 if log) at up to one epoch a pixel, filling rect's height
    but passing under the title: a curve high at the right (a loss that rose) is flattened to clear it."""
    n = len(loss)
    xs = np.arange(0, n, max(1, n // int(max(2, rect.width()))))
    with np.errstate(invalid="ignore", divide="ignore"):
        ys = np.asarray(loss, dtype=np.float64)[xs]
        ys = np.log10(np.maximum(ys, 1e-300)) if log else ys
    finite = np.isfinite(ys)
    xs, ys = xs[finite], ys[finite]
    if not len(ys):
        return xs.astype(np.float64), ys
    lo, hi = ys.min(), ys.max()
    t = (ys - lo) / (hi - lo if hi > lo else 1.0)  # 0 at the lowest loss, 1 at the highest
    px = rect.left() + 2 + (rect.width() - 4) * xs / max(1, n - 1)
    height = rect.height() - 6
    below_title = px >= title.left() - 2
    if below_title.any() and t[below_title].max() > 0:
        height = min(height, (rect.bottom() - 3 - (title.bottom() + 1)) / t[below_title].max())
    return px, rect.bottom() - 3 - height * t


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
    title = "loss (log)" if log else "loss"
    size, title_box = loss_title_box(rect, title)
    painter.setFont(pixel_font(size))
    px, py = loss_curve_points(rect, loss, title_box, log)
    if not len(px):  # checkpoints that kept no loss: say so rather than leave the box empty
        painter.setPen(qcolor(theme.rgb("muted")))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "loss unknown")
        return
    path = QPainterPath(QPointF(px[0], py[0]))
    for x, y in zip(px[1:], py[1:]):
        path.lineTo(x, y)
    painter.setPen(QPen(qcolor(theme.rgb("text")), 1.25))
    painter.drawPath(path)
    painter.setPen(qcolor(theme.rgb("muted")))
    painter.drawText(rect.adjusted(4, 2, -4, -2), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, title)
    cx = rect.left() + 2 + (rect.width() - 4) * min(max(epoch, 0), n - 1) / (n - 1)
    painter.setPen(QPen(qcolor(theme.rgb("signal")), 2))
    painter.drawLine(QLineF(cx, rect.top() + 1, cx, rect.bottom() - 1))

"""The key under the drawing (sample weight lines, activation fills) and the small loss curve beside it."""

import numpy as np
from PyQt6.QtCore import QLineF, QPointF, QRectF, Qt
from PyQt6.QtGui import QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from netviz.render.primitives import MIN_LINE_WIDTH, painting, pixel_font, qcolor
from netviz.scene.style import Theme, WeightScale, activation_fill, bucket_colours

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


def legend_image(scale: WeightScale, theme: Theme, width: int, height: int) -> QImage:
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

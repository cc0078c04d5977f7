"""The small tools every painting module shares: a safe QPainter, colours, pixel fonts and cached text."""

from contextlib import contextmanager

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QFontMetricsF, QPaintEngine, QPainter, QPen, QStaticText, QTransform

MIN_LINE_WIDTH = 1.5  # the thinnest line drawn (see line_widths in painter.py)


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


def signal_pen(theme, negative: bool, level: int) -> QPen:
    """Think's pen for a signal w·a of strength level 0..3, in the sign's colour: it pushes the next
    neuron up or down."""
    pen = QPen(qcolor(theme.rgb("negative" if negative else "positive"), 150 + 35 * level), 2.0 + 2.5 * level)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


_font_metrics: dict = {}


def font_metrics(font: QFont) -> QFontMetricsF:
    key = (font.pixelSize(), font.family())
    found = _font_metrics.get(key)
    if found is None:
        found = _font_metrics[key] = QFontMetricsF(font)
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


def rgb_hex(text: str):
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)

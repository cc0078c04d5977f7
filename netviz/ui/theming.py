"""The window's own colours follow the drawing's theme: palette, toolbar icons, check boxes, toggles."""

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QIcon, QImage, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PyQt6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOptionToolButton, QToolButton, QWidget

from netviz.scene.style import Theme

# Pixels: a check box's side and its gap to its text (Fusion's 14 and 6 widen the window's narrowest
# layout, whose check boxes stand in one row with the epoch).
CHECK_BOX_SIZE, CHECK_BOX_SPACING = 12, 4
# The tick of a check box, as fractions of its box: down to the left stroke's foot, up to the right.
TICK = ((0.22, 0.52), (0.42, 0.72), (0.78, 0.30))


def window_palette(theme: Theme) -> QPalette:
    """Menus, toolbar, timeline and status bar in the theme's colours (Qt's own for light)."""
    palette = QApplication.style().standardPalette()
    accent = QColor(theme.positive)  # one accent for selections, check marks and toggles that are on
    palette.setColor(QPalette.ColorRole.Highlight, accent)
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(theme.background))
    if theme.name == "light":
        return palette
    bg, text, muted = QColor(theme.background), QColor(theme.text), QColor(theme.muted)
    panel = bg.lighter(135) if bg.lightness() > 0 else QColor(28, 28, 28)
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, panel), (roles.WindowText, text), (roles.Base, bg),
                         (roles.AlternateBase, panel), (roles.Text, text), (roles.Button, panel),
                         (roles.ButtonText, text), (roles.ToolTipBase, panel), (roles.ToolTipText, text),
                         (roles.PlaceholderText, muted)):  # fmt: skip
        palette.setColor(role, colour)
    for role in (roles.WindowText, roles.Text, roles.ButtonText):  # a disabled control must look it
        palette.setColor(QPalette.ColorGroup.Disabled, role, _mix(muted, panel, 0.3))
    return palette


def install_style() -> None:
    """Check boxes and toggles drawn alike in every theme (ThemedStyle), from now on. Called before
    the window builds its widgets: a style set later leaves layouts sized by the one before."""
    if not isinstance(QApplication.style(), ThemedStyle):
        QApplication.setStyle(ThemedStyle())


def apply_theme(window: QWidget, theme: Theme) -> None:
    """The window's palette in the theme, its check boxes and toggles drawn by ThemedStyle."""
    install_style()
    window.setPalette(window_palette(theme))


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """The colour t of the way from a to b."""
    return QColor(*(round(x + (y - x) * t) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True)))


def is_toggle(widget: QWidget | None) -> bool:
    """A checkable tool button, drawn as a toggle: framed when off, filled with the accent when on."""
    return isinstance(widget, QToolButton) and widget.isCheckable()


class ThemedStyle(QProxyStyle):
    """Qt's style, but check boxes and toggle buttons drawn from the palette, the same in every theme.

    Qt's Fusion draws a box's frame a shade darker than the window (invisible on a dark theme) and a
    checked tool button barely sunken: here a box is framed in the text colour, a checked one is
    filled with the accent (Highlight) and ticked in HighlightedText, and a toggle that is on is
    filled the same way.
    """

    def __init__(self):
        super().__init__("Fusion")  # Fusion draws from the palette on every platform (native styles may not)

    def pixelMetric(self, metric, option=None, widget=None):
        if metric in (QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight):
            return CHECK_BOX_SIZE
        if metric == QStyle.PixelMetric.PM_CheckBoxLabelSpacing:
            return CHECK_BOX_SPACING
        return super().pixelMetric(metric, option, widget)

    def drawPrimitive(self, element, option, painter, widget=None):
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            draw_check_box(painter, QRectF(option.rect), option.palette, option.state)
        elif element == QStyle.PrimitiveElement.PE_PanelButtonTool and is_toggle(widget):
            draw_toggle_panel(painter, QRectF(option.rect), option.palette, option.state)
        else:
            super().drawPrimitive(element, option, painter, widget)

    def drawControl(self, element, option, painter, widget=None):
        on = bool(option.state & QStyle.StateFlag.State_On)
        # The option is checked too: Qt may hand a tool button's label a button's option while it lays out.
        is_tool = isinstance(option, QStyleOptionToolButton)
        if element == QStyle.ControlElement.CE_ToolButtonLabel and is_toggle(widget) and on and is_tool:
            option = QStyleOptionToolButton(option)  # its label in the colour meant for text on the accent
            option.palette.setColor(
                QPalette.ColorRole.ButtonText, option.palette.color(QPalette.ColorRole.HighlightedText)
            )
        super().drawControl(element, option, painter, widget)


def draw_check_box(painter: QPainter, rect: QRectF, palette: QPalette, state: QStyle.StateFlag) -> None:
    """An empty framed box, or one filled with the accent and ticked (a bar if partly checked)."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    accent = palette.color(QPalette.ColorRole.Highlight)
    on, partly = bool(state & QStyle.StateFlag.State_On), bool(state & QStyle.StateFlag.State_NoChange)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not state & QStyle.StateFlag.State_Enabled:
        painter.setOpacity(0.45)
    box = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    painter.setPen(QPen(accent if on or partly else _mix(base, text, 0.6), 1))
    painter.setBrush(accent if on or partly else base)
    painter.drawRoundedRect(box, 2, 2)
    mark = QPen(palette.color(QPalette.ColorRole.HighlightedText), max(2.0, rect.width() / 6))
    mark.setCapStyle(Qt.PenCapStyle.RoundCap)
    mark.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(mark)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if on:
        path = QPainterPath()
        points = [QPointF(rect.left() + fx * rect.width(), rect.top() + fy * rect.height()) for fx, fy in TICK]
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.drawPath(path)
    elif partly:
        y = rect.center().y()
        painter.drawLine(QPointF(rect.left() + 0.25 * rect.width(), y), QPointF(rect.right() - 0.25 * rect.width(), y))
    painter.restore()


def draw_toggle_panel(painter: QPainter, rect: QRectF, palette: QPalette, state: QStyle.StateFlag) -> None:
    """A toggle button's face: framed like a check box when off, filled with the accent when on."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    accent = palette.color(QPalette.ColorRole.Highlight)
    on = bool(state & QStyle.StateFlag.State_On)
    hover = bool(state & QStyle.StateFlag.State_MouseOver) and bool(state & QStyle.StateFlag.State_Enabled)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not state & QStyle.StateFlag.State_Enabled:
        painter.setOpacity(0.45)
    face = rect.adjusted(1.5, 1.5, -1.5, -1.5)
    painter.setPen(QPen(accent if on or hover else _mix(base, text, 0.6), 1))
    painter.setBrush(accent if on else palette.color(QPalette.ColorRole.Button))
    painter.drawRoundedRect(face, 3, 3)
    painter.restore()


def theme_icon(style: QStyle, which: QStyle.StandardPixmap, theme: Theme) -> QIcon:
    """A standard icon; on a dark theme, redrawn in the theme's text colour (Qt's own are dark)."""
    icon = style.standardIcon(which)
    if theme.name == "light":
        return icon
    tinted = QIcon()
    for size in (16, 24, 32):
        image = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)  # keep the shape
        painter.fillRect(image.rect(), QColor(theme.text))
        painter.end()
        tinted.addPixmap(QPixmap.fromImage(image))
    return tinted

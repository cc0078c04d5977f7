"""The window's own colours follow the drawing's theme: palette, toolbar icons, check boxes."""

from PyQt6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PyQt6.QtWidgets import QApplication, QStyle

from netviz.scene.style import Theme


def window_palette(theme: Theme) -> QPalette:
    """Menus, toolbar, timeline and status bar in the theme's colours (Qt's own for light)."""
    palette = QApplication.style().standardPalette()
    if theme.name == "light":
        return palette
    bg, text, muted = QColor(theme.background), QColor(theme.text), QColor(theme.muted)
    panel = bg.lighter(135) if bg.lightness() > 0 else QColor(28, 28, 28)
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, panel), (roles.WindowText, text), (roles.Base, bg),
                         (roles.AlternateBase, panel), (roles.Text, text), (roles.Button, panel),
                         (roles.ButtonText, text), (roles.ToolTipBase, panel), (roles.ToolTipText, text),
                         (roles.PlaceholderText, muted), (roles.Highlight, QColor(theme.positive)),
                         (roles.HighlightedText, QColor("#ffffff"))):  # fmt: skip
        palette.setColor(role, colour)
    return palette


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


def check_box_style(theme: Theme, size: int = 12) -> str:
    """A check box drawn in the theme's colours, the same in every theme. (Qt's own draws its
    frame a shade darker than the window: invisible on a dark theme.)"""
    return (
        f"QCheckBox {{ color: {theme.text}; }}"
        f"QCheckBox::indicator {{ width: {size}px; height: {size}px; border: 1px solid {theme.muted};"
        f" border-radius: 2px; background: {theme.background}; }}"
        f"QCheckBox::indicator:checked {{ background: {theme.positive}; border-color: {theme.positive}; }}"
    )

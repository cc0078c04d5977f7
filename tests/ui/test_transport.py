"""The toolbar's controls: all on screen in small windows, labelled, and drawn alike in every theme."""

import pytest
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton, QToolBar, QWidget

from netviz.scene.style import THEMES
from netviz.ui.main_window import MainWindow
from netviz.ui.theming import TICK


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def overflowing(bar: QToolBar) -> bool:
    """The toolbar shows its ">>" button: some of its controls went into the overflow menu."""
    return any(type(child).__name__ == "QToolBarExtension" and child.isVisible() for child in bar.children())


@pytest.mark.parametrize("size", [(900, 600), (800, 600), (1280, 860)])
def test_every_toolbar_control_is_on_screen(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    qtbot.wait(20)  # the main window lays out its toolbars after the resize
    t = window.transport
    for bar in t.toolbars:
        assert not overflowing(bar)
    controls = [bar.widgetForAction(a) for bar in t.toolbars for a in bar.actions() if not a.isSeparator()]
    assert t.cycle_box in controls and t.think_button in controls and t.jump_box in controls
    for control in controls:
        corner = control.mapTo(window, control.rect().bottomRight())
        assert control.isVisible() and window.rect().contains(corner), control


def test_think_shares_the_row_when_the_window_is_wide_enough(qtbot, window):
    t = window.transport
    window.resize(1280, 860)
    qtbot.waitUntil(lambda: t.think_bar.y() == t.toolbar.y())
    window.resize(800, 600)
    qtbot.waitUntil(lambda: t.think_bar.y() >= t.toolbar.geometry().bottom())  # a second row
    window.resize(1280, 860)
    qtbot.waitUntil(lambda: t.think_bar.y() == t.toolbar.y())


def test_the_jump_box_says_what_it_is(window):
    window.transport.jump_box.setValue(250)
    assert window.transport.jump_box.text() == "jump 250 epochs"
    window.transport.jump_box.setValue(1)
    assert window.transport.jump_box.text() == "jump 1 epoch"


def indicator_pixels(box: QCheckBox) -> tuple[QColor, list[QColor]]:
    """The colour of a check box's indicator away from its tick, and the colours along the tick's strokes."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()

    def at(fx: float, fy: float) -> QColor:
        return image.pixelColor(int(rect.x() + fx * rect.width()), int(rect.y() + fy * rect.height()))

    (x0, y0), (x1, y1), (x2, y2) = TICK
    along = [at(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in (0.3, 0.5, 0.7)]
    along += [at(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t) for t in (0.3, 0.5, 0.7)]
    return at(0.8, 0.8), along


def close(a: QColor, b: str | QColor, tolerance: int = 40) -> bool:
    b = QColor(b)
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


@pytest.mark.parametrize("theme", list(THEMES))
def test_check_boxes_are_ticked_in_the_accent_in_every_theme(qtbot, window, theme):
    window.set_theme(theme)
    accent, mark = THEMES[theme].positive, THEMES[theme].background
    boxes = [window.transport.cycle_box, window.timeline_slider.follow_box, window.loss_plot.log_box]
    for box in boxes:
        box.setChecked(True)
        away, tick = indicator_pixels(box)
        assert close(away, accent), (box.text(), away.name())
        assert any(close(c, mark, tolerance=60) for c in tick), (box.text(), [c.name() for c in tick])
        box.setChecked(False)
        away, _ = indicator_pixels(box)
        assert not close(away, accent)


def face_colours(widget: QWidget) -> set[str]:
    """The colours of the middle row of a widget, left quarter (the button's face, not its text)."""
    image = widget.grab().toImage()
    y = image.height() // 2
    return {image.pixelColor(x, y).name() for x in range(3, image.width() // 5)}


@pytest.mark.parametrize("theme", list(THEMES))
def test_think_is_a_toggle_that_looks_pressed_when_on(qtbot, window, theme):
    window.set_theme(theme)
    t = window.transport
    assert t.act_think.isCheckable() and not t.think_button.autoRaise()
    accent = THEMES[theme].positive
    assert not any(close(QColor(c), accent, 10) for c in face_colours(t.think_button))
    t.act_think.setChecked(True)
    assert window.playback.think
    assert any(close(QColor(c), accent, 10) for c in face_colours(t.think_button))
    t.think_button.click()
    assert not window.playback.think and not t.act_think.isChecked()


def test_play_is_a_button_whose_icon_says_what_it_does(qtbot, window):
    t = window.transport
    assert not t.act_play.isCheckable()
    t.act_play.trigger()
    assert window.playing and t.act_play.text() == "Pause"
    t.act_play.trigger()
    assert not window.playing and t.act_play.text() == "Play"

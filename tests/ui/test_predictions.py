import numpy as np
import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import QLineEdit

from netviz.engine.data import Dataset, blog
from netviz.scene.style import THEMES
from netviz.ui.predictions import NO_VALUE, PredictionsPanel, error_colours, error_strength

BLOG_OUTPUTS = np.array([[0.0005], [0.9948], [0.9947], [0.9948], [0.9948], [0.0075], [0.0087]])


@pytest.fixture
def panel(qtbot):
    widget = PredictionsPanel(blog())
    qtbot.addWidget(widget)
    widget.resize(420, widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def texts(panel, column):
    return [panel.table.item(r, column).text() for r in range(panel.table.rowCount())]


def edit_cell(qtbot, panel, row, column, text):
    """Type text into a cell's editor and press Return, as a person would."""
    table = panel.table
    item = table.item(row, column)
    table.editItem(item)
    editor = table.indexWidget(table.indexFromItem(item))
    assert isinstance(editor, QLineEdit)
    editor.clear()
    qtbot.keyClicks(editor, text)
    with qtbot.waitSignal(table.itemDelegate().closeEditor):  # Qt commits the edit from the event loop
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def click_row(qtbot, panel, row):
    table = panel.table
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# ---------------------------------------------------------------- the error colour scale, without Qt


def test_error_strength_is_clamped_and_nan_is_worst():
    s = error_strength(np.array([0.0, -0.25, 0.5, 3.0, np.nan]), 0.5)
    assert np.array_equal(s, [0.0, 0.5, 1.0, 1.0, 1.0])


def test_error_colours_run_from_green_to_red():
    good, middle, bad = error_colours(np.array([0.0, 0.5, 1.0]))
    assert good[1] > good[0] and bad[0] > bad[1]  # green wins at 0, red at 1
    assert middle[0] > middle[2] and middle[1] > middle[2]  # amber between
    assert np.array_equal(error_colours(np.array([-1.0, 2.0])), error_colours(np.array([0.0, 1.0])))


# ---------------------------------------------------------------- the table


def test_table_shows_every_row_and_the_new_situation(panel):
    table = panel.table
    assert (table.rowCount(), table.columnCount()) == (8, 5)
    headers = [table.horizontalHeaderItem(c).text() for c in range(5)]
    assert headers == ["x1", "x2", "x3", "target", "output"]
    assert table.verticalHeaderItem(7).text() == "new situation"
    assert texts(panel, 0) == ["0", "0", "1", "0", "1", "1", "0", "1"]
    assert texts(panel, 3) == ["0", "1", "1", "1", "1", "0", "0", NO_VALUE]
    assert texts(panel, 4) == [NO_VALUE] * 8
    np.testing.assert_array_equal(panel.new_situation(), [1.0, 1.0, 0.0])


def test_only_the_new_situation_inputs_are_editable(panel):
    table = panel.table
    for r in range(8):
        for c in range(5):
            editable = bool(table.item(r, c).flags() & Qt.ItemFlag.ItemIsEditable)
            assert editable == (r == 7 and c < 3), (r, c)


def test_set_outputs_shows_four_decimals_and_the_prediction(panel):
    panel.set_outputs(BLOG_OUTPUTS, np.array([0.0078876]))
    assert texts(panel, 4) == ["0.0005", "0.9948", "0.9947", "0.9948", "0.9948", "0.0075", "0.0087", "0.0079"]
    panel.set_outputs(BLOG_OUTPUTS, None)
    assert panel.table.item(7, 4).text() == NO_VALUE


def test_output_cells_are_coloured_by_error(panel):
    outputs = BLOG_OUTPUTS.copy()
    outputs[5] = 0.9  # target 0: badly wrong
    panel.set_outputs(outputs, np.array([0.5]))
    good = panel.table.item(0, 4).background().color()
    bad = panel.table.item(5, 4).background().color()
    assert good.green() > good.red() and bad.red() > bad.green()
    assert panel.table.item(7, 4).background().style() == Qt.BrushStyle.NoBrush  # no target, no verdict


def test_set_outputs_touches_only_changed_cells(panel):
    panel.set_outputs(BLOG_OUTPUTS, np.array([0.01]))
    panel.table.item(0, 4).setText("marker")
    panel.set_outputs(BLOG_OUTPUTS + 1e-7, np.array([0.01]))  # the same to 4 decimals
    assert panel.table.item(0, 4).text() == "marker"
    changed = BLOG_OUTPUTS.copy()
    changed[0] = 0.25
    panel.set_outputs(changed, np.array([0.01]))
    assert panel.table.item(0, 4).text() == "0.2500"


def test_user_selecting_a_row_emits_its_index(qtbot, panel):
    with qtbot.waitSignal(panel.row_selected) as blocker:
        click_row(qtbot, panel, 3)
    assert blocker.args == [3] and panel.selected_row() == 3
    with qtbot.waitSignal(panel.row_selected) as blocker:
        click_row(qtbot, panel, 7)
    assert blocker.args == [-1] and panel.selected_row() == -1


def test_select_row_selects_without_emitting(qtbot, panel):
    with qtbot.assertNotEmitted(panel.row_selected):
        panel.select_row(4)
    assert panel.selected_row() == panel.marked_row() == 4
    assert panel.table.item(4, 0).font().bold() and panel.table.verticalHeaderItem(4).text() == "▸ 5"
    panel.select_row(-1)
    assert panel.marked_row() == -1 and panel.table.verticalHeaderItem(7).text() == "▸ new situation"
    assert not panel.table.item(4, 0).font().bold() and panel.table.verticalHeaderItem(4).text() == "5"
    with pytest.raises(IndexError):
        panel.select_row(7)


def test_the_chosen_row_keeps_its_outputs_error_colour(qtbot, panel):
    """The chosen row is marked without Qt's selection highlight, which would hide the error colour."""
    panel.set_outputs(BLOG_OUTPUTS, np.array([0.01]))
    panel.select_row(2)
    panel.show()
    qtbot.waitExposed(panel)
    item = panel.table.item(2, 4)  # row 3's output
    rect = panel.table.visualItemRect(item)
    colour = panel.table.viewport().grab(rect).toImage().pixelColor(2, 2)
    expected = item.background().color()
    assert colour != panel.table.palette().base().color()
    assert abs(colour.hue() - expected.hue()) <= 12 or expected.saturation() < 20
    assert panel.table.item(2, 0).background().style() != Qt.BrushStyle.NoBrush  # the inputs show the choice


def test_editing_the_new_situation_emits_a_copy_of_its_inputs(qtbot, panel):
    with qtbot.waitSignal(panel.new_situation_changed) as blocker:
        edit_cell(qtbot, panel, 7, 1, "0.25")
    values = blocker.args[0]
    np.testing.assert_array_equal(values, [1.0, 0.25, 0.0])
    values[0] = 99.0
    np.testing.assert_array_equal(panel.new_situation(), [1.0, 0.25, 0.0])
    assert panel.table.item(7, 1).text() == "0.25"


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "-inf", ""])
def test_bad_new_situation_input_is_refused_with_a_message(qtbot, panel, text):
    with qtbot.assertNotEmitted(panel.new_situation_changed):
        edit_cell(qtbot, panel, 7, 0, text)
    assert panel.table.item(7, 0).text() == "1"
    np.testing.assert_array_equal(panel.new_situation(), [1.0, 1.0, 0.0])
    assert panel.message.text().startswith("x1:") and "kept 1" in panel.message.text()
    assert panel.table.item(7, 0).toolTip() == panel.message.text()
    with qtbot.waitSignal(panel.new_situation_changed):
        edit_cell(qtbot, panel, 7, 0, " 2.5e-1 ")
    assert "kept" not in panel.message.text() and "kept" not in panel.table.item(7, 0).toolTip()
    np.testing.assert_array_equal(panel.new_situation(), [0.25, 1.0, 0.0])


def test_unchanged_edit_emits_nothing(qtbot, panel):
    with qtbot.assertNotEmitted(panel.new_situation_changed):
        edit_cell(qtbot, panel, 7, 2, "0.0")
    assert panel.table.item(7, 2).text() == "0"


def test_multi_output_has_a_target_and_output_column_per_output(qtbot):
    rng = np.random.default_rng(0)
    dataset = Dataset(rng.random((5, 2)), rng.random((5, 3)), input_names=["a", "b"])
    panel = PredictionsPanel(dataset)
    qtbot.addWidget(panel)
    table = panel.table
    assert (table.rowCount(), table.columnCount()) == (6, 2 + 2 * 3)
    headers = [table.horizontalHeaderItem(c).text() for c in range(8)]
    assert headers[2:4] == ["out1\ntarget", "out1\noutput"] and headers[6:] == ["out3\ntarget", "out3\noutput"]
    outputs = np.arange(15).reshape(5, 3) / 100
    panel.set_outputs(outputs, np.array([0.1, 0.2, 0.3]))
    assert texts(panel, 7) == ["0.0200", "0.0500", "0.0800", "0.1100", "0.1400", "0.3000"]
    # The data set names none: the middle of its inputs' range, as a run built from it asks about.
    middle = (dataset.inputs.min(axis=0) + dataset.inputs.max(axis=0)) / 2
    np.testing.assert_array_equal(panel.new_situation(), middle)


def test_set_dataset_replaces_the_rows(panel):
    panel.set_outputs(BLOG_OUTPUTS, np.array([0.01]))
    panel.select_row(6)
    small = Dataset(np.array([[0.5, 1.0], [2.0, 3.0]]), np.array([1.0, 0.0]), new_situation=np.array([4.0, 5.0]))
    panel.set_dataset(small)
    assert (panel.table.rowCount(), panel.table.columnCount()) == (3, 4)
    assert texts(panel, 0) == ["0.5", "2", "4"]
    assert texts(panel, 3) == [NO_VALUE] * 3
    assert panel.selected_row() == 0  # row 6 is gone
    np.testing.assert_array_equal(panel.new_situation(), [4.0, 5.0])


@pytest.mark.parametrize("name", sorted(THEMES))
def test_themes_paint_the_table(panel, name):
    theme = THEMES[name]
    panel.set_theme(theme)
    panel.set_outputs(BLOG_OUTPUTS, np.array([0.01]))
    panel.select_row(2)
    image = panel.table.viewport().grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() - 2) == QColor(theme.background)
    assert panel.table.item(0, 4).background().color().alpha() < 255  # translucent over the theme


def xor_rows() -> Dataset:
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return Dataset(x, np.array([0.0, 1.0, 1.0, 0.0]), new_situation=np.array([0.5, 0.5]))


def fits_without_scrolling(panel) -> bool:
    table = panel.table
    last = table.visualItemRect(table.item(table.rowCount() - 1, table.columnCount() - 1))
    bars = (table.horizontalScrollBar().maximum(), table.verticalScrollBar().maximum())
    return bars == (0, 0) and last.bottom() < table.viewport().height() and last.right() < table.viewport().width()


@pytest.mark.parametrize("width", [300, 363, 420])
def test_a_few_rows_fit_without_scroll_bars_whichever_row_is_chosen(qtbot, width):
    panel = PredictionsPanel(xor_rows())
    qtbot.addWidget(panel)
    panel.resize(width, panel.sizeHint().height())
    panel.show()
    qtbot.waitExposed(panel)
    for row in (-1, 0, 3, -1):
        panel.select_row(row)
        qtbot.waitUntil(lambda: fits_without_scrolling(panel))


def test_a_few_rows_too_wide_for_the_table_scroll_sideways_and_keep_every_row_in_view(qtbot):
    panel = PredictionsPanel(xor_rows())
    qtbot.addWidget(panel)
    panel.resize(220, panel.sizeHint().height() + 40)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    panel.select_row(-1)
    new_situation = table.visualItemRect(table.item(4, 0))
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0 and table.verticalScrollBar().maximum() == 0)
    assert table.visualItemRect(table.item(4, 0)).bottom() < table.viewport().height()
    assert new_situation.height() == table.verticalHeader().defaultSectionSize()

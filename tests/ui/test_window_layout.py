import pytest

from netviz.ui.main_window import MainWindow


@pytest.fixture
def small_window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(900, 600)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.height() == 600)
    yield w
    w.close()


def test_at_900x600_the_network_keeps_half_of_the_window(small_window):
    assert small_window.canvas.height() >= small_window.height() / 2


def test_at_900x600_the_table_shows_every_blog_row_and_its_outputs(small_window):
    """All 7 rows and the new situation, whole, and each output cell wide enough for its four decimals."""
    table = small_window.predictions.table
    viewport = table.viewport().rect()
    for row in range(table.rowCount()):
        cell = table.visualRect(table.model().index(row, 0))
        assert viewport.contains(cell), row
    output = table.columnCount() - 1
    assert table.columnWidth(output) >= table.fontMetrics().horizontalAdvance(table.item(0, output).text()) + 4


def test_the_window_can_be_800_pixels_wide(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.minimumSizeHint().width() <= 800
    w.close()

"""What a new user's pass through every preset found, at 800x600 to 1600x1000 under a real X server."""

import pytest
from PyQt6.QtCore import QPointF, QRectF
from PyQt6.QtWidgets import QLabel

from netviz.engine.presets import PRESETS
from netviz.player.model import Playback
from netviz.player.timeline import Timeline
from netviz.render.painter import network_rect
from netviz.ui.data_editor import DataEditor
from netviz.ui.main_window import MainWindow
from netviz.ui.run_dialog import RunDialog
from netviz.ui.timeline import TimelineSlider


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    w.confirm_discard = False
    qtbot.addWidget(w)
    w.resize(900, 600)
    w.show()
    yield w
    w.close()  # stops and waits for the training thread
    assert w.worker is None


def new_run(window, preset: str) -> None:
    """File > New run with this preset and its recipe, as the dialog's OK does."""
    dialog = RunDialog(window.spec, window.dataset, parent=window)
    dialog.data_box.setCurrentText(preset)
    dialog.accept()
    window.start_run(*dialog.result_run(), spec=dialog.result_spec())


def train_to_end(qtbot, window) -> None:
    window.playback.set_speed("max")
    window.play()
    qtbot.waitUntil(lambda: not window.playing, timeout=20_000)


def test_a_new_run_after_a_trained_one_shows_its_own_epoch_zero_in_the_table(qtbot, window):
    new_run(window, "xor")
    train_to_end(qtbot, window)
    assert window.shown_epoch == 1_000
    new_run(window, "three-classes")  # more rows: the table scrolls while the last run's epoch is remembered
    qtbot.wait(100)
    table, panel = window.predictions.table, window.predictions
    assert table.rowCount() == 201
    qtbot.waitUntil(lambda: table.item(0, panel._output_column(0)).text() != "")


def test_at_900x600_every_cell_of_a_three_class_table_is_wide_enough_for_its_number(qtbot, window):
    """Two inputs and three targets and outputs: no "0.…" cut short; the table scrolls sideways instead."""
    new_run(window, "three-classes")
    table, panel = window.predictions.table, window.predictions
    qtbot.waitUntil(lambda: table.item(panel.new_row, panel._output_column(0)).text() != "—")
    metrics = table.fontMetrics()
    for column in range(table.columnCount()):
        texts = [table.item(row, column).text() for row in range(table.rowCount())]
        cut = [text for text in texts if metrics.horizontalAdvance(text) + 4 > table.columnWidth(column)]
        assert len(cut) <= table.rowCount() // 10, column  # a rare long value (-0.000123) may be cut short
    for j in range(3):
        output = panel._output_column(j)
        assert table.columnWidth(output) >= metrics.horizontalAdvance("0.0000") + 4
    assert table.horizontalScrollBar().maximum() > 0


@pytest.mark.parametrize("preset", ["spiral", "plane", "multi-gaussian"])
def test_at_900x600_a_two_input_tables_output_is_in_view(qtbot, window, preset):
    """Two inputs, a target and an output fit beside each other: no scrolling sideways to the output."""
    new_run(window, preset)
    table, panel = window.predictions.table, window.predictions
    qtbot.waitUntil(lambda: table.item(panel.new_row, panel._output_column(0)).text() != "—")
    qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0
    output = panel._output_column(0)
    assert table.columnWidth(output) >= table.fontMetrics().horizontalAdvance("-0.0000") + 4


def test_timeline_ticks_follow_the_slider_when_the_layout_sizes_their_row_first(qtbot):
    """Under X, shrinking the window sized the tick row while the slider was a few pixels wide, and
    every tick but "0" was left out until the next resize."""
    playback = Playback(latest=8_000, target=8_000, can_train=True)
    timeline = TimelineSlider(playback, Timeline(playback))  # a log axis: 0, 1, 10, 100, 1k
    qtbot.addWidget(timeline)
    timeline.resize(600, 60)
    timeline.show()
    qtbot.waitExposed(timeline)
    shown = timeline.ticks.visible_texts()
    assert len(shown) >= 4
    slider, row = timeline.slider, timeline.ticks
    width = slider.width()
    timeline.track.setEnabled(False)  # the sizes below are the layout's last word
    slider.resize(3, slider.height())  # the transient width the layout passed through
    row.resize(width - 1, row.height())  # the row first: its ticks are placed for a 3-pixel slider
    slider.resize(width - 1, slider.height())
    qtbot.waitUntil(lambda: timeline.ticks.visible_texts() == shown)


@pytest.mark.parametrize("size", [(900, 600), (1280, 860), (1600, 1000)])
def test_the_blog_table_fills_its_width_when_its_numbers_fit(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    table = window.predictions.table
    qtbot.wait(50)  # the view lays out its scroll bars after the resize
    widths = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert abs(widths - table.viewport().width()) <= 1
    assert table.horizontalScrollBar().maximum() == 0


@pytest.mark.parametrize("width", [800, 900])
def test_the_end_of_the_run_message_has_room_for_its_first_sentence(qtbot, window, width):
    window.resize(width, 600)
    new_run(window, "xor")
    train_to_end(qtbot, window)
    bar = window.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("End of the run"))
    qtbot.waitUntil(lambda: not window.status.rate.isVisible())  # no speed while still
    first = bar.currentMessage().split(" or ")[0]

    def room() -> int:
        return min(label.x() for label in bar.findChildren(QLabel) if label.isVisible()) - 10

    qtbot.waitUntil(lambda: bar.fontMetrics().horizontalAdvance(first) <= room())
    window.play()
    qtbot.waitUntil(lambda: window.status.rate.isVisible())  # the speed while it plays


def test_the_data_editor_spreads_a_few_columns_over_its_width(qtbot):
    editor = DataEditor(PRESETS["circle"]())
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    widths = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert abs(widths - table.viewport().width()) <= 1  # no empty band right of x, y and out
    editor.add_column(target=False)
    assert abs(sum(table.columnWidth(c) for c in range(table.columnCount())) - table.viewport().width()) <= 1


@pytest.mark.parametrize("preset", ["three-classes", "xor", "spiral"])
def test_a_hovered_neurons_tip_leaves_the_caption_readable(qtbot, window, preset):
    """Hovering the top hidden neuron at 900x600 put the tip over "epoch 1,000  loss ..."."""
    new_run(window, preset)
    train_to_end(qtbot, window)
    canvas = window.canvas
    qtbot.waitUntil(lambda: canvas.scene is not None and canvas.last_painted_epoch == window.shown_epoch)
    top_hidden = window.config.arch.layers[0]
    x, y = canvas.scene.geometry.centres[top_hidden]
    canvas.hover(QPointF(x, y))
    tip = canvas.tip_rect()
    assert tip is not None
    caption = QRectF(0, 0, 260, network_rect(canvas.width(), canvas.height()).y)  # "epoch 1,000    loss 0.01809"
    assert not tip.intersects(caption), (tip, caption)

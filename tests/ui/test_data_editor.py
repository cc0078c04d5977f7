import os

import numpy as np
import pytest

from netviz.engine.data import Dataset, blog, load_csv
from netviz.engine.runspec import RunSpec
from netviz.ui.data_editor import HINT, DataEditor, next_name
from netviz.ui.run_dialog import EDITED_CHOICE, RunDialog


@pytest.fixture
def editor(qtbot):
    e = DataEditor(blog())
    qtbot.addWidget(e)
    return e


def test_shows_every_row_and_round_trips(editor):
    data = editor.dataset()
    assert np.array_equal(data.inputs, blog().inputs) and np.array_equal(data.targets, blog().targets)
    assert list(data.new_situation) == [1.0, 1.0, 0.0]


def test_a_bad_cell_is_refused_with_a_message_and_the_old_value_kept(editor):
    item = editor.table.item(2, 1)
    item.setText("banana")
    assert "Row 3, x2: 'banana' is not a number; kept 0." in editor.message.text()
    assert item.text() == "0"
    item.setText("nan")
    assert "not a finite number" in editor.message.text()
    item.setText("0.5")
    assert editor.dataset().inputs[2, 1] == 0.5


def test_rows_and_columns_can_be_added_and_removed(editor):
    editor.add_row()
    editor.add_column(target=False)
    editor.add_column(target=True)
    data = editor.dataset()
    assert data.inputs.shape == (8, 4) and data.targets.shape == (8, 2)
    assert data.input_names[-1] == "x4" and data.target_names[-1] == "out2"
    editor.table.setCurrentCell(0, 3)
    editor.remove_column()
    editor.table.selectRow(7)
    editor.remove_rows()
    assert editor.dataset().inputs.shape == (7, 3)


def test_the_last_input_or_target_column_cannot_go(qtbot):
    from netviz.engine.data import Dataset

    e = DataEditor(Dataset(np.array([[1.0], [2.0]]), np.array([[0.0], [1.0]])))
    qtbot.addWidget(e)
    e.table.setCurrentCell(0, 0)
    e.remove_column()
    assert "at least one input" in e.message.text()
    assert e.dataset().n_in == 1


def test_csv_export_and_import_use_the_trainers_rules(editor, tmp_path):
    path = tmp_path / "table.csv"
    editor.table.item(0, 0).setText("0.25")
    assert editor.export_csv(str(path))
    loaded = load_csv(str(path))
    assert loaded.inputs[0, 0] == 0.25 and loaded.n_out == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3\n")
    assert not editor.import_csv(str(bad))
    assert "bad.csv:3" in editor.message.text()
    assert editor.dataset().inputs[0, 0] == 0.25  # the table is unchanged


def test_an_edited_table_becomes_the_new_runs_data(qtbot, editor):
    editor.table.item(0, 2).setText("0")
    dialog = RunDialog(RunSpec(), blog())
    qtbot.addWidget(dialog)
    dialog.use_edited(editor.dataset())
    config, data = dialog.build_run()
    assert dialog.data_box.currentText() == EDITED_CHOICE
    assert data.inputs[0, 2] == 0.0 and config.arch.layers == (3, 4, 1)


def test_csv_export_to_a_full_disk_says_so_and_leaves_nothing(editor, tmp_path, full_disk):
    for _ in range(80):
        editor.add_row()  # enough rows to pass the disk's 1,000 bytes
    path = tmp_path / "rows.csv"
    assert not editor.export_csv(str(path))
    assert editor.message.text() == f"{path}: cannot write (No space left on device)"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("names", "new"),
    [(["x", "y"], "z"), (["x1", "x2"], "x3"), (["a", "b"], "c"), (["A", "B", "C"], "D"), (["x"], "y"),
     (["x2", "x10"], "x11"), (["in1", "x"], "y"), (["height", "weight"], "in3"), (["x", "y", "z"], "in4"),
     ([], "in1")],
)  # fmt: skip
def test_a_new_column_is_named_after_its_neighbours(names, new):
    assert next_name(names, set(names), "in") == new


def test_a_name_already_taken_falls_back_to_a_numbered_one():
    assert next_name(["a", "b"], {"a", "b", "c"}, "in") == "in3"


def test_the_editor_names_new_columns_after_the_ones_beside_them(qtbot):
    e = DataEditor(Dataset(np.zeros((2, 2)), np.zeros((2, 1)), input_names=["x", "y"], target_names=["A"]))
    qtbot.addWidget(e)
    e.add_column(target=False)
    e.add_column(target=True)
    assert e.column_names() == ["x", "y", "z", "A", "B"]
    assert e.dataset().input_names == ["x", "y", "z"] and e.dataset().target_names == ["A", "B"]


def test_target_columns_are_shown_apart_from_the_inputs(qtbot, editor):
    from PyQt6.QtGui import QPalette

    editor.resize(700, 480)
    editor.show()
    qtbot.waitExposed(editor)
    accent = editor.palette().color(QPalette.ColorRole.Highlight)
    header = [editor.table.horizontalHeaderItem(c).foreground().color() for c in range(4)]
    assert header[3] == accent and accent not in header[:3]
    names = [name for name, _, _ in editor.groups.spans()]
    assert names == ["inputs", "targets"]
    (_, _, inputs_right), (_, targets_left, _) = editor.groups.spans()
    assert inputs_right == targets_left  # the band's names stand over their own columns
    image = editor.table.viewport().grab().toImage()

    def background(column: int):
        rect = editor.table.visualRect(editor.table.model().index(0, column))
        return image.pixelColor(rect.left() + 6, rect.bottom() - 3)

    assert background(0) == background(1) == background(2) != background(3)
    assert background(3).blue() > background(3).red()  # tinted with the (blue) accent
    left = editor.table.visualRect(editor.table.model().index(0, 3)).left()
    assert image.pixelColor(left, 10) == accent  # the line between inputs and targets


def test_an_error_message_goes_as_soon_as_the_data_is_valid_again(editor):
    editor.table.setCurrentCell(-1, -1)
    editor.table.clearSelection()
    editor.remove_column()
    assert editor.error and "Select a cell" in editor.message.text()
    editor.table.setCurrentCell(0, 0)  # what it asked for
    assert not editor.error and editor.message.text() == HINT
    editor.table.item(1, 0).setText("banana")
    assert editor.error
    editor.table.item(2, 0).setText("0.5")  # the next good edit
    assert not editor.error and editor.message.text() == HINT
    editor.table.selectAll()
    editor.remove_rows()
    assert editor.error and "at least one row" in editor.message.text()
    editor.add_row()
    assert not editor.error
    editor.table.setCurrentCell(0, 0)
    editor.remove_column()
    assert not editor.error

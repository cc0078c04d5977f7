import os

import numpy as np
import pytest

from netviz.engine.data import blog, load_csv
from netviz.engine.runspec import RunSpec
from netviz.ui.data_editor import DataEditor
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
    assert data.input_names[-1] == "x4" and data.target_names[-1] == "out1"
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

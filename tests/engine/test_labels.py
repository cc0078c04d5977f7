"""Class labels in a CSV's target column: guessed from words or a few whole numbers, or chosen."""

import numpy as np
import pytest

from netviz.engine.data import MAX_CLASSES, DataError, load_csv
from netviz.engine.runspec import DataSource, RunSpec, SpecError


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


IRIS_HEAD = "sl,sw,pl,pw,species\n5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n6.3,3.3,6.0,2.5,virginica\n"


def test_words_in_the_target_column_are_classes_one_output_each(tmp_path):
    data = load_csv(write(tmp_path, IRIS_HEAD + "4.9,3.0,1.4,0.2,setosa\n"))
    assert data.target_names == ["setosa", "versicolor", "virginica"]
    np.testing.assert_array_equal(data.targets, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(data.inputs[0], [5.1, 3.5, 1.4, 0.2])
    assert data.input_names == ["sl", "sw", "pl", "pw"]
    [note] = data.notes
    assert "'species' holds 3 class labels (setosa, versicolor, virginica)" in note
    assert "\n" not in note


def test_a_word_label_in_the_first_row_makes_it_data_not_a_header(tmp_path):
    data = load_csv(write(tmp_path, "1,2,yes\n3,4,no\n5,6,yes\n"))
    assert len(data) == 3
    assert data.target_names == ["no", "yes"]
    np.testing.assert_array_equal(data.targets.argmax(axis=1), [1, 0, 1])


def test_a_few_whole_numbers_from_0_are_classes(tmp_path):
    rows = "".join(f"{i},{i % 3}\n" for i in range(9))
    data = load_csv(write(tmp_path, "x,label\n" + rows))
    assert data.target_names == ["0", "1", "2"]
    np.testing.assert_array_equal(data.targets.argmax(axis=1), [i % 3 for i in range(9)])
    assert data.targets.shape == (9, 3)
    assert "3 class labels (0, 1, 2)" in data.notes[0]


def test_ten_digit_classes_are_listed_short(tmp_path):
    rows = "".join(f"{i},{i % 10}\n" for i in range(40))
    data = load_csv(write(tmp_path, rows))
    assert data.n_out == 10
    assert "(0, 1, 2, 3, ..., 9)" in data.notes[0]


@pytest.mark.parametrize(
    "targets",
    [
        pytest.param([0, 1, 1, 0], id="zero-one: one sigmoid output, as the blog"),
        pytest.param([0.5, 1.5, 2, 0], id="fractions"),
        pytest.param([-1, 1, 1, -1], id="negative"),
        pytest.param([0, 1, 2, 3], id="every-value-different"),
        pytest.param([MAX_CLASSES, 1, 1, MAX_CLASSES], id="too-large-to-be-a-label"),
    ],
)
def test_other_numbers_stay_values(tmp_path, targets):
    data = load_csv(write(tmp_path, "".join(f"{i},{t}\n" for i, t in enumerate(targets))))
    np.testing.assert_array_equal(data.targets[:, 0], targets)
    assert data.notes == []


def test_targets_labels_and_values_override_the_guess(tmp_path):
    path = write(tmp_path, "1,0\n2,1\n3,1\n4,0\n")
    labels = load_csv(path, target_kind="labels")
    np.testing.assert_array_equal(labels.targets, [[1, 0], [0, 1], [0, 1], [1, 0]])
    assert labels.target_names == ["0", "1"]
    guessed = write(tmp_path, "1,2\n2,1\n3,1\n4,2\n", "guessed.csv")
    assert load_csv(guessed).n_out == 2
    np.testing.assert_array_equal(load_csv(guessed, target_kind="values").targets[:, 0], [2, 1, 1, 2])


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("1,0.5\n2,1\n", "labels", "holds 0.5, which is not a class label"),
        ("1,cat\n2,cat\n", "auto", "holds a single class, 'cat'"),
        ("x,y\n1,cat\n2,dog\n", "values", "column 2: 'cat' is not a number"),
        ("1,1_000\n2,dog\n", "auto", "'1_000' is not a plain number"),
    ],
)
def test_bad_labels_are_one_line_errors(tmp_path, text, kind, words):
    with pytest.raises(DataError, match=words) as caught:
        load_csv(write(tmp_path, text), target_kind=kind)
    assert "\n" not in str(caught.value)


def test_one_hot_target_columns_are_classes_named_by_the_header(tmp_path):
    path = write(tmp_path, "x,y,A,B,C\n0,0,1,0,0\n1,0,0,1,0\n0,1,0,0,1\n")
    data = load_csv(path, n_targets=3)
    assert data.target_names == ["A", "B", "C"]
    assert data.notes == [f"{path}: the 3 target columns are one-hot: classes A, B, C"]
    assert load_csv(write(tmp_path, "x,A,B\n0,1,1\n1,0,0\n", "not.csv"), n_targets=2).notes == []


def test_the_spec_keeps_the_choice_of_targets(tmp_path):
    path = write(tmp_path, "1,2\n2,1\n3,1\n4,2\n")
    spec = RunSpec(DataSource("csv", path=str(path), target_kind="values"), activations=("sigmoid", "linear"))
    assert RunSpec.from_dict(spec.to_dict()) == spec
    assert spec.build()[1].n_out == 1
    assert RunSpec(DataSource("csv", path=str(path))).build()[1].n_out == 2
    with pytest.raises(SpecError, match="unknown kind of targets 'classes'"):
        DataSource("csv", path=str(path), target_kind="classes")


def test_a_file_changed_since_it_was_read_is_read_again(tmp_path):
    import os

    path = write(tmp_path, "1,2\n2,1\n3,1\n4,2\n")
    assert RunSpec(DataSource("csv", path=str(path))).build()[1].n_out == 2
    path.write_text("1,0.5\n2,0.25\n3,0.5\n4,0.75\n")
    os.utime(path, ns=(1, 1))  # even within the clock's resolution: the size or the time differs
    assert RunSpec(DataSource("csv", path=str(path))).build()[1].n_out == 1


def test_too_many_labels_are_refused_before_a_table_of_them_is_made(tmp_path):
    path = write(tmp_path, "".join(f"{i},w{i}\n" for i in range(1001)))
    with pytest.raises(DataError, match="holds 1,001 different class labels: too many") as caught:
        load_csv(path)
    assert "\n" not in str(caught.value)
    whole = write(tmp_path, "".join(f"{i},{i}\n" for i in range(1001)), "whole.csv")
    with pytest.raises(DataError, match="1,001 different class labels"):
        load_csv(whole, target_kind="labels")


def test_numbers_among_word_labels_are_classes_named_as_they_read(tmp_path):
    data = load_csv(write(tmp_path, "x,kind\n1,cat\n2,7\n3,cat\n4,7.0\n5, dog \n"))
    assert data.target_names == ["7", "cat", "dog"]
    np.testing.assert_array_equal(data.targets.argmax(axis=1), [1, 0, 1, 0, 2])

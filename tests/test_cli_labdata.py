"""`netviz train` on real data: class labels, softmax, scaling, features and regression presets."""

import pytest

from netviz import cli


def train(capsys, *options):
    code = cli.main(["train", *options])
    out, err = capsys.readouterr()
    return code, out, err


def csv(tmp_path, text: str, name="data.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


WORDS = "a,b,kind\n0,0,cat\n0,1,dog\n1,0,dog\n1,1,cat\n0.1,0.1,bird\n0.9,0.9,bird\n"


def test_word_labels_train_one_output_per_class_and_say_so_in_one_line(tmp_path, capsys):
    path = csv(tmp_path, WORDS)
    code, out, err = train(capsys, "--data", path, "--epochs", "10")
    assert code == cli.EXIT_OK
    assert "Layer 2 (3 neurons, each with 4 inputs)" in out
    notes = [line for line in err.splitlines() if "note:" in line]
    assert notes == [
        f"netviz: note: {path}: the target column 'kind' holds 3 class labels (bird, cat, dog): "
        "one output per class (--targets values reads it as numbers)"
    ]
    assert out.splitlines()[-1].startswith("training accuracy: ")


@pytest.mark.parametrize(
    ("choice", "outputs"),
    [("labels", "Layer 2 (2 neurons"), ("values", "Layer 2 (1 neuron"), ("1", "Layer 2 (1 neuron")],
)
def test_targets_chooses_labels_values_or_columns(tmp_path, capsys, choice, outputs):
    path = csv(tmp_path, "x,y\n0,0\n1,1\n0.5,1\n0.2,0\n")
    code, out, _ = train(capsys, "--data", path, "--targets", choice, "--epochs", "5")
    assert code == cli.EXIT_OK
    assert outputs in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--targets", "classes"], "--targets: must be labels, values or a number of target columns, got 'classes'"),
        (["--targets", "labels"], "the target column holds 0.5, which is not a class label"),
    ],
)
def test_bad_target_choices_exit_2_with_one_line(tmp_path, capsys, options, message):
    path = csv(tmp_path, "x,y\n0,0\n1,0.5\n")
    code, out, err = train(capsys, "--data", path, *options)
    assert code == cli.EXIT_BAD_INPUT
    assert message in err
    assert err.count("\n") == 1
    assert out == ""

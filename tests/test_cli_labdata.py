"""`netviz train` on real data: class labels, softmax, scaling, features and regression presets."""

from pathlib import Path

import numpy as np
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


DATA = Path(__file__).resolve().parent / "data"


def accuracy(out: str) -> float:
    return float(out.splitlines()[-1].removeprefix("training accuracy: ").rstrip("%"))


@pytest.mark.parametrize("name", ["iris_like", "digits_like"])
def test_a_classic_dataset_learns_with_the_defaults(capsys, name):
    code, out, err = train(capsys, "--data", str(DATA / f"{name}.csv"), "--epochs", "3000")
    assert code == cli.EXIT_OK
    assert accuracy(out) >= 90.0
    assert "softmax" in err and "standardised to train on" in err


def test_without_scaling_digits_saturate_and_do_not_learn(capsys):
    code, out, _ = train(capsys, "--data", str(DATA / "digits_like.csv"), "--epochs", "3000", "--scale", "none")
    assert code == cli.EXIT_OK
    assert accuracy(out) < 90.0


def test_output_chooses_the_output_activation_and_accuracy_stays(capsys):
    code, out, err = train(capsys, "--data", str(DATA / "iris_like.csv"), "--epochs", "300", "--output", "sigmoid")
    assert code == cli.EXIT_OK
    assert "Architecture(4-4-3, sigmoid, bias)" in err
    assert out.splitlines()[-1].startswith("training accuracy: ")
    _, out, err = train(capsys, "--preset", "three-classes", "--output", "softmax", "--epochs", "300")
    assert "Architecture(2-8-3, tanh/softmax, bias)" in err
    assert accuracy(out) >= 95.0


def test_the_new_situation_is_asked_and_printed_in_the_datas_own_units(tmp_path, capsys):
    path = csv(tmp_path, "a,b,y\n0,10,0\n2,30,1\n4,50,0\n")
    code, out, _ = train(capsys, "--data", path, "--epochs", "5", "--predict", "1,20")
    assert code == cli.EXIT_OK
    assert "Stage 3) Considering a new situation [1, 20] -> ?:" in out
    _, out, _ = train(capsys, "--data", path, "--epochs", "5")
    assert "Stage 3) Considering a new situation [2, 30] -> ?:" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "has a target of 7.5, outside the sigmoid output's range (0 to 1); for values, choose a linear output"),
        (["--output", "tanh"], "outside the tanh output's range (-1 to 1)"),
        (["--output", "softmax"], "a softmax output needs at least 2 outputs"),
        (["--output", "max"], "--output: 'max' is not one of sigmoid, tanh, relu, linear, softmax"),
        (["--output", "linear", "--layers", "1,4,1 tanh"], "give the output's activation once"),
        (["--scale", "log"], "--scale: invalid choice: 'log'"),
    ],
)
def test_targets_an_output_cannot_reach_are_refused_with_the_fix(tmp_path, capsys, options, message):
    path = csv(tmp_path, "x,y\n0,0.5\n1,7.5\n2,1\n")
    code, out, err = train(capsys, "--data", path, *options)
    assert code == cli.EXIT_BAD_INPUT
    assert message in err
    assert err.count("\n") == 1
    assert out == ""


def test_values_with_a_linear_output_train(tmp_path, capsys):
    path = csv(tmp_path, "x,y\n0,0.5\n1,7.5\n2,1\n")
    code, _, err = train(capsys, "--data", path, "--targets", "values", "--output", "linear", "--epochs", "50")
    assert code == cli.EXIT_OK
    assert "sigmoid/linear" in err


def test_the_same_command_twice_gives_bit_identical_sessions(tmp_path, capsys):
    files = [tmp_path / "a.netviz", tmp_path / "b.netviz"]
    for file in files:
        options = ("--data", str(DATA / "iris_like.csv"), "--epochs", "200", "--save", str(file))
        assert cli.main(["train", *options]) == cli.EXIT_OK
    assert files[0].read_bytes() == files[1].read_bytes()


def test_features_make_the_first_layer_and_teach_the_circle_to_one_neuron(capsys):
    code, out, _ = train(capsys, "--preset", "circle", "--features", "x2,y2", "--layers", "2,1,1")
    assert code == cli.EXIT_OK
    assert accuracy(out) >= 95.0
    _, out, _ = train(capsys, "--preset", "circle", "--features", "x,y,x2,y2,xy,sinx,siny", "--epochs", "5")
    assert "Layer 1 (8 neurons, each with 7 inputs)" in out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--preset", "circle", "--features", "x,z"], "--features: 'z' is not one of x, y, x2, y2, xy, sinx, siny"),
        (["--preset", "circle", "--features", "x2,x"], "list each once, in the order x,y,x2,y2,xy,sinx,siny"),
        (["--features", "x2"], "features are made from 2 inputs (x, y), but the blog's data has 3"),
    ],
)
def test_bad_features_exit_2_with_one_line(capsys, options, message):
    code, out, err = train(capsys, *options)
    assert code == cli.EXIT_BAD_INPUT
    assert message in err
    assert err.count("\n") == 1
    assert out == ""


def test_a_regression_preset_trains_a_linear_output_and_reports_no_accuracy(capsys):
    code, out, err = train(capsys, "--preset", "plane")
    assert code == cli.EXIT_OK
    assert "Architecture(2-4-1, tanh/linear, bias), 1,000 epochs" in err
    assert "accuracy" not in out
    assert float(err.rsplit("final loss ", 1)[1].rstrip(")\n")) < 0.01


def test_snapshot_input_is_given_in_the_datas_own_units(tmp_path, capsys, monkeypatch):
    import netviz.render.still

    drawn = []
    monkeypatch.setattr(
        netviz.render.still,
        "save_snapshot",
        lambda path, history, epoch, size, theme, inputs, *a: drawn.append((history.dataset, inputs)),
    )
    options = ["--data", str(DATA / "iris_like.csv"), "--epochs", "3", "--input", "5.1,3.5,1.4,0.2"]
    assert cli.main(["snapshot", str(tmp_path / "iris.png"), *options]) == cli.EXIT_OK
    dataset, inputs = drawn[-1]
    np.testing.assert_allclose(dataset.scaling.original(inputs), [5.1, 3.5, 1.4, 0.2])
    options = ["--preset", "circle", "--features", "x2,y2,xy", "--epochs", "3", "--input", "0.5,-2"]
    assert cli.main(["snapshot", str(tmp_path / "circle.png"), *options]) == cli.EXIT_OK
    np.testing.assert_allclose(drawn[-1][1], [0.25, 4, -1])
    assert cli.main(["snapshot", str(tmp_path / "bad.png"), *options[:-1], "0.5,-2,1"]) == cli.EXIT_BAD_INPUT
    assert "--input has 3 values but the data has 2 (a point x, y" in capsys.readouterr().err


def test_snapshot_says_how_it_read_the_data_too(tmp_path, capsys, monkeypatch):
    import netviz.render.still

    monkeypatch.setattr(netviz.render.still, "save_snapshot", lambda *a: None)
    options = ["--data", str(DATA / "iris_like.csv"), "--epochs", "3"]
    assert cli.main(["snapshot", str(tmp_path / "iris.png"), *options]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "holds 3 class labels" in err and "standardised" in err

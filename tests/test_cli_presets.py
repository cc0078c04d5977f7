"""`netviz train --preset`: the data it trains on, its learning rate, and the options it refuses."""

import pytest

from netviz import cli
from netviz.engine import presets


def train(capsys, *options):
    code = cli.main(["train", *options])
    out, err = capsys.readouterr()
    return code, out, err


def config_for(*options):
    args = cli.build_parser().parse_args(["train", *options])
    return cli.run_from_args(args)[1:3]


def final_loss(err: str) -> float:
    return float(err.rsplit("final loss ", 1)[1].rstrip(")\n"))


def test_xor_preset_learns_xor(capsys):
    code, out, err = train(capsys, "--preset", "xor", "--layers", "2,4,1", "--epochs", "5000")
    assert "Stage 2)" in out
    assert code == 0
    assert final_loss(err) < 0.01


def test_preset_options_reach_the_data():
    _, dataset = config_for("--preset", "spiral", "--preset-seed", "4", "--noise", "0", "--points", "50")
    assert dataset.name == "spiral"
    assert dataset.inputs.shape == (50, 2)
    _, other = config_for("--preset", "spiral", "--preset-seed", "5", "--noise", "0", "--points", "50")
    assert (dataset.inputs != other.inputs).any()


def test_three_classes_gets_three_outputs_by_default():
    config, dataset = config_for("--preset", "three-classes")
    assert config.arch.layers == (2, *presets.RECIPES["three-classes"].hidden, 3)
    assert dataset.n_out == 3


def test_learning_rate_is_the_presets_unless_given():
    rate = presets.RECIPES["circle"].rate
    assert config_for("--preset", "circle")[0].lr == pytest.approx(rate / 200)
    assert config_for("--preset", "circle", "--points", "100")[0].lr == pytest.approx(rate / 100)
    assert config_for("--preset", "circle", "--lr", "0.3")[0].lr == 0.3
    assert config_for("--preset", "xor")[0].lr == 1.0
    assert config_for()[0].lr == 1.0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--preset", "moons"], "unknown preset 'moons'; choose one of blog, and"),
        (["--preset", "xor", "--data", "x.csv"], "--preset and --data"),
        (["--noise", "0.2"], "--noise needs --preset"),
        (["--points", "50"], "--points needs --preset"),
        (["--preset-seed", "3"], "--preset-seed needs --preset"),
        (["--preset", "circle", "--noise", "1.5"], "--noise: must be 0 to 1"),
        (["--preset", "circle", "--noise", "abc"], "--noise: 'abc' is not a number"),
        (["--preset", "circle", "--points", "3"], "--points: must be between 4 and 10000"),
        (["--preset", "circle", "--points", "10001"], "--points: must be between 4 and 10000"),
        (["--preset", "xor", "--layers", "3,4,1"], "the xor preset has 2 inputs"),
        (["--preset", "xor", "--targets", "2"], "--targets needs --data"),
    ],
)
def test_bad_preset_options_exit_2_with_one_line(capsys, options, message):
    code, out, err = train(capsys, *options)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert out == ""


def test_train_prints_the_training_accuracy_of_classes_on_a_line_of_its_own(capsys):
    assert cli.main(["train", "--preset", "three-classes"]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "training accuracy: 99.5%"


def test_train_prints_no_accuracy_for_targets_that_are_not_classes(tmp_path, capsys):
    path = tmp_path / "values.csv"
    path.write_text("x,y\n0,0.25\n1,0.75\n")
    assert cli.main(["train", "--data", str(path), "--epochs", "5"]) == cli.EXIT_OK
    assert "accuracy" not in capsys.readouterr().out

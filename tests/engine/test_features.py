"""Feature inputs of 2-D data (x, y, x², y², xy, sin x, sin y), as TensorFlow Playground offers them."""

import numpy as np
import pytest

from netviz.engine import presets
from netviz.engine.history import History
from netviz.engine.runspec import DataSource, RunSpec, SpecError
from netviz.engine.session import load_session, save_session
from netviz.engine.training import Trainer

ALL = ("x", "y", "x2", "y2", "xy", "sinx", "siny")


def test_features_replace_the_inputs_and_name_them():
    config, dataset = RunSpec.following(DataSource("preset", "circle"), features=ALL).build()
    points = presets.preset("circle").inputs
    x, y = points[:, 0], points[:, 1]
    expected = np.column_stack([x, y, x * x, y * y, x * y, np.sin(x), np.sin(y)])
    np.testing.assert_array_equal(dataset.inputs, expected)
    np.testing.assert_array_equal(dataset.points, points)
    assert dataset.input_names == ["x", "y", "x²", "y²", "xy", "sin x", "sin y"]
    assert config.arch.layers[0] == 7  # the first layer follows
    np.testing.assert_array_equal(dataset.new_situation, [0, 0, 0, 0, 0, 0, 0])


def test_a_subset_keeps_the_order_and_the_new_situation_follows():
    _, dataset = RunSpec.following(DataSource("preset", "xor"), features=("y", "xy"), new_situation=(0.5, 2.0)).build()
    np.testing.assert_array_equal(dataset.inputs, [[0, 0], [1, 0], [0, 0], [1, 1]])
    np.testing.assert_array_equal(dataset.new_situation, [2.0, 1.0])
    assert dataset.input_names == ["y", "xy"]


def test_the_circle_learns_with_x2_and_y2_and_one_hidden_neuron():
    spec = RunSpec.following(DataSource("preset", "circle"), features=("x2", "y2"), hidden=(1,))
    config, dataset = spec.build()
    trainer = Trainer(config, dataset)
    trainer.run(History(config, dataset), config.epochs)
    outputs = config.arch.forward(trainer.theta, dataset.inputs)[-1]
    assert presets.accuracy(outputs, dataset.targets) >= 0.95
    # Without them one hidden neuron draws one straight line: the circle stays out of reach.
    plain = RunSpec.following(DataSource("preset", "circle"), hidden=(1,))
    config, dataset = plain.build()
    trainer = Trainer(config, dataset)
    trainer.run(History(config, dataset), config.epochs)
    assert presets.accuracy(config.arch.forward(trainer.theta, dataset.inputs)[-1], dataset.targets) < 0.8


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"features": ("x", "z")}, "unknown feature 'z'; choose from x, y, x2, y2, xy, sinx, siny"),
        ({"features": ("y", "x")}, "list each once, in the order x,y,x2,y2,xy,sinx,siny"),
        ({"features": ("x", "x")}, "list each once"),
    ],
)
def test_bad_features_are_one_line_errors(settings, message):
    with pytest.raises(SpecError, match=message):
        RunSpec(DataSource("preset", "circle"), **settings)


def test_features_need_2_d_data():
    with pytest.raises(SpecError, match="features are made from 2 inputs \\(x, y\\), but the blog's data has 3"):
        RunSpec(features=("x2",)).build()


def test_the_session_keeps_the_features_and_each_rows_point(tmp_path):
    spec = RunSpec.following(DataSource("preset", "circle", points=20), features=("x2", "y2"), epochs=10)
    config, dataset = spec.build()
    history = History(config, dataset)
    Trainer(config, dataset).run(history, config.epochs)
    save_session(tmp_path / "f.netviz", history, spec=spec)
    session = load_session(tmp_path / "f.netviz")
    assert session.dataset.features == ("x2", "y2")
    np.testing.assert_array_equal(session.dataset.points, dataset.points)
    assert session.dataset.input_names == ["x²", "y²"]
    assert session.spec.features == ("x2", "y2")
    assert RunSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize("features", [[1, 2], "x2"])
def test_features_that_are_not_a_list_of_names_are_refused_from_a_file(features):
    with pytest.raises(SpecError, match="'features' is not"):
        RunSpec.from_dict({"data": {"kind": "preset", "preset": "circle"}, "features": features})

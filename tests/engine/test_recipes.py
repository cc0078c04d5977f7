"""Every preset's recipe learns it, and the accuracy that `netviz train` reports."""

import numpy as np
import pytest

from netviz.engine import presets
from netviz.engine.history import History
from netviz.engine.runspec import DataSource, RunSpec
from netviz.engine.training import Trainer

CLASSIFICATION = [name for name in presets.PRESETS if name not in ("blog", *presets.REGRESSION)]
LEAST_ACCURACY = {"spiral": 0.90}  # every other preset: 0.95


def trained_accuracy(spec: RunSpec) -> float:
    config, dataset = spec.build()
    trainer = Trainer(config, dataset)
    trainer.run(History(config, dataset), config.epochs)
    return presets.accuracy(config.arch.forward(trainer.theta, dataset.inputs)[-1], dataset.targets)


@pytest.mark.parametrize("preset_seed", [0, 1, 2])
@pytest.mark.parametrize("name", CLASSIFICATION)
def test_each_presets_recipe_learns_it_within_its_epochs(name, preset_seed):
    spec = RunSpec.following(DataSource("preset", name, preset_seed))
    assert trained_accuracy(spec) >= LEAST_ACCURACY.get(name, 0.95)


@pytest.mark.parametrize("preset_seed", [0, 1, 2])
@pytest.mark.parametrize("name", presets.REGRESSION)
def test_each_regression_presets_recipe_gets_its_loss_under_the_documented_threshold(name, preset_seed):
    config, dataset = RunSpec.following(DataSource("preset", name, preset_seed)).build()
    assert config.arch.activations[-1] == "linear"
    trainer, history = Trainer(config, dataset), History(config, dataset)
    trainer.run(history, config.epochs)
    outputs = config.arch.forward(trainer.theta, dataset.inputs)[-1]
    assert np.mean((outputs - dataset.targets) ** 2) < presets.REGRESSION_LOSS[name]
    loss = np.asarray(history.loss)
    assert not (loss[1:] > 1.2 * loss[:-1]).any()  # it falls smoothly: the rate is not at the edge
    assert presets.accuracy(outputs, dataset.targets) is None  # values, not classes


def test_the_blogs_recipe_is_the_blogs_run():
    spec = RunSpec.following(DataSource()).resolved()
    assert spec == RunSpec().resolved()
    assert (spec.hidden, spec.activations, spec.bias, spec.lr, spec.batch, spec.epochs) == (
        (4,), ("sigmoid", "sigmoid"), False, 1.0, None, 60_000
    )  # fmt: skip


def test_given_settings_replace_the_recipes():
    spec = RunSpec.following(DataSource("preset", "spiral"), hidden=(5,), epochs=7, lr=0.5)
    assert (spec.hidden, spec.activations, spec.epochs, spec.lr) == ((5,), ("tanh", "sigmoid"), 7, 0.5)


def test_a_point_sets_learning_rate_is_its_rate_over_its_points():
    recipe = presets.RECIPES["circle"]
    assert DataSource("preset", "circle", points=50).suggested_lr() == recipe.rate / 50
    assert DataSource("csv", path="x.csv").suggested_lr() == 1.0


def test_accuracy_thresholds_one_output_at_a_half():
    targets = np.array([[0.0], [1.0], [1.0], [0.0]])
    assert presets.accuracy(np.array([[0.2], [0.5], [0.9], [0.7]]), targets) == 0.75


def test_accuracy_of_several_outputs_is_the_largest_outputs_class():
    targets = np.eye(3)[[0, 1, 2, 2]]
    outputs = np.array([[0.9, 0.1, 0.1], [0.6, 0.7, 0.1], [0.1, 0.2, 0.3], [0.5, 0.1, 0.4]])
    assert presets.accuracy(outputs, targets) == 0.75


@pytest.mark.parametrize(
    "targets", [np.array([[0.5], [1.0]]), np.array([[1.0, 1.0], [0.0, 1.0]]), np.zeros((0, 1))]
)  # fmt: skip
def test_accuracy_is_none_for_targets_that_are_not_classes(targets):
    assert presets.accuracy(np.zeros(targets.shape), targets) is None

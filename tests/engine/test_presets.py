"""The presets: shapes, ranges, determinism per seed, balance, and that a small net learns them."""

import numpy as np
import pytest

from netviz.engine import presets
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer

POINT_SETS = ["circle", "xor-quadrants", "gaussians", "spiral", "three-classes"]
LOW_LOSS = 0.03  # mean squared error of a net that classifies nearly every point


@pytest.mark.parametrize("name", presets.PRESETS)
def test_every_preset_is_a_finite_dataset_named_after_itself(name):
    dataset = presets.preset(name)
    assert dataset.name == name
    assert np.isfinite(dataset.inputs).all()
    if name in presets.REGRESSION:
        assert np.abs(dataset.targets).max() <= 1.5  # about -1 to 1; the noise may push a little beyond
    else:
        assert set(np.unique(dataset.targets)) <= {0.0, 1.0}


@pytest.mark.parametrize("name", POINT_SETS)
def test_point_sets_have_n_points_in_the_plane_near_the_unit_square(name):
    dataset = presets.preset(name, seed=3, noise=0.1, n=150)
    assert dataset.inputs.shape == (150, 2)
    assert len(dataset.targets) == 150
    assert np.abs(dataset.inputs).max() < 2.0
    assert np.mean(np.abs(dataset.inputs) <= 1.0) > 0.9


@pytest.mark.parametrize("name", POINT_SETS)
def test_same_seed_same_points_other_seed_other_points(name):
    first, again = presets.preset(name, seed=7), presets.preset(name, seed=7)
    np.testing.assert_array_equal(first.inputs, again.inputs)
    np.testing.assert_array_equal(first.targets, again.targets)
    assert not np.array_equal(first.inputs, presets.preset(name, seed=8).inputs)


@pytest.mark.parametrize("name", POINT_SETS)
def test_noise_moves_the_points(name):
    quiet, noisy = presets.preset(name, noise=0.0), presets.preset(name, noise=0.3)
    assert not np.allclose(quiet.inputs, noisy.inputs)


@pytest.mark.parametrize("name", POINT_SETS)
def test_classes_are_balanced(name):
    dataset = presets.preset(name, n=201)
    counts = dataset.targets.sum(axis=0) if dataset.n_out > 1 else np.bincount(dataset.targets[:, 0].astype(int))
    assert counts.max() - counts.min() <= 1


def test_three_classes_has_one_hot_targets_for_three_outputs():
    dataset = presets.preset("three-classes", n=99)
    assert dataset.targets.shape == (99, 3)
    np.testing.assert_array_equal(dataset.targets.sum(axis=1), np.ones(99))
    assert dataset.target_names == ["A", "B", "C"]


def test_noise_free_sets_are_labelled_by_their_rule():
    circle = presets.preset("circle", noise=0.0)
    inside = np.hypot(*circle.inputs.T) < 0.6
    np.testing.assert_array_equal(inside, circle.targets[:, 0] == 1)
    quadrants = presets.preset("xor-quadrants", noise=0.0)
    x, y = quadrants.inputs.T
    np.testing.assert_array_equal(x * y > 0, quadrants.targets[:, 0] == 1)


@pytest.mark.parametrize(("name", "column"), [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor", [0, 1, 1, 0])])
def test_truth_tables_are_exact(name, column):
    dataset = presets.preset(name, seed=5, noise=0.9, n=50)  # the tables ignore all three
    np.testing.assert_array_equal(dataset.inputs, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(dataset.targets[:, 0], column)


def test_blog_is_the_blog_table():
    dataset = presets.preset("blog")
    assert dataset.inputs.shape == (7, 3)
    np.testing.assert_array_equal(dataset.new_situation, [1, 1, 0])


@pytest.mark.parametrize(("noise", "n"), [(-0.1, 200), (1.5, 200), (0.1, 3), (0.1, 10_001)])
def test_out_of_range_noise_or_size_is_refused(noise, n):
    with pytest.raises(ValueError):
        presets.preset("circle", noise=noise, n=n)


def test_an_unknown_name_lists_the_names():
    with pytest.raises(ValueError, match=r"circle.*spiral"):
        presets.preset("moons")


def test_suggested_rate_scales_with_the_rows_the_gradient_sums():
    assert presets.suggested_lr("xor") == 1.0
    rate = presets.RECIPES["circle"].rate
    assert presets.suggested_lr("circle", 200) == pytest.approx(rate / 200)
    assert presets.suggested_lr("circle", 4) == pytest.approx(rate / 4)


def test_a_small_tanh_net_learns_the_circle():
    dataset = presets.preset("circle")
    arch = Architecture((2, 8, 1), ("tanh", "sigmoid"), bias=True)
    trainer = Trainer(TrainConfig(arch, lr=presets.suggested_lr("circle", len(dataset)), seed=1), dataset)
    trainer.advance(3000)
    assert trainer.evaluate()[1] < LOW_LOSS

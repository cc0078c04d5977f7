"""The regression presets, as in TensorFlow Playground: a plane and six gaussian-like bumps."""

import numpy as np
import pytest

from netviz.engine import presets


@pytest.mark.parametrize("name", presets.REGRESSION)
def test_points_fill_the_square_and_the_same_seed_gives_the_same_set(name):
    dataset = presets.preset(name, seed=5, n=300)
    assert dataset.inputs.shape == (300, 2) and dataset.targets.shape == (300, 1)
    assert np.abs(dataset.inputs).max() <= 1.0
    assert dataset.target_names == ["value"] and list(dataset.new_situation) == [0.0, 0.0]
    np.testing.assert_array_equal(presets.preset(name, seed=5, n=300).targets, dataset.targets)
    assert not np.array_equal(presets.preset(name, seed=6, n=300).inputs, dataset.inputs)


@pytest.mark.parametrize("name", presets.REGRESSION)
def test_noise_moves_the_targets_not_the_points(name):
    quiet, noisy = presets.preset(name, noise=0.0), presets.preset(name, noise=0.3)
    np.testing.assert_array_equal(quiet.inputs, noisy.inputs)
    assert not np.allclose(quiet.targets, noisy.targets)


def test_the_plane_is_the_mean_of_x_and_y():
    dataset = presets.preset("plane", noise=0.0)
    np.testing.assert_allclose(dataset.targets[:, 0], dataset.inputs.mean(axis=1))


def test_each_bump_peaks_at_its_centre_with_its_sign_and_fades_to_0():
    dataset = presets.preset("multi-gaussian", noise=0.0, n=4000)
    x, value = dataset.inputs, dataset.targets[:, 0]
    for cx, cy, sign in presets.BUMPS:
        distance = np.hypot(x[:, 0] - cx, x[:, 1] - cy)
        near = distance < 0.05
        assert near.any() and (np.sign(value[near]) == sign).all() and (np.abs(value[near]) > 0.8).all()
    far = np.min(np.hypot(x[:, None, 0] - presets.BUMPS[:, 0], x[:, None, 1] - presets.BUMPS[:, 1]), axis=1)
    assert (value[far > presets.BUMP_RADIUS] == 0).all()
    assert value.min() < -0.9 and value.max() > 0.9

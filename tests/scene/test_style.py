import numpy as np
import pytest

from netviz.scene.style import (
    N_LEVELS,
    THEMES,
    WeightScale,
    activation_fill,
    nice_ceiling,
    run_scale,
    weight_colours,
)


@pytest.mark.parametrize(
    ("value", "expected"), [(0.7, 0.8), (1.0, 1.0), (1.1, 1.25), (21.34, 25.0), (9.0, 10.0), (0.031, 0.04), (0, 1.0)]
)
def test_nice_ceiling_rounds_up_to_a_round_number(value, expected):
    assert nice_ceiling(value) == pytest.approx(expected)


def test_width_grows_with_magnitude_and_clamps():
    scale = WeightScale(max_abs=10.0, min_width=1.0, max_width=12.0)
    w = np.array([0.0, -2.5, 5.0, 10.0, -40.0, np.nan])
    widths = scale.width(w)
    assert widths[0] == 1.0
    assert widths[1] < widths[2] < widths[3]
    assert widths[3] == widths[4] == 12.0  # clamped beyond the scale
    assert widths[5] == 1.0  # NaN draws as zero, never crashes


def test_buckets_split_sign_and_magnitude():
    scale = WeightScale(max_abs=4.0)
    buckets = scale.bucket(np.array([0.0, 3.99, 100.0, -0.01, -4.0]))
    assert list(buckets) == [0, N_LEVELS - 1, N_LEVELS - 1, N_LEVELS, 2 * N_LEVELS - 1]


def test_colours_are_blue_for_positive_orange_for_negative_grey_near_zero():
    theme = THEMES["light"]
    rgba = weight_colours(np.array([1.0, 1.0, 0.0]), np.array([False, True, False]), theme)
    assert tuple(rgba[0, :3]) == theme.rgb("positive")
    assert tuple(rgba[1, :3]) == theme.rgb("negative")
    assert tuple(rgba[2, :3]) == theme.rgb("zero")
    blue, orange = rgba[0, :3].astype(int), rgba[1, :3].astype(int)
    assert blue[2] > blue[0] and orange[0] > orange[2]


def test_activation_fill_runs_from_off_to_on_and_clamps():
    theme = THEMES["dark"]
    fill = activation_fill(np.array([0.0, 1.0, 7.0, np.nan]), theme)
    assert tuple(fill[0]) == theme.rgb("neuron_off")
    assert tuple(fill[1]) == tuple(fill[2]) == theme.rgb("neuron_on")
    assert tuple(fill[3]) == theme.rgb("neuron_off")


def test_run_scale_covers_the_largest_weight_of_the_run():
    weights = np.array([[0.1, -0.3], [4.2, -21.3]])
    assert run_scale(weights).max_abs == 25.0

import numpy as np
import pytest

from netviz.scene.style import (
    DEFAULT_WEIGHT_SCALE,
    N_LEVELS,
    THEMES,
    WEIGHT_SCALES,
    WeightScale,
    activation_fill,
    bucket_colours,
    largest_weight,
    nice_ceiling,
    weight_colours,
    weight_scale,
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
    assert widths[0] == widths.min() < 2.0  # zero draws the thinnest line
    assert widths[1] < widths[2] < widths[3]
    assert widths[3] == widths[4] == 12.0  # clamped beyond the scale
    assert widths[5] == widths[0]  # NaN draws as zero, never crashes


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
    weights = np.array([[0.1, -0.3], [4.2, -21.3], [np.nan, np.inf]])
    assert largest_weight(weights) == 21.3  # what is not finite does not count
    assert weight_scale("run", largest_weight(weights)).max_abs == 25.0


def test_the_default_scale_is_a_registered_kind():
    assert DEFAULT_WEIGHT_SCALE == "log"
    assert set(WEIGHT_SCALES) == {"log", "run", "clamp"}
    for kind in WEIGHT_SCALES:
        assert weight_scale(kind, run_max_abs=3.0).kind == kind


def test_unknown_kinds_and_a_run_scale_without_its_run_are_refused():
    with pytest.raises(ValueError, match="unknown weight scale 'cubic'"):
        weight_scale("cubic")
    with pytest.raises(ValueError, match="largest"):
        weight_scale("run")


def colour_strength(scale: WeightScale, w: np.ndarray) -> np.ndarray:
    """How far each weight's line colour is from the theme's grey for zero (0 = grey)."""
    theme = THEMES["light"]
    rgba = bucket_colours(scale, theme)[scale.bucket(w)]
    return np.abs(rgba[:, :3].astype(int) - theme.rgb("zero")).sum(axis=1)


@pytest.mark.parametrize("kind", WEIGHT_SCALES)
def test_every_scale_grows_with_magnitude_and_ignores_the_sign(kind):
    scale = weight_scale(kind, run_max_abs=21.3)
    w = np.geomspace(1e-4, 1e4, 400)
    for value in (scale.level(w), scale.width(w), colour_strength(scale, w)):
        assert (np.diff(value) >= 0).all()
    assert np.array_equal(scale.width(-w), scale.width(w))
    assert np.array_equal(scale.level(-w), scale.level(w))
    assert scale.width(w)[-1] == scale.max_width


def test_the_log_scale_tells_the_blogs_weights_apart():
    """The blog's weights run from about 0.01 to 21: each decade gets its own level, with no rescaling."""
    scale = weight_scale("log")
    w = np.array([0.01, 0.1, 1.0, 10.0, 21.0, 50.0, 1e6])
    levels, widths, colours = scale.level(w), scale.width(w), colour_strength(scale, w)
    assert list(levels) == [0, 4, 8, 12, 13, N_LEVELS - 1, N_LEVELS - 1]
    assert widths[0] == widths[1] == scale.min_width  # up to 0.1: the thinnest line...
    assert colours[0] < colours[1] < colours[2]  # ...told apart by colour, grey toward the sign's
    assert widths[1] < widths[2] < widths[3] < widths[4] < widths[5]  # from 0.1 up, by width
    assert widths[5] == widths[6] == scale.max_width  # 50 and beyond: the widest


def test_the_clamped_scale_is_linear_up_to_five():
    scale = weight_scale("clamp", run_max_abs=25.0)
    assert scale.max_abs == 5.0
    assert scale.width(np.array([2.5]))[0] < scale.width(np.array([5.0]))[0] == scale.max_width
    assert scale.width(np.array([-7.0, 500.0])).tolist() == [scale.max_width] * 2
    assert list(scale.level(np.array([1.0, 2.5, 4.99]))) == [3, 8, 15]  # 16 equal steps of 5/16


@pytest.mark.parametrize("kind", ["log", "clamp"])
def test_fixed_scales_hold_still_while_a_run_grows(kind):
    """The window asks for the scale as a run's largest weight grows (0.9 at the start of the
    blog's run, 21.3 at its end): a weight's line must not change, unlike on the run's scale."""
    w = np.array([-3.0, -0.2, 0.05, 0.7, 2.0, 8.0])
    scales = [weight_scale(kind, run_max_abs=m) for m in (0.9, 4.2, 21.3)]
    assert scales[0] == scales[1] == scales[2]
    for scale in scales:
        assert np.array_equal(scale.bucket(w), scales[0].bucket(w))
        assert np.array_equal(bucket_colours(scale, THEMES["dark"]), bucket_colours(scales[0], THEMES["dark"]))
    growing = [weight_scale("run", run_max_abs=m) for m in (0.9, 21.3)]
    assert growing[0].width(w)[4] > growing[1].width(w)[4]  # what the fixed scales prevent


@pytest.mark.parametrize("kind", WEIGHT_SCALES)
def test_scales_take_zero_nan_and_infinity(kind):
    scale = weight_scale(kind, run_max_abs=2.0)
    w = np.array([0.0, -0.0, np.nan, np.inf, -np.inf])
    assert list(scale.level(w)) == [0, 0, 0, N_LEVELS - 1, N_LEVELS - 1]
    assert list(scale.bucket(w)) == [0, 0, 0, N_LEVELS - 1, 2 * N_LEVELS - 1]
    assert np.isfinite(scale.strength(w)).all()


def test_the_activation_key_covers_each_activations_range():
    from netviz.scene.style import activation_key

    assert activation_key(["sigmoid"]) == ((0.0, 0.5, 1.0), ("0", "0.5", "1"))
    assert activation_key(["softmax"]) == ((0.0, 0.5, 1.0), ("0", "0.5", "1"))
    assert activation_key(["tanh", "tanh", "sigmoid"]) == ((-1.0, 0.0, 1.0), ("−1", "0", "1"))
    assert activation_key(["relu", "sigmoid"]) == ((0.0, 0.5, 1.0), ("0", "0.5", "≥1"))  # the fill stops at 1
    assert activation_key(["linear"]) == ((-1.0, 0.0, 1.0), ("≤−1", "0", "≥1"))  # symmetric

import numpy as np
import pytest

from netviz.engine import presets
from netviz.engine.network import Architecture
from netviz.scene.plane import (
    GRID,
    MAP_STRENGTH,
    PANEL_GRID,
    diverging_rgb,
    map_rgb,
    misclassified,
    plane_extent,
    plane_maps,
    point_colours,
    signed_level,
)
from netviz.scene.style import CLASS_COLOURS, THEMES, class_colours

LIGHT = THEMES["light"]


def test_only_two_input_networks_get_maps():
    arch = Architecture.of((3, 4, 1))
    assert plane_maps(arch, arch.init_params(1), np.zeros((1, 3)), np.zeros((1, 1)), LIGHT) is None


def test_each_neuron_map_is_its_activation_over_the_plane():
    # One sigmoid neuron, out = sigmoid(10 * x): high (blue) on the right, low (orange) on the left.
    arch = Architecture.of((2, 1))
    theta = np.array([10.0, 0.0])
    inputs = np.array([[-1.0, -1.0], [1.0, 1.0]])
    maps = plane_maps(arch, theta, inputs, np.array([[0.0], [1.0]]), LIGHT)
    assert maps.rgb.shape == (3, GRID, GRID, 3)
    left, right = maps.rgb[2][GRID // 2, 0], maps.rgb[2][GRID // 2, -1]
    assert tuple(right) == tuple(diverging_rgb(np.array(1.0), LIGHT, MAP_STRENGTH))
    assert tuple(left) == tuple(diverging_rgb(np.array(-1.0), LIGHT, MAP_STRENGTH))
    assert np.array_equal(maps.rgb[2][0], maps.rgb[2][-1])  # y does not matter to this neuron
    assert np.array_equal(maps.panel_rgb[0], maps.panel_rgb[-1]) and maps.panel_rgb.shape == (PANEL_GRID, PANEL_GRID, 3)
    assert tuple(maps.panel_rgb[0, -1]) == tuple(right)  # the panel is the output's map, finer
    # The points keep the full colours, so a point never takes the colour of the map under it.
    assert [tuple(c) for c in maps.point_rgb] == [LIGHT.rgb("negative"), LIGHT.rgb("positive")]
    assert len(maps.class_rgb) == 0 and not maps.wrong.any()


def _distance(a, b) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), axis=-1).min())


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_maps_stop_short_of_full_colour_so_points_stay_readable(theme):
    arch = Architecture.of((2, 1))
    maps = plane_maps(arch, np.array([50.0, 0.0]), np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([0.0, 1.0]), theme)
    for field in ("positive", "negative"):
        full = theme.rgb(field)
        assert _distance(maps.panel_rgb.reshape(-1, 3), full) > 40
        assert _distance(maps.rgb[2].reshape(-1, 3), full) > 40


# A = sigmoid(20 x), B = sigmoid(-20 x), C = sigmoid(20 y): A wins on the right below y = 0,
# B on the left below it, C above (where A and B are both about a half).
THREE = Architecture.of((2, 3), bias=True)
THREE_THETA = np.array([20.0, -20.0, 0.0, 0.0, 0.0, 20.0, 0.0, 0.0, 0.0])


def _winning_class(rgb, theme) -> int:
    """The class whose hue the colour leans toward from the map's pale middle."""
    maps = plane_maps(THREE, THREE_THETA, np.zeros((0, 2)), np.zeros((0, 3)), theme)
    pale = maps.panel_rgb[-1, PANEL_GRID // 2].astype(float)  # A and B tie there, C is off: undecided
    lean = np.asarray(rgb, dtype=float) - pale
    hues = class_colours(3).astype(float) - pale
    cosine = hues @ lean / (np.linalg.norm(hues, axis=1) * np.linalg.norm(lean))
    return int(np.argmax(cosine))


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_several_outputs_colour_the_panel_by_the_predicted_class(theme):
    maps = plane_maps(THREE, THREE_THETA, np.zeros((0, 2)), np.zeros((0, 3)), theme)
    panel, n = maps.panel_rgb, PANEL_GRID
    assert [tuple(c) for c in maps.class_rgb] == [tuple(c) for c in class_colours(3)]
    assert _winning_class(panel[-5, -5], theme) == 0  # bottom right: A
    assert _winning_class(panel[-5, 4], theme) == 1  # bottom left: B
    assert _winning_class(panel[4, n // 2], theme) == 2  # top middle: C
    # Brightness by confidence: where A leads by all it is stronger than where it barely leads.
    pale = panel[-1, n // 2].astype(float)
    sure, unsure = panel[-5, -5].astype(float), panel[-5, n // 2 + 2].astype(float)
    assert np.linalg.norm(sure - pale) > 2 * np.linalg.norm(unsure - pale)
    # ...and it never reaches the class's full colour: the points keep that.
    assert _distance(panel.reshape(-1, 3), class_colours(3)[0]) > 30
    # Each output neuron's own map is still its own activation (the disc and the hover map).
    a_map = maps.rgb[2]
    assert tuple(a_map[GRID // 2, -1]) == tuple(diverging_rgb(np.array(1.0), theme, MAP_STRENGTH))


def test_ten_classes_get_ten_different_hues_and_more_repeat_them():
    hues = class_colours(12)
    assert len({tuple(c) for c in hues[:10]}) == 10 == len(CLASS_COLOURS)
    assert np.array_equal(hues[10:], hues[:2])


def test_misclassified_points_are_those_on_another_class_map():
    one = Architecture.of((2, 1))  # out = sigmoid(10 x): class 1 right of x = 0
    points = np.array([[-1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [-1.0, 0.0]])
    wrong = misclassified(one, np.array([10.0, 0.0]), points, np.array([0.0, 0.0, 1.0, 1.0]))
    assert wrong.tolist() == [False, True, False, True]
    targets = np.eye(3)[[0, 1, 2, 1]]  # A, B, C, B
    points = np.array([[1.0, -1.0], [-1.0, -1.0], [-1.0, -1.0], [0.0, 1.0]])
    assert misclassified(THREE, THREE_THETA, points, targets).tolist() == [False, False, True, True]
    # Regression targets have no classes: nothing is marked.
    assert not misclassified(one, np.array([10.0, 0.0]), points[:2], np.array([0.3, 0.7])).any()


def test_extent_pads_the_data_and_levels_map_activations_to_signs():
    x0, x1, y0, y1 = plane_extent(np.array([[0.0, 0.0], [1.0, 2.0]]))
    assert x0 < 0 < 1 < x1 and y0 < 0 < 2 < y1
    assert list(signed_level(np.array([0.0, 0.5, 1.0]), "sigmoid")) == [-1.0, 0.0, 1.0]
    assert list(signed_level(np.array([[0.0, 2.0, 4.0]]), "relu")[0]) == [0.0, 0.5, 1.0]
    pale = diverging_rgb(np.array([0.0]), LIGHT)[0]
    assert tuple(pale) not in (LIGHT.rgb("positive"), LIGHT.rgb("negative"))


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_points_are_filled_with_their_class_colour(theme):
    data = presets.preset("three-classes", n=30)
    rgb = point_colours(data.targets, theme)
    assert np.array_equal(rgb, class_colours(3)[np.argmax(data.targets, axis=1)])
    binary = presets.preset("circle", n=30)
    rgb = point_colours(binary.targets, theme)
    inside = binary.targets[:, 0] > 0.5
    assert all(tuple(c) == theme.rgb("positive") for c in rgb[inside])
    assert all(tuple(c) == theme.rgb("negative") for c in rgb[~inside])


def test_regression_points_are_filled_by_their_target_value():
    rgb = point_colours(np.array([0.0, 0.5, 1.0]), LIGHT, "sigmoid")
    assert tuple(rgb[0]) == LIGHT.rgb("negative") and tuple(rgb[2]) == LIGHT.rgb("positive")
    assert tuple(rgb[1]) == tuple(diverging_rgb(np.array(0.0), LIGHT))  # the middle: pale


def test_a_network_without_data_still_gets_maps_over_the_unit_square():
    # A recorded session may come without its data: the maps show, with no points on them.
    arch = Architecture.of((2, 3, 1))
    maps = plane_maps(arch, arch.init_params(1), np.zeros((0, 2)), np.zeros((0, 1)), LIGHT)
    assert maps.extent == (-1.0, 1.0, -1.0, 1.0)
    assert maps.rgb.shape == (6, GRID, GRID, 3)
    assert maps.points.shape == (0, 2) and maps.point_rgb.shape == (0, 3)


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_maps_coloured_through_a_table_match_the_exact_colours(theme):
    levels = np.concatenate([np.linspace(-1.0, 1.0, 1001), [0.0, -1.0, 1.0]])
    exact = diverging_rgb(levels, theme, MAP_STRENGTH).astype(int)
    fast = map_rgb(levels, theme).astype(int)
    assert np.abs(fast - exact).max() <= 1
    assert np.array_equal(fast[-3:], exact[-3:])  # the middle and both ends exactly
